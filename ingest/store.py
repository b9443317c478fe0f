"""The one place that opens the DuckDB store for writing.

Importers build a complete, validated pandas frame in memory first and only then open the store,
so a bad file never touches it; the write itself is one transaction (all rows or none).
"""
from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from atlas.errors import StoreError
from atlas.paths import SCHEMA_SQL
from ingest.cells import H3_RESOLUTIONS, h3_cells, priogrid_gid
from ingest.cube import refresh_cube

SCHEMA_VERSION = "1"

# Columns an importer provides; the store derives h3_r*, priogrid_gid and imported_at itself.
EVENT_INPUT_COLUMNS = (
    "event_id", "source", "source_record_id", "event_date", "date_precision", "year", "lat", "lon",
    "geo_precision", "country_iso3", "admin1", "admin2", "location", "nexus_category", "crime_type",
    "classification_rule", "actor1", "actor2", "fatalities", "notes", "is_synthetic",
)
EVENT_DERIVED_COLUMNS = tuple(f"h3_r{r}" for r in H3_RESOLUTIONS) + ("priogrid_gid",)


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store; read-only connections are what the dashboard and the workers use."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"No store at {path}. Start the dashboard once (it builds the store) "
                         f"or run 'nexus-atlas build'.")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:  # most often: another process holds the write lock
        raise StoreError(f"Cannot open the store {path}: {exc}. Stop other Nexus Atlas processes "
                         f"that write to it and try again.") from exc


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute("insert or replace into store_meta values ('schema_version', ?)", [SCHEMA_VERSION])


@contextlib.contextmanager
def transaction(path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection inside one transaction: committed on success, rolled back on error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path)
    try:
        create_schema(con)
        con.execute("begin transaction")
        try:
            yield con
            refresh_cube(con)  # in the same transaction: the cube never disagrees with the events
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()


def cell_ids(lat: np.ndarray, lon: np.ndarray) -> dict[str, np.ndarray]:
    """EVENT_DERIVED_COLUMNS for coordinates: H3 r3-r6 and the PRIO-GRID cell."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    # h3ronpy releases the GIL: the four resolutions run side by side (a second per million events alone).
    with ThreadPoolExecutor(max_workers=2) as pool:
        cells = list(pool.map(lambda res: h3_cells(lat, lon, res), H3_RESOLUTIONS))
    ids = {f"h3_r{res}": c for res, c in zip(H3_RESOLUTIONS, cells)}
    ids["priogrid_gid"] = priogrid_gid(lat, lon)
    return ids


def with_cells(events: pd.DataFrame, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add the H3 and PRIO-GRID ids to a canonical event frame (vectorised). ``cells``, when given, holds
    them already (cell_ids of the same events, in the same order)."""
    missing = [c for c in EVENT_INPUT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"event frame lacks columns {missing}; importers must provide all of "
                         f"ingest.store.EVENT_INPUT_COLUMNS")
    out = events.loc[:, list(EVENT_INPUT_COLUMNS)].copy()
    if cells is None:
        cells = cell_ids(out["lat"].to_numpy("float64"), out["lon"].to_numpy("float64"))
    for name in EVENT_DERIVED_COLUMNS:
        out[name] = np.asarray(cells[name])
    return out


# Rows per Arrow batch handed to DuckDB: its row-group size. Whole row groups insert and commit in
# about 3.7 s per million events; one 1 M-row batch, or the ~20,000-row pieces a column read by the
# CSV parser comes in, take 6 s and more.
INSERT_BATCH_ROWS = 122_880


def event_table(events: pd.DataFrame, cells: pd.DataFrame | None = None) -> pa.Table:
    """The events with their cell ids as an Arrow table, the form upsert_events writes."""
    table = pa.Table.from_pandas(with_cells(events, cells), preserve_index=False)
    with ThreadPoolExecutor(max_workers=2) as pool:  # one contiguous array per column, so batches are whole
        columns = list(pool.map(lambda column: column.combine_chunks(), table.columns))
    table = pa.table(columns, schema=table.schema)
    return pa.Table.from_batches(table.to_batches(max_chunksize=INSERT_BATCH_ROWS), schema=table.schema)


def upsert_events(con: duckdb.DuckDBPyConnection, events: pd.DataFrame | pa.Table, *,
                  stored: int | None = None) -> tuple[int, int]:
    """Insert new events and replace revised ones (same event_id). Returns (inserted, updated).
    ``events`` is a canonical frame, or the table event_table made of one; ``stored``, if the caller
    has counted them, how many of its event ids the store holds already."""
    if len(events) == 0:
        return 0, 0
    table = events if isinstance(events, pa.Table) else event_table(events)
    # Registered as Arrow, not pandas: DuckDB scans Arrow columns without per-value conversion,
    # which makes a 1 M-row import about 4x faster (benchmarks/results.md).
    con.register("incoming_events", table)
    try:
        updated = stored if stored is not None else con.execute(
            "select count(*) from events e join incoming_events i using (event_id)").fetchone()[0]
        cols = ", ".join(table.column_names)
        if updated:  # (nothing to delete on a first import)
            con.execute("delete from events where event_id in (select event_id from incoming_events)")
        con.execute(f"insert into events ({cols}) select {cols} from incoming_events")
    finally:
        con.unregister("incoming_events")
    return len(table) - updated, updated


def upsert_source(con: duckdb.DuckDBPyConnection, *, source_id: str, title: str, citation: str,
                  licence: str, attribution: str, url: str | None = None,
                  is_synthetic: bool = False) -> None:
    """Record a dataset's citation and licence; row_count is refreshed from the events table."""
    con.execute("delete from sources where source_id = ?", [source_id])
    con.execute(
        "insert into sources (source_id, title, citation, licence, attribution, url, is_synthetic, row_count) "
        "values (?, ?, ?, ?, ?, ?, ?, (select count(*) from events where source = ?))",
        [source_id, title, citation, licence, attribution, url, is_synthetic, source_id])


def refresh_source_counts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update sources set row_count = (select count(*) from events e where e.source = sources.source_id)")


def empty_events_frame() -> pd.DataFrame:
    """A typed, empty canonical frame: importers and the generator start from its dtypes."""
    return pd.DataFrame({
        "event_id": pd.Series(dtype="string"), "source": pd.Series(dtype="string"),
        "source_record_id": pd.Series(dtype="string"), "event_date": pd.Series(dtype="datetime64[s]"),
        "date_precision": pd.Series(dtype="int8"), "year": pd.Series(dtype="int16"),
        "lat": pd.Series(dtype="float64"), "lon": pd.Series(dtype="float64"),
        "geo_precision": pd.Series(dtype="int8"), "country_iso3": pd.Series(dtype="string"),
        "admin1": pd.Series(dtype="string"), "admin2": pd.Series(dtype="string"),
        "location": pd.Series(dtype="string"), "nexus_category": pd.Series(dtype="string"),
        "crime_type": pd.Series(dtype="string"), "classification_rule": pd.Series(dtype="string"),
        "actor1": pd.Series(dtype="string"), "actor2": pd.Series(dtype="string"),
        "fatalities": pd.Series(dtype="int32"), "notes": pd.Series(dtype="string"),
        "is_synthetic": pd.Series(dtype="bool"),
    })


