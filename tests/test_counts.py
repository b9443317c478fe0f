"""Level of detail: the map counts at a coarser H3 resolution when the asked one fills too many cells."""
from __future__ import annotations

import pytest

import queries
from atlas.filters import FilterState
from layers.counts import parent_cell_count
from ui import analysis


@pytest.fixture
def con(built_cursor):
    return built_cursor


def _cells(con, state: FilterState, resolution: int) -> int:
    return len(queries.run(con, "unit_counts", {**state.to_params(), "unit": "h3", "resolution": resolution}))


@pytest.mark.parametrize("fine, coarse", [(6, 5), (6, 3), (5, 4), (4, 3)])
def test_parent_count_estimates_the_cells_at_the_coarser_resolution(con, fine, coarse):
    state = FilterState()
    fine_ids = queries.run(con, "unit_counts", {**state.to_params(), "unit": "h3", "resolution": fine})["unit_id"]
    estimate, exact = parent_cell_count(fine_ids, coarse), _cells(con, state, coarse)
    # an event's stored coarse cell is not always its fine cell's parent: close, not equal
    assert 0.6 * exact <= estimate <= exact * 1.05


@pytest.mark.parametrize("cap, resolution, expected", [
    (10**6, 6, 6),      # fits: no change
    (200, 6, 3),        # far too many: down to r3
    (0, 4, 3),          # never below r3
])
def test_level_of_detail_picks_a_coarser_resolution_with_exact_counts(con, monkeypatch, cap, resolution, expected):
    monkeypatch.setattr(analysis, "MAX_MAP_CELLS", cap)
    state = FilterState(resolution=resolution)
    shown, counts, asked = analysis.lod_counts(con, state)
    assert shown == expected and asked == _cells(con, state, resolution)
    direct = queries.run(con, "unit_counts", {**state.to_params(), "unit": "h3", "resolution": shown})
    assert counts.equals(direct)   # the counts drawn are the query's at the shown resolution, not sums


@pytest.mark.parametrize("query", ["", "?region=sahel&resolution=6", "?region=horn&crime_types=kidnapping_for_ransom"])
def test_analyses_choose_the_same_level_from_cells_alone(con, query):
    state = FilterState.from_query(query)
    with_counts, without = analysis.lod_counts(con, state), analysis.lod_counts(con, state, need_counts=False)
    assert with_counts[0] == without[0] and with_counts[2] == without[2]
