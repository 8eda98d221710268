"""What a fetch returns or raises: :class:`FetchResult` and the :class:`FetchError` family.

Kept apart from :mod:`khabar.ingest.fetcher` so callers (feed polling, the
crawler, tests) can name results and errors without the client machinery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property


class FetchError(Exception):
    """A fetch failed; ``str(exc)`` says why and for which URL."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{message} [{url}]")
        self.url = url
        self.reason = message


class UnsupportedURL(FetchError):
    pass


class BlockedAddress(FetchError):
    pass


class RobotsDisallowed(FetchError):
    pass


class BodyTooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


class ConnectionFailed(FetchError):
    pass


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        hint = f", Retry-After {retry_after:g}s" if retry_after is not None else ""
        super().__init__(url, f"HTTP {status}{hint}")
        self.status = status
        self.retry_after = retry_after


@dataclass
class FetchResult:
    """A completed fetch: a 2xx with its body, or a 304 (``not_modified``, empty body)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    elapsed: float = 0.0
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @cached_property
    def text(self) -> str:
        """The body decoded (HTTP charset, BOM, <meta>, detection)."""
        return decode_body(self.body, self.content_type)


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode with ``charset.decode_html``, distrusting a header charset the bytes contradict."""
    from khabar.ingest.charset import charset_from_content_type, decode_html, detect_charset

    declared = charset_from_content_type(content_type)
    if not declared:
        return decode_html(body, None)
    # Valid multi-byte UTF-8 essentially never arises from legacy single-byte Arabic text,
    # so it beats a header that says windows-1256 (which would decode anything, wrongly).
    if any(b > 0x7F for b in body[:65536]):
        try:
            return body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        body.decode(detect_charset(body, declared))
    except (UnicodeDecodeError, LookupError):
        return decode_html(body, None)  # the header lied: fall back to BOM, <meta>, detection
    return decode_html(body, declared)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
