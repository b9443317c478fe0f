"""Geometry of the built-in analysis units: H3 hexagons and PRIO-GRID 0.5 degree cells.

Units are identified by integers in the store (events.h3_r*, events.priogrid_gid); this module
turns a list of ids into polygons, only for the units a query returned.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from h3ronpy.vector import cells_to_wkb_polygons

from ingest.cells import H3_RESOLUTIONS, priogrid_cell_bounds

UNIT_KINDS = ("h3", "priogrid")


def h3_polygons(cells) -> np.ndarray:
    """Shapely polygons for H3 cell ids (uint64); cells crossing the antimeridian are not expected here."""
    cells = np.asarray(cells, dtype="uint64")
    if len(cells) == 0:
        return np.array([], dtype=object)
    wkb = np.asarray(cells_to_wkb_polygons(cells), dtype=object)
    return shapely.from_wkb(wkb)


def priogrid_polygons(gids) -> np.ndarray:
    bounds = np.array([priogrid_cell_bounds(g) for g in np.asarray(gids, dtype="int64")]).reshape(-1, 4)
    return shapely.box(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])


def unit_frame(frame, *, kind: str, id_column: str = "unit_id") -> gpd.GeoDataFrame:
    """Attach polygons to a frame with one row per unit; returns a GeoDataFrame in EPSG:4326."""
    if kind not in UNIT_KINDS:
        raise ValueError(f"unit kind must be one of {UNIT_KINDS}, not {kind!r}")
    ids = frame[id_column].to_numpy()
    geoms = h3_polygons(ids) if kind == "h3" else priogrid_polygons(ids)
    return gpd.GeoDataFrame(frame.copy(), geometry=gpd.GeoSeries(geoms, index=frame.index), crs="EPSG:4326")


def check_resolution(resolution: int) -> int:
    if int(resolution) not in H3_RESOLUTIONS:
        raise ValueError(f"H3 resolution must be one of {H3_RESOLUTIONS}, not {resolution}")
    return int(resolution)
