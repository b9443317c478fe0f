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


@pytest.fixture(scope="module")
def con(built_store):
    store = queries.ReadOnlyStore(built_store.store_path)
    with store.cursor() as cursor:
        yield cursor
    store.close()


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
