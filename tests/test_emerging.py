"""Emerging hot spots: Mann-Kendall on known series, pattern rules on hand-made histories, planted trends."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from atlas.filters import FilterState
from layers.emerging import (CLASSES, build_emerging_layer, classify_patterns, emerging_hot_spots,
                             mann_kendall, space_time_weights)
from layers.hotspots import gi_star_z
from tests.analysis_fixtures import events_frame, hex_grid, memory_store, scattered_events

STEPS = 10
SEEDS = range(20)


@pytest.mark.parametrize("series, s, var, p", [
    ([1, 2, 3, 4, 5], 10, 50 / 3, 0.0275),       # strictly rising, no ties
    ([5, 4, 3, 2, 1], -10, 50 / 3, 0.0275),
    ([1, 1, 2, 2, 3], 8, (5 * 4 * 15 - 2 * (2 * 1 * 9)) / 18, None),  # two tie groups of 2: t(t-1)(2t+5) each
    ([3, 3, 3, 3], 0, 0, 1.0),
])
def test_mann_kendall(series, s, var, p):
    mk = mann_kendall([series])
    assert mk.s[0] == s
    assert mk.var[0] == pytest.approx(var)
    if p is not None:
        assert mk.p[0] == pytest.approx(p, abs=5e-4)


H, C, _ = "H", "C", "."


@pytest.mark.parametrize("history, tau, trend_p, expected", [
    ("........H", 0.3, 0.2, "new_hot"),
    ("......HHH", 0.5, 0.01, "consecutive_hot"),
    ("..C...HHH", 0.5, 0.01, "oscillating_hot"),      # a cold spot before the run: not consecutive
    ("HHHHHHHHHH", 0.6, 0.01, "intensifying_hot"),
    ("HHHHHHHHHH", 0.1, 0.60, "persistent_hot"),
    ("HHHHHHHHHH", -0.6, 0.01, "diminishing_hot"),
    (".HHHHHHHHH", 0.6, 0.01, "intensifying_hot"),    # 90 % of steps, final included
    ("HHHHHHHHH.", 0.0, 0.90, "historical_hot"),
    ("H..H.H..HH", 0.2, 0.30, "sporadic_hot"),
    ("H..C.H...H", 0.2, 0.30, "oscillating_hot"),
    ("........C", -0.3, 0.2, "new_cold"),
    ("CCCCCCCCCC", -0.6, 0.01, "intensifying_cold"),
    ("CCCCCCCCCC", 0.6, 0.01, "diminishing_cold"),
    ("CCCCCCCCC.", 0.0, 0.90, "historical_cold"),
    ("C...C..C.C", 0.0, 0.90, "sporadic_cold"),
    ("H..H.H..H.", 0.0, 0.90, "no_pattern"),
    ("..........", 0.0, 1.00, "no_pattern"),
])
def test_pattern_rules(history, tau, trend_p, expected):
    hot = np.array([[c == H for c in history]])
    cold = np.array([[c == C for c in history]])
    assert classify_patterns(hot, cold, [tau], [trend_p])[0] == expected


def _planted(kind: str, seed: int) -> str:
    nb, centre, cluster = hex_grid(radius=10)
    rng = np.random.default_rng(seed)
    y = rng.poisson(2.0, (nb.n, STEPS)).astype(float)
    if kind == "rising":
        y[cluster] = rng.poisson(4.0 + 1.5 * np.arange(STEPS), (len(cluster), STEPS))
    elif kind == "flat":
        y[cluster] = rng.poisson(8.0, (len(cluster), STEPS))
    elif kind == "appearing":
        y[cluster, -1] = rng.poisson(12.0, len(cluster))
    r = emerging_hot_spots(y, nb)
    return r.classes[np.searchsorted(nb.ids, centre)]


def test_a_rising_cluster_is_intensifying_or_new():
    classes = Counter(_planted("rising", s) for s in SEEDS)
    assert classes["intensifying_hot"] + classes["new_hot"] >= 0.9 * len(SEEDS), classes


def test_a_flat_cluster_is_not_intensifying_or_new():
    classes = Counter(_planted("flat", s) for s in SEEDS)
    # the trend test runs at 5 %: a flat series may show a "trend" by chance, rarely
    assert classes["intensifying_hot"] + classes["new_hot"] <= 0.1 * len(SEEDS), classes
    assert classes["persistent_hot"] >= 0.8 * len(SEEDS), classes


def test_a_cluster_appearing_in_the_last_step_is_a_hot_spot_now():
    classes = Counter(_planted("appearing", s) for s in SEEDS)
    assert sum(v for k, v in classes.items() if k in ("new_hot", "sporadic_hot", "oscillating_hot")) == len(SEEDS)
    assert classes["new_hot"] >= 0.4 * len(SEEDS), classes


def test_cube_weights_without_lag_are_per_step_neighbourhoods():
    nb, _, _ = hex_grid(radius=4)
    y = np.random.default_rng(0).poisson(2.0, (nb.n, 3)).astype(float)
    w = space_time_weights(nb, 3)
    assert w.shape == (3 * nb.n, 3 * nb.n)
    # same-step blocks only: the weights of step 2 are the spatial weights
    assert (w[2 * nb.n:, :2 * nb.n].nnz, (w[2 * nb.n:, 2 * nb.n:] != nb.with_self()).nnz) == (0, 0)
    lagged = space_time_weights(nb, 3, time_lag=1)
    assert lagged[2 * nb.n:, nb.n:2 * nb.n].nnz == nb.with_self().nnz
    # with one step per cube the cube Gi* is the plain Gi*
    r = emerging_hot_spots(np.repeat(y[:, :1], 3, axis=1), nb, global_window="step")
    np.testing.assert_allclose(r.z[:, 0], gi_star_z(y[:, 0], nb))


def test_too_few_steps_is_refused():
    nb, _, _ = hex_grid(radius=3)
    with pytest.raises(ValueError, match="at least 3 steps"):
        emerging_hot_spots(np.ones((nb.n, 2)), nb)


def test_layer_on_a_store():
    rng = np.random.default_rng(2)
    rows = scattered_events(rng, 300, spread_deg=1.0)
    for year in range(2015, 2025):  # a cluster growing every year
        rows += scattered_events(rng, 3 * (year - 2013), years=(year, year), spread_deg=0.02)
    con = memory_store(events_frame(rows))
    layer = build_emerging_layer(con, FilterState(region="sahel", resolution=5, date_from="2015-01-01",
                                                  date_to="2024-12-31"))
    assert layer.crs == "EPSG:4326"
    assert set(layer["emerging_class"]) <= set(CLASSES)
    assert len(layer.attrs["steps"]) == 10
    from ingest.cells import h3_cells
    from tests.analysis_fixtures import CENTRE_LAT, CENTRE_LON
    centre = h3_cells(np.array([CENTRE_LAT]), np.array([CENTRE_LON]), 5)[0]
    assert layer.loc[layer["unit_id"] == centre, "emerging_class"].item() in ("intensifying_hot", "consecutive_hot")
    with pytest.raises(ValueError, match="complete year periods"):
        build_emerging_layer(con, FilterState(region="sahel", date_from="2023-01-01", date_to="2024-12-31"))
