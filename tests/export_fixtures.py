"""A small store for export tests when the bundled build is not usable.

Events are seeded random points around a few places in each of the three regions; country
"outlines" are crude boxes (not real borders) so the map has land to draw; corridors come
from data/corridors.geojson. Nothing here is real incident data.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from atlas.paths import DATA_DIR
from atlas.taxonomy import crime_types_by_code
from ingest.store import refresh_source_counts, transaction, upsert_events, upsert_source

# (lon, lat, country, crime types drawn there)
PLACES = [
    (2.40, 15.90, "MLI", ("armed_attack", "kidnapping_for_ransom", "cattle_rustling")),
    (-1.50, 13.50, "BFA", ("armed_attack", "explosive_attack", "kidnapping_for_ransom")),
    (1.45, 14.20, "NER", ("armed_attack", "cattle_rustling", "arms_trafficking")),
    (7.99, 16.97, "NER", ("human_smuggling", "arms_trafficking")),
    (14.00, 13.20, "TCD", ("armed_attack", "kidnapping_for_ransom", "explosive_attack")),
    (45.30, 2.05, "SOM", ("explosive_attack", "armed_attack", "extortion_illicit_taxation")),
    (42.50, -0.35, "SOM", ("armed_attack", "kidnapping_for_ransom", "arms_trafficking")),
    (41.80, 3.90, "KEN", ("armed_attack", "cattle_rustling", "human_smuggling")),
    (38.70, 9.00, "ETH", ("human_smuggling", "armed_attack")),
    (68.86, 36.73, "AFG", ("heroin_trade", "armed_attack", "explosive_attack")),
    (71.55, 37.49, "TJK", ("heroin_trade", "arms_trafficking")),
    (72.80, 40.53, "KGZ", ("heroin_trade", "kidnapping_for_ransom")),
]
HORN = {"SOM", "KEN", "ETH"}
BOXES = {  # min_lon, min_lat, max_lon, max_lat: rough extents, enough to draw land under the events
    "MRT": (-17.0, 14.7, -4.8, 27.3), "MLI": (-12.2, 10.2, 4.2, 25.0), "BFA": (-5.5, 9.4, 2.4, 15.1),
    "NER": (0.2, 11.7, 16.0, 23.5), "TCD": (13.5, 7.4, 24.0, 23.4), "SOM": (41.0, -1.7, 51.4, 12.0),
    "ETH": (33.0, 3.4, 47.9, 14.9), "KEN": (33.9, -4.7, 41.9, 5.0), "AFG": (60.5, 29.4, 74.9, 38.5),
    "TJK": (67.4, 36.7, 75.1, 41.0), "KGZ": (69.3, 39.2, 80.3, 43.2), "UZB": (56.0, 37.2, 73.1, 45.6),
}


def build_export_store(path: Path, *, n: int = 1500, seed: int = 7, real_horn: bool = True) -> Path:
    """real_horn=False makes every event synthetic (one source in the whole store)."""
    rng = np.random.default_rng(seed)
    taxonomy = crime_types_by_code()
    which = rng.integers(0, len(PLACES), size=n)
    rows = []
    for i, k in enumerate(which):
        lon, lat, iso3, types = PLACES[k]
        crime = types[rng.integers(0, len(types))]
        year = int(rng.integers(2015, 2025))
        # Horn of Africa events are "real" (non-synthetic) so a view of them carries no watermark;
        # one source per region keeps each regional view to a single source.
        synthetic = not (real_horn and iso3 in HORN)
        source = "synthetic" if synthetic else "test"
        rows.append({
            "event_id": f"{source}:E{i:05d}", "source": source, "source_record_id": f"E{i:05d}",
            "event_date": pd.Timestamp(year=year, month=int(rng.integers(1, 13)), day=int(rng.integers(1, 29))),
            "date_precision": 1, "year": year,
            "lat": float(lat + rng.normal(0, 0.9)), "lon": float(lon + rng.normal(0, 0.9)), "geo_precision": 1,
            "country_iso3": iso3, "admin1": None, "admin2": None, "location": f"Place {k}",
            "nexus_category": taxonomy[crime].nexus_category, "crime_type": crime, "classification_rule": "fixture",
            "actor1": f"Group {'ABC'[k % 3]}", "actor2": None, "fatalities": int(rng.poisson(2)),
            "notes": "export test fixture", "is_synthetic": synthetic,
        })
    events = pd.DataFrame(rows)
    with transaction(path) as con:
        upsert_events(con, events)
        upsert_source(con, source_id="test", title="Export test fixture", citation="tests/export_fixtures.py",
                      licence="CC0", attribution="Nexus Atlas test fixture")
        upsert_source(con, source_id="synthetic", title="Synthetic demonstration events", citation="generator",
                      licence="CC0", attribution="Synthetic demonstration data — not real events",
                      is_synthetic=True)
        for iso3, (x0, y0, x1, y1) in BOXES.items():
            con.execute("insert into boundaries values ('natural_earth_admin0', 0, ?, ?, ?, null, 'fixture', ?)",
                        [iso3, f"Box {iso3}", iso3, shapely.to_wkb(shapely.box(x0, y0, x1, y1))])
        corridors = json.loads((DATA_DIR / "corridors.geojson").read_text(encoding="utf-8"))
        for feat in corridors["features"]:
            p = feat["properties"]
            con.execute("insert into routes values (?, ?, ?, ?, ?, ?, 'fixture', ?)",
                        [p["route_id"], p["name"], p["commodity"], p["crime_type"], p["source_citation"],
                         p["confidence"], shapely.to_wkb(shapely.geometry.shape(feat["geometry"]))])
        refresh_source_counts(con)
    return path


def bundled_build_available() -> bool:
    """True once ingest.build can build the store (it needs ingest.reference)."""
    return importlib.util.find_spec("ingest.reference") is not None
