"""Helpers shared by the importer tests: an empty store, its checksum, CLI runs, independent CSV reads."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from atlas.cli import main
from ingest.store import transaction

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def empty_store(path: Path) -> Path:
    """A store with the schema and no rows (so the CLI does not build the bundled data first)."""
    with transaction(path):
        pass
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_cli(*args) -> int:
    return main([str(a) for a in args])


def query(store: Path, sql: str, params=None):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def read_rows(path: Path, *, encoding: str = "utf-8", skip_hashtags: bool = True) -> list[dict[str, str]]:
    """The file's data rows read with the csv module alone (lower-cased names), independent of the importer."""
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        rows = [dict(zip(header, r)) for r in reader if any(v.strip() for v in r)]
    if skip_hashtags and rows and all(v.startswith("#") for v in rows[0].values() if v and not v.isdigit()):
        rows = rows[1:]
    return rows
