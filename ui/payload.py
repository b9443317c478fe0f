"""How map figures travel to the browser: plain dicts, typed arrays and pre-serialised GeoJSON.

A plotly graph object deep-copies every trace when it is added and again when it is serialised, and
plotly's JSON step walks every nested list; for a map of 8,000 cells that was 0.4 s of a 0.55 s
response (benchmarks/results.md). So the page's map figure is a plain dict whose cell outlines are
one orjson-serialised blob (RawJSON) and whose numbers are plotly.js typed arrays (base64): Dash
embeds both as they are. Exports and tests turn it back into a go.Figure with ``to_go``.
"""
from __future__ import annotations

import base64

import numpy as np
import orjson
import plotly.graph_objects as go
import plotly.io as pio

# Dash serialises callback results with plotly's encoder; only its orjson engine embeds RawJSON as is.
pio.json.config.default_engine = "orjson"

_DTYPES = {"float32": "f4", "float64": "f8", "int32": "i4", "int16": "i2", "uint32": "u4", "int8": "i1"}


class RawJSON:
    """A JSON value serialised once; plotly's encoder (orjson engine) writes it without walking it."""

    __slots__ = ("data",)

    def __init__(self, value) -> None:
        self.data = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)

    def to_plotly_json(self):  # called by plotly.io.json.clean_to_json_compatible
        return orjson.Fragment(self.data)

    def value(self):
        return orjson.loads(self.data)

    def __len__(self) -> int:
        return len(self.data)


def typed(values, dtype: str = "float32") -> dict:
    """A plotly.js typed array (https://plotly.com/javascript/reference/: 'dtype' + base64 'bdata');
    2-D arrays (customdata) carry their shape. A quarter of the bytes of the same numbers as JSON text."""
    arr = np.ascontiguousarray(np.asarray(values, dtype=dtype))
    spec = {"dtype": _DTYPES[str(arr.dtype)], "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}
    if arr.ndim > 1:
        spec["shape"] = ",".join(str(n) for n in arr.shape)
    return spec


def untyped(value):
    """The numbers behind a typed array (or the value itself): for tests and exports."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = {v: k for k, v in _DTYPES.items()}[value["dtype"]]
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr
    return value


def materialise(value):
    """A copy of a figure dict with every RawJSON parsed back (typed arrays stay: plotly.py reads them)."""
    if isinstance(value, RawJSON):
        return value.value()
    if isinstance(value, dict):
        return {k: materialise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialise(v) for v in value]
    return value


def to_go(figure: dict) -> go.Figure:
    """The page's figure dict as a plotly graph object (for image export and for tests)."""
    return go.Figure(materialise(figure))
