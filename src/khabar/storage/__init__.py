"""Storage: one :class:`Store` interface, backends chosen by the location string."""

from __future__ import annotations

from khabar.storage.base import IMPORTED, UNCHANGED, UPDATED, Store


def open_store(location: str, **options) -> Store:
    """Open (creating and migrating if needed) the store at ``location``.

    ``postgresql://…`` or ``postgres://…`` selects PostgreSQL; anything else is
    a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        from khabar.storage.postgres import PostgresStore

        return PostgresStore(location, **options)
    from khabar.storage.sqlite import SQLiteStore

    return SQLiteStore(location, **options)


__all__ = ["IMPORTED", "UNCHANGED", "UPDATED", "Store", "open_store"]
