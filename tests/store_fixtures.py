"""A tiny hand-made store for query, layer and view tests (no bundled or licensed data needed)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

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
        upsert_source(con, source_id="synthetic", title="Synthetic demonstration events", citation="generator",
                      licence="CC0", attribution="Synthetic demonstration data — not real events", is_synthetic=True)
    return path
