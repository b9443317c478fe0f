"""Spatial unit ids computed once, at import time, so the map never bins points at query time."""
from __future__ import annotations

import numpy as np
from h3ronpy.vector import coordinates_to_cells

# H3 resolutions stored on every event (events.h3_r3 .. h3_r6). Res 3 suits the three-region view,
# res 4 a region, res 5-6 a zoomed-in district (edge 59 / 23 / 8.5 / 3.2 km).
H3_RESOLUTIONS = (3, 4, 5, 6)


def h3_cells(lat: np.ndarray, lon: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell ids (uint64) for arrays of WGS84 coordinates; vectorised (about 1.8 s for 5 M points)."""
    lat = np.ascontiguousarray(lat, dtype="float64")
    lon = np.ascontiguousarray(lon, dtype="float64")
    return np.asarray(coordinates_to_cells(lat, lon, resolution)).astype("uint64")


def priogrid_gid(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """PRIO-GRID 0.5 degree cell id: row = floor((lat+90)*2)+1, col = floor((lon+180)*2)+1,
    gid = (row-1)*720 + col, so (0, 0) -> 129961. Points on the north or east edge fall in the last cell."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    row = np.minimum(np.floor((lat + 90.0) * 2.0), 359) + 1
    col = np.minimum(np.floor((lon + 180.0) * 2.0), 719) + 1
    return ((row - 1) * 720 + col).astype("int32")


def priogrid_cell_bounds(gid: int) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a PRIO-GRID cell."""
    row, col = divmod(int(gid) - 1, 720)
    min_lat = row / 2.0 - 90.0
    min_lon = col / 2.0 - 180.0
    return (min_lon, min_lat, min_lon + 0.5, min_lat + 0.5)
