"""Event points, shown only when the map is zoomed in far enough to read them."""
from __future__ import annotations

import geopandas as gpd

import queries
from atlas.filters import FilterState

MIN_ZOOM = 6.5       # below this the hexagons say more than points (and points would be too many)
MAX_POINTS = 5000    # what the browser draws smoothly; the counter says when there are more


def build_point_layer(con, state: FilterState, *, bounds: tuple[float, float, float, float],
                      limit: int = MAX_POINTS) -> gpd.GeoDataFrame:
    """Events inside ``bounds`` (min_lon, min_lat, max_lon, max_lat), newest first, at most ``limit``."""
    min_lon, min_lat, max_lon, max_lat = bounds
    frame = queries.run(con, "events_in_view", {**state.to_params(), "min_lon": min_lon, "min_lat": min_lat,
                                                "max_lon": max_lon, "max_lat": max_lat, "limit": limit})
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")


def bounds_from_relayout(relayout: dict | None) -> tuple[float, float] | None:
    """(zoom, bounds) from MapLibre relayoutData, or None when the event did not move the map."""
    if not relayout or "map.zoom" not in relayout:
        return None
    corners = (relayout.get("map._derived") or {}).get("coordinates")
    if not corners:
        return None
    lons = [c[0] for c in corners]
    lats = [c[1] for c in corners]
    return float(relayout["map.zoom"]), (min(lons), min(lats), max(lons), max(lats))
