"""Nexus index: where terrorism activity meets organized-crime activity or a trafficking corridor.

Per unit (and per period), three components:
  T = terrorism activity  = time-decayed count of terrorism + both events
  C = crime activity      = time-decayed count of organized_crime + both events
  R = corridor exposure   = sum over corridors of confidence weight x km of corridor within
                            ``corridor_buffer_m`` metres of the unit
each normalised to 0..1 by n(x) = log(1 + x) / log(1 + max x) over all rows of the layer, and combined
as a weighted geometric mean of the terrorism side and the crime side:
  S = (w_c n(C) + w_r n(R)) / (w_c + w_r)
  nexus_index = 100 x n(T) ^ (w_t / (w_t + w_c + w_r)) x S ^ ((w_c + w_r) / (w_t + w_c + w_r))
so the index is 0 wherever there is no terrorism, or neither crime nor corridor, and high only where
both sides are high. docs/methodology.md has a worked example.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.filters import FilterState
from layers.corridors import check_distance, corridor_length_near_units, load_corridor_lines
from layers.neighbours import AnalysisInputError

PERIODS = ("all", "year", "quarter")
# Upper bounds of the index classes the map colours (0 exactly is 'none').
INDEX_CLASSES = ((25.0, "low"), (50.0, "medium"), (75.0, "high"), (100.0, "very_high"))


@dataclass(frozen=True)
class NexusParams:
    """Parameters of the nexus index; the UI may change any of them."""

    terrorism_weight: float = 0.5    # w_t: exponent share of the terrorism side
    crime_weight: float = 0.3        # w_c: weight of organized-crime activity in the crime side
    corridor_weight: float = 0.2     # w_r: weight of corridor exposure in the crime side
    half_life_years: float = 2.0     # events weigh 0.5 ^ (age / half-life); 0 = no decay
    corridor_buffer_m: float = 25_000.0  # corridor counted within this many metres of a unit
    confidence_high: float = 1.0     # corridor confidence weights
    confidence_medium: float = 0.6
    confidence_low: float = 0.3

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if not np.isfinite(value) or value < 0:
                raise AnalysisInputError(f"nexus parameter {f.name} must be a number >= 0, not {value!r}")
        if self.terrorism_weight <= 0:
            raise AnalysisInputError("terrorism_weight must be above 0: without it the index is not a nexus measure")
        if self.crime_weight + self.corridor_weight <= 0:
            raise AnalysisInputError("crime_weight + corridor_weight must be above 0; set at least one of them")
        check_distance(self.corridor_buffer_m, "corridor_buffer_m")

    @property
    def confidence_weights(self) -> dict:
        return {"high": self.confidence_high, "medium": self.confidence_medium, "low": self.confidence_low}

    def as_dict(self) -> dict:
        return asdict(self)


def log_normalise(x) -> np.ndarray:
    """n(x) = log(1 + x) / log(1 + max x): 0..1, tames the heavy tail of event counts; all-zero -> 0."""
    x = np.asarray(x, dtype="float64")
    if (x < 0).any():
        raise AnalysisInputError("activity and exposure cannot be negative")
    top = x.max() if len(x) else 0.0
    return np.log1p(x) / np.log1p(top) if top > 0 else np.zeros_like(x)


def nexus_scores(terrorism_activity, crime_activity, corridor_exposure, *,
                 params: NexusParams = NexusParams()) -> pd.DataFrame:
    """Normalised components and the index (0..100) for aligned arrays of T, C and R."""
    t = log_normalise(terrorism_activity)
    c = log_normalise(crime_activity)
    r = log_normalise(corridor_exposure)
    if not (len(t) == len(c) == len(r)):
        raise AnalysisInputError("terrorism, crime and corridor arrays must have one value per unit each")
    wt, wc, wr = params.terrorism_weight, params.crime_weight, params.corridor_weight
    crime_side = (wc * c + wr * r) / (wc + wr)
    a = wt / (wt + wc + wr)
    index = 100.0 * np.power(t, a) * np.power(crime_side, 1.0 - a)
    return pd.DataFrame({"terrorism_score": t, "crime_score": c, "corridor_score": r,
                         "crime_side": crime_side, "nexus_index": index})


def index_class(index) -> np.ndarray:
    """'none' for 0, then low (<= 25), medium (<= 50), high (<= 75), very_high (<= 100)."""
    index = np.asarray(index, dtype="float64")
    out = np.full(len(index), "none", dtype=object)
    lower = 0.0
    for upper, name in INDEX_CLASSES:
        out[(index > lower) & (index <= upper + 1e-9)] = name
        lower = upper
    return out


def build_nexus_layer(con, state: FilterState, *, params: NexusParams = NexusParams(),
                      period: str = "all") -> gpd.GeoDataFrame:
    """Nexus index per unit holding at least one filtered event (and per period when period is
    'year' or 'quarter'; rolling periods counted back from the window end, see layers/study_area.py).

    Columns: unit_id, period_index (0 = most recent), period_start, period_end, terrorism_activity,
    crime_activity (decayed counts), corridor_km, corridor_exposure (confidence-weighted km),
    corridors (route ids), terrorism_score, crime_score, corridor_score, crime_side (0..1),
    nexus_index (0..100), nexus_class (none | low | medium | high | very_high; colours and words in
    layers/legends.py under 'nexus_index'), geometry (EPSG:4326). Scores are relative to the rows of
    this layer (the current filters). ``attrs``: layer='nexus_index', params, period.
    """
    from layers.study_area import load_cube, unit_id_column

    if period not in PERIODS:
        raise AnalysisInputError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    cube = load_cube(con, state, period=period, k=0, margin=0, half_life_years=params.half_life_years)
    active = cube.total("events") > 0
    ids = unit_id_column(cube)[active]
    geoms = cube.geometry(cube.ids[active]).to_numpy()
    corridors = load_corridor_lines(con)
    if corridors.empty:
        exposure = pd.DataFrame({"corridor_km": np.zeros(len(ids)), "corridor_exposure": np.zeros(len(ids)),
                                 "corridors": [[] for _ in ids]})
    else:
        exposure = corridor_length_near_units(corridors, geoms, buffer_m=params.corridor_buffer_m,
                                              confidence_weights=params.confidence_weights)
    steps = len(cube.periods)
    frame = pd.DataFrame({
        "unit_id": np.repeat(ids, steps),
        "period_index": np.tile(cube.periods["period_index"].to_numpy(), len(ids)),
        "period_start": np.tile(cube.periods["period_start"].to_numpy(), len(ids)),
        "period_end": np.tile(cube.periods["period_end"].to_numpy(), len(ids)),
        "terrorism_activity": cube.counts["terrorism_activity"][active].ravel(),
        "crime_activity": cube.counts["crime_activity"][active].ravel(),
    })
    for column in ("corridor_km", "corridor_exposure", "corridors"):
        frame[column] = np.repeat(exposure[column].to_numpy(), steps) if column != "corridors" else \
            [routes for routes in exposure[column] for _ in range(steps)]
    scores = nexus_scores(frame["terrorism_activity"], frame["crime_activity"], frame["corridor_exposure"],
                          params=params)
    frame = pd.concat([frame, scores], axis=1)
    frame["nexus_class"] = index_class(frame["nexus_index"])
    layer = gpd.GeoDataFrame(frame, geometry=np.repeat(geoms, steps), crs="EPSG:4326")
    layer.attrs = {"layer": "nexus_index", "period": period, "params": params.as_dict(),
                   "window_start": str(cube.window_start), "window_end": str(cube.window_end)}
    return layer
