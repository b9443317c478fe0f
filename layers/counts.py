"""Event counts per analysis unit: the default map layer."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyarrow as pa
from h3ronpy import change_resolution

import queries
from atlas.filters import FilterState
from layers.units import unit_frame


def build_count_layer(con, state: FilterState, *, detail: bool = True) -> gpd.GeoDataFrame:
    """One row per H3 or PRIO-GRID cell with at least one filtered event.

    Columns: unit_id (uint64), events, fatalities, terrorism, organized_crime, both, other,
    synthetic, first_date, last_date, geometry (EPSG:4326); with ``detail=False`` only unit_id,
    events, fatalities and geometry (what the map draws, a third of the work).
    """
    unit = "priogrid" if state.unit == "priogrid" else "h3"
    return unit_frame(count_rows(con, state, unit, state.resolution, detail=detail), kind=unit)


def count_rows(con, state: FilterState, unit: str, resolution: int, *, detail: bool = True):
    """The rows of build_count_layer without polygons: queries/unit_counts.sql, or with ``detail=False``
    queries/unit_totals.sql (events and fatalities only)."""
    return queries.run(con, "unit_counts" if detail else "unit_totals",
                       {**state.to_params(), "unit": unit, "resolution": resolution})


def parent_cell_count(unit_ids, resolution: int) -> int:
    """How many H3 cells at ``resolution`` hold the given finer cells: an estimate of the cells the events
    fill at that resolution (an event's stored coarser cell is usually, not always, its fine cell's
    parent: H3 children do not tile their parent exactly). Used only to choose a level of detail."""
    ids = pa.array(np.asarray(unit_ids, dtype="uint64"))
    return len(np.unique(np.asarray(change_resolution(ids, resolution))))
