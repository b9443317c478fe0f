"""Run queries/*.sql over a Parquet export of the store (ingest/parquet_export.py).

connect_parquet(location) returns an in-memory DuckDB connection with one view per store table,
named like the table and with the same columns and types, so ``queries.run(con, name, params)``
works unchanged. ``location`` is a local folder or, with DuckDB's httpfs extension loaded and
credentials set, a URL prefix such as s3://bucket/nexus-atlas (see docs/scaling.md).
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from atlas.errors import StoreError
from atlas.paths import EVENT_CUBE_SQL, SCHEMA_SQL
from queries import ReadOnlyStore, install_macros

EVENTS_GLOB = "events/*/*/*.parquet"


def _schema_columns() -> dict[str, list[tuple[str, str]]]:
    """Column names and types of every store table, read from the schema file itself."""
    scratch = duckdb.connect()
    try:
        scratch.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        rows = scratch.execute("select table_name, column_name, data_type from information_schema.columns "
                               "order by table_name, ordinal_position").fetchall()
    finally:
        scratch.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_parquet(location: Path | str, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose views (events, sources, routes, ...) read the Parquet export."""
    remote = isinstance(location, str) and "://" in location
    base = location.rstrip("/") if remote else str(Path(location).resolve())
    if not remote and not (Path(base) / "events").is_dir():
        raise StoreError(f"No Parquet export at {base} (no events/ folder). "
                         f"Create one with 'nexus-atlas export-parquet --out {base}'.")
    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    for table, columns in _schema_columns().items():
        if table == "event_cube":
            continue  # derived: built below from the events read here, so it always matches them
        select = ", ".join(f"cast({name} as {dtype}) as {name}" for name, dtype in columns)
        if table == "events":
            source = (f"read_parquet({_quote(base + '/' + EVENTS_GLOB)}, hive_partitioning = true, "
                      f"hive_types = {{'region': varchar, 'year': smallint}})")
        else:
            path = f"{base}/{table}.parquet"
            if not remote and not Path(path).exists():
                con.execute(f"create view {table} as select {select} from (select "
                            + ", ".join(f"null::{dtype} as {name}" for name, dtype in columns) + ") where false")
                continue
            source = f"read_parquet({_quote(path)})"
        con.execute(f"create view {table} as select {select} from {source}")
    # the per-month pre-aggregate the overview queries read (ingest/schema.sql), in this process's memory
    con.execute("create table event_cube as " + EVENT_CUBE_SQL.read_text(encoding="utf-8"))
    install_macros(con)
    return con


def is_parquet_export(location: Path | str) -> bool:
    """True for a folder written by 'nexus-atlas export-parquet' (it holds manifest.json) or an object-store URL."""
    if isinstance(location, str) and "://" in location:
        return True
    return Path(location).is_dir() and (Path(location) / "manifest.json").exists()


class ParquetStore(ReadOnlyStore):
    """queries.ReadOnlyStore over a Parquet export, so the dashboard serves from shared Parquet files
    exactly as it does from the store file (a cursor shares the views; the macros are per cursor)."""

    def __init__(self, location: Path | str):
        self.path = location
        self._con = connect_parquet(location)
        self._cube_current = True
