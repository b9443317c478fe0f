"""Map figures travel as plain dicts: pre-serialised GeoJSON and typed arrays survive Dash's encoder."""
from __future__ import annotations

import json

import numpy as np
import pytest
from dash._utils import to_json

from ui.payload import RawJSON, materialise, to_go, typed, untyped


@pytest.mark.parametrize("values, dtype", [
    ([0.5, 1.25, 3.0], "float32"),
    ([[1, 2], [3, 4], [5, 6]], "float32"),   # customdata: shape travels with it
    ([7, 8, 9], "int32"),
])
def test_typed_arrays_round_trip(values, dtype):
    spec = typed(values, dtype)
    assert "bdata" in spec and ("shape" in spec) == (np.ndim(values) == 2)
    np.testing.assert_array_equal(untyped(spec), np.asarray(values, dtype=dtype))


def test_counts_stay_exact_in_float32_hover_data():
    counts = np.array([0, 1, 16_777_215, 123_456], dtype="int64")
    assert untyped(typed(counts)).astype("int64").tolist() == counts.tolist()


def test_raw_geojson_is_embedded_as_is_by_dashs_encoder():
    geo = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "1", "geometry": {
        "type": "Polygon", "coordinates": [np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])]}}]}
    figure = {"data": [{"type": "choroplethmap", "geojson": RawJSON(geo), "locations": ["1"], "z": typed([2.0])}],
              "layout": {}}
    sent = json.loads(to_json({"response": {"map": {"figure": figure}}}))
    trace = sent["response"]["map"]["figure"]["data"][0]
    assert trace["geojson"]["features"][0]["geometry"]["coordinates"] == [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]
    assert materialise(figure)["data"][0]["geojson"] == trace["geojson"]
    assert to_go(figure).data[0].locations == ("1",)
