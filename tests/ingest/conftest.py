"""Fixtures of real records for the import tests (helpers live in ``ingest_data``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ingest_data import ANT, SNN, ant_to_khabar, read_lines, unique_by_url

from khabar.storage.sqlite import SQLiteStore


@pytest.fixture(scope="session")
def ant_lines() -> list[str]:
    """40 real ANT lines with distinct urls and bodies."""
    return unique_by_url(read_lines(ANT, 60), "text")[:40]


@pytest.fixture(scope="session")
def snn_lines() -> list[str]:
    """40 real SaudiNewsNet lines with distinct urls and bodies."""
    return unique_by_url(read_lines(SNN, 60), "content")[:40]


@pytest.fixture(scope="session")
def khabar_records(ant_lines: list[str]) -> list[dict[str, Any]]:
    """30 real ANT articles in Khabar's import format."""
    return [ant_to_khabar(json.loads(line)) for line in ant_lines[:30]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "khabar.db"))
    yield s
    s.close()
