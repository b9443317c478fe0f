"""Keep event_cube (the per-month pre-aggregate of events, ingest/schema.sql) in step with the events.

The cube records which events it was built from (a signature in store_meta); every write transaction
rebuilds it when the events changed (ingest.store.transaction), inside that transaction. A reader that
finds it stale (a store written before the cube existed) computes it on the fly (queries.ReadOnlyStore).
"""
from __future__ import annotations

import duckdb

from atlas.paths import EVENT_CUBE_SQL
from queries import CUBE_SIGNATURE_KEY, cube_is_current, events_signature


def refresh_cube(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the cube if the events changed since it was built; True when it was rebuilt."""
    if cube_is_current(con):
        return False
    con.execute("delete from event_cube")
    con.execute("insert into event_cube " + EVENT_CUBE_SQL.read_text(encoding="utf-8"))
    con.execute("insert or replace into store_meta values (?, ?)", [CUBE_SIGNATURE_KEY, events_signature(con)])
    return True
