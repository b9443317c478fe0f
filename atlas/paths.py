"""Where the project's own files live, resolved from this file so the app runs from any directory."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ASSETS_DIR = ROOT / "assets"
DOCS_DIR = ROOT / "docs"
QUERIES_DIR = ROOT / "queries"
SCHEMA_SQL = ROOT / "ingest" / "schema.sql"
SHARED_REALDATA = ROOT.parent / "shared" / "realdata"
