"""Corridor exposure: events within a distance (metres) of a trafficking corridor, and the length of
corridor running through or near each analysis unit.

Distances are never measured in degrees. Each corridor is handled in its own azimuthal equidistant
projection (AEQD) centred on the middle of its bounding box: distances from the centre are exact and
the scale error elsewhere is c / sin(c) - 1 for an angular distance c from the centre, i.e. under
0.2 % within 600 km, which covers every corridor of data/corridors.geojson. One projection per
corridor keeps that error small in all three regions, where a single UTM zone (6 degrees wide) or one
projection for the whole atlas would not.
"""
from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

import queries
from atlas.filters import FilterState
from layers.neighbours import AnalysisInputError

CONFIDENCE_WEIGHTS = {"high": 1.0, "medium": 0.6, "low": 0.3}
DEFAULT_DISTANCE_M = 25_000.0
MAX_DISTANCE_M = 500_000.0
_SEGMENT_DEG = 0.1  # corridors are drawn as straight lines in lon/lat; densify before projecting
_EARTH_M_PER_DEG = 111_320.0


def check_distance(distance_m: float, name: str = "distance_m") -> float:
    distance_m = float(distance_m)
    if not np.isfinite(distance_m) or distance_m < 0 or distance_m > MAX_DISTANCE_M:
        raise AnalysisInputError(f"{name} must be between 0 and {MAX_DISTANCE_M:,.0f} metres, not {distance_m}")
    return distance_m


