"""Emerging hot spots: Gi* in each time step of a space-time cube, a Mann-Kendall trend test on
each unit's Gi* z series, and the ArcGIS Pro pattern classes (new, consecutive, intensifying,
persistent, diminishing, sporadic, oscillating, historical; their cold mirrors; no pattern).

docs/methodology.md ("Emerging hot spots") states the definitions exactly as coded here.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from atlas.filters import FilterState
from layers.hotspots import (DEFAULT_PERMUTATIONS, DEFAULT_SEED, INFERENCES, VARIABLES, benjamini_hochberg,
                             hot_spots, variable_values)
from layers.neighbours import AnalysisInputError, Neighbours

GLOBAL_WINDOWS = ("cube", "step")
DEFAULT_SIGNIFICANCE = 0.05      # a bin counts as a hot / cold spot when its p <= this
DEFAULT_TREND_SIGNIFICANCE = 0.05
DEFAULT_MIN_STEPS = 4            # fewer steps cannot give a Mann-Kendall p below 0.05
PERSISTENCE_SHARE = 0.9          # "90 percent of the time-step intervals"

PATTERNS = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
            "oscillating", "historical")
CLASSES = tuple(f"{p}_hot" for p in PATTERNS) + tuple(f"{p}_cold" for p in PATTERNS) + ("no_pattern",)


# --- Mann-Kendall ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MannKendall:
    s: np.ndarray      # S = sum_{i<j} sign(x_j - x_i)
    var: np.ndarray    # Var(S) with the tie correction
    z: np.ndarray      # (S - sign(S)) / sqrt(Var(S)), 0 when S = 0
    p: np.ndarray      # two-sided normal p of z
    tau: np.ndarray    # Kendall's tau-a = S / (T (T - 1) / 2)


def mann_kendall(series) -> MannKendall:
    """Mann-Kendall trend test on each row of a (units x steps) array, vectorised."""
    x = np.atleast_2d(np.asarray(series, dtype="float64"))
    t = x.shape[1]
    if t < 3:
        raise AnalysisInputError(f"a Mann-Kendall trend needs at least 3 time steps, got {t}")
    i, j = np.triu_indices(t, k=1)
    s = np.sign(x[:, j] - x[:, i]).sum(axis=1)
    # ties: each group of t_g equal values removes t_g (t_g - 1) (2 t_g + 5); summed per element below
    same = (np.abs(x[:, :, None] - x[:, None, :]) < 1e-12).sum(axis=2)  # size of each element's tie group
    tie_term = ((same - 1) * (2 * same + 5)).sum(axis=1)
    var = (t * (t - 1) * (2 * t + 5) - tie_term) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (s - np.sign(s)) / np.sqrt(var), 0.0)
    p = 2.0 * stats.norm.sf(np.abs(z))
    return MannKendall(s=s, var=var, z=z, p=p, tau=s / (t * (t - 1) / 2.0))


# --- Gi* on the cube ------------------------------------------------------------------------------

def space_time_weights(neighbours: Neighbours, steps: int, *, time_lag: int = 0) -> sp.csr_matrix:
    """Gi* weights on the cube flattened step by step (index = t * n + i): a unit's spatial
    neighbourhood (itself included) in the same step and in the ``time_lag`` previous steps."""
    w = neighbours.with_self()
    blocks = sp.kron(sp.identity(steps, format="csr"), w, format="csr")
    for lag in range(1, time_lag + 1):
        shift = sp.eye(steps, steps, k=-lag, format="csr")  # row t picks column t - lag
        blocks = blocks + sp.kron(shift, w, format="csr")
    return blocks.tocsr()


def cube_gi_star(values, neighbours: Neighbours, *, time_lag: int = 0, global_window: str = "cube",
                 inference: str = "analytic", permutations: int = DEFAULT_PERMUTATIONS,
                 seed: int | None = DEFAULT_SEED, fdr: bool = False):
    """Gi* for every (unit, step) bin of a (units x steps) array.

    global_window='cube' (ArcGIS's default "entire cube"): the mean and variance are those of all
    bins, so a region that heats up over time shows rising z. 'step': each step against its own
    mean, which shows only where a step is hot relative to that step (time_lag must then be 0).
    Returns (z, p, direction) arrays of shape (units, steps); p is after FDR when fdr=True.
    """
    y = np.asarray(values, dtype="float64")
    n, steps = y.shape
    if n != neighbours.n:
        raise AnalysisInputError(f"{n} rows of values for {neighbours.n} units; order rows as Neighbours.ids")
    if global_window not in GLOBAL_WINDOWS:
        raise AnalysisInputError(f"global_window must be one of {', '.join(GLOBAL_WINDOWS)}, not {global_window!r}")
    if inference not in INFERENCES:
        raise AnalysisInputError(f"inference must be one of {', '.join(INFERENCES)}, not {inference!r}")
    if time_lag < 0 or int(time_lag) != time_lag:
        raise AnalysisInputError(f"time_lag must be 0, 1, 2 ... previous steps, not {time_lag!r}")
    if global_window == "step" and time_lag:
        raise AnalysisInputError("time_lag needs global_window='cube' (a step-by-step window has no earlier steps)")
    options = dict(inference=inference, permutations=permutations, seed=seed)
    if global_window == "cube":
        w = space_time_weights(neighbours, steps, time_lag=time_lag)
        r = hot_spots(y.T.ravel(), w, fdr=fdr, **options)
        shape = (steps, n)
        return r.z.reshape(shape).T, r.p.reshape(shape).T, r.direction.reshape(shape).T
    z, p, direction = np.zeros((n, steps)), np.ones((n, steps)), np.zeros((n, steps))
    for t in range(steps):
        r = hot_spots(y[:, t], neighbours, **options)
        z[:, t], p[:, t], direction[:, t] = r.z, r.p, r.direction
    if fdr:  # one correction over all bins, as with the whole cube
        p = benjamini_hochberg(p.ravel()).reshape(p.shape)
    return z, p, direction


# --- Pattern classes ------------------------------------------------------------------------------

def _final_run(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True values that ends at the last step, per row."""
    steps = flags.shape[1]
    rev = flags[:, ::-1]
    first_false = np.where(~rev.any(axis=1) | rev.all(axis=1), 0, np.argmin(rev, axis=1))
    return np.where(rev.all(axis=1), steps, np.where(rev[:, 0], first_false, 0))


def classify_patterns(hot, cold, trend_tau, trend_p, *, trend_significance: float = DEFAULT_TREND_SIGNIFICANCE,
                      share: float = PERSISTENCE_SHARE) -> np.ndarray:
    """Pattern class per unit from boolean (units x steps) arrays of significant hot and cold bins
    and the Mann-Kendall tau and p of each unit's z series. Rules in docs/methodology.md."""
    hot = np.asarray(hot, dtype=bool)
    cold = np.asarray(cold, dtype=bool)
    n, steps = hot.shape
    out = np.full(n, "no_pattern", dtype=object)
    trend_tau = np.asarray(trend_tau, dtype="float64")
    trend_p = np.asarray(trend_p, dtype="float64")
    significant_trend = trend_p <= trend_significance

    for side, this, other, rising in (("hot", hot, cold, trend_tau > 0), ("cold", cold, hot, trend_tau < 0)):
        last = this[:, -1]
        any_sig_before = (this[:, :-1] | other[:, :-1]).any(axis=1)
        frac = this.sum(axis=1) / steps
        mostly = frac >= share
        run = _final_run(this)
        before = np.arange(steps)[None, :] < (steps - run)[:, None]
        before_run = ((this | other) & before).any(axis=1)
        rules = [
            ("new", last & ~any_sig_before),
            ("consecutive", last & (run >= 2) & ~before_run & ~mostly),
            ("intensifying", last & mostly & significant_trend & rising),
            ("persistent", last & mostly & ~significant_trend),
            ("diminishing", last & mostly & significant_trend & ~rising),
            ("sporadic", last & ~mostly & ~other.any(axis=1)),
            ("oscillating", last & ~mostly & other[:, :-1].any(axis=1)),
            ("historical", ~last & ~other[:, -1] & mostly),
        ]
        for name, mask in rules:
            take = mask & (out == "no_pattern")
            out[take] = f"{name}_{side}"
    return out


@dataclass(frozen=True)
class EmergingResult:
    z: np.ndarray        # (units, steps) Gi* z
    p: np.ndarray        # (units, steps) p used for significance
    hot: np.ndarray      # (units, steps) bool
    cold: np.ndarray     # (units, steps) bool
    trend: MannKendall
    classes: np.ndarray  # (units,) class names


def emerging_hot_spots(values, neighbours: Neighbours, *, time_lag: int = 0, global_window: str = "cube",
                       inference: str = "analytic", permutations: int = DEFAULT_PERMUTATIONS,
                       seed: int | None = DEFAULT_SEED, fdr: bool = False,
                       significance: float = DEFAULT_SIGNIFICANCE,
                       trend_significance: float = DEFAULT_TREND_SIGNIFICANCE) -> EmergingResult:
    """Emerging hot spot analysis of a (units x steps) array of counts, oldest step first."""
    y = np.asarray(values, dtype="float64")
    if y.ndim != 2 or y.shape[1] < 3:
        raise AnalysisInputError("emerging hot spots need a (units x steps) array with at least 3 steps; "
                                 "widen the date range or use quarters")
    z, p, direction = cube_gi_star(y, neighbours, time_lag=time_lag, global_window=global_window,
                                      inference=inference, permutations=permutations, seed=seed, fdr=fdr)
    significant = p <= significance
    hot = significant & (direction > 0)
    cold = significant & (direction < 0)
    trend = mann_kendall(z)
    classes = classify_patterns(hot, cold, trend.tau, trend.p, trend_significance=trend_significance)
    return EmergingResult(z=z, p=p, hot=hot, cold=cold, trend=trend, classes=classes)


def build_emerging_layer(con, state: FilterState, *, variable: str = "events", period: str = "year",
                         k: int = 1, margin: int | None = None, time_lag: int = 0,
                         global_window: str = "cube", inference: str = "analytic",
                         permutations: int = DEFAULT_PERMUTATIONS, seed: int | None = DEFAULT_SEED,
                         fdr: bool = False, significance: float = DEFAULT_SIGNIFICANCE,
                         trend_significance: float = DEFAULT_TREND_SIGNIFICANCE,
                         min_steps: int = DEFAULT_MIN_STEPS) -> gpd.GeoDataFrame:
    """Emerging hot spot classes per unit over rolling years (or quarters) of the filter window.

    One row per study-area unit. Columns: unit_id, emerging_class (one of CLASSES; colours and words in
    layers/legends.py under 'emerging'), trend_tau, trend_z, trend_p (Mann-Kendall on the Gi* z
    series), hot_steps, cold_steps (significant bins), last_gi_z, last_p, total (the analysed count over
    all steps), gi_z_series (list of z per step, oldest first), geometry (EPSG:4326).
    ``attrs``: layer='emerging', the parameters, and 'steps' (period_start / period_end per step).
    """
    from layers.study_area import load_cube, unit_id_column

    if variable not in VARIABLES:
        raise AnalysisInputError(f"variable must be one of {', '.join(VARIABLES)}, not {variable!r}")
    if period not in ("year", "quarter"):
        raise AnalysisInputError(f"emerging hot spots step by 'year' or 'quarter', not {period!r}")
    cube = load_cube(con, state, period=period, k=k, margin=margin, min_periods=min_steps)
    steps = cube.counts["events"].shape[1]
    y = np.column_stack([variable_values(pd.DataFrame({c: cube.counts[c][:, t] for c in cube.counts}), variable)
                         for t in range(steps)])
    result = emerging_hot_spots(y, cube.neighbours, time_lag=time_lag, global_window=global_window,
                                inference=inference, permutations=permutations, seed=seed, fdr=fdr,
                                significance=significance, trend_significance=trend_significance)
    out = pd.DataFrame({
        "unit_id": unit_id_column(cube), "emerging_class": result.classes,
        "trend_tau": result.trend.tau, "trend_z": result.trend.z, "trend_p": result.trend.p,
        "hot_steps": result.hot.sum(axis=1), "cold_steps": result.cold.sum(axis=1),
        "last_gi_z": result.z[:, -1], "last_p": result.p[:, -1], "total": y.sum(axis=1),
        "gi_z_series": np.round(result.z, 4).tolist(),
    })
    layer = gpd.GeoDataFrame(out, geometry=cube.geometry().to_numpy(), crs="EPSG:4326")
    layer.attrs = {"layer": "emerging", "variable": variable, "period": period, "k": k, "time_lag": time_lag,
                   "global_window": global_window, "inference": inference, "fdr": fdr,
                   "significance": significance, "trend_significance": trend_significance,
                   "steps": [(str(a), str(b)) for a, b in zip(cube.periods["period_start"], cube.periods["period_end"])]}
    return layer
