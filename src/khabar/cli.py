"""The ``khabar`` command line. Each command group lives in :mod:`khabar.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from khabar.settings import load_settings

# Each module has ``register(subparsers)``; its commands get ``func(args, settings) -> int``.
COMMAND_MODULES = (
    "khabar.commands.core",
    "khabar.commands.extract",
    "khabar.commands.analyze",
    "khabar.commands.related",
    "khabar.commands.feeds",
    "khabar.commands.train",
    "khabar.commands.stories",
    "khabar.commands.batch",
    "khabar.commands.export",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khabar", description="Arabic news aggregation engine.")
    parser.add_argument(
        "--db", help="store: SQLite path or postgresql:// URL (default ./khabar.db, env KHABAR_DB)"
    )
    parser.add_argument("--config", help="TOML settings file (env KHABAR_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings(args.config, db=args.db)
    try:
        return args.func(args, settings)
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted; everything committed so far is kept, re-run to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
