"""Where the project's own files live, resolved from this file so the app runs from any directory."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ASSETS_DIR = ROOT / "assets"
DOCS_DIR = ROOT / "docs"
QUERIES_DIR = ROOT / "queries"
SCHEMA_SQL = ROOT / "ingest" / "schema.sql"
EVENT_CUBE_SQL = SCHEMA_SQL.with_name("event_cube.sql")  # the cube's rows computed from events
# Licensed real files used only by tests (never bundled). NEXUS_REALDATA_DIR moves it, e.g. to check
# that every real-data test skips cleanly when the folder is absent.
SHARED_REALDATA = Path(os.environ.get("NEXUS_REALDATA_DIR") or ROOT.parent / "shared" / "realdata")
