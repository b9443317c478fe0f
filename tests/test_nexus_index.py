"""Nexus index: high only where terrorism meets crime or a corridor; parameters and decay behave."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from atlas.filters import FilterState
from layers.nexus_index import NexusParams, build_nexus_layer, index_class, log_normalise, nexus_scores
from tests.analysis_fixtures import events_frame, memory_store


@pytest.mark.parametrize("terrorism, crime, corridor, expected_zero", [
    (5, 0, 0, True),     # terrorism alone
    (0, 5, 100, True),   # crime and corridor, no terrorism
    (5, 5, 0, False),
    (5, 0, 100, False),  # terrorism on a corridor
])
def test_index_needs_both_sides(terrorism, crime, corridor, expected_zero):
    scores = nexus_scores([terrorism, 10], [crime, 10], [corridor, 200])
    assert (scores["nexus_index"].iloc[0] == 0) == expected_zero


def test_terrorism_only_scores_below_terrorism_with_crime_and_corridor():
    scores = nexus_scores([8, 8, 1], [0, 6, 1], [0, 50, 0])
    assert scores["nexus_index"].iloc[0] < scores["nexus_index"].iloc[1]
    assert scores["nexus_index"].iloc[1] == pytest.approx(100.0 * (1.0 ** 0.5) * ((0.3 + 0.2) / 0.5) ** 0.5)


def test_worked_example_of_the_methodology():
    # docs/methodology.md, "Nexus index", worked example
    scores = nexus_scores([3, 15, 7], [1, 0, 15], [40, 0, 120])
    np.testing.assert_allclose(scores["terrorism_score"], [0.5, 1.0, np.log(8) / np.log(16)])
    np.testing.assert_allclose(scores["nexus_index"].round(1), [47.9, 0.0, 86.6])


def test_log_normalise():
    np.testing.assert_allclose(log_normalise([0, 3, 15]), [0, 0.5, 1.0])
    np.testing.assert_array_equal(log_normalise([0, 0]), [0, 0])


@pytest.mark.parametrize("index, expected", [(0, "none"), (10, "low"), (25, "low"), (40, "medium"),
                                             (60, "high"), (75.0, "high"), (99, "very_high"), (100, "very_high")])
def test_index_classes(index, expected):
    assert index_class([index])[0] == expected


@pytest.mark.parametrize("changes, message", [
    ({"terrorism_weight": 0}, "terrorism_weight must be above 0"),
    ({"crime_weight": 0, "corridor_weight": 0}, "set at least one"),
    ({"half_life_years": -1}, ">= 0"),
    ({"corridor_buffer_m": 10_000_000}, "between 0 and"),
])
def test_bad_parameters_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        NexusParams(**changes)


def _store():
    # unit A (16N 8E): terrorism only; unit B (18N 10E): terrorism + crime on a corridor; unit C: crime only
    rows = []
    for i in range(6):
        rows.append({"lat": 16.0, "lon": 8.0, "event_date": f"2024-0{i + 1}-10", "nexus_category": "terrorism"})
        rows.append({"lat": 18.0, "lon": 10.0, "event_date": f"2024-0{i + 1}-10", "nexus_category": "terrorism"})
        rows.append({"lat": 18.0, "lon": 10.0, "event_date": f"2024-0{i + 1}-12", "nexus_category": "organized_crime"})
        rows.append({"lat": 14.0, "lon": 4.0, "event_date": f"2024-0{i + 1}-12", "nexus_category": "organized_crime"})
    rows.append({"lat": 14.0, "lon": 4.0, "event_date": "2019-01-01", "nexus_category": "terrorism"})
    route = {"route_id": "r", "confidence": "high", "geometry": shapely.LineString([(9.5, 17.0), (10.5, 19.0)])}
    return memory_store(events_frame(rows), routes=[route])


def test_layer_ranks_the_co_occurrence_first():
    layer = build_nexus_layer(_store(), FilterState(region="sahel", resolution=4))
    assert layer.crs == "EPSG:4326"
    from ingest.cells import h3_cells
    a, b, c = h3_cells(np.array([16.0, 18.0, 14.0]), np.array([8.0, 10.0, 4.0]), 4)
    by_unit = layer.set_index("unit_id")
    assert by_unit.loc[a, "nexus_index"] == 0
    assert by_unit.loc[b, "nexus_index"] == 100
    assert by_unit.loc[b, "corridors"] == ["r"] and by_unit.loc[b, "corridor_km"] > 0
    assert 0 < by_unit.loc[c, "nexus_index"] < by_unit.loc[b, "nexus_index"]
    assert layer.attrs["params"] == NexusParams().as_dict()


def test_decay_halves_weight_every_half_life():
    con = _store()
    state = FilterState(region="sahel", resolution=4)
    no_decay = build_nexus_layer(con, state, params=NexusParams(half_life_years=0)).set_index("unit_id")
    decayed = build_nexus_layer(con, state, params=NexusParams(half_life_years=1)).set_index("unit_id")
    from ingest.cells import h3_cells
    c = h3_cells(np.array([14.0]), np.array([4.0]), 4)[0]
    assert no_decay.loc[c, "terrorism_activity"] == 1.0
    # the 2019-01-01 event is (2024-06-12 - 2019-01-01) days old at the window end
    age_years = (pd.Timestamp("2024-06-12") - pd.Timestamp("2019-01-01")).days / 365.25
    assert decayed.loc[c, "terrorism_activity"] == pytest.approx(0.5 ** age_years)


def test_per_year_rows():
    layer = build_nexus_layer(_store(), FilterState(region="sahel", resolution=4, date_from="2019-06-13",
                                                    date_to="2024-06-12"), period="year")
    assert sorted(layer["period_index"].unique()) == [0, 1, 2, 3, 4]
