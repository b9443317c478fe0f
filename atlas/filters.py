"""Filter state as a frozen value: parsed and clamped from UI inputs or the URL, turned into SQL params.

The dashboard keeps it in the URL query string (so a link reproduces a view) and never in a
module-level global; queries receive it only through ``to_params()``.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

from atlas.paths import DATA_DIR

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
UNITS = ("h3", "priogrid", "admin")
# A drill-down selection: 'h3:<res>:<cell id>', 'priogrid:<gid>', 'country:<ISO3>' or
# 'admin:<boundary set>:<unit code>' (set names are [a-z0-9_]; unit codes are the importer's choice).
_SELECTION = re.compile(r"h3:[3-6]:\d{1,20}|priogrid:\d{1,6}|country:[A-Z]{3}|admin:[a-z0-9_]{1,64}:[^|:]{1,100}"
                        r"|corridor:[^|]{1,120}")
H3_CHOICES = (3, 4, 5, 6)


@lru_cache(maxsize=1)
def region_presets() -> dict[str, dict]:
    """Region presets from data/regions.json; the 'all' preset's empty list becomes the union."""
    raw = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["regions"]
    presets = {r["id"]: dict(r) for r in raw}
    union: list[str] = []
    for r in raw:
        for iso in r["countries"]:
            if iso not in union:
                union.append(iso)
    for r in presets.values():
        if not r["countries"]:
            r["countries"] = union
            r.setdefault("core", [c for p in raw for c in p.get("core", [])])
    return presets


def _tuple_of_str(value: Any, *, split_commas: bool = True) -> tuple[str, ...]:
    """A sorted tuple of distinct strings. Codes may come comma-joined; actor names may hold commas."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [value]
    if split_commas:
        value = [part for v in value for part in str(v).split(",")]
    return tuple(sorted({str(v).strip() for v in value if str(v).strip()}))


def _date(value: Any, default: date | None) -> date | None:
    if value in (None, ""):
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return default


def _selection(value: Any) -> str:
    value = str(value or "")
    return value if _SELECTION.fullmatch(value) else ""


def _int(value: Any, default: int, lo: int, hi: int) -> int:
    try:
        return min(hi, max(lo, int(value)))
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class FilterState:
    region: str = "all"
    crime_types: tuple[str, ...] = ()
    date_from: date | None = None          # None: from the first event
    date_to: date | None = None            # None: to the last event
    actors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_fatalities: int = 0
    max_geo_precision: int = 4
    unit: str = "h3"                       # h3 | priogrid | admin
    resolution: int = 4                    # H3 resolution when unit == 'h3'
    boundary_set: str = ""                 # imported boundary set when unit == 'admin'
    selection: str = ""                    # drill-down unit, see _SELECTION; '' = none

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> "FilterState":
        """Build from loose input (URL query values, UI values); unknown or bad values fall back to defaults."""
        d = cls()
        region = str(raw.get("region") or d.region)
        unit = str(raw.get("unit") or d.unit)
        date_from = _date(raw.get("date_from"), None)
        date_to = _date(raw.get("date_to"), None)
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        resolution = _int(raw.get("resolution"), d.resolution, min(H3_CHOICES), max(H3_CHOICES))
        return cls(
            region=region if region in region_presets() else d.region,
            crime_types=_tuple_of_str(raw.get("crime_types")),
            date_from=date_from,
            date_to=date_to,
            actors=_tuple_of_str(raw.get("actors"), split_commas=False),
            sources=_tuple_of_str(raw.get("sources")),
            min_fatalities=_int(raw.get("min_fatalities"), 0, 0, 100_000),
            max_geo_precision=_int(raw.get("max_geo_precision"), 4, 1, 4),
            unit=unit if unit in UNITS else d.unit,
            resolution=resolution,
            boundary_set=str(raw.get("boundary_set") or ""),
            selection=_selection(raw.get("selection")),
        )

    def replace(self, **changes) -> "FilterState":
        return dataclasses.replace(self, **changes)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(region_presets()[self.region]["countries"])

    def to_params(self) -> dict[str, Any]:
        """Parameters of the filtered_events macro (queries/macros/filtered_events.sql)."""
        return {
            "countries": list(self.countries),
            "crime_types": list(self.crime_types),
            "date_from": self.date_from or EARLIEST,
            "date_to": self.date_to or LATEST,
            "actors": list(self.actors),
            "sources": list(self.sources),
            "min_fatalities": self.min_fatalities,
            "max_geo_precision": self.max_geo_precision,
        }

    def to_selected_params(self) -> dict[str, Any]:
        """Parameters of the selected_events macro: the filters plus the drill-down unit."""
        kind, res, ident = "", 0, ""
        if self.selection:
            parts = self.selection.split(":")
            kind, ident = parts[0], parts[-1]
            if kind == "corridor":  # route ids may hold ':'; layers/selection.py resolves the events
                ident = self.selection.split(":", 1)[1]
            res = int(parts[1]) if kind == "h3" else 0
            if kind == "admin":
                ident = f"{parts[1]}|{parts[2]}"
        return {**self.to_params(), "sel_kind": kind, "sel_res": res, "sel_id": ident}

    def to_query(self) -> str:
        """URL query string holding only the values that differ from the defaults (short, stable links)."""
        d = FilterState()
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == getattr(d, f.name):
                continue
            if isinstance(value, tuple):
                value = list(value)  # repeated keys: names may contain commas
            elif isinstance(value, date):
                value = value.isoformat()
            out[f.name] = value
        return urlencode(out, doseq=True)

    @classmethod
    def from_query(cls, query: str) -> "FilterState":
        return cls.parse(query_values(query))


def query_values(query: str) -> dict[str, Any]:
    """Query string -> {key: value}, keeping repeated keys as lists."""
    out: dict[str, Any] = {}
    for key, value in parse_qsl((query or "").lstrip("?")):
        if key in out:
            out[key] = (out[key] if isinstance(out[key], list) else [out[key]]) + [value]
        else:
            out[key] = value
    return out
