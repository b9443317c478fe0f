"""Export the store as Parquet: events partitioned by region and year (hive layout), other tables one file each.

    DIR/events/region=sahel/year=2023/data_0.parquet
    DIR/events/region=horn/year=2023/data_0.parquet
    DIR/sources.parquet, DIR/routes.parquet, DIR/boundaries.parquet, ...
    DIR/manifest.json   (row counts, schema version, partition layout)

queries/parquet.py opens such a directory (or the same layout on object storage) as a DuckDB
connection whose views carry the store's table names, so queries/*.sql run over it unchanged.
A country's region is the first preset in data/regions.json that lists it (Sudan, listed by the Sahel
and the Horn, goes to the Sahel); countries in no preset go to region=other.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from atlas.errors import InputError
from atlas.filters import region_presets
from ingest.store import SCHEMA_VERSION, connect

EVENTS_DIR = "events"
OTHER_REGION = "other"
OTHER_TABLES = ("sources", "routes", "areas", "boundaries", "event_units", "activities", "evidence", "store_meta")
MANIFEST = "manifest.json"


def country_regions() -> dict[str, str]:
    """ISO3 -> the region partition its events go to."""
    out: dict[str, str] = {}
    for region_id, preset in region_presets().items():
        if region_id == "all":
            continue
        for iso in preset["countries"]:
            out.setdefault(iso, region_id)
    return out


def _table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from information_schema.tables "
                                      "where table_schema = 'main'").fetchall()}


def export_parquet(store_path: Path | str, out_dir: Path | str, *, overwrite: bool = False) -> dict:
    """Write the store's tables under ``out_dir``; returns the manifest (row counts per table)."""
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise InputError(f"{out} is not empty; choose an empty folder or pass --overwrite to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    con = connect(store_path, read_only=True)
    try:
        present = _table_names(con)
        if "events" not in present:
            raise InputError(f"{store_path} has no events table; is it a Nexus Atlas store?")
        regions = country_regions()
        con.execute("create temp table export_regions (country_iso3 varchar, region varchar)")
        con.executemany("insert into export_regions values (?, ?)", sorted(regions.items()))
        # ZSTD and 256k-row groups: compact files whose per-group min/max let DuckDB skip dates outside a filter.
        con.execute(f"""
            copy (
                select e.*, coalesce(r.region, '{OTHER_REGION}') as region
                from events e left join export_regions r using (country_iso3)
                order by region, year, event_date, event_id
            ) to '{_sql_path(out / EVENTS_DIR)}'
            (format parquet, partition_by (region, year), compression zstd, row_group_size 262144)""")
        counts = {"events": con.execute("select count(*) from events").fetchone()[0]}
        for table in OTHER_TABLES:
            if table not in present:
                continue
            con.execute(f"copy (select * from {table}) to '{_sql_path(out / (table + '.parquet'))}' "
                        f"(format parquet, compression zstd)")
            counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
        partitions = con.execute(f"select region, year, count(*) from events e left join export_regions r "
                                 f"using (country_iso3) group by all order by all").fetchall()
    finally:
        con.close()
    manifest = {"schema_version": SCHEMA_VERSION, "layout": f"{EVENTS_DIR}/region=<region>/year=<year>/*.parquet",
                "row_counts": counts,
                "partitions": [{"region": r or OTHER_REGION, "year": int(y), "events": int(n)} for r, y, n in partitions]}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
