"""Corridor exposure: distances in metres (not degrees), counts per corridor and per unit."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from atlas.filters import FilterState
from layers.corridors import (build_corridor_layer, build_corridor_unit_layer, corridor_length_near_units,
                              distances_to_corridor_m, events_near_corridors)
from tests.analysis_fixtures import events_frame, memory_store

GEOD = pyproj.Geod(ellps="WGS84")


def _corridor(lon=10.0, lat=0.0, confidence="high"):
    # a north-south line 6 degrees long whose middle is 1 degree north of the test latitude
    line = shapely.LineString([(lon, lat - 2.0), (lon, lat + 4.0)])
    return gpd.GeoDataFrame({"route_id": ["r"], "confidence": [confidence]}, geometry=[line], crs="EPSG:4326")


def _point_east_of(lon, lat, metres):
    x, y, _ = GEOD.fwd(lon, lat, 90.0, metres)
    return x, y


@pytest.mark.parametrize("lat", [0.0, 40.0])
@pytest.mark.parametrize("distance_m, inside", [(12_000, True), (8_000, False)])
def test_a_point_10_km_away_is_within_12_km_and_not_within_8_km(lat, distance_m, inside):
    x, y = _point_east_of(10.0, lat, 10_000)
    events = pd.DataFrame({"lon": [x], "lat": [y]})
    pairs = events_near_corridors(_corridor(lat=lat), events, distance_m=distance_m)
    assert (len(pairs) == 1) == inside


@pytest.mark.parametrize("lat", [0.0, 40.0, -35.0])
def test_distance_in_metres(lat):
    x, y = _point_east_of(10.0, lat, 10_000)
    # 10 km east is 0.0898 degrees at the equator but 0.117 at 40N: metres, not degrees, must agree
    assert distances_to_corridor_m(_corridor(lat=lat).geometry[0], [x], [y])[0] == pytest.approx(10_000, abs=15)


def test_corridor_length_near_units():
    cor = _corridor(lat=0.0, confidence="medium")
    # a box straddling the line, 0.5 degree (55.3 km) tall, and one 150 km away
    near = shapely.box(9.9, -0.25, 10.1, 0.25)
    far = shapely.box(11.4, -0.25, 11.6, 0.25)
    out = corridor_length_near_units(cor, [near, far], buffer_m=10_000)
    box_km = GEOD.inv(10.0, -0.25, 10.0, 0.25)[2] / 1000.0
    assert out["corridor_km"].iloc[0] == pytest.approx(box_km + 2 * 10.0, rel=0.01)
    assert out["corridor_exposure"].iloc[0] == pytest.approx(0.6 * out["corridor_km"].iloc[0])
    assert out["corridor_km"].iloc[1] == 0 and out["corridors"].iloc[1] == []


@pytest.mark.parametrize("corridors, message", [
    (gpd.GeoDataFrame({"route_id": ["r"], "confidence": ["sure"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])],
                      crs="EPSG:4326"), "high, medium or low"),
    (gpd.GeoDataFrame({"route_id": ["r"], "confidence": ["high"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])]),
     "no CRS"),
    (gpd.GeoDataFrame({"route_id": ["r"], "confidence": ["high"]}, geometry=[shapely.box(0, 0, 1, 1)],
                      crs="EPSG:4326"), "LineString"),
])
def test_bad_corridors_say_how_to_fix_them(corridors, message):
    with pytest.raises(ValueError, match=message):
        events_near_corridors(corridors, pd.DataFrame({"lon": [0.5], "lat": [0.5]}), distance_m=1000)


def test_negative_distance_is_refused():
    with pytest.raises(ValueError, match="between 0 and"):
        events_near_corridors(_corridor(), pd.DataFrame({"lon": [0.5], "lat": [0.5]}), distance_m=-5)


def test_layers_on_a_store():
    lat = 16.0
    rows = []
    for metres, category in [(5_000, "terrorism"), (15_000, "organized_crime"), (40_000, "both")]:
        x, y = _point_east_of(8.0, lat, metres)
        rows.append({"lat": y, "lon": x, "event_date": "2022-05-01", "nexus_category": category})
    routes = [{"route_id": "a", "confidence": "high", "geometry": shapely.LineString([(8.0, 14.0), (8.0, 18.0)])},
              {"route_id": "b", "confidence": "low", "geometry": shapely.LineString([(20.0, 14.0), (21.0, 18.0)])}]
    con = memory_store(events_frame(rows), routes=routes)
    state = FilterState(region="sahel", resolution=4)
    lines = build_corridor_layer(con, state, distance_m=20_000).set_index("route_id")
    assert lines.crs == "EPSG:4326"
    assert lines.loc["a", ["events", "terrorism", "organized_crime", "both"]].tolist() == [2, 1, 1, 0]
    assert lines.loc["b", "events"] == 0
    assert lines.loc["a", "length_km"] == pytest.approx(GEOD.inv(8.0, 14.0, 8.0, 18.0)[2] / 1000.0, rel=0.002)
    units = build_corridor_unit_layer(con, state, distance_m=50_000)
    assert units["events"].sum() == 3 and units.crs == "EPSG:4326"
    assert all(r == ["a"] for r in units["corridors"])
    from ingest.cells import h3_cells
    assert set(units["unit_id"]) == {str(c) for c in h3_cells(np.array([r["lat"] for r in rows]),
                                                              np.array([r["lon"] for r in rows]), 4)}
