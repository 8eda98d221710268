"""robots.txt rules, fetched once per origin and cached with a TTL.

Follows RFC 9309: a 4xx robots.txt means "no rules" (allow all); a 5xx or an
unreachable server means "assume complete disallow" until a shorter retry TTL
expires. Parsing is urllib.robotparser's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# fetch(robots_url) -> (status, body); raises on network failure.
RobotsFetch = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass
class _Entry:
    parser: RobotFileParser | None  # None: a rule for the whole origin (see allow)
    allow: bool
    reason: str
    expires: float


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, the unit robots.txt applies to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class RobotsCache:
    """Answers "may this user agent fetch this URL?" with one robots.txt fetch per origin per TTL."""

    def __init__(
        self,
        fetch: RobotsFetch,
        user_agent: str,
        ttl: float = 3600.0,
        error_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = user_agent
        self._ttl, self._error_ttl = ttl, error_ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> tuple[bool, str]:
        """(allowed, reason) for ``url``; the reason explains a refusal."""
        origin = origin_of(url)
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # concurrent requests to one origin share a single robots.txt fetch
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                entry = await self._load(origin)
                self._entries[origin] = entry
        if entry.parser is None:
            return entry.allow, entry.reason
        allowed = entry.parser.can_fetch(self._agent, url)
        return allowed, "" if allowed else f"disallowed by {origin}/robots.txt"

    async def _load(self, origin: str) -> _Entry:
        now = self._clock()
        try:
            status, body = await self._fetch(origin + "/robots.txt")
        except Exception as exc:  # unreachable: RFC 9309 says assume disallow, retry soon
            return _Entry(None, False, f"robots.txt unreachable at {origin}: {exc}", now + self._error_ttl)
        if 400 <= status < 500:
            return _Entry(None, True, "", now + self._ttl)
        if status >= 500 or status < 200 or status >= 300:
            reason = f"robots.txt at {origin} answered HTTP {status}; assuming disallow for now"
            return _Entry(None, False, reason, now + self._error_ttl)
        parser = RobotFileParser(origin + "/robots.txt")
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        parser.modified()  # can_fetch refuses everything until the parser has a "last checked" time
        return _Entry(parser, True, "", now + self._ttl)
