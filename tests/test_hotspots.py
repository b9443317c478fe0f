"""Gi* hot spots: agreement with esda, detection of a planted cluster, calibration under randomness."""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from atlas.filters import FilterState
from layers.hotspots import benjamini_hochberg, build_hotspot_layer, confidence_bins, gi_star_z, hot_spots
from layers.neighbours import (AnalysisInputError, h3_neighbours, h3_study_area, polygon_neighbours,
                               priogrid_neighbours, priogrid_study_area)
from tests.analysis_fixtures import (CENTRE_LAT, CENTRE_LON, events_frame, hex_grid, memory_store,
                                     scattered_events)

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

SEEDS = range(50)


def _esda_z(y, neighbours):
    w = libpysal.weights.W(neighbours.to_dict(), id_order=neighbours.ids.tolist(), silence_warnings=True)
    return esda.G_Local(y, w, star=True, transform="B", permutations=0).Zs


@pytest.mark.parametrize("k", [1, 2])
def test_z_equals_esda_on_h3_k_ring(k):
    nb, _, _ = hex_grid(radius=8)
    nb = h3_neighbours(nb.ids, k=k)
    y = np.random.default_rng(k).poisson(2.0, nb.n).astype(float)
    np.testing.assert_allclose(gi_star_z(y, nb), _esda_z(y, nb), atol=1e-6)


def test_z_equals_esda_on_polygon_queen():
    # an irregular patchwork: a 7 x 6 grid of boxes with jittered inner vertices shared exactly
    rng = np.random.default_rng(3)
    xs = np.arange(8) + np.r_[0, rng.uniform(-0.2, 0.2, 6), 0]
    ys = np.arange(7) * 1.0
    polys, ids = [], []
    for i in range(7):
        for j in range(6):
            polys.append(shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]))
            ids.append(f"u{i}_{j}")
    nb = polygon_neighbours(polys, ids)
    import geopandas as gpd
    queen = libpysal.weights.Queen.from_dataframe(gpd.GeoDataFrame({"id": ids}, geometry=polys), ids="id",
                                                  use_index=False, silence_warnings=True)
    assert {k: sorted(v) for k, v in nb.to_dict().items()} == {k: sorted(v) for k, v in queen.neighbors.items()}
    y = rng.poisson(3.0, len(ids)).astype(float)
    np.testing.assert_allclose(gi_star_z(y, nb), _esda_z(y, nb), atol=1e-6)


def test_z_equals_esda_on_priogrid_queen():
    gids = priogrid_study_area([129961], margin=5)
    nb = priogrid_neighbours(gids)
    assert np.bincount(nb.cardinality).nonzero()[0].tolist() == [3, 5, 8]  # corners, edges, inside
    y = np.random.default_rng(5).poisson(1.5, nb.n).astype(float)
    np.testing.assert_allclose(gi_star_z(y, nb), _esda_z(y, nb), atol=1e-6)


def test_planted_cluster_is_a_95_percent_hot_spot_in_at_least_90_percent_of_runs():
    nb, centre, cluster = hex_grid(radius=12)
    centre_pos = int(np.searchsorted(nb.ids, centre))
    detected = 0
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        y = rng.poisson(2.0, nb.n).astype(float)
        y[cluster] = rng.poisson(5.0, len(cluster))
        r = hot_spots(y, nb, permutations=999, seed=seed)
        detected += r.gi_bin[centre_pos] >= 2
    assert detected >= 0.9 * len(SEEDS)


@pytest.mark.parametrize("inference", ["permutation", "analytic"])
def test_randomness_with_fdr_flags_no_more_than_the_nominal_rate(inference):
    nb, _, _ = hex_grid(radius=12)
    shares = []
    for seed in SEEDS:
        y = np.random.default_rng(1000 + seed).poisson(2.0, nb.n).astype(float)
        r = hot_spots(y, nb, inference=inference, permutations=199, seed=seed, fdr=True)
        shares.append(np.mean(np.abs(r.gi_bin) >= 2))
    assert np.mean(shares) <= 0.05


def test_randomness_without_fdr_stays_near_the_nominal_rate():
    # the uncorrected permutation test is conservative with ties (counts), never wildly liberal
    nb, _, _ = hex_grid(radius=12)
    shares = [np.mean(np.abs(hot_spots(np.random.default_rng(s).poisson(2.0, nb.n).astype(float), nb,
                                       permutations=199, seed=s).gi_bin) >= 2) for s in range(10)]
    assert 0.005 <= np.mean(shares) <= 0.06


def test_permutations_are_seeded():
    nb, _, _ = hex_grid(radius=6)
    y = np.random.default_rng(1).poisson(2.0, nb.n).astype(float)
    a, b = hot_spots(y, nb, seed=7), hot_spots(y, nb, seed=7)
    np.testing.assert_array_equal(a.p_sim, b.p_sim)


@pytest.mark.parametrize("p, expected", [
    ([0.01, 0.02, 0.03, 0.04, 0.05], [0.05, 0.05, 0.05, 0.05, 0.05]),
    ([0.001, 0.5, 0.02], [0.003, 0.5, 0.03]),
    ([0.9], [0.9]),
])
def test_benjamini_hochberg(p, expected):
    np.testing.assert_allclose(benjamini_hochberg(p), expected)


