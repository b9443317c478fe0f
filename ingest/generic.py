"""Any other event table (CSV, Parquet, GeoJSON points) through a column mapping.

A mapping names, for each canonical field, the column of the file that holds it:

    {
      "source_id": "osac",                       optional here, or --source-id
      "title": "...", "licence": "...", "citation": "...", "attribution": "...", "url": "...",
      "fields": {
        "id": "event_id", "date": "event_date", "date_format": "%d/%m/%Y",
        "lat": "latitude", "lon": "longitude",   (GeoJSON: omit them to use the point geometry)
        "country": "country", "admin1": "admin1", "location": "place",
        "actor1": "perpetrator", "actor2": "target", "fatalities": "killed", "notes": "description",
        "crime_type": "category",                (taxonomy codes, or values mapped by crime_type_values)
        "event_type": "type", "sub_event_type": "subtype", "attack_type": "attack"
      },
      "crime_type_values": {"Kidnapping": "kidnapping_for_ransom"},
      "defaults": {"geo_precision": 2, "date_precision": 1}
    }

Only date and coordinates are required. Without an id column, each row's id is a hash of its
values, so importing the same file again updates rather than duplicates. Rows without a crime type
are classified by data/classification_rules.csv (rules with a blank source apply to every table).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from atlas.errors import InputError
from atlas.taxonomy import crime_types_by_code
from ingest import countries
from ingest.classify import actor_kind_from_names, empty_facts
from ingest.event_import import SourceInfo, assemble, raw_values
from ingest.readers import RawTable, normalise_column, read_csv_table, read_geojson_table, read_parquet_table
from ingest.report import FileReport
from ingest.values import DATE_FORMATS, RowChecks, check_coordinates, check_date, parse_count, parse_number, \
    per_distinct, tidy

FIELDS = ("id", "date", "lat", "lon", "date_precision", "geo_precision", "country", "country_iso3", "admin1",
          "admin2", "location", "actor1", "actor2", "fatalities", "notes", "crime_type", "event_type",
          "sub_event_type", "attack_type")
OPTIONS = ("date_format",)
RESERVED_SOURCES = ("synthetic",)
SOURCE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def load_mapping(path: Path | None, pairs: list[str] | None) -> dict:
    """Read a mapping file and/or --map column=field pairs (pairs win)."""
    mapping: dict = {"fields": {}}
    if path is not None:
        path = Path(path)
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("mapping file not found", file=str(path)) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"the mapping is not valid JSON ({exc.msg})", file=str(path), row=exc.lineno) from None
        if not isinstance(mapping, dict) or not isinstance(mapping.get("fields", {}), dict):
            raise InputError("the mapping must be a JSON object with a 'fields' object", file=str(path))
        mapping.setdefault("fields", {})
    for pair in pairs or []:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise InputError(f"--map '{pair}' must look like column=field, e.g. --map event_date=date")
        mapping["fields"][field.strip()] = column.strip()
    unknown = [f for f in mapping["fields"] if f not in FIELDS + OPTIONS]
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(unknown)} in the mapping; the fields are: "
                         f"{', '.join(FIELDS + OPTIONS)}", file=str(path) if path else None)
    return mapping


def source_info(mapping: dict, *, source_id: str | None, title: str | None, licence: str | None,
                citation: str | None = None, attribution: str | None = None, url: str | None = None) -> SourceInfo:
    sid = source_id or mapping.get("source_id")
    if not sid:
        raise InputError("give the dataset a --source-id (short lower-case name, e.g. 'osac'); event ids are "
                         "'<source-id>:<row id>'")
    if not SOURCE_ID.match(sid) or sid in RESERVED_SOURCES:
        raise InputError(f"--source-id '{sid}' must be lower case letters, digits, '_' or '-' (up to 40), "
                         f"starting with a letter, and not {', '.join(RESERVED_SOURCES)}")
    title = title or mapping.get("title")
    licence = licence or mapping.get("licence")
    if not title or not licence:
        raise InputError("give --title and --licence (or 'title' and 'licence' in the mapping): the map shows "
                         "every source's name and terms")
    citation = citation or mapping.get("citation") or title
    attribution = attribution or mapping.get("attribution") or title
    return SourceInfo(sid, title, citation, licence, attribution, url or mapping.get("url"))


def read_table(path: Path | str, *, encoding: str = "utf-8-sig", delimiter: str | None = None,
               progress: bool = True) -> RawTable:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return read_parquet_table(path)
    if suffix in (".geojson", ".json"):
        return read_geojson_table(path, encoding=encoding)
    return read_csv_table(path, encoding=encoding, delimiter=delimiter, progress=progress)


def read(path: Path | str, mapping: dict, source: SourceInfo, *, encoding: str = "utf-8-sig",
         delimiter: str | None = None, progress: bool = True) -> FileReport:
    return parse(read_table(path, encoding=encoding, delimiter=delimiter, progress=progress), mapping, source)


def parse(table: RawTable, mapping: dict, source: SourceInfo) -> FileReport:
    fields = {k: v for k, v in mapping["fields"].items() if k in FIELDS}
    defaults = mapping.get("defaults", {})
    has_geometry = table.has("__geometry_lat") or table.has("__geometry_type")
    if has_geometry:
        fields.setdefault("lat", "__geometry_lat")
        fields.setdefault("lon", "__geometry_lon")
    for needed in ("date", "lat", "lon"):
        if needed not in fields:
            raise InputError(f"the mapping gives no column for '{needed}' (required); add it with "
                             f"--map <column>={needed} or in the mapping's 'fields'", file=table.name)
    columns = {}
    for field, column in fields.items():
        norm = normalise_column(column)
        if not table.has(norm):
            if field in ("lat", "lon") and has_geometry:
                norm = f"__geometry_{field}"
            else:
                raise InputError(f"the mapping says '{field}' is in column '{column}', but the file has no such "
                                 f"column (columns: {', '.join(list(table.original_columns.values())[:12])})",
                                 file=table.name, row=1, column=column)
        columns[field] = norm

    def col(field: str) -> pd.Series:
        return table.column(columns[field]) if field in columns else pd.Series("", index=table.frame.index)

    checks = RowChecks(table.frame.index)
    if has_geometry and "__geometry_type" in table.frame.columns:
        gtype = table.column("__geometry_type")
        checks.add((gtype != "") & (gtype != "Point"), "geometry",
                   lambda m: "the geometry is a " + gtype[m] + ", not a Point: only point events can be imported",
                   "geometry is not a Point")
    lat, lon = check_coordinates(checks, col("lat"), col("lon"), lat_column=fields["lat"],
                                 lon_column=fields["lon"])
    date_format = mapping["fields"].get("date_format") or mapping.get("date_format")
    dates = check_date(checks, col("date"), fields["date"], (date_format,) if date_format else DATE_FORMATS)
    if "id" in columns:
        record_id = col("id")
        checks.add(record_id == "", fields["id"], "no id in this row", "no id")
    else:
        record_id = raw_values(table, table.frame.index).map(
            lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest()[:16])
    fatalities, bad_fat = parse_count(col("fatalities"))
    if "fatalities" in columns:
        checks.add(bad_fat, fields["fatalities"],
                   lambda m: "fatalities " + col("fatalities")[m] + " is not a whole number >= 0",
                   "fatalities not a whole number")
    date_precision = _precision(col("date_precision"), defaults.get("date_precision", 1), (1, 2, 3, 4))
    geo_precision = _precision(col("geo_precision"), defaults.get("geo_precision", 2), (1, 2, 3, 4))
    iso3 = countries.best_iso3(countries.valid_iso3(col("country_iso3")), countries.iso3_from_names(col("country")))
    crime, notes = _crime_types(col("crime_type"), mapping.get("crime_type_values", {}),
                                defaults.get("crime_type"))
    actor1, actor2 = tidy(col("actor1")), tidy(col("actor2"))
    facts = empty_facts(table.frame.index)
    facts["event_type"] = tidy(col("event_type"))
    facts["sub_event_type"] = tidy(col("sub_event_type"))
    facts["attack_type"] = tidy(col("attack_type"))
    facts["actors"] = actor1 + " | " + actor2
    facts["actor1_kind"] = actor_kind_from_names(actor1)
    facts["text"] = col("notes")
    canonical = {
        "event_date": dates, "date_precision": date_precision, "lat": lat, "lon": lon,
        "geo_precision": geo_precision, "country_iso3": iso3, "admin1": tidy(col("admin1")),
        "admin2": tidy(col("admin2")), "location": tidy(col("location")), "actor1": actor1, "actor2": actor2,
        "fatalities": fatalities, "notes": col("notes"),
    }
    return assemble(table, checks, source, canonical, facts, record_ids=record_id, crime_override=crime,
                    notes=notes)


def _precision(text: pd.Series, default, allowed) -> pd.Series:
    values, _ = parse_number(text)
    return values.where(values.isin(list(allowed)), int(default))


def _crime_types(text: pd.Series, value_map: dict, default: str | None) -> tuple[pd.Series, list[str]]:
    codes = crime_types_by_code()
    bad_targets = [v for v in list(value_map.values()) + ([default] if default else []) if v not in codes]
    if bad_targets:
        raise InputError(f"crime type(s) {', '.join(map(str, bad_targets))} in the mapping are not codes of "
                         f"data/taxonomy.csv ({', '.join(codes)})")
    mapped = per_distinct(lambda t: t.map(lambda v: value_map.get(v, v if v in codes else "")), text)
    if default:
        mapped = mapped.where(mapped != "", default)
    unknown = sorted(set(text[(text != "") & (mapped == "")]))
    notes = [f"crime type values not recognised, classified by the rules instead: {', '.join(unknown[:10])}"] \
        if unknown else []
    return mapped, notes
