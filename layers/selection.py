"""Query parameters for a drill-down selection, resolving selections that SQL alone cannot express.

A corridor selection means "the filtered events within the corridor distance of this line",
measured in metres (layers/corridors.py); their ids go into the connection's temp table
selection_ids, which the selected_events macro reads.
"""
from __future__ import annotations

import pandas as pd

from atlas.filters import FilterState
from layers.corridors import DEFAULT_DISTANCE_M, load_corridor_lines, near_events


def corridor_of(con, f: FilterState):
    """The selected corridor as a one-row GeoDataFrame (empty when the id is unknown)."""
    route_id = f.selection.split(":", 1)[1]
    corridors = load_corridor_lines(con)
    return corridors[corridors["route_id"] == route_id]


def selection_params(con, f: FilterState, *, distance_m: float = DEFAULT_DISTANCE_M) -> dict:
    """Parameters of the selected_events macro for ``f`` on this connection."""
    params = f.to_selected_params()
    if params["sel_kind"] != "corridor":
        return params
    line = corridor_of(con, f)
    ids = (near_events(con, f.replace(selection=""), line, distance_m=distance_m)["event_id"].drop_duplicates()
           if len(line) else pd.Series([], dtype="string"))
    con.execute("delete from selection_ids")
    frame = pd.DataFrame({"event_id": ids.astype(str).to_numpy()})
    con.register("selection_ids_incoming", frame)
    try:
        con.execute("insert into selection_ids select event_id from selection_ids_incoming")
    finally:
        con.unregister("selection_ids_incoming")
    return {**params, "sel_kind": "ids", "sel_id": ""}