@pytest.mark.parametrize("direction, p, expected", [
    (1, 0.005, 3), (1, 0.01, 3), (1, 0.02, 2), (1, 0.08, 1), (1, 0.2, 0),
    (-1, 0.005, -3), (-1, 0.04, -2), (-1, 0.1, -1), (-1, 0.11, 0),
])
def test_confidence_bins(direction, p, expected):
    assert confidence_bins([direction], [p])[0] == expected


@pytest.mark.parametrize("kwargs, message", [
    ({"inference": "bayes"}, "inference must be one of"),
    ({"permutations": 0}, "permutations must be at least 1"),
])
def test_bad_options_say_how_to_fix_them(kwargs, message):
    nb, _, _ = hex_grid(radius=3)
    with pytest.raises(ValueError, match=message):
        hot_spots(np.ones(nb.n), nb, **kwargs)


def test_values_must_match_units():
    nb, _, _ = hex_grid(radius=3)
    with pytest.raises(AnalysisInputError, match="one value per unit"):
        gi_star_z(np.ones(nb.n - 1), nb)


def test_study_area_grows_event_cells_by_the_margin():
    nb, centre, _ = hex_grid(radius=0)
    assert len(h3_study_area([centre], margin=2)) == 19
    assert len(priogrid_study_area([129961], margin=1)) == 9


def test_layer_finds_the_cluster_and_keeps_empty_units():
    rng = np.random.default_rng(11)
    rows = scattered_events(rng, 400, spread_deg=1.5) + scattered_events(rng, 150, spread_deg=0.03)
    con = memory_store(events_frame(rows))
    layer = build_hotspot_layer(con, FilterState(region="sahel", resolution=5), permutations=199)
    assert layer.crs == "EPSG:4326"
    assert {"unit_id", "value", "gi_z", "p_value", "gi_bin", "hotspot_class", "geometry"} <= set(layer.columns)
    assert (layer["value"] == 0).any()  # cells without events are part of the analysis
    from ingest.cells import h3_cells
    centre = h3_cells(np.array([CENTRE_LAT]), np.array([CENTRE_LON]), 5)[0]
    assert layer.loc[layer["unit_id"] == centre, "hotspot_class"].item() == "hot_99"
    assert layer["value"].sum() == 550


def test_layer_on_imported_admin_polygons():
    # a 6 x 6 patchwork of boxes in Niger as an imported boundary set; events only in the corner box
    boxes = {f"a{i}{j}": shapely.box(4 + i, 14 + j, 5 + i, 15 + j) for i in range(6) for j in range(6)}
    rng = np.random.default_rng(4)
    rows, units = [], []
    for code, box in boxes.items():
        n = 12 if code in ("a00", "a01", "a10", "a11") else int(rng.poisson(1.0))
        for _ in range(n):
            x, y = box.centroid.x, box.centroid.y
            rows.append({"lat": y, "lon": x, "event_date": "2020-01-01"})
            units.append((f"test:{len(rows) - 1}", "toy", code))
    con = memory_store(events_frame(rows),
                       boundaries=[{"boundary_set": "toy", "unit_code": c, "geometry": g} for c, g in boxes.items()],
                       event_units=units)
    layer = build_hotspot_layer(con, FilterState(region="sahel", unit="admin", boundary_set="toy"),
                                inference="analytic")
    assert len(layer) == 36 and layer.crs == "EPSG:4326"
    by_code = layer.set_index("unit_id")
    assert by_code.loc["a00", "gi_bin"] >= 2
    assert by_code.loc["a55", "gi_bin"] <= 0
    with pytest.raises(ValueError, match="boundary set"):
        build_hotspot_layer(con, FilterState(region="sahel", unit="admin"))


def _tails_by_gathering(y, w, permutations=199, seed=7):
    """The plain definition: gather every unit's random neighbourhood (the unit itself skipped)."""
    from layers.hotspots import _distinct_draws
    n = w.shape[0]
    rng = np.random.default_rng(seed)
    observed = w @ y
    card = np.diff(w.indptr) - 1
    draws = _distinct_draws(rng, n - 1, permutations, int(card.max()))
    upper, lower = np.zeros(n, dtype="int64"), np.zeros(n, dtype="int64")
    for u in range(n):
        r = draws[:, :card[u]]
        sims = y[r + (r >= u)].sum(axis=1) + y[u]
        upper[u], lower[u] = (sims >= observed[u] - 1e-9).sum(), (sims <= observed[u] + 1e-9).sum()
    return upper, lower


@pytest.mark.parametrize("shape", ["lattice", "random"])   # few degrees (suffix sums) / many (gathering)
def test_permutation_counts_equal_the_plain_definition(shape):
    import scipy.sparse as sp

    from layers.hotspots import permutation_tails
    rng = np.random.default_rng(3)
    if shape == "lattice":
        m = 12
        grid = np.arange(m * m).reshape(m, m)
        pairs = [(grid[i, j], grid[a, b]) for i in range(m) for j in range(m)
                 for a in range(max(0, i - 1), min(m, i + 2)) for b in range(max(0, j - 1), min(m, j + 2))]
        rows, cols = zip(*pairs)
        w = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(m * m, m * m))
    else:
        a = sp.random(150, 150, density=0.04, random_state=4, format="csr")
        a = ((a + a.T) > 0).astype(float).tolil()
        a.setdiag(1)
        w = sp.csr_matrix(a)
    y = rng.poisson(2.0, w.shape[0]).astype(float)
    got = permutation_tails(y, w, permutations=199, seed=7)
    expected = _tails_by_gathering(y, w)
    assert (got[0] == expected[0]).all() and (got[1] == expected[1]).all()
