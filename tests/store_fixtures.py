"""A tiny hand-made store for query, layer and view tests (no bundled or licensed data needed)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import shapely

from ingest.store import transaction, upsert_events, upsert_source

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def small_events() -> pd.DataFrame:
    frame = pd.read_csv(FIXTURES / "events_small.csv", dtype={"source_record_id": str, "admin2": "string"},
                        parse_dates=["event_date"], keep_default_na=False, na_values=[""])
    frame["is_synthetic"] = frame["is_synthetic"].astype(bool)
    return frame


def build_small_store(path: Path) -> Path:
    with transaction(path) as con:
        upsert_events(con, small_events())
        upsert_source(con, source_id="test", title="Test fixture", citation="tests/fixtures/events_small.csv",
                      licence="CC0", attribution="Nexus Atlas test fixture")
        # A made-up corridor through the Menaka events (about 1 km from test:1), to drill into.
        con.execute("insert into routes values (?, ?, ?, ?, ?, ?, ?, ?)",
                    ["test_route", "Test route", "test goods", "arms_trafficking", "tests/store_fixtures.py",
                     "medium", "test", shapely.to_wkb(shapely.LineString([(2.0, 15.5), (2.8, 16.3)]))])
        upsert_source(con, source_id="synthetic", title="Synthetic demonstration events", citation="generator",
                      licence="CC0", attribution="Synthetic demonstration data — not real events", is_synthetic=True)
    return path
