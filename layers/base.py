"""Static reference layers read from the store: country outlines and corridors."""
from __future__ import annotations

import geopandas as gpd
import shapely

import queries

ADMIN0_SET = "natural_earth_admin0"


def _from_wkb(frame) -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb(frame["geometry_wkb"].map(bytes).to_numpy())
    return gpd.GeoDataFrame(frame.drop(columns="geometry_wkb"), geometry=geoms, crs="EPSG:4326")


def load_boundaries(con, *, boundary_set: str = ADMIN0_SET) -> gpd.GeoDataFrame:
    return _from_wkb(queries.run(con, "boundaries", {"boundary_set": boundary_set}))


def load_corridors(con) -> gpd.GeoDataFrame:
    return _from_wkb(queries.run(con, "routes"))


def to_geojson(gdf: gpd.GeoDataFrame, *, simplify: float = 0.0, properties: tuple[str, ...] = ()) -> dict:
    """A compact GeoJSON dict; ``simplify`` is a tolerance in degrees (0.02 ~ 2 km) for screen use."""
    geoms = gdf.geometry.simplify(simplify, preserve_topology=True) if simplify else gdf.geometry
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        props = {p: gdf[p].iloc[i] for p in properties}
        features.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def load_zones(con) -> gpd.GeoDataFrame:
    """Named zones (e.g. Liptako-Gourma) with citation and confidence."""
    return _from_wkb(queries.run(con, "zones"))


def load_activities(con) -> gpd.GeoDataFrame:
    """Response activities (trainings, workshops...) as points."""
    frame = queries.run(con, "activities")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
