"""Which network addresses the fetcher may talk to.

A crawler that follows URLs from the open web must not be turned against the
machine it runs on or its private network (SSRF): every hop's host is resolved
and refused when any address it resolves to is private, loopback, link-local,
multicast, reserved or unspecified, unless the policy allows it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address the policy refuses."""


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


async def resolve(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to (a literal IP resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({info[4][0] for info in infos})


async def check_url_address(url: str, allow_private: bool = False, allowed_hosts: Collection[str] = ()) -> None:
    """Raise :class:`AddressRefused` unless the policy lets us connect to ``url``'s host.

    ``allowed_hosts`` lists host names or IP literals (as written in URLs) that
    are allowed whatever they resolve to; tests use ``{"127.0.0.1"}``.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise AddressRefused(f"no host in URL {url!r}")
    if allow_private or host in allowed_hosts:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for addr in await resolve(host, port):
        if not is_public_ip(ipaddress.ip_address(addr.split("%")[0])):
            raise AddressRefused(f"refusing non-public address {addr} for host {host!r}")
