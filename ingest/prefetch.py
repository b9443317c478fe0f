"""Parsing the first input file while the import command is still loading its libraries.

A command-line import spends ~0.4 s importing pandas and the rest before it reads anything, on one
core. Arrow parses a file on every core without holding the GIL, so the import commands start the
parse in a worker thread first (``parsing``) and ingest.arrow_csv takes the result (``take``).
Standard library only here, so that starting costs nothing; the worker imports pyarrow itself.
"""
from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

_pending: dict[Path, tuple[str, Future]] = {}


@contextlib.contextmanager
def parsing(path: Path | str, encoding: str, delimiter: str | None = None) -> Iterator[None]:
    """Parse ``path`` (ingest.arrow_csv.parse_plain) in a worker while the block runs, with ``delimiter``
    or the one the header suggests; a result not taken in it is dropped."""
    key = Path(path).resolve()
    pool = ThreadPoolExecutor(max_workers=1)
    _pending[key] = (encoding, pool.submit(_parse, key, encoding, delimiter))
    pool.shutdown(wait=False)
    try:
        yield
    finally:
        _pending.pop(key, None)


def _parse(path: Path, encoding: str, delimiter: str | None):
    from ingest import arrow_csv
    before = os.stat(path)
    delimiter = delimiter or arrow_csv.sniff_delimiter(path, encoding)
    parsed = arrow_csv.parse_plain(path, encoding, delimiter)
    return (before.st_size, before.st_mtime_ns), delimiter, parsed


def take(path: Path | str, encoding: str, delimiter: str) -> tuple[bool, object]:
    """(True, what parse_plain gave) when a parse of ``path`` with this encoding and delimiter was started
    and the file has not changed since; else (False, None). Taken once: the result is not kept."""
    key = Path(path).resolve()
    started = _pending.pop(key, None)
    if started is None or started[0] != encoding:
        return False, None
    try:
        stat, used, parsed = started[1].result()
        now = os.stat(key)
    except Exception:  # whatever went wrong there, reading the file again says it properly
        return False, None
    if used != delimiter or (now.st_size, now.st_mtime_ns) != stat or (parsed is not None and len(parsed[0]) != stat[0]):
        return False, None
    return True, parsed
