"""Running the installed ``khabar`` command, as a user would, in the CLI tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

KHABAR_BIN = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "khabar"


def khabar(db: Path | None, *args: str, env: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``khabar [--db DB] ARGS…`` with its output captured; ``env`` adds to the environment.
    A wide console: rich wraps stderr at 80 columns when it is not a terminal."""
    cmd = [str(KHABAR_BIN), *(["--db", str(db)] if db is not None else []), *args]
    full_env = {**os.environ, "COLUMNS": "300", **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=full_env)
