"""Event counts per imported admin unit (admin-1 or admin-2 polygons): a choropleth map layer.

Admin polygons are imported by the user (`nexus-atlas import-boundaries`); events are placed in
units when either side is imported (table event_units). This layer joins the two.
"""
from __future__ import annotations

from typing import Any, Mapping

import geopandas as gpd
import pandas as pd
import shapely

import queries

# The filtered_events macro's parameters; other keys a caller's params may hold (a drill-down
# selection, for instance) do not apply to admin units and are left out.
FILTER_PARAMS = ("countries", "crime_types", "date_from", "date_to", "actors", "sources",
                 "min_fatalities", "max_geo_precision")
COLUMNS = ("unit_code", "name", "country_iso3", "events", "fatalities", "terrorism", "organized_crime", "both")


def list_boundary_sets(con, *, min_level: int = 1) -> pd.DataFrame:
    """Imported boundary sets (admin-1 and admin-2 by default): boundary_set, level, units,
    countries, source, units_with_events."""
    sets = queries.run(con, "boundary_sets")
    return sets[sets["level"] >= min_level].reset_index(drop=True)


def build_admin_count_layer(con, *, boundary_set: str, level: int, params: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """One row per unit of ``boundary_set`` (zero-event units included), EPSG:4326.

    Columns: unit_code, name, country_iso3, events, fatalities, terrorism, organized_crime, both, geometry.
    ``params`` are the filter parameters (FilterState.to_params()).
    """
    sets = list_boundary_sets(con, min_level=0)
    known = dict(zip(sets["boundary_set"], sets["level"]))
    if boundary_set not in known:
        listing = ", ".join(f"{name} (admin-{lvl})" for name, lvl in known.items() if lvl >= 1) or "none yet"
        raise ValueError(f"no boundary set '{boundary_set}' in the store; imported sets: {listing}. "
                         f"Import one with 'nexus-atlas import-boundaries'.")
    if int(known[boundary_set]) != int(level):
        raise ValueError(f"boundary set '{boundary_set}' holds admin-{known[boundary_set]} units, not "
                         f"admin-{level}; ask for level={known[boundary_set]} or import admin-{level} "
                         f"units with --level {level}.")
    missing = [k for k in FILTER_PARAMS if k not in params]
    if missing:
        raise ValueError(f"params lack {', '.join(missing)}; pass FilterState.to_params().")
    frame = queries.run(con, "admin_counts", {**{k: params[k] for k in FILTER_PARAMS}, "boundary_set": boundary_set})
    geoms = shapely.from_wkb(frame["geometry_wkb"].map(bytes).to_numpy()) if len(frame) else []
    out = frame.loc[:, list(COLUMNS)].copy()
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=out.index, crs="EPSG:4326"), crs="EPSG:4326")
