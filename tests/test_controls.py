"""Callback logic as plain functions: controls <-> ViewState <-> URL."""
from __future__ import annotations

from datetime import date

import pytest

from ui.controls import controls_from_state, state_from_controls
from ui.state import DEFAULT_LAYERS, ViewState

EXTENT = (2012, 2024)
DEFAULT_CONTROLS = dict(region="all", crime_types=[], years=[0, 155], actors=[], sources=[], min_fatalities=0,
                        precision=4, unit="h3", resolution=4, layers=list(DEFAULT_LAYERS), lang="en")


@pytest.mark.parametrize("changes, query", [
    ({}, ""),
    ({"region": "sahel"}, "?region=sahel"),
    ({"crime_types": ["piracy"]}, "?crime_types=piracy"),
    ({"years": [36, 155]}, "?date_from=2015-01-01"),
    ({"years": [36, 83]}, "?date_from=2015-01-01&date_to=2018-12-31"),
    ({"years": [37, 38]}, "?date_from=2015-02-01&date_to=2015-03-31"),
    ({"lang": "fr"}, "?lang=fr"),
    ({"layers": ["counts"]}, "?layers=counts"),
    ({"unit": "priogrid", "min_fatalities": 5}, "?min_fatalities=5&unit=priogrid"),
])
def test_controls_to_url(changes, query):
    state = state_from_controls(**{**DEFAULT_CONTROLS, **changes}, extent_years=EXTENT)
    assert state.to_query() == query


@pytest.mark.parametrize("query", ["", "?region=horn&crime_types=flora_crimes&lang=fr",
                                   "?date_from=2016-01-01&date_to=2019-12-31&layers=corridors,counts",
                                   "?crime_types=piracy&crime_types=armed_attack&actors=A%2C+B&actors=C"])
def test_url_to_controls_and_back(query):
    state = ViewState.from_query(query)
    controls = controls_from_state(state, EXTENT)
    assert state_from_controls(**controls, extent_years=EXTENT) == state


def test_years_outside_the_data_clamp_to_the_slider():
    state = ViewState.from_query("?date_from=1990-01-01&date_to=2030-01-01")
    assert controls_from_state(state, EXTENT)["years"] == [0, 155]
    assert state.filters.date_from == date(1990, 1, 1)


@pytest.mark.parametrize("changes, query", [
    ({"analysis": "hotspots", "fdr": ["on"]}, "?analysis=hotspots&fdr=1"),
    ({"analysis": "nexus", "w_t": 0.7, "half_life": 5}, "?analysis=nexus&w_t=0.7&half_life=5.0"),
    ({"analysis": "emerging", "step": "quarter", "variable": "terrorism"},
     "?analysis=emerging&variable=terrorism&step=quarter"),
    ({"analysis": "bogus", "w_t": 7}, "?w_t=1.0"),
])
def test_analysis_controls_to_url(changes, query):
    state = state_from_controls(**{**DEFAULT_CONTROLS, **changes}, extent_years=EXTENT)
    assert state.to_query() == query
    assert state_from_controls(**controls_from_state(ViewState.from_query(query), EXTENT),
                               extent_years=EXTENT) == state
