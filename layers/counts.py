"""Event counts per analysis unit: the default map layer."""
from __future__ import annotations

import geopandas as gpd

import queries
from atlas.filters import FilterState
from layers.units import unit_frame


def build_count_layer(con, state: FilterState) -> gpd.GeoDataFrame:
    """One row per H3 or PRIO-GRID cell with at least one filtered event.

    Columns: unit_id (uint64), events, fatalities, terrorism, organized_crime, both, other,
    synthetic, first_date, last_date, geometry (EPSG:4326).
    """
    unit = "priogrid" if state.unit == "priogrid" else "h3"
    frame = queries.run(con, "unit_counts", {**state.to_params(), "unit": unit, "resolution": state.resolution})
    return unit_frame(frame, kind=unit)
