"""Change vs baseline: the most recent period against the mean of the earlier ones, per unit and per
region (and per country), in the bands of ACLED's Trendfinder (see docs/methodology.md).

change % = (last - baseline) / baseline x 100, baseline = mean of the earlier complete periods.
  change > +25 %          large_increase
  +10 % < change <= +25 % moderate_increase
  -25 % <= change <= +10 % limited_change   (the band is asymmetric: there is no "moderate decrease")
  change < -25 %          large_decrease
  baseline 0, last > 0    new_activity      (no baseline to compare with)
  baseline 0, last 0      no_events
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

import queries
from atlas.filters import FilterState
from layers.hotspots import VARIABLES, variable_values
from layers.neighbours import AnalysisInputError
from layers.study_area import check_period, period_bounds

LARGE_INCREASE_PCT = 25.0
MODERATE_INCREASE_PCT = 10.0
LARGE_DECREASE_PCT = -25.0
CHANGE_CLASSES = ("large_increase", "moderate_increase", "limited_change", "large_decrease",
                  "new_activity", "no_events")
DEFAULT_MIN_PERIODS = 2


def change_class(last, baseline) -> np.ndarray:
    """Class of each (last, baseline) pair, with the thresholds above."""
    last = np.asarray(last, dtype="float64")
    baseline = np.asarray(baseline, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(baseline > 0, (last - baseline) / baseline * 100.0, np.nan)
    out = np.full(len(last), "limited_change", dtype=object)
    out[pct > LARGE_INCREASE_PCT] = "large_increase"
    out[(pct > MODERATE_INCREASE_PCT) & (pct <= LARGE_INCREASE_PCT)] = "moderate_increase"
    out[pct < LARGE_DECREASE_PCT] = "large_decrease"
    out[(baseline <= 0) & (last > 0)] = "new_activity"
    out[(baseline <= 0) & (last <= 0)] = "no_events"
    return out


def change_vs_baseline(series) -> pd.DataFrame:
    """For a (rows x periods) array, oldest period first: baseline (mean of all but the last),
    last, change_pct (NaN without a baseline) and change_class."""
    x = np.atleast_2d(np.asarray(series, dtype="float64"))
    if x.shape[1] < 2:
        raise AnalysisInputError("change vs baseline needs at least 2 complete periods; widen the date range "
                                 "or use quarters")
    baseline = x[:, :-1].mean(axis=1)
    last = x[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(baseline > 0, (last - baseline) / baseline * 100.0, np.nan)
    return pd.DataFrame({"baseline": baseline, "last": last, "change_pct": pct,
                         "change_class": change_class(last, baseline)})


def build_change_layer(con, state: FilterState, *, variable: str = "events", period: str = "year",
                       min_periods: int = DEFAULT_MIN_PERIODS) -> gpd.GeoDataFrame:
    """Change of the last rolling period against the mean of the earlier complete ones, per unit with
    at least one event in those periods.

    Columns: unit_id, baseline (mean per period), last, change_pct, change_class (see CHANGE_CLASSES;
    colours and words in layers/legends.py under 'change'), periods (how many periods were compared),
    geometry (EPSG:4326). ``attrs``: layer='change', variable, period, last_period and baseline_period
    (start, end) dates.
    """
    from layers.study_area import load_cube, unit_id_column

    if variable not in VARIABLES:
        raise AnalysisInputError(f"variable must be one of {', '.join(VARIABLES)}, not {variable!r}")
    if period not in ("year", "quarter"):
        raise AnalysisInputError(f"change compares years or quarters, not {period!r}")
    cube = load_cube(con, state, period=period, k=0, margin=0, min_periods=max(2, min_periods))
    steps = cube.counts["events"].shape[1]
    y = np.column_stack([variable_values(pd.DataFrame({c: cube.counts[c][:, t] for c in cube.counts}), variable)
                         for t in range(steps)])
    active = y.sum(axis=1) > 0
    out = change_vs_baseline(y[active])
    out.insert(0, "unit_id", unit_id_column(cube)[active])
    out["periods"] = steps
    layer = gpd.GeoDataFrame(out, geometry=cube.geometry(cube.ids[active]).to_numpy(), crs="EPSG:4326")
    p = cube.periods
    layer.attrs = {"layer": "change", "variable": variable, "period": period,
                   "last_period": (str(p["period_start"].iloc[-1]), str(p["period_end"].iloc[-1])),
                   "baseline_period": (str(p["period_start"].iloc[0]), str(p["period_end"].iloc[-2]))}
    return layer


def change_by_region(con, state: FilterState, *, variable: str = "events", period: str = "year",
                     min_periods: int = DEFAULT_MIN_PERIODS) -> pd.DataFrame:
    """Change vs baseline for the whole region (first row, area='region') and each of its countries.

    Columns: area ('region' | 'country'), code (region id or ISO3), baseline, last, change_pct,
    change_class, periods.
    """
    if variable not in VARIABLES:
        raise AnalysisInputError(f"variable must be one of {', '.join(VARIABLES)}, not {variable!r}")
    months = check_period(period)
    if period == "all":
        raise AnalysisInputError("change compares years or quarters, not 'all'")
    rows = queries.run(con, "country_period_counts", {**state.to_params(), "period_months": months})
    if rows.empty:
        raise AnalysisInputError("no events match the filters; widen the date range, the region or the crime types")
    periods = period_bounds(rows["window_start"].iloc[0], rows["window_end"].iloc[0], period=period)
    if len(periods) < max(2, min_periods):
        raise AnalysisInputError(f"change vs baseline needs at least {max(2, min_periods)} complete {period} "
                                 f"periods; widen the date range")
    rows = rows.assign(value=variable_values(rows, variable))
    table = (rows.pivot_table(index="country_iso3", columns="period_index", values="value", aggfunc="sum")
             .reindex(columns=periods["period_index"]).fillna(0.0))
    region = change_vs_baseline(table.sum(axis=0).to_numpy()[None, :])
    countries = change_vs_baseline(table.to_numpy())
    region.insert(0, "code", state.region)
    region.insert(0, "area", "region")
    countries.insert(0, "code", table.index.to_numpy())
    countries.insert(0, "area", "country")
    out = pd.concat([region, countries], ignore_index=True)
    out["periods"] = len(periods)
    return out
