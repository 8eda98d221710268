"""A polite HTTP fetcher, as one object.

:class:`Fetcher` wraps one ``httpx.AsyncClient`` and enforces, for every hop of
every request: the address policy (no private/loopback/link-local targets),
robots.txt, a per-host concurrency cap and minimum interval, a total-time
deadline, a streamed body cap and a redirect limit. It sends conditional GETs
and retries 429/503 (Retry-After, then exponential backoff). Failures are
raised as :class:`FetchError` subclasses whose message names the URL and cause.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from khabar.ingest.fetchresult import (
    BlockedAddress,
    BodyTooLarge,
    ConnectionFailed,
    FetchError,
    FetchResult,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedURL,
    decode_body,
    parse_retry_after,
)
from khabar.ingest.netpolicy import AddressRefused, check_url_address
from khabar.ingest.robots import RobotsCache

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE = frozenset({429, 503})
__all__ = [
    "BlockedAddress",
    "BodyTooLarge",
    "ConnectionFailed",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "RobotsDisallowed",
    "TooManyRedirects",
    "UnsupportedURL",
    "decode_body",
    "parse_retry_after",
]
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and defensively to fetch (all times in seconds)."""

    user_agent: str = "KhabarBot/0.1 (+https://github.com/khabar/khabar)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_interval: float = 1.0
    per_host_concurrency: int = 2
    retries: int = 2
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    retry_after_cap: float = 120.0  # a longer Retry-After is reported, not waited for
    obey_robots: bool = True
    robots_ttl: float = 3600.0
    robots_error_ttl: float = 300.0
    allow_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> FetchPolicy:
        """A policy from ``fetch_<field>`` settings where they exist (e.g. ``fetch_user_agent``).

        Settings raise AttributeError for unknown names, so fields without a
        declared setting keep their defaults; ``allowed_hosts`` may be a comma list."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = getattr(settings, "fetch_" + f.name, None)
            if value is not None:
                values[f.name] = value
        hosts = values.get("allowed_hosts")
        if isinstance(hosts, str):
            values["allowed_hosts"] = frozenset(h.strip() for h in hosts.split(",") if h.strip())
        return cls(**{**values, **overrides})


class _HostGate:
    """At most ``concurrency`` requests in flight to one host, starts ``interval`` apart."""

    def __init__(self, concurrency: int, interval: float, clock: Callable[[], float], sleep: Sleep) -> None:
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._lock = asyncio.Lock()
        self._interval, self._clock, self._sleep = interval, clock, sleep
        self._last: float | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            async with self._lock:
                if self._last is not None:
                    wait = self._last + self._interval - self._clock()
                    if wait > 0:
                        await self._sleep(wait)
                self._last = self._clock()
            yield


class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`; use as ``async with Fetcher(policy) as f``."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = p = policy or FetchPolicy()
        self._clock, self._sleep = clock, sleep
        timeout = httpx.Timeout(connect=p.connect_timeout, read=p.read_timeout, write=p.read_timeout, pool=None)
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # every hop is checked here (address policy, robots, limit)
            timeout=timeout,
            headers={"User-Agent": p.user_agent},
            transport=transport,
            trust_env=False,  # no proxy from the environment: the address checks must see the real target
        )
        self._gates: dict[str, _HostGate] = {}
        self.robots = RobotsCache(self._fetch_robots, p.user_agent, p.robots_ttl, p.robots_error_ttl, clock)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` politely; raises a :class:`FetchError` subclass on failure."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        start = self._clock()
        attempt = 0
        while True:
            try:
                result = await self._follow(url, headers, check_robots=True, max_bytes=self.policy.max_bytes)
                break
            except HTTPStatusError as exc:
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    raise
                await self._sleep(delay)
                attempt += 1
        result.elapsed = self._clock() - start
        if result.not_modified:  # a 304 need not repeat the validators
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    def _retry_delay(self, exc: HTTPStatusError, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None to give up."""
        p = self.policy
        if exc.status not in RETRYABLE or attempt >= p.retries:
            return None
        if exc.retry_after is not None:
            return exc.retry_after if exc.retry_after <= p.retry_after_cap else None
        return min(p.backoff_cap, p.backoff_base * 2**attempt)

    async def _follow(self, url: str, headers: dict[str, str], check_robots: bool, max_bytes: int) -> FetchResult:
        """Request ``url``, following redirects hop by hop."""
        current, seen = urldefrag(url).url, set()
        for _ in range(self.policy.max_redirects + 1):
            seen.add(current)
            await self._admit(current, check_robots)
            resp, body = await self._request(current, headers, max_bytes)
            location = resp.headers.get("location")
            if resp.status_code in REDIRECTS and location:
                current = urldefrag(urljoin(current, location.strip())).url
                if current in seen:
                    raise TooManyRedirects(url, f"redirect loop back to {current}")
                continue
            if resp.status_code == 304 or 200 <= resp.status_code < 300:
                return self._result(url, current, resp, body)
            raise HTTPStatusError(current, resp.status_code, parse_retry_after(resp.headers.get("retry-after")))
        raise TooManyRedirects(url, f"more than {self.policy.max_redirects} redirects")

    async def _admit(self, url: str, check_robots: bool) -> None:
        """Refuse a hop the scheme, address policy or robots.txt forbids."""
        p = self.policy
        if urlsplit(url).scheme not in ("http", "https"):
            raise UnsupportedURL(url, "only http and https URLs are fetched")
        try:
            await check_url_address(url, p.allow_private, p.allowed_hosts)
        except AddressRefused as exc:
            raise BlockedAddress(url, str(exc)) from None
        if check_robots and p.obey_robots:
            allowed, reason = await self.robots.check(url)
            if not allowed:
                raise RobotsDisallowed(url, reason)

    async def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> tuple[httpx.Response, bytes]:
        """One GET under the host gate and the total deadline; the body only for a 2xx."""
        p = self.policy
        async with self._gate(url).slot():
            try:
                async with asyncio.timeout(p.total_timeout):  # a trickling body cannot outlast this
                    async with self._client.stream("GET", url, headers=headers) as resp:
                        ok = 200 <= resp.status_code < 300
                        return resp, (await _read_capped(url, resp, max_bytes) if ok else b"")
            except TimeoutError:
                raise FetchTimeout(url, f"no complete response within {p.total_timeout:g}s") from None
            except httpx.TimeoutException as exc:
                raise FetchTimeout(
                    url, f"{type(exc).__name__} (connect {p.connect_timeout:g}s, read {p.read_timeout:g}s)"
                ) from None
            except httpx.DecodingError as exc:
                raise ConnectionFailed(url, f"undecodable Content-Encoding: {exc}") from None
            except httpx.HTTPError as exc:
                raise ConnectionFailed(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from None

    def _gate(self, url: str) -> _HostGate:
        host = urlsplit(url).netloc.lower()
        if host not in self._gates:
            p = self.policy
            self._gates[host] = _HostGate(p.per_host_concurrency, p.per_host_interval, self._clock, self._sleep)
        return self._gates[host]

    def _result(self, url: str, final_url: str, resp: httpx.Response, body: bytes) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=final_url,
            status=resp.status_code,
            headers=resp.headers,
            body=body,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            not_modified=resp.status_code == 304,
        )

    async def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        """robots.txt through the same client and policies (but not robots itself)."""
        try:
            result = await self._follow(url, {}, check_robots=False, max_bytes=ROBOTS_MAX_BYTES)
        except HTTPStatusError as exc:
            return exc.status, b""
        except BodyTooLarge:
            return 200, b""  # unreasonably large rules: treat as none
        return result.status, result.body


async def _read_capped(url: str, resp: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, refused as soon as it passes ``max_bytes`` (also caps gzip bombs)."""
    length = resp.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise BodyTooLarge(url, f"Content-Length {int(length)} exceeds the {max_bytes}-byte cap")
    chunks, size = [], 0
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(url, f"body exceeds the {max_bytes}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)
