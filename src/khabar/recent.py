"""Time windows anchored at the newest stored article rather than now, so an archive has hot stories too."""

from __future__ import annotations

from datetime import datetime, timedelta

from khabar.storage.base import Store


def hot_since(store: Store, hours: float | None) -> datetime | None:
    """The start of the window: ``hours`` before the newest stored article (None: no window, or no dated
    article to anchor it)."""
    if hours is None:
        return None
    newest = store.latest(1)
    if not newest or newest[0].article.published_at is None:
        return None
    return newest[0].article.published_at - timedelta(hours=hours)
