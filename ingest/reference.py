"""The bundled reference data: country outlines, corridors, zones, response activities, evidence.

The files live in data/ (their provenance is in data/README.md). Each is read and checked here
before anything is written, so a broken file stops the build with a message naming the file, the
row and the column, and leaves the store untouched. `load_reference(con)` writes everything inside
the caller's transaction (ingest.store.transaction). The `load_*_gdf()` helpers give other modules
the same checked GeoDataFrames without a store.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from atlas.errors import InputError
from atlas.paths import DATA_DIR
from atlas.taxonomy import crime_type_codes
from ingest.store import upsert_source

BOUNDARIES_FILE = DATA_DIR / "boundaries_admin0.parquet"
CORRIDORS_FILE = DATA_DIR / "corridors.geojson"
ZONES_FILE = DATA_DIR / "zones.geojson"
ACTIVITIES_FILE = DATA_DIR / "activities.csv"
EVIDENCE_FILE = DATA_DIR / "evidence.csv"
SOURCES_FILE = DATA_DIR / "sources.csv"

ADMIN0_SET = "natural_earth_admin0"   # boundary_set and source id of the bundled country outlines
CORRIDORS_SOURCE = "reference_corridors"  # source id of corridors and zones
CONFIDENCE_LEVELS = ("high", "medium", "low")
AREA_KINDS = ("region", "zone")
ACTIVITY_KINDS = ("training", "workshop", "conference", "project", "meeting")
REGION_IDS = ("sahel", "horn", "central_asia")
# Outlines in the boundaries file that are no country: Natural Earth's code for the Siachen Glacier,
# disputed between India and Pakistan (data/README.md). Their boundaries rows have no country_iso3.
NON_COUNTRY_UNITS = frozenset({"KAS"})

_ISO3 = re.compile(r"[A-Z]{3}")
_ID = re.compile(r"[a-z0-9_]+")

ACTIVITY_COLUMNS = ("activity_id", "title", "kind", "start_date", "end_date", "place", "country_iso3", "lat", "lon",
                    "summary", "document", "document_date", "source")
EVIDENCE_COLUMNS = ("evidence_id", "statement", "country_iso3", "area_id", "region", "crime_type", "document",
                    "document_date", "source")
SOURCE_COLUMNS = ("source_id", "title", "citation", "licence", "attribution", "url", "is_synthetic")
ROUTE_PROPERTIES = ("route_id", "name", "commodity", "crime_type", "source_citation", "confidence")
AREA_PROPERTIES = ("area_id", "name", "kind", "description", "source_citation", "confidence")


# --- geometry files ---------------------------------------------------------------------------

def _check_geometries(gdf: gpd.GeoDataFrame, path: Path, *, id_column: str, allowed: tuple[str, ...]) -> None:
    if gdf.crs is None:
        raise InputError("has no coordinate reference system; write it with EPSG:4326 "
                         "(GeoDataFrame.set_crs('EPSG:4326')).", file=path.name)
    if gdf.crs.to_epsg() != 4326:
        raise InputError(f"is in {gdf.crs.to_string()}, expected EPSG:4326 (longitude/latitude); "
                         f"reproject it with GeoDataFrame.to_crs('EPSG:4326').", file=path.name)
    for i, (key, geom) in enumerate(zip(gdf[id_column], gdf.geometry), start=1):
        where = f"feature {i} ({id_column} '{key}')"
        if geom is None or geom.is_empty:
            raise InputError(f"{where} has no geometry.", file=path.name)
        if geom.geom_type not in allowed:
            raise InputError(f"{where} is a {geom.geom_type}; expected {' or '.join(allowed)}.", file=path.name)
        if not geom.is_valid:
            raise InputError(f"{where} has invalid geometry ({shapely.is_valid_reason(geom)}); "
                             f"repair it with shapely.make_valid.", file=path.name)


def _check_required(frame: pd.DataFrame, path: Path, columns: tuple[str, ...], *, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"lacks the {what} {', '.join(missing)}; expected {', '.join(columns)}.", file=path.name)


def _check_unique(values: pd.Series, path: Path, column: str, *, csv_rows: bool = False) -> None:
    dup = values.duplicated().to_numpy()
    if dup.any():
        i = int(dup.argmax())
        raise InputError(f"{column} '{values.iloc[i]}' appears more than once; ids must be unique.",
                         file=path.name, row=_line(i) if csv_rows else None, column=column)


@lru_cache(maxsize=4)
def _read_boundaries(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise InputError("is missing; rebuild it with `.venv/bin/python data/build_boundaries.py`.", file=str(path))
    gdf = gpd.read_parquet(path)
    _check_required(gdf, path, ("iso3", "name", "geometry"), what="columns")
    _check_unique(gdf["iso3"], path, "iso3")
    _check_geometries(gdf, path, id_column="iso3", allowed=("Polygon", "MultiPolygon"))
    return gdf


def load_boundaries_gdf(path: Path | str = BOUNDARIES_FILE) -> gpd.GeoDataFrame:
    """Country outlines: iso3, name, name_fr, geometry (EPSG:4326, valid polygons)."""
    return _read_boundaries(Path(path)).copy()


def _read_features(path: Path, properties: tuple[str, ...], id_column: str) -> gpd.GeoDataFrame:
    if not path.exists():
        raise InputError("is missing.", file=str(path))
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputError(f"cannot be read as GeoJSON ({exc}).", file=path.name) from exc
    _check_required(gdf, path, properties, what="properties")
    for column in properties:
        blank = gdf[column].isna() | (gdf[column].astype(str).str.strip() == "")
        if blank.any():
            i = int(blank.to_numpy().argmax()) + 1
            raise InputError(f"feature {i} has an empty '{column}'; every feature needs one.", file=path.name,
                             column=column)
    bad_id = ~gdf[id_column].astype(str).str.fullmatch(_ID.pattern)
    if bad_id.any():
        raise InputError(f"{id_column} '{gdf[id_column][bad_id].iloc[0]}' must be lower-case letters, digits and _.",
                         file=path.name, column=id_column)
    _check_unique(gdf[id_column], path, id_column)
    bad = ~gdf["confidence"].isin(CONFIDENCE_LEVELS)
    if bad.any():
        raise InputError(f"confidence '{gdf['confidence'][bad].iloc[0]}' is not one of {', '.join(CONFIDENCE_LEVELS)}.",
                         file=path.name, column="confidence")
    return gdf


def load_corridors_gdf(path: Path | str = CORRIDORS_FILE) -> gpd.GeoDataFrame:
    """Documented corridors: route_id, name, commodity, crime_type, source_citation, confidence, waypoints."""
    path = Path(path)
    gdf = _read_features(path, ROUTE_PROPERTIES, "route_id")
    codes = set(crime_type_codes())
    bad = ~gdf["crime_type"].isin(codes)
    if bad.any():
        raise InputError(f"crime_type '{gdf['crime_type'][bad].iloc[0]}' is not a code of data/taxonomy.csv.",
                         file=path.name, column="crime_type")
    _check_geometries(gdf, path, id_column="route_id", allowed=("LineString", "MultiLineString"))
    return gdf


def load_zones_gdf(path: Path | str = ZONES_FILE) -> gpd.GeoDataFrame:
    """Regions and named zones: area_id, name, kind, description, source_citation, confidence."""
    path = Path(path)
    gdf = _read_features(path, AREA_PROPERTIES, "area_id")
    bad = ~gdf["kind"].isin(AREA_KINDS)
    if bad.any():
        raise InputError(f"kind '{gdf['kind'][bad].iloc[0]}' is not one of {', '.join(AREA_KINDS)}.",
                         file=path.name, column="kind")
    _check_geometries(gdf, path, id_column="area_id", allowed=("Polygon", "MultiPolygon"))
    return gdf


# --- tables -----------------------------------------------------------------------------------

def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise InputError("is missing.", file=str(path))
    with open(path, encoding="utf-8", newline="") as fh:
        frame = pd.DataFrame(list(csv.DictReader(fh)))
    if frame.empty:
        raise InputError(f"has no rows; expected a header ({', '.join(columns)}) and at least one row.",
                         file=path.name)
    _check_required(frame, path, columns, what="columns")
    return frame.fillna("").map(str.strip)


def _line(i: int) -> int:
    return i + 2  # header is line 1, the first data row line 2


def _required(frame: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    for column in columns:
        blank = frame[column] == ""
        if blank.any():
            raise InputError(f"'{column}' is empty; it is required.", file=path.name,
                             row=_line(int(blank.to_numpy().argmax())), column=column)


def _dates(frame: pd.DataFrame, path: Path, column: str, *, optional: bool = False) -> pd.Series:
    out = []
    for i, text in enumerate(frame[column]):
        if optional and text == "":
            out.append(None)
            continue
        try:
            out.append(dt.date.fromisoformat(text))
        except ValueError:
            raise InputError(f"'{text}' is not a date; write it as YYYY-MM-DD.", file=path.name, row=_line(i),
                             column=column) from None
    return pd.Series(out, index=frame.index, dtype=object)


def _coordinates(frame: pd.DataFrame, path: Path) -> None:
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        for i, text in enumerate(frame[column]):
            try:
                value = float(text)
            except ValueError:
                raise InputError(f"'{text}' is not a number.", file=path.name, row=_line(i), column=column) from None
            if not -limit <= value <= limit:
                raise InputError(f"{value} is outside -{limit:g}..{limit:g}; are lat and lon swapped?",
                                 file=path.name, row=_line(i), column=column)
        frame[column] = frame[column].astype(float)


def _allowed(frame: pd.DataFrame, path: Path, column: str, allowed, *, optional: bool = False,
             hint: str | None = None) -> None:
    for i, value in enumerate(frame[column]):
        if optional and value == "":
            continue
        if value not in allowed:
            choices = hint or ", ".join(sorted(allowed))
            raise InputError(f"'{value}' is not allowed here; use one of: {choices}.", file=path.name,
                             row=_line(i), column=column)


def _iso3(frame: pd.DataFrame, path: Path) -> None:
    for i, value in enumerate(frame["country_iso3"]):
        if value and not _ISO3.fullmatch(value):
            raise InputError(f"'{value}' is not an ISO 3166 alpha-3 code (three capital letters).", file=path.name,
                             row=_line(i), column="country_iso3")


def load_activities(path: Path | str = ACTIVITIES_FILE) -> pd.DataFrame:
    """Response activities the UN texts report, one row per dated, placed activity."""
    path = Path(path)
    frame = _read_csv(path, ACTIVITY_COLUMNS)
    _required(frame, path, ("activity_id", "title", "kind", "start_date", "place", "lat", "lon", "summary",
                            "document", "document_date", "source"))
    _check_unique(frame["activity_id"], path, "activity_id", csv_rows=True)
    _allowed(frame, path, "kind", ACTIVITY_KINDS)
    _iso3(frame, path)
    _coordinates(frame, path)
    frame["start_date"] = _dates(frame, path, "start_date")
    frame["end_date"] = _dates(frame, path, "end_date", optional=True)
    frame["document_date"] = _dates(frame, path, "document_date")
    for i, (start, end) in enumerate(zip(frame["start_date"], frame["end_date"])):
        if end is not None and end < start:
            raise InputError(f"end_date {end} is before start_date {start}.", file=path.name, row=_line(i),
                             column="end_date")
    frame["country_iso3"] = frame["country_iso3"].replace("", None)
    return frame


def load_evidence(path: Path | str = EVIDENCE_FILE, *, area_ids: set[str] | None = None) -> pd.DataFrame:
    """Sourced statements tying crime markets to places. ``area_ids``: the zone ids area_id may name."""
    path = Path(path)
    frame = _read_csv(path, EVIDENCE_COLUMNS)
    _required(frame, path, ("evidence_id", "statement", "document", "document_date", "source"))
    _check_unique(frame["evidence_id"], path, "evidence_id", csv_rows=True)
    _iso3(frame, path)
    _allowed(frame, path, "region", REGION_IDS, optional=True)
    _allowed(frame, path, "crime_type", set(crime_type_codes()), optional=True, hint="a code of data/taxonomy.csv")
    if area_ids is not None:
        _allowed(frame, path, "area_id", area_ids, optional=True, hint="an area_id of data/zones.geojson")
    frame["document_date"] = _dates(frame, path, "document_date")
    for column in ("country_iso3", "area_id", "region", "crime_type"):
        frame[column] = frame[column].replace("", None)
    return frame


def load_sources(path: Path | str = SOURCES_FILE) -> pd.DataFrame:
    """One citation row per bundled dataset (what the map must credit)."""
    path = Path(path)
    frame = _read_csv(path, SOURCE_COLUMNS)
    _required(frame, path, ("source_id", "title", "citation", "licence", "attribution", "is_synthetic"))
    _check_unique(frame["source_id"], path, "source_id", csv_rows=True)
    _allowed(frame, path, "is_synthetic", ("true", "false"))
    frame["is_synthetic"] = frame["is_synthetic"] == "true"
    frame["url"] = frame["url"].replace("", None)
    return frame


# --- the store --------------------------------------------------------------------------------

def _known_sources(frame: pd.DataFrame, path: Path, sources: set[str]) -> None:
    _allowed(frame, path, "source", sources, hint=f"a source_id of {SOURCES_FILE.name} ({', '.join(sorted(sources))})")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("incoming_reference", frame)
    try:
        cols = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({cols}) select {cols} from incoming_reference")
    finally:
        con.unregister("incoming_reference")


def load_reference(con: duckdb.DuckDBPyConnection, *, data_dir: Path | str | None = None) -> dict[str, int]:
    """Write every bundled reference file into the store, inside the caller's transaction.

    Everything is read and checked first; rows from an earlier load of the same sources are then
    replaced. Returns the number of rows written per table.
    """
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    sources = load_sources(d / SOURCES_FILE.name)
    source_ids = set(sources["source_id"])
    for needed in (ADMIN0_SET, CORRIDORS_SOURCE):
        if needed not in source_ids:
            raise InputError(f"has no row for source_id '{needed}', which the bundled layers cite.",
                             file=SOURCES_FILE.name, column="source_id")
    boundaries = load_boundaries_gdf(d / BOUNDARIES_FILE.name)
    corridors = load_corridors_gdf(d / CORRIDORS_FILE.name)
    zones = load_zones_gdf(d / ZONES_FILE.name)
    activities = load_activities(d / ACTIVITIES_FILE.name)
    evidence = load_evidence(d / EVIDENCE_FILE.name, area_ids=set(zones["area_id"]))
    _known_sources(activities, d / ACTIVITIES_FILE.name, source_ids)
    _known_sources(evidence, d / EVIDENCE_FILE.name, source_ids)

    tables = {
        "boundaries": pd.DataFrame({
            "boundary_set": ADMIN0_SET, "level": pd.Series(0, index=boundaries.index, dtype="int8"),
            "unit_code": boundaries["iso3"].astype(str),
            "name": boundaries["name"].astype(str),
            "country_iso3": [None if c in NON_COUNTRY_UNITS else c for c in boundaries["iso3"]],
            "parent_code": None, "source": ADMIN0_SET,
            "geometry_wkb": list(shapely.to_wkb(boundaries.geometry.values)),
        }),
        "routes": pd.DataFrame({
            **{c: corridors[c].astype(str) for c in ROUTE_PROPERTIES}, "source": CORRIDORS_SOURCE,
            "geometry_wkb": list(shapely.to_wkb(corridors.geometry.values)),
        }),
        "areas": pd.DataFrame({
            **{c: zones[c].astype(str) for c in AREA_PROPERTIES}, "source": CORRIDORS_SOURCE,
            "geometry_wkb": list(shapely.to_wkb(zones.geometry.values)),
        }),
        "activities": activities.loc[:, list(ACTIVITY_COLUMNS)],
        "evidence": evidence.loc[:, list(EVIDENCE_COLUMNS)],
    }

    con.execute("delete from boundaries where boundary_set = ?", [ADMIN0_SET])
    con.execute("delete from routes where source = ? or route_id in (select unnest(?::varchar[]))",
                [CORRIDORS_SOURCE, list(tables["routes"]["route_id"])])
    con.execute("delete from areas where source = ? or area_id in (select unnest(?::varchar[]))",
                [CORRIDORS_SOURCE, list(tables["areas"]["area_id"])])
    for table, key in (("activities", "activity_id"), ("evidence", "evidence_id")):
        frame = tables[table]
        con.execute(f"delete from {table} where source in (select unnest(?::varchar[])) "
                    f"or {key} in (select unnest(?::varchar[]))",
                    [sorted(set(frame["source"])), list(frame[key])])
    for table, frame in tables.items():
        _insert(con, table, frame)
    for row in sources.to_dict("records"):
        upsert_source(con, **{c: row[c] for c in SOURCE_COLUMNS})
    return {table: len(frame) for table, frame in tables.items()} | {"sources": len(sources)}

