"""Change vs baseline: the ACLED Trendfinder bands on a table of cases, per unit and per region."""
from __future__ import annotations

import numpy as np
import pytest

from atlas.filters import FilterState
from layers.change import build_change_layer, change_by_region, change_class, change_vs_baseline
from tests.analysis_fixtures import events_frame, memory_store


@pytest.mark.parametrize("last, baseline, expected", [
    (126, 100, "large_increase"),
    (125, 100, "moderate_increase"),      # +25 % exactly is moderate (large is strictly above)
    (111, 100, "moderate_increase"),
    (110, 100, "limited_change"),         # +10 % exactly is limited
    (100, 100, "limited_change"),
    (80, 100, "limited_change"),          # -20 %: ACLED has no "moderate decrease" band
    (75, 100, "limited_change"),          # -25 % exactly is limited
    (74, 100, "large_decrease"),
    (0, 100, "large_decrease"),
    (3, 0, "new_activity"),
    (0, 0, "no_events"),
])
def test_change_classes(last, baseline, expected):
    assert change_class([last], [baseline])[0] == expected


def test_baseline_is_the_mean_of_the_earlier_periods():
    out = change_vs_baseline([[10, 20, 30, 40], [5, 5, 5, 0]])
    assert out["baseline"].tolist() == [20, 5]
    assert out["change_pct"].tolist() == [100.0, -100.0]
    assert out["change_class"].tolist() == ["large_increase", "large_decrease"]


def test_one_period_is_not_enough():
    with pytest.raises(ValueError, match="at least 2 complete periods"):
        change_vs_baseline([[3]])


def _store():
    rows = []
    # window 2021-01-01 .. 2023-12-31 gives three rolling years; unit A: 4, 4, 8 events; unit B: 4, 4, 2
    for year, a, b in [(2021, 4, 4), (2022, 4, 4), (2023, 8, 2)]:
        rows += [{"lat": 16.0, "lon": 8.0, "event_date": f"{year}-06-0{i + 1}"} for i in range(a)]
        rows += [{"lat": 12.5, "lon": -2.0, "event_date": f"{year}-07-0{i + 1}", "country_iso3": "BFA"}
                 for i in range(b)]
    return memory_store(events_frame(rows))


def test_layer_and_region_summary():
    state = FilterState(region="sahel", resolution=4, date_from="2021-01-01", date_to="2023-12-31")
    con = _store()
    layer = build_change_layer(con, state)
    assert layer.crs == "EPSG:4326"
    assert sorted(layer["change_class"]) == ["large_decrease", "large_increase"]
    assert sorted(layer["change_pct"]) == [-50.0, 100.0]
    summary = change_by_region(con, state).set_index("code")
    assert summary.loc["sahel", ["baseline", "last", "change_class"]].tolist() == [8.0, 10.0, "moderate_increase"]  # +25 % exactly
    assert summary.loc["BFA", "change_class"] == "large_decrease"
    assert summary.loc["NER", "change_pct"] == pytest.approx(100.0)
    assert np.all(summary["periods"] == 3)


@pytest.mark.parametrize("period, window_end", [("year", "2024-02-29"), ("quarter", "2024-02-29"),
                                                ("year", "2023-12-31"), ("quarter", "2023-05-31")])
def test_sql_periods_match_the_python_bounds(period, window_end):
    import pandas as pd

    import queries
    from layers.study_area import check_period, period_bounds
    days = pd.date_range("2019-12-01", window_end, freq="D")
    con = memory_store(events_frame([{"lat": 16.0, "lon": 8.0, "event_date": d} for d in days]))
    state = FilterState(region="sahel", date_from="2019-12-01", date_to=window_end)
    rows = queries.run(con, "unit_period_counts", {**state.to_params(), "unit": "h3", "resolution": 4,
                                                   "period_months": check_period(period), "half_life_years": 0.0})
    bounds = period_bounds(pd.Timestamp("2019-12-01"), pd.Timestamp(window_end), period=period)
    counts = rows.set_index("period_index")["events"]
    for p, start, end in bounds.itertuples(index=False):
        assert counts[p] == (pd.Timestamp(end) - pd.Timestamp(start)).days + 1, (p, start, end)
    assert bounds["period_end"].iloc[-1] == pd.Timestamp(window_end).date()
