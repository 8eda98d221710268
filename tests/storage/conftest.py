"""Fixtures for the store contract: one ``store`` per backend, real ANT articles.

The same tests run against SQLite and PostgreSQL. PostgreSQL needs a server
URL in ``KHABAR_TEST_PG`` (``make test`` runs pytest under
``scripts/with-postgres.sh``); each test gets its own fresh schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from ant_sample import ANT, Sample, load_sample

from khabar.storage import Store, open_store

PG_ENV = "KHABAR_TEST_PG"


# -- backends ---------------------------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A location string for a fresh, empty store of the parametrized backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "khabar.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set: run under scripts/with-postgres.sh (as `make test` does)")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    # libpq URL option: every connection of the store works inside this schema.
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-c search_path={schema}')}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def open_new(store_location: str) -> Iterator[Callable[..., Store]]:
    """Open (another) store on the test's location; all are closed afterwards."""
    opened: list[Store] = []

    def opener(**options: Any) -> Store:
        opened.append(open_store(store_location, **options))
        return opened[-1]

    yield opener
    for s in opened:
        s.close()


@pytest.fixture
def store(open_new: Callable[..., Store]) -> Store:
    return open_new()


# -- real articles ------------------------------------------------------------
@pytest.fixture(scope="session")
def ant() -> Sample:
    """Real articles from the ANT multi-source corpus, chosen by scanning it."""
    if not ANT.exists():
        pytest.skip(f"{ANT} not available")
    return load_sample()
