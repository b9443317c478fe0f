"""The study area and the space-time cube every analysis layer starts from.

Study area (the units that take part, including those without events, which matter for Gi*):
- H3 / PRIO-GRID: every unit within ``margin`` rings (default = the neighbourhood size k) of a unit
  holding at least one filtered event anywhere in the window. So every event unit has its whole
  neighbourhood in the analysis, and the area is the same for every period of a cube.
- admin: every polygon of the chosen boundary set (its finest level) in the region's countries.

Periods roll back from the window end E (the filter's end date, or the store's last event when the
filter leaves the end open; likewise the start): period p = 0 is the most recent 12 months ('year')
or 3 months ('quarter'). Only periods lying wholly inside the window are kept, so a half-covered
first year cannot fake a trend.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import queries
from atlas.filters import FilterState
from layers.neighbours import (AnalysisInputError, Neighbours, h3_neighbours, h3_study_area,
                               polygon_neighbours, priogrid_neighbours, priogrid_study_area)
from layers.units import h3_polygons, priogrid_polygons

PERIOD_MONTHS = {"year": 12, "quarter": 3, "all": 12_000}  # "all": one period spanning any window
COUNT_COLUMNS = ("events", "terrorism", "organized_crime", "both", "other", "fatalities",
                 "terrorism_activity", "crime_activity")


def check_period(period: str) -> int:
    """Length of a period in months."""
    if period not in PERIOD_MONTHS:
        raise AnalysisInputError(f"period must be one of {', '.join(PERIOD_MONTHS)}, not {period!r}")
    return PERIOD_MONTHS[period]


def period_bounds(window_start: date, window_end: date, *, period: str) -> pd.DataFrame:
    """Complete rolling periods of the window, oldest first.

    Period p covers the days after E - (p + 1) L months up to E - p L months (L = 12 for a year, 3 for a
    quarter; month ends clamp as in DuckDB: 29 Feb - 12 months = 28 Feb), the same rule
    queries/unit_period_counts.sql uses. Columns: period_index, period_start, period_end.
    """
    months = check_period(period)
    start, end = pd.Timestamp(window_start), pd.Timestamp(window_end)
    if end < start:
        raise AnalysisInputError(f"the window ends ({end.date()}) before it starts ({start.date()}); "
                                 f"check the date filter")
    if period == "all":
        return pd.DataFrame({"period_index": [0], "period_start": [start.date()], "period_end": [end.date()]})
    rows = []
    p = 0
    while True:
        p_end = end - pd.DateOffset(months=p * months)
        p_start = end - pd.DateOffset(months=(p + 1) * months) + pd.Timedelta(days=1)
        if p_start < start:
            break
        rows.append((p, p_start.date(), p_end.date()))
        p += 1
    return pd.DataFrame(rows[::-1], columns=["period_index", "period_start", "period_end"])


@dataclass(frozen=True)
class UnitCube:
    """Counts per unit (rows, in ``neighbours.ids`` order) and complete period (columns, oldest first)."""

    kind: str                    # 'h3' | 'priogrid' | 'admin'
    neighbours: Neighbours
    periods: pd.DataFrame        # period_index, period_start, period_end (oldest first)
    counts: dict                 # column name -> ndarray (n_units, n_periods)
    window_start: date
    window_end: date
    polygons: gpd.GeoSeries | None = field(default=None, compare=False)  # admin units only

    @property
    def ids(self) -> np.ndarray:
        return self.neighbours.ids

    def total(self, column: str) -> np.ndarray:
        return self.counts[column].sum(axis=1)

    def geometry(self, ids=None) -> gpd.GeoSeries:
        """Polygons (EPSG:4326) of the given unit ids (default: all units of the cube)."""
        ids = self.ids if ids is None else np.asarray(ids)
        if self.kind == "h3":
            geoms = h3_polygons(np.asarray(ids, dtype="uint64"))
        elif self.kind == "priogrid":
            geoms = priogrid_polygons(ids)
        else:
            geoms = self.polygons.reindex(pd.Index(ids)).to_numpy()
        return gpd.GeoSeries(geoms, crs="EPSG:4326")


def unit_kind(state: FilterState) -> str:
    if state.unit == "admin":
        if not state.boundary_set:
            raise AnalysisInputError("admin units need an imported boundary set: choose one in the unit menu "
                                     "or import boundaries first ('nexus-atlas import-boundaries --help')")
        return "admin"
    return "priogrid" if state.unit == "priogrid" else "h3"


def load_period_counts(con, state: FilterState, *, period: str, half_life_years: float = 0.0) -> pd.DataFrame:
    """Rows of queries/unit_period_counts.sql (or admin_period_counts.sql) for the state."""
    params = {**state.to_params(), "period_months": check_period(period),
              "half_life_years": float(half_life_years)}
    if unit_kind(state) == "admin":
        return queries.run(con, "admin_period_counts", {**params, "boundary_set": state.boundary_set})
    return queries.run(con, "unit_period_counts", {**params, "unit": unit_kind(state),
                                                   "resolution": state.resolution})


def load_admin_polygons(con, state: FilterState) -> gpd.GeoSeries:
    frame = queries.run(con, "admin_unit_polygons", {"boundary_set": state.boundary_set,
                                                     "countries": list(state.countries)})
    if frame.empty:
        raise AnalysisInputError(f"the boundary set '{state.boundary_set}' has no polygons in this region; "
                                 f"import boundaries for it or choose H3 / PRIO-GRID units")
    geoms = shapely.from_wkb(frame["geometry_wkb"].map(bytes).to_numpy())
    return gpd.GeoSeries(geoms, index=pd.Index(frame["unit_code"].astype(str)), crs="EPSG:4326")


def load_cube(con, state: FilterState, *, period: str = "year", k: int = 1, margin: int | None = None,
              half_life_years: float = 0.0, min_periods: int = 1) -> UnitCube:
    """Build the space-time cube of the filtered events on the state's units.

    ``k``: neighbourhood size (H3 rings, PRIO-GRID queen rings, polygon contiguity order);
    ``margin``: rings added around event units to form the study area (default k).
    """
    margin = k if margin is None else margin
    kind = unit_kind(state)
    rows = load_period_counts(con, state, period=period, half_life_years=half_life_years)
    if rows.empty:
        raise AnalysisInputError("no events match the filters; widen the date range, the region or the "
                                 "crime types")
    window_start = pd.Timestamp(rows["window_start"].iloc[0]).date()
    window_end = pd.Timestamp(rows["window_end"].iloc[0]).date()
    periods = period_bounds(window_start, window_end, period=period)
    if len(periods) < min_periods:
        raise AnalysisInputError(
            f"this analysis needs at least {min_periods} complete {period} periods, but the window "
            f"{window_start} .. {window_end} holds {len(periods)}; widen the date range"
            + (" or use quarters" if period == "year" else ""))
    rows = rows[rows["period_index"].isin(periods["period_index"])]

    polygons = None
    if kind == "h3":
        event_units = rows["unit_id"].to_numpy(dtype="uint64")
        neighbours = h3_neighbours(h3_study_area(event_units, margin=margin), k=k)
    elif kind == "priogrid":
        event_units = rows["unit_id"].to_numpy(dtype="int64")
        neighbours = priogrid_neighbours(priogrid_study_area(event_units, margin=margin), k=k)
    else:
        polygons = load_admin_polygons(con, state)
        rows = rows[rows["unit_id"].astype(str).isin(polygons.index)]
        neighbours = polygon_neighbours(polygons.to_numpy(), polygons.index.to_numpy(), order=k)

    ids = neighbours.ids
    if kind == "admin":
        row_pos = pd.Index(ids).get_indexer(rows["unit_id"].astype(str))
    else:
        row_pos = np.searchsorted(ids, rows["unit_id"].to_numpy(dtype=ids.dtype))
    col_of = {p: j for j, p in enumerate(periods["period_index"])}
    col_pos = rows["period_index"].map(col_of).to_numpy()
    counts = {}
    for column in COUNT_COLUMNS:
        cube = np.zeros((len(ids), len(periods)), dtype="float64")
        np.add.at(cube, (row_pos, col_pos), rows[column].to_numpy(dtype="float64"))
        counts[column] = cube
    return UnitCube(kind=kind, neighbours=neighbours, periods=periods.reset_index(drop=True), counts=counts,
                    window_start=window_start, window_end=window_end, polygons=polygons)


def unit_id_column(cube: UnitCube) -> np.ndarray:
    """Unit ids as the layers publish them: uint64 for H3, int for PRIO-GRID, text for admin units."""
    if cube.kind == "h3":
        return cube.ids.astype("uint64")
    if cube.kind == "priogrid":
        return cube.ids.astype("int64")
    return cube.ids.astype(str)
