"""Getis-Ord Gi* hot and cold spots (Ord & Getis 1995) with binary weights, permutation p-values
and an optional Benjamini-Hochberg false discovery rate correction.

Pure statistics first (arrays in, arrays out), then `build_hotspot_layer`, which runs them on the
store for a FilterState. docs/methodology.md states every formula and default used here.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from atlas.filters import FilterState
from layers.neighbours import AnalysisInputError, Neighbours

# Confidence bins as ArcGIS's Gi_Bin: |bin| 3, 2, 1 = 99, 95, 90 % confidence (two-sided p).
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
CLASS_NAMES = {3: "hot_99", 2: "hot_95", 1: "hot_90", 0: "not_significant",
               -1: "cold_90", -2: "cold_95", -3: "cold_99"}
INFERENCES = ("permutation", "analytic")
VARIABLES = ("events", "terrorism", "organized_crime", "nexus", "fatalities")

DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345
DEFAULT_K = 1
# Elements of one (units x permutations x neighbours) block; bounds memory at ~64 MB of int64.
_BLOCK = 8_000_000


def variable_values(frame: pd.DataFrame, variable: str) -> np.ndarray:
    """The analysed count per unit: all events, terrorism activity (terrorism + both), organized-crime
    activity (organized_crime + both), nexus events (both) or fatalities."""
    if variable not in VARIABLES:
        raise AnalysisInputError(f"variable must be one of {', '.join(VARIABLES)}, not {variable!r}")
    if variable == "terrorism":
        values = frame["terrorism"] + frame["both"]
    elif variable == "organized_crime":
        values = frame["organized_crime"] + frame["both"]
    elif variable == "nexus":
        values = frame["both"]
    else:
        values = frame[variable]
    return values.to_numpy(dtype="float64")


def _weights(neighbours: Neighbours | sp.spmatrix) -> sp.csr_matrix:
    if isinstance(neighbours, Neighbours):
        return neighbours.with_self()
    w = sp.csr_matrix(neighbours, dtype="float64")
    if (w.diagonal() != 1).any():
        raise AnalysisInputError("Gi* weights must include each unit itself (w_ii = 1); pass a Neighbours "
                                 "value or add sp.identity(n) to the matrix")
    return w


def _check_values(y, n: int) -> np.ndarray:
    y = np.asarray(y, dtype="float64")
    if y.shape != (n,):
        raise AnalysisInputError(f"{y.shape[0] if y.ndim else 0} values for {n} units; give one value per "
                                 f"unit in the order of Neighbours.ids (0 where a unit has no events)")
    if not np.isfinite(y).all():
        raise AnalysisInputError("values contain NaN or infinity; use 0 for units without events")
    return y


def gi_star_z(y, neighbours: Neighbours | sp.spmatrix) -> np.ndarray:
    """Analytic Gi* z-scores with binary weights that include the unit itself.

    z_i = (sum_j w_ij x_j - xbar W_i) / (s sqrt((n W_i - W_i^2) / (n - 1))), W_i = sum_j w_ij,
    xbar and s the mean and population standard deviation of all n values. Where s = 0 (all
    values equal) or W_i = n there is nothing to test and z is 0.
    """
    w = _weights(neighbours)
    n = w.shape[0]
    y = _check_values(y, n)
    if n < 3:
        raise AnalysisInputError(f"Gi* needs at least 3 units, got {n}; widen the region or the date range")
    lag = w @ y
    wi = np.asarray(w.sum(axis=1)).ravel()
    mean = y.mean()
    s = np.sqrt(max((y ** 2).mean() - mean ** 2, 0.0))
    denom = s * np.sqrt(np.maximum(n * wi - wi ** 2, 0.0) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denom > 0, (lag - mean * wi) / denom, 0.0)
    return z


def _distinct_draws(rng: np.random.Generator, population: int, rows: int, size: int) -> np.ndarray:
    """``rows`` samples of ``size`` distinct integers from range(population)."""
    if size == 0:
        return np.zeros((rows, 0), dtype="int64")
    if population < 4 * size:  # small populations: shuffle whole rows
        return rng.permuted(np.tile(np.arange(population), (rows, 1)), axis=1)[:, :size]
    draws = rng.integers(0, population, size=(rows, size))
    while True:  # redraw the rare rows holding a repeat
        srt = np.sort(draws, axis=1)
        bad = (srt[:, 1:] == srt[:, :-1]).any(axis=1)
        if not bad.any():
            return draws
        draws[bad] = rng.integers(0, population, size=(int(bad.sum()), size))


def permutation_tails(y, neighbours: Neighbours | sp.spmatrix, *, permutations: int = DEFAULT_PERMUTATIONS,
                      seed: int | None = DEFAULT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Conditional permutation counts: for each unit, how many of ``permutations`` random
    neighbourhoods reach at least (``upper``) and at most (``lower``) its observed Gi* sum.

    Each random neighbourhood keeps the unit's own value and draws its k_i neighbours' values without
    replacement from the other n - 1 units (Anselin 1995; esda's conditional randomisation). As in
    esda, one set of draws is shared by all units, which keeps the work vectorised.
    """
    w = _weights(neighbours)
    n = w.shape[0]
    y = _check_values(y, n)
    if permutations < 1:
        raise AnalysisInputError("permutations must be at least 1 (999 is the usual choice)")
    rng = np.random.default_rng(seed)
    observed = w @ y
    card = np.diff(w.indptr) - 1
    kmax = int(card.max()) if n else 0
    draws = _distinct_draws(rng, n - 1, permutations, min(kmax, n - 1))
    upper = np.zeros(n, dtype="int64")
    lower = np.zeros(n, dtype="int64")
    for k in np.unique(card):
        units = np.flatnonzero(card == k)
        if k == 0:  # an island: its sum never changes, nothing to test
            upper[units] = lower[units] = permutations
            continue
        r = draws[:, :k]
        if len(units) * k >= n:
            # Many units of this degree: a draw r stands for unit r, or r + 1 from the unit itself on (it is
            # skipped), so unit u's random neighbourhood sums to
            #   sum_j y[r_j] + sum_{j: r_j >= u} (y[r_j + 1] - y[r_j]),
            # and the second sum, for every u at once, is a suffix sum over a permutations x units matrix.
            low, high = y[r], y[r + 1]
            shift = np.zeros((permutations, n))
            np.put_along_axis(shift, r, high - low, axis=1)  # draws are distinct within a row
            suffix = np.cumsum(shift[:, ::-1], axis=1)[:, ::-1]
            base = low.sum(axis=1)

            def simulated(u):
                return base[None, :] + suffix[:, u].T + y[u][:, None]
            step = max(1, _BLOCK // permutations)
        else:  # a few units: gather their neighbourhoods directly
            def simulated(u):
                idx = r[None, :, :] + (r[None, :, :] >= u[:, None, None])  # skip the unit itself
                return y[idx].sum(axis=2) + y[u][:, None]
            step = max(1, _BLOCK // (permutations * k))
        for start in range(0, len(units), step):
            u = units[start:start + step]
            sims = simulated(u)
            upper[u] = (sims >= observed[u, None] - 1e-9).sum(axis=1)
            lower[u] = (sims <= observed[u, None] + 1e-9).sum(axis=1)
    return upper, lower


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values): q_(i) = min_{j >= i} p_(j) n / j, at most 1.
    A unit with q <= alpha is significant at false discovery rate alpha."""
    p = np.asarray(p, dtype="float64")
    n = len(p)
    if n == 0:
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * n / np.arange(1, n + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def confidence_bins(direction, p) -> np.ndarray:
    """Gi_Bin: +/-3 where p <= 0.01, +/-2 where p <= 0.05, +/-1 where p <= 0.10, else 0; sign = direction."""
    direction = np.sign(np.asarray(direction, dtype="float64"))
    p = np.asarray(p, dtype="float64")
    level = np.zeros(len(p), dtype="int64")
    for value, alpha in reversed(CONFIDENCE_LEVELS):
        level[p <= alpha] = value
    return (level * direction).astype("int64")


@dataclass(frozen=True)
class HotspotResult:
    """Per-unit Gi* results in the order of the input units."""

    z: np.ndarray           # analytic Gi* z-score
    p_analytic: np.ndarray  # two-sided normal p of z
    p_sim: np.ndarray       # two-sided pseudo p from permutations (NaN when not run)
    p: np.ndarray           # the p used for the classes (after FDR when on)
    gi_bin: np.ndarray      # -3 .. 3
    direction: np.ndarray   # +1 high values cluster, -1 low values cluster (0: undecided)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"gi_z": self.z, "p_analytic": self.p_analytic, "p_sim": self.p_sim,
                             "p_value": self.p, "gi_bin": self.gi_bin,
                             "hotspot_class": [CLASS_NAMES[b] for b in self.gi_bin]})


def hot_spots(y, neighbours: Neighbours | sp.spmatrix, *, inference: str = "permutation",
              permutations: int = DEFAULT_PERMUTATIONS, seed: int | None = DEFAULT_SEED,
              fdr: bool = False) -> HotspotResult:
    """Gi* z-scores, p-values and confidence bins for one set of values.

    inference='permutation' (default) classes units by the two-sided pseudo p-value
    p = min(1, 2 (min(upper, lower) + 1) / (permutations + 1)) with the direction of the smaller
    tail; 'analytic' by p = 2 (1 - Phi(|z|)) with the sign of z. fdr=True replaces p by its
    Benjamini-Hochberg q-value before binning. Note: with permutations the smallest reachable p is
    2 / (permutations + 1), so with FDR over many units more permutations (or 'analytic') are needed.
    """
    if inference not in INFERENCES:
        raise AnalysisInputError(f"inference must be one of {', '.join(INFERENCES)}, not {inference!r}")
    z = gi_star_z(y, neighbours)
    p_analytic = 2.0 * stats.norm.sf(np.abs(z))
    if inference == "permutation":
        upper, lower = permutation_tails(y, neighbours, permutations=permutations, seed=seed)
        p_sim = np.minimum(1.0, 2.0 * (np.minimum(upper, lower) + 1) / (permutations + 1))
        direction = np.where(upper < lower, 1.0, np.where(lower < upper, -1.0, np.sign(z)))
        p = p_sim
    else:
        p_sim = np.full(len(z), np.nan)
        direction = np.sign(z)
        p = p_analytic
    if fdr:
        p = benjamini_hochberg(p)
    return HotspotResult(z=z, p_analytic=p_analytic, p_sim=p_sim, p=p, gi_bin=confidence_bins(direction, p),
                         direction=direction)


def build_hotspot_layer(con, state: FilterState, *, variable: str = "events", k: int = DEFAULT_K,
                        margin: int | None = None, inference: str = "permutation",
                        permutations: int = DEFAULT_PERMUTATIONS, seed: int | None = DEFAULT_SEED,
                        fdr: bool = False) -> gpd.GeoDataFrame:
    """Gi* hot and cold spots of the filtered events over the whole filter window.

    One row per unit of the study area (units with no events included, see layers/study_area.py).
    Columns: unit_id (uint64 H3 id | int PRIO-GRID gid | str admin unit_code), value (the analysed
    count), gi_z (analytic z), p_analytic, p_sim (NaN when inference='analytic'), p_value (used for the
    classes; the BH q-value when fdr=True), gi_bin (-3..3), hotspot_class (hot_99 .. cold_99,
    not_significant; colours and words in layers/legends.py under 'hotspots'), geometry (EPSG:4326).
    ``attrs``: layer='hotspots' and the parameters used.
    """
    from layers.study_area import load_cube, unit_id_column

    if variable not in VARIABLES:
        raise AnalysisInputError(f"variable must be one of {', '.join(VARIABLES)}, not {variable!r}")
    cube = load_cube(con, state, period="all", k=k, margin=margin)
    frame = pd.DataFrame({c: cube.total(c) for c in ("events", "terrorism", "organized_crime", "both",
                                                      "fatalities")})
    y = variable_values(frame, variable)
    result = hot_spots(y, cube.neighbours, inference=inference, permutations=permutations, seed=seed, fdr=fdr)
    out = pd.concat([pd.DataFrame({"unit_id": unit_id_column(cube), "value": y}), result.frame()], axis=1)
    layer = gpd.GeoDataFrame(out, geometry=cube.geometry().to_numpy(), crs="EPSG:4326")
    layer.attrs = {"layer": "hotspots", "variable": variable, "k": k, "inference": inference,
                   "permutations": permutations if inference == "permutation" else 0, "seed": seed,
                   "fdr": fdr, "window_start": str(cube.window_start), "window_end": str(cube.window_end)}
    return layer
