"""Khabar (خبر): an Arabic news aggregation engine."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy: `import khabar` stays cheap; `khabar.similarity(a, b)` loads what it needs on first use.
    if name == "similarity":
        from khabar.similarity import similarity

        return similarity
    raise AttributeError(f"module 'khabar' has no attribute {name!r}")
