"""Numbered SQL migration files, applied in order when a store opens."""

from __future__ import annotations

import re
from importlib.resources import files

_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def migrations(dialect: str) -> list[tuple[int, str, str]]:
    """Return ``(version, name, sql)`` for every migration of a dialect, in order."""
    folder = files("khabar.storage").joinpath("migrations", dialect)
    found = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text("utf-8")))
    return sorted(found)