def local_projection(geometry) -> pyproj.Transformer:
    """WGS84 -> azimuthal equidistant (metres) centred on the middle of the geometry's bounding box."""
    min_lon, min_lat, max_lon, max_lat = shapely.bounds(geometry)
    lon0, lat0 = (min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0
    key = f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    # Building a transformer costs ~6 ms and the corridors are the same on every map: keep them, one set
    # per thread (a pyproj Transformer is not to be shared between threads).
    cache = _TRANSFORMERS.__dict__.setdefault("by_key", {})
    if key not in cache:
        if len(cache) > 256:
            cache.clear()
        cache[key] = pyproj.Transformer.from_crs("EPSG:4326", pyproj.CRS.from_proj4(key), always_xy=True)
    return cache[key]


_TRANSFORMERS = threading.local()


def _project(transformer: pyproj.Transformer, geometry):
    return _project_many(transformer, [geometry])[0]


def _project_many(transformer: pyproj.Transformer, geometries) -> np.ndarray:
    """Project an array of geometries at once (shapely.transform hands over all coordinates)."""
    return shapely.transform(np.asarray(geometries, dtype=object),
                             lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _degree_margin(distance_m: float, max_abs_lat: float) -> tuple[float, float]:
    """A conservative box margin in degrees (lon, lat) for a distance in metres."""
    cos = max(np.cos(np.radians(min(max_abs_lat, 85.0))), 0.05)
    return distance_m / (_EARTH_M_PER_DEG * cos) * 1.05 + 0.01, distance_m / 110_574.0 * 1.05 + 0.01


def check_corridors(corridors: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if corridors.crs is None:
        raise AnalysisInputError("corridors have no CRS; set one with .set_crs('EPSG:4326')")
    missing = {"route_id", "confidence"} - set(corridors.columns)
    if missing:
        raise AnalysisInputError(f"corridors lack columns {sorted(missing)}; load them with load_corridor_lines(con)")
    corridors = corridors.to_crs("EPSG:4326")
    kinds = set(corridors.geometry.geom_type)
    if not kinds <= {"LineString", "MultiLineString"}:
        raise AnalysisInputError(f"corridors must be LineString or MultiLineString, got {sorted(kinds)}; "
                                 f"areas belong in the 'areas' table")
    bad = sorted(set(corridors["confidence"].str.lower()) - set(CONFIDENCE_WEIGHTS))
    if bad:
        raise AnalysisInputError(f"corridor confidence must be high, medium or low, got {bad}")
    return corridors


def distances_to_corridor_m(corridor, lon, lat) -> np.ndarray:
    """Distance in metres from each (lon, lat) point to one corridor line (WGS84 geometry)."""
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    line = shapely.segmentize(corridor, _SEGMENT_DEG)
    tr = local_projection(line)
    line_m = _project(tr, line)
    x, y = tr.transform(lon, lat)
    return shapely.distance(shapely.points(np.asarray(x), np.asarray(y)), line_m)


def events_near_corridors(corridors: gpd.GeoDataFrame, events: pd.DataFrame, *,
                          distance_m: float = DEFAULT_DISTANCE_M) -> pd.DataFrame:
    """Pairs (event row position, route_id, distance_m) for events within ``distance_m`` of a corridor.

    ``events`` needs lon and lat columns (WGS84). An event near two corridors appears once for each.
    """
    distance_m = check_distance(distance_m)
    corridors = check_corridors(corridors)
    lon = events["lon"].to_numpy(dtype="float64")
    lat = events["lat"].to_numpy(dtype="float64")
    parts = []
    for route_id, geom in zip(corridors["route_id"], corridors.geometry):
        min_lon, min_lat, max_lon, max_lat = shapely.bounds(geom)
        dlon, dlat = _degree_margin(distance_m, max(abs(min_lat), abs(max_lat)) + distance_m / 110_574.0)
        # cheap, conservative pre-selection in degrees; the exact test in metres follows
        zone = shapely.buffer(geom, float(np.hypot(dlon, dlat)))
        shapely.prepare(zone)
        near_box = np.flatnonzero(shapely.contains_xy(zone, lon, lat))
        if len(near_box) == 0:
            continue
        d = distances_to_corridor_m(geom, lon[near_box], lat[near_box])
        keep = d <= distance_m
        parts.append(pd.DataFrame({"event_pos": near_box[keep], "route_id": route_id, "distance_m": d[keep]}))
    if not parts:
        return pd.DataFrame({"event_pos": pd.Series(dtype="int64"), "route_id": pd.Series(dtype="object"),
                             "distance_m": pd.Series(dtype="float64")})
    return pd.concat(parts, ignore_index=True)


def corridor_length_near_units(corridors: gpd.GeoDataFrame, unit_geometries, *,
                               buffer_m: float = DEFAULT_DISTANCE_M,
                               confidence_weights: dict | None = None) -> pd.DataFrame:
    """Per unit: kilometres of corridor inside the unit grown by ``buffer_m`` metres, raw and weighted by
    corridor confidence (default high 1.0, medium 0.6, low 0.3). Rows follow ``unit_geometries``.
    Columns: corridor_km, corridor_exposure (sum of weight x km over corridors), corridors (route ids).
    """
    buffer_m = check_distance(buffer_m, "buffer_m")
    corridors = check_corridors(corridors)
    weights = dict(CONFIDENCE_WEIGHTS if confidence_weights is None else confidence_weights)
    geoms = np.asarray(gpd.GeoSeries(unit_geometries).to_numpy(), dtype=object)
    n = len(geoms)
    km = np.zeros(n)
    exposure = np.zeros(n)
    names = [[] for _ in range(n)]
    if n == 0:
        return pd.DataFrame({"corridor_km": km, "corridor_exposure": exposure, "corridors": names})
    tree = shapely.STRtree(geoms)
    for route_id, conf, geom in zip(corridors["route_id"], corridors["confidence"].str.lower(), corridors.geometry):
        min_lon, min_lat, max_lon, max_lat = shapely.bounds(geom)
        dlon, dlat = _degree_margin(buffer_m, max(abs(min_lat), abs(max_lat)) + buffer_m / 110_574.0)
        candidates = tree.query(shapely.buffer(geom, max(dlon, dlat)))
        if len(candidates) == 0:
            continue
        line = shapely.segmentize(geom, _SEGMENT_DEG)
        tr = local_projection(line)
        line_m = _project(tr, line)
        units_m = _project_many(tr, shapely.segmentize(geoms[candidates], _SEGMENT_DEG))
        lengths = shapely.length(shapely.intersection(line_m, shapely.buffer(units_m, buffer_m))) / 1000.0
        for i, length in zip(candidates, lengths):
            if length > 0:
                km[i] += length
                exposure[i] += weights[conf] * length
                names[i].append(route_id)
    return pd.DataFrame({"corridor_km": km, "corridor_exposure": exposure, "corridors": names})


def load_corridor_lines(con) -> gpd.GeoDataFrame:
    """Corridors from the store's routes table (queries/corridor_lines.sql) as a GeoDataFrame."""
    frame = queries.run(con, "corridor_lines")
    geoms = shapely.from_wkb(frame["geometry_wkb"].map(bytes).to_numpy())
    return gpd.GeoDataFrame(frame.drop(columns="geometry_wkb"), geometry=geoms, crs="EPSG:4326")


def load_events_near(con, state: FilterState, corridor, *, distance_m: float) -> pd.DataFrame:
    """Filtered events in one corridor's box grown by ``distance_m`` (queries/corridor_events.sql).
    One small query per corridor: the corridors of the three regions together span half the globe."""
    min_lon, min_lat, max_lon, max_lat = shapely.bounds(corridor)
    dlon, dlat = _degree_margin(distance_m, max(abs(min_lat), abs(max_lat)) + distance_m / 110_574.0)
    unit = state.unit if state.unit in ("h3", "priogrid", "admin") else "h3"
    return queries.run(con, "corridor_events", {
        **state.to_params(), "unit": unit, "resolution": state.resolution, "boundary_set": state.boundary_set,
        "min_lon": float(min_lon - dlon), "min_lat": float(min_lat - dlat),
        "max_lon": float(max_lon + dlon), "max_lat": float(max_lat + dlat)})


def near_events(con, state: FilterState, corridors: gpd.GeoDataFrame, *, distance_m: float) -> pd.DataFrame:
    """Filtered events within ``distance_m`` metres of each corridor: one row per (event, corridor) pair
    with the corridor_events.sql columns plus route_id and distance_m."""
    parts = []
    for i in range(len(corridors)):
        one = corridors.iloc[[i]]
        events = load_events_near(con, state, one.geometry.iloc[0], distance_m=distance_m)
        pairs = events_near_corridors(one, events, distance_m=distance_m)
        parts.append(events.iloc[pairs["event_pos"].to_numpy()].reset_index(drop=True)
                     .assign(route_id=pairs["route_id"].to_numpy(), distance_m=pairs["distance_m"].to_numpy()))
    if not parts:
        return pd.DataFrame(columns=["event_id", "event_date", "lat", "lon", "nexus_category", "unit_id",
                                     "route_id", "distance_m"])
    return pd.concat(parts, ignore_index=True)


def _category_counts(events: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    cats = pd.crosstab(keys, events["nexus_category"]).reindex(
        columns=["terrorism", "organized_crime", "both", "other"], fill_value=0)
    cats.insert(0, "events", cats.sum(axis=1))
    return cats.rename_axis(columns=None)


def build_corridor_layer(con, state: FilterState, *, distance_m: float = DEFAULT_DISTANCE_M) -> gpd.GeoDataFrame:
    """One row per corridor: filtered events within ``distance_m`` metres of it.

    Columns: route_id, name, commodity, crime_type, confidence, confidence_weight, source_citation,
    length_km, events, terrorism, organized_crime, both, other (events within the distance),
    events_per_100km, geometry (LineString, EPSG:4326). ``attrs``: layer='corridors', distance_m.
    """
    distance_m = check_distance(distance_m)
    corridors = load_corridor_lines(con)
    if corridors.empty:
        raise AnalysisInputError("the store holds no corridors; rebuild it ('nexus-atlas build') or import routes")
    pairs = near_events(con, state, corridors, distance_m=distance_m)
    counts = _category_counts(pairs, pairs["route_id"])
    out = corridors.copy()
    out["confidence_weight"] = out["confidence"].map(CONFIDENCE_WEIGHTS)
    out["length_km"] = [_project(local_projection(g), shapely.segmentize(g, _SEGMENT_DEG)).length / 1000.0
                        for g in out.geometry]
    counts = counts.reindex(out["route_id"]).fillna(0).astype("int64").reset_index(drop=True)
    out = pd.concat([out.reset_index(drop=True), counts], axis=1)
    out["events_per_100km"] = np.where(out["length_km"] > 0, out["events"] / out["length_km"] * 100.0, 0.0)
    layer = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    layer.attrs = {"layer": "corridors", "distance_m": distance_m}
    return layer


def build_corridor_unit_layer(con, state: FilterState, *, distance_m: float = DEFAULT_DISTANCE_M) -> gpd.GeoDataFrame:
    """One row per unit holding at least one filtered event within ``distance_m`` metres of a corridor
    (each event counted once, however many corridors it is near).

    Columns: unit_id (str: H3 id, PRIO-GRID gid or admin unit_code, as text), events, terrorism,
    organized_crime, both, other (near-corridor events), corridors (route ids the events are near),
    geometry (EPSG:4326). ``attrs``: layer='corridor_units', distance_m.
    """
    from layers.study_area import load_admin_polygons, unit_kind
    from layers.units import h3_polygons, priogrid_polygons

    distance_m = check_distance(distance_m)
    corridors = load_corridor_lines(con)
    kind = unit_kind(state)
    if corridors.empty:
        raise AnalysisInputError("the store holds no corridors; rebuild it ('nexus-atlas build') or import routes")
    pairs = near_events(con, state, corridors, distance_m=distance_m).dropna(subset=["unit_id"])
    near = pairs.drop_duplicates("event_id")
    routes = pairs.groupby("unit_id")["route_id"].agg(lambda s: sorted(set(s)))
    counts = _category_counts(near, near["unit_id"])
    counts["corridors"] = routes.reindex(counts.index).tolist()
    counts = counts.rename_axis("unit_id").reset_index()
    ids = counts["unit_id"].to_numpy()
    if kind == "h3":
        geoms = h3_polygons(ids.astype("uint64"))
    elif kind == "priogrid":
        geoms = priogrid_polygons(ids.astype("int64"))
    else:
        geoms = load_admin_polygons(con, state).reindex(pd.Index(ids)).to_numpy()
    layer = gpd.GeoDataFrame(counts, geometry=gpd.GeoSeries(geoms).to_numpy(), crs="EPSG:4326")
    layer.attrs = {"layer": "corridor_units", "distance_m": distance_m}
    return layer
