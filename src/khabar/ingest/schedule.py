"""When to poll a feed next: an interval that follows how often it publishes, with jitter.

After a successful poll the interval is half the median gap between the
feed's recent entries, but at least a quarter of the silence since the newest
one (so a feed that went quiet slows down), clamped to [5 min, 24 h]. After a failure the
wait doubles with each consecutive error, and never undercuts a Retry-After.
Every delay gets ±10 % jitter so feeds added together do not stay in lockstep.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from statistics import median

MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 24 * 3600
DEFAULT_INTERVAL = 3600
JITTER = 0.10
RECENT = 20  # entries considered
MAX_BACKOFF_STEPS = 8


def clamp(seconds: float, low: float = MIN_INTERVAL, high: float = MAX_INTERVAL) -> int:
    return int(min(high, max(low, seconds)))


def adaptive_interval(published: Iterable[datetime | None], now: datetime, current: int = DEFAULT_INTERVAL) -> int:
    """Seconds until the next poll, from the entries' publication times.

    Fewer than two dated entries say nothing about the rhythm: ``current`` stays."""
    dates = sorted((d for d in published if d is not None and d <= now), reverse=True)[:RECENT]
    if len(dates) < 2:
        return clamp(current)
    gaps = [(a - b).total_seconds() for a, b in zip(dates, dates[1:], strict=False)]
    silence = (now - dates[0]).total_seconds()
    return clamp(max(median(gaps) / 2, silence / 4))


def error_delay(interval_s: int, errors_before: int, retry_after: float | None = None) -> float:
    """Seconds to wait after a failed poll; ``errors_before`` counts the failures before this one."""
    base = clamp(interval_s) * 2 ** min(errors_before, MAX_BACKOFF_STEPS)
    return max(float(min(base, MAX_INTERVAL)), retry_after or 0.0)


def jittered(seconds: float, rng: random.Random | None = None, spread: float = JITTER) -> float:
    """``seconds`` moved by a random ±``spread`` fraction."""
    return seconds * (1 + (rng or random).uniform(-spread, spread))


def next_due(now: datetime, seconds: float, rng: random.Random | None = None, floor: float = 0.0) -> datetime:
    """``now`` plus the jittered delay, never earlier than ``floor`` seconds (a Retry-After)."""
    return now + timedelta(seconds=max(jittered(seconds, rng), floor))
