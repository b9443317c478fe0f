"""The query runner's contract, and every aggregate on a small hand-made store."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import queries
from atlas.errors import QueryParameterError
from atlas.filters import FilterState

EXPECTED = Path(__file__).resolve().parent / "fixtures" / "expected"


def all_filters(**changes):
    return FilterState.parse({"region": "all", **changes}).to_selected_params()


@pytest.mark.parametrize("path", sorted((queries.QUERY_DIR / "macros").glob("*.sql")), ids=lambda p: p.stem)
def test_each_macro_file_defines_the_macro_it_is_named_after(path):
    # queries.run installs the macros when a query names a missing one: it knows them by their file names.
    assert f"create or replace temp macro {path.stem}(" in path.read_text(encoding="utf-8")


def test_a_fresh_connection_gets_the_macros_on_its_first_query(tmp_path):
    import duckdb

    from ingest.store import transaction
    with transaction(tmp_path / "store.duckdb"):
        pass
    with duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True) as con:
        params = {**FilterState().to_params(), "unit": "h3", "resolution": 4, "period_months": 12,
                  "half_life_years": 2.0}
        assert queries.run(con, "unit_period_counts", params).empty


@pytest.mark.parametrize("params, message", [
    ({}, "missing $actors, $countries"),
    ({**FilterState().to_params(), "unit": "h3"}, "missing $resolution"),
    ({**FilterState().to_params(), "unit": "h3", "resolution": 4, "colour": "red"}, "unexpected $colour"),
])
def test_runner_names_missing_and_extra_parameters(small_store, params, message):
    with pytest.raises(QueryParameterError, match=message.replace("$", r"\$")):
        queries.run(small_store, "unit_counts", params)


def test_runner_ignores_dollar_signs_in_comments_and_strings(tmp_path, monkeypatch):
    (tmp_path / "q.sql").write_text("-- uses $not_a_param in a comment\nselect '$nor_this' as s, $real as r")
    monkeypatch.setattr(queries, "QUERY_DIR", tmp_path)
    queries.load.cache_clear()
    queries.parameters.cache_clear()
    try:
        assert queries.parameters("q") == {"real"}
    finally:
        queries.load.cache_clear()
        queries.parameters.cache_clear()


@pytest.mark.parametrize("name", ["../events", "Unit_Counts", "nope"])
def test_runner_refuses_unknown_or_unsafe_names(name):
    with pytest.raises(QueryParameterError):
        queries.load(name)


def test_every_query_opens_with_a_comment_naming_its_parameters():
    for name in queries.available():
        sql = queries.load(name)
        assert sql.startswith("--"), name
        header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
        for p in queries.parameters(name):
            named_in_header = f"${p}" in header or ("_events parameters" in header)
            assert named_in_header, f"{name}.sql does not document ${p}"


# Golden files: regenerate with `python -m tests.test_queries` after a deliberate change.
GOLDEN = {
    "selection_profile": lambda: all_filters(),
    "crime_type_breakdown": lambda: all_filters(),
    "time_series": lambda: {**all_filters(), "step": "year"},
    "unit_counts_r3": lambda: {**FilterState().to_params(), "unit": "h3", "resolution": 3},
    "unit_counts_priogrid": lambda: {**FilterState().to_params(), "unit": "priogrid", "resolution": 4},
}


def run_golden(con, key):
    name = key.split("_r")[0].replace("_priogrid", "")
    frame = queries.run(con, name, GOLDEN[key]())
    return frame.astype(str)


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_aggregates_match_golden_files(small_store, key):
    got = run_golden(small_store, key)
    expected = pd.read_csv(EXPECTED / f"{key}.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


@pytest.mark.parametrize("changes, expected_ids", [
    ({}, {"test:1", "test:2", "test:3", "test:4", "test:5", "test:6", "test:7", "test:8", "synthetic:S1"}),
    ({"region": "sahel"}, {"test:1", "test:2", "test:3", "test:4", "test:5", "synthetic:S1"}),
    ({"region": "horn"}, {"test:6"}),
    ({"region": "central_asia", "crime_types": "heroin_trade"}, {"test:7", "test:8"}),
    ({"crime_types": "armed_attack,explosive_attack"}, {"test:1", "test:4", "test:5", "synthetic:S1"}),
    ({"date_from": "2020-01-01", "date_to": "2020-12-31"}, {"test:3", "test:4"}),
    ({"actors": "Group A"}, {"test:1", "test:2", "test:5"}),
    ({"actors": "State forces"}, {"test:1"}),
    ({"sources": "synthetic"}, {"synthetic:S1"}),
    ({"min_fatalities": 3}, {"test:1", "test:4", "test:5"}),
    ({"max_geo_precision": 1}, {"test:1", "test:2", "test:4", "test:6", "test:7", "test:8", "synthetic:S1"}),
    ({"selection": "priogrid:152285"}, {"test:1", "test:2", "test:3", "synthetic:S1"}),
    ({"selection": "priogrid:152285", "crime_types": "armed_attack"}, {"test:1", "synthetic:S1"}),
    ({"selection": "country:SOM"}, {"test:6"}),
    ({"selection": "h3:3:591523305689710591"}, {"test:1", "test:2", "test:3", "synthetic:S1"}),
    ({"selection": "h3:3:591523305689710591'; drop table events"}, {"test:1", "test:2", "test:3", "test:4",
                                                                   "test:5", "test:6", "test:7", "test:8",
                                                                   "synthetic:S1"}),
])
def test_filtered_events_apply_each_filter(small_store, changes, expected_ids):
    params = {**FilterState.parse(changes).to_selected_params(), "limit": 100, "offset": 0}
    got = queries.run(small_store, "filtered_events", params)
    assert set(got["event_id"]) == expected_ids


def test_summary_counts_synthetic_and_sources(small_store):
    row = queries.run(small_store, "filter_summary", all_filters()).iloc[0]
    assert (row["events"], row["fatalities"], row["synthetic"]) == (9, 23, 1)
    assert list(row["sources"]) == ["synthetic", "test"]
    assert row["first_date"].date() == date(2019, 3, 4)


if __name__ == "__main__":  # regenerate golden files
    import duckdb

    from tests.store_fixtures import build_small_store
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        con = duckdb.connect(str(build_small_store(Path(d) / "s.duckdb")), read_only=True)
        for key in GOLDEN:
            run_golden(con, key).to_csv(EXPECTED / f"{key}.csv", index=False)
            print("wrote", key)
