"""The overview aggregates give the same answers from event_cube as from the events themselves."""
from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

import queries
from atlas.filters import FilterState
from ingest.store import transaction, upsert_events
from layers.selection import selection_params
from tests.store_fixtures import small_events

# The answers straight from the events (the definitions the cube must reproduce).
REFERENCE = {
    "filter_summary": """select count(*) as events, coalesce(sum(fatalities), 0)::bigint as fatalities,
        count(*) filter (where is_synthetic) as synthetic, list(distinct source order by source) as sources,
        min(event_date) as first_date, max(event_date) as last_date from {events}""",
    "time_series": """select date_trunc('year', event_date)::date as period, nexus_category, count(*) as events,
        sum(fatalities)::bigint as fatalities from {events} group by all order by period, nexus_category""",
    "crime_type_breakdown": """select crime_type, nexus_category, count(*) as events, sum(fatalities)::bigint as fatalities,
        count(*) filter (where is_synthetic) as synthetic from {events} group by all
        order by events desc, crime_type, nexus_category""",
}
EVENTS = ("selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, "
          "$max_geo_precision, $sel_kind, $sel_res, $sel_id)")


@pytest.fixture
def con(built_cursor):
    return built_cursor


@pytest.mark.parametrize("query", [
    "",                                                        # whole store: from the cube
    "?region=sahel",
    "?region=horn&crime_types=kidnapping_for_ransom&crime_types=armed_attack",
    "?date_from=2019-01-01&date_to=2020-06-30",                # whole months: cube
    "?date_from=2019-01-15&date_to=2020-06-10",                # part months: events
    "?min_fatalities=3&max_geo_precision=2",
    "?sources=synthetic&region=central_asia",
    "?actors=Armed+group+A+%28synthetic%2C+Sahel%29",          # actors: events
    "?region=sahel&selection=country:MLI",                     # a selected unit: events
])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_overview_aggregates_match_the_events(con, query, name):
    f = FilterState.from_query(query)
    params = selection_params(con, f)
    extra = {"step": "year"} if name == "time_series" else {}
    got = queries.run(con, name, {**params, **extra})
    expected = con.execute(REFERENCE[name].format(events=EVENTS), params).df()
    assert len(expected) > 0 or name != "filter_summary"
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_cube_follows_every_import_and_old_stores_are_served_the_same(tmp_path):
    path = tmp_path / "s.duckdb"
    events = small_events()
    with transaction(path) as c:
        upsert_events(c, events.iloc[:5])
    with transaction(path) as c:
        upsert_events(c, events.iloc[5:])      # the cube is rebuilt as the transaction commits
    with duckdb.connect(str(path), read_only=True) as c:
        rows, total = c.execute("select count(*), sum(events) from event_cube").fetchone()
        assert total == len(events) and 0 < rows <= len(events)
        assert queries.cube_is_current(c)
    old = tmp_path / "old.duckdb"              # as written before the cube existed: cube empty
    shutil.copy(path, old)
    with duckdb.connect(str(old)) as c:
        c.execute("delete from event_cube")
        c.execute("delete from store_meta where key = ?", [queries.CUBE_SIGNATURE_KEY])
    params = FilterState().to_selected_params()
    answers = []
    for store_path in (path, old):
        store = queries.ReadOnlyStore(store_path)
        with store.cursor() as cursor:
            answers.append(queries.run(cursor, "filter_summary", params))
        store.close()
    assert answers[1]["events"].iloc[0] > 0
    pd.testing.assert_frame_equal(answers[0], answers[1])


@pytest.mark.parametrize("query", ["?region=sahel&selection=country:MLI", "?selection=country:SOM&crime_types=piracy",
                                   "?region=horn", "?date_from=2019-03-02&date_to=2021-07-30&selection=country:NER"])
def test_selection_profile_rolls_up_to_the_separate_aggregates(con, query):
    """The drill-down reads one profile; its roll-ups equal the queries it replaced."""
    params = selection_params(con, FilterState.from_query(query))
    profile = queries.run(con, "selection_profile", params)
    summary = queries.run(con, "filter_summary", params).iloc[0]
    assert profile["events"].sum() == summary["events"] and profile["fatalities"].sum() == summary["fatalities"]
    assert profile.loc[profile["is_synthetic"], "events"].sum() == summary["synthetic"]
    assert sorted(set(profile["source"])) == list(summary["sources"])
    if len(profile):
        assert profile["first_date"].min() == summary["first_date"] and profile["last_date"].max() == summary["last_date"]
    by_type = queries.run(con, "crime_type_breakdown", params).groupby("crime_type")["events"].sum()
    assert profile.groupby("crime_type")["events"].sum().sort_index().equals(by_type.sort_index())
    places = con.execute(f"select country_iso3, coalesce(admin1, '(not recorded)') as admin1, count(*) as events "
                         f"from {EVENTS} group by all", params).df().set_index(["country_iso3", "admin1"])["events"]
    rolled = profile.groupby(["country_iso3", "admin1"])["events"].sum()
    assert rolled.sort_index().equals(places.sort_index())
    series = queries.run(con, "time_series", {**params, "step": "year"})
    rolled = profile.groupby(["period", "nexus_category"])["events"].sum()
    assert rolled.sort_index().to_list() == series.set_index(["period", "nexus_category"])["events"].sort_index().to_list()


def test_upserting_the_same_events_again_replaces_them(tmp_path):
    # events.event_id carries no primary-key index (ingest/schema.sql): upsert_events alone keeps it unique.
    events = small_events()
    revised = events.head(3).assign(fatalities=99)
    path = tmp_path / "store.duckdb"
    for batch in (events, events, revised):
        with transaction(path) as con:
            upsert_events(con, batch)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*), count(distinct event_id) from events").fetchone() == (len(events),) * 2
        assert con.execute("select sum(fatalities) from event_cube").fetchone()[0] == \
            con.execute("select sum(fatalities) from events").fetchone()[0]
        assert con.execute("select count(*) from events where fatalities = 99").fetchone()[0] == 3
