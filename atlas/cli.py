"""The `nexus-atlas` command line: one entry point, one sub-command per job.

Each sub-command lives next to the code it drives and registers itself through a
``register(subparsers)`` function listed in COMMAND_MODULES. Errors meant for people
(AtlasError) print as one line and exit 2; nothing prints a traceback unless --debug.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from atlas.errors import AtlasError
from atlas.settings import describe_settings

# Modules that provide register(subparsers). Order is the order --help lists them.
COMMAND_MODULES = (
    "atlas.commands",          # serve, build
    "ingest.event_commands",   # import-acled, import-ucdp, import-gtd, import-table, fetch-ucdp
    "ingest.geo_commands",     # import-boundaries, import-routes
    "atlas.scale_commands",    # serve-prod, export-parquet
    "atlas.export_commands",   # export, export-batch
)


def build_parser() -> argparse.ArgumentParser:
    settings_help = "\n".join(f"  {name:<26} {help_} (default: {default})"
                              for name, default, help_ in describe_settings())
    parser = argparse.ArgumentParser(
        prog="nexus-atlas",
        description="Nexus Atlas: map where terrorism and organized crime converge.",
        epilog="Settings (environment variables):\n" + settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except AtlasError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was committed by the interrupted step", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
