"""Small hand-made stores and grids for the analysis layer tests (hot spots, trends, nexus, corridors).

Everything is generated from seeds here; no bundled or licensed data is needed.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import shapely

from ingest.cells import h3_cells
from ingest.store import create_schema, upsert_events
from layers.neighbours import h3_neighbours, h3_study_area

# A point in central Niger; every synthetic layer test sits around it.
CENTRE_LAT, CENTRE_LON = 16.0, 8.0


def hex_grid(*, resolution: int = 5, radius: int = 12, lat: float = CENTRE_LAT, lon: float = CENTRE_LON):
    """A hexagonal patch of H3 cells (radius rings around a centre) with k = 1 neighbours.
    Returns (neighbours, centre cell, positions of the centre and its 6 neighbours)."""
    centre = h3_cells(np.array([lat]), np.array([lon]), resolution)
    nb = h3_neighbours(h3_study_area(centre, margin=radius), k=1)
    cluster = np.searchsorted(nb.ids, h3_study_area(centre, margin=1))
    return nb, int(centre[0]), cluster


def events_frame(rows: list[dict]) -> pd.DataFrame:
    """Canonical events from short dicts holding lat, lon, event_date, nexus_category (others defaulted)."""
    out = []
    for i, r in enumerate(rows):
        date = pd.Timestamp(r["event_date"])
        out.append({
            "event_id": f"test:{i}", "source": "test", "source_record_id": str(i), "event_date": date,
            "date_precision": 1, "year": date.year, "lat": float(r["lat"]), "lon": float(r["lon"]),
            "geo_precision": 1, "country_iso3": r.get("country_iso3", "NER"), "admin1": None, "admin2": None,
            "location": None, "nexus_category": r.get("nexus_category", "terrorism"),
            "crime_type": r.get("crime_type", "armed_attack"), "classification_rule": "test",
            "actor1": None, "actor2": None, "fatalities": int(r.get("fatalities", 0)), "notes": None,
            "is_synthetic": True,
        })
    return pd.DataFrame(out)


def memory_store(events: pd.DataFrame, *, routes: list[dict] = (), boundaries: list[dict] = (),
                 event_units: list[tuple[str, str, str]] = ()) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding the given events, routes (route_id, confidence, geometry),
    boundary polygons (boundary_set, unit_code, country_iso3, geometry) and event_units rows."""
    con = duckdb.connect()
    create_schema(con)
    upsert_events(con, events)
    for r in routes:
        con.execute("insert into routes values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [r["route_id"], r.get("name", r["route_id"]), "test goods", "arms_trafficking", "test",
                     r["confidence"], "test", shapely.to_wkb(r["geometry"])])
    for b in boundaries:
        con.execute("insert into boundaries values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [b["boundary_set"], b.get("level", 1), b["unit_code"], b["unit_code"], b.get("country_iso3", "NER"),
                     None, "test", shapely.to_wkb(b["geometry"])])
    for event_id, boundary_set, unit_code in event_units:
        con.execute("insert into event_units values (?, ?, ?)", [event_id, boundary_set, unit_code])
    return con


def scattered_events(rng: np.random.Generator, n: int, *, years=(2015, 2024), category: str = "terrorism",
                     lat: float = CENTRE_LAT, lon: float = CENTRE_LON, spread_deg: float = 0.05) -> list[dict]:
    """n events around a point, dates uniform over the years (inclusive)."""
    start = pd.Timestamp(f"{years[0]}-01-01")
    days = (pd.Timestamp(f"{years[1]}-12-31") - start).days
    return [{"lat": lat + rng.normal(0, spread_deg), "lon": lon + rng.normal(0, spread_deg),
             "event_date": start + pd.Timedelta(days=int(d)), "nexus_category": category}
            for d in rng.integers(0, days + 1, n)]
