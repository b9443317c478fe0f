"""FilterState: parsing is forgiving but clamped, and the URL round-trips exactly."""
from __future__ import annotations

from datetime import date

import pytest

from atlas.filters import FilterState, region_presets


@pytest.mark.parametrize("raw, field, expected", [
    ({"region": "atlantis"}, "region", "all"),
    ({"region": "horn"}, "region", "horn"),
    ({"resolution": "9"}, "resolution", 6),
    ({"resolution": "x"}, "resolution", 4),
    ({"min_fatalities": "-3"}, "min_fatalities", 0),
    ({"max_geo_precision": "7"}, "max_geo_precision", 4),
    ({"unit": "../../etc"}, "unit", "h3"),
    ({"crime_types": "piracy, armed_attack,,piracy"}, "crime_types", ("armed_attack", "piracy")),
    ({"date_from": "2020-02-30"}, "date_from", None),
    ({"date_from": "2021-01-01", "date_to": "2019-01-01"}, "date_from", date(2019, 1, 1)),
])
def test_parse_clamps_bad_values(raw, field, expected):
    assert getattr(FilterState.parse(raw), field) == expected


@pytest.mark.parametrize("state", [
    FilterState(),
    FilterState(region="sahel", crime_types=("armed_attack", "kidnapping_for_ransom")),
    FilterState(region="central_asia", date_from=date(2015, 1, 1), date_to=date(2020, 12, 31),
                actors=("Network E, the one with a comma",), unit="priogrid"),
    FilterState(sources=("acled", "synthetic"), min_fatalities=5, max_geo_precision=2, resolution=6),
])
def test_url_round_trip(state):
    assert FilterState.from_query(state.to_query()) == state


def test_default_state_has_an_empty_query():
    assert FilterState().to_query() == ""


def test_all_regions_preset_is_the_union_of_the_others():
    presets = region_presets()
    union = {c for key, r in presets.items() if key != "all" for c in r["countries"]}
    assert set(presets["all"]["countries"]) == union
    for key in ("sahel", "horn", "central_asia"):
        assert set(presets[key]["core"]) <= set(presets[key]["countries"])


def test_params_use_wide_dates_when_unset():
    params = FilterState().to_params()
    assert params["date_from"] == date(1900, 1, 1) and params["date_to"] == date(2100, 12, 31)
