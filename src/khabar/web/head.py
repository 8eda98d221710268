"""HEAD for every page: feed readers and link checkers ask with HEAD before (or instead of) GET.

FastAPI routes answer GET only (405 for HEAD). This ASGI middleware serves a HEAD request as the
GET it stands for and sends the GET's status and headers (Content-Length, ETag, Last-Modified
included) without the body, as RFC 9110 §9.3.2 asks.
"""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]


class HeadAsGet:
    """Wraps an ASGI app: HEAD runs the GET route, and the response body is dropped."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
