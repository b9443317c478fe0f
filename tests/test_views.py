"""What the page shows, as plain functions over a small hand-made store (no browser)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import queries

from layers.base import load_corridors
from ui.drilldown import (build_drilldown, events_csv, events_for_download, events_geojson, selection_for_click,
                          summary_sentence)
from ui.figures import BaseLayers
from ui.payload import to_go
from ui.drilldown import EVENT_COLUMNS
from ui.panels import table_rows
from ui.state import ViewState
from ui.views import (counter_text, crime_type_counts, crime_type_options, render_map, time_series_figure,
                      with_chosen)


@pytest.fixture(scope="module")
def base(small_store):
    return BaseLayers(countries_geojson={"type": "FeatureCollection", "features": []},
                      corridors=load_corridors(small_store), country_names={"MLI": "Mali", "SOM": "Somalia"})


@pytest.mark.parametrize("query, events, synthetic, units", [
    ("", 9, 1, 6),
    ("?region=sahel", 6, 1, 3),
    ("?region=sahel&crime_types=piracy", 0, 0, 0),          # nothing matches: an empty map, not an error
    ("?unit=priogrid&sources=test", 8, 0, 6),
])
def test_render_map_counts_and_honesty(small_store, base, query, events, synthetic, units):
    view = render_map(small_store, base, ViewState.from_query(query))
    hexes = [t for t in to_go(view.figure).data if t.type == "choroplethmap"]
    assert view.events == events and view.synthetic_events == synthetic
    assert (len(hexes[0].locations) if hexes else 0) == units
    watermark = any("SYNTHETIC" in (a.text or "") for a in to_go(view.figure).layout.annotations)
    assert watermark == (synthetic > 0)
    assert set(view.sources["source_id"]) == ({"test"} if events and not synthetic else
                                              {"test", "synthetic"} if events else set())


def test_counter_in_both_languages(small_store, base):
    view = render_map(small_store, base, ViewState.from_query("?region=sahel"))
    assert counter_text(view, "en") == "6 events match · 22 fatalities"
    assert counter_text(view, "fr") == "6 événements correspondent · 22 morts"


def test_crime_type_options_show_what_each_would_leave(small_store):
    state = ViewState.from_query("?region=sahel&crime_types=piracy")
    counts = crime_type_counts(small_store, state)  # the crime-type filter itself is ignored
    assert counts == {"armed_attack": 3, "kidnapping_for_ransom": 1, "cattle_rustling": 1, "explosive_attack": 1}
    options = {o["value"]: o for o in crime_type_options(counts, "en")}
    assert options["armed_attack"]["label"] == "Armed group attack (3)"
    assert options["piracy"]["label"] == "Maritime piracy (0)"
    assert [o["group"] for o in crime_type_options(counts, "en")][0] == "terrorism"


@pytest.mark.parametrize("point, query, expected", [
    ({"location": "152285"}, "?unit=priogrid", "priogrid:152285"),
    ({"location": "591523305689710591"}, "?resolution=3", "h3:3:591523305689710591"),
    ({"customdata": "corridor:niger_libya"}, "", "corridor:niger_libya"),
    ({"location": "ML01"}, "?unit=admin&boundary_set=mli", "admin:mli:ML01"),
    ({}, "", ""),
])
def test_click_to_selection(point, query, expected):
    assert selection_for_click(point, ViewState.from_query(query)) == expected


def test_drilldown_tells_the_story_of_a_cell(small_store):
    state = ViewState.from_query("?selection=priogrid:152285")
    drill = build_drilldown(small_store, state, country_names={"MLI": "Mali"})
    assert drill.title == "Menaka, Mali"
    assert drill.events_total == 4 and drill.synthetic_total == 1
    assert drill.summary.startswith("From 2019 to 2023, 4 events around Menaka, Mali: 50 % armed group attack")
    assert "7 fatalities" in drill.summary and "1 of these are synthetic" in drill.summary
    assert list(drill.actors["actor"])[0] == "Group A"
    assert set(drill.events["event_id"]) == {"test:1", "test:2", "test:3", "synthetic:S1"}
    rows = table_rows(drill.events, "fr").value()
    assert {r["is_synthetic"] for r in rows} == {"yes", "no"}
    assert set(rows[0]) == set(EVENT_COLUMNS)            # only what the table shows
    assert any(r["crime_type"] == "Attaque de groupe armé" for r in rows)


@pytest.mark.parametrize("lang, expected", [
    ("en", "In 2023, 10 events around X: 60 % a, 40 % b. 3 fatalities. Most active: G."),
    ("fr", "En 2023, 10 événements autour de X : 60 % a, 40 % b. 3 morts. Acteur le plus actif : G."),
])
def test_summary_sentence(lang, expected):
    breakdown = pd.DataFrame({"label": ["A", "B"], "share": [0.6, 0.4]})
    assert summary_sentence(period=("En" if lang == "fr" else "In") + " 2023", place="X", events=10, fatalities=3,
                            breakdown=breakdown, top_actor="G", synthetic=0, lang=lang) == expected


def test_downloads_hold_every_event_with_its_synthetic_flag(small_store):
    state = ViewState.from_query("?region=sahel")
    frame = events_for_download(small_store, state)
    assert len(frame) == 6
    csv_text = events_csv(frame)
    assert csv_text.splitlines()[0].startswith("event_id,source,source_record_id,event_date")
    geo = json.loads(events_geojson(frame))
    assert len(geo["features"]) == 6
    assert {f["properties"]["is_synthetic"] for f in geo["features"]} == {True, False}
    assert geo["features"][0]["geometry"]["type"] == "Point"


def test_time_series_stacks_categories(small_store):
    fig = to_go(time_series_figure(small_store, ViewState.from_query("?region=sahel")))
    assert {tr.name for tr in fig.data} == {"Terrorism and armed-group violence", "Crimes that finance armed groups",
                                            "Organized crime markets"}


def test_corridor_drilldown_counts_events_within_the_distance_in_metres(small_store):
    state = ViewState.from_query("?selection=corridor:test_route")
    drill = build_drilldown(small_store, state, country_names={"MLI": "Mali"})
    # the four Menaka events lie 0.2-1.5 km from the line; every other event is hundreds of km away
    assert set(drill.events["event_id"]) == {"test:1", "test:2", "test:3", "synthetic:S1"}
    assert drill.title == "Test route"
    assert "4 events around the corridor (within 25 km)" in drill.summary
    assert drill.summary.endswith("Corridor: test goods; documented by tests/store_fixtures.py; confidence medium.")


def test_corridor_selection_is_outlined_on_the_map(small_store, base):
    view = render_map(small_store, base, ViewState.from_query("?selection=corridor:test_route"))
    outlines = [t for t in to_go(view.figure).data if t.name == "selected"]
    assert outlines and list(outlines[0].lon)[:2] == [2.0, 2.8]


@pytest.mark.parametrize("analysis, trace_type", [
    ("hotspots", "choroplethmap"), ("nexus", "choroplethmap"), ("corridors", "choroplethmap"),
])
def test_analysis_layers_render_with_a_plain_words_legend(small_store, base, analysis, trace_type):
    view = render_map(small_store, base, ViewState.from_query(f"?analysis={analysis}&unit=priogrid"))
    assert any(t.type == trace_type for t in to_go(view.figure).data)
    assert len(view.legend_text) > 80


def test_corridor_exposure_counts_only_events_near_the_route(small_store, base):
    near = render_map(small_store, base, ViewState.from_query("?analysis=corridors&unit=priogrid&distance_km=5"))
    cells = [t for t in to_go(near.figure).data if t.type == "choroplethmap"][0]
    assert list(cells.locations) == ["152285"]          # only the Menaka cell holds events within 5 km


def test_change_layer_states_the_whole_region_in_words(small_store, base):
    view = render_map(small_store, base, ViewState.from_query("?analysis=change&unit=priogrid"))
    assert " Whole region: " in view.legend_text and "countries:" in view.legend_text


@pytest.mark.parametrize("chosen, expected_values", [
    ((), ["A", "B"]),
    (("B",), ["A", "B"]),                   # already listed: not twice
    (("Z", "A"), ["A", "B", "Z"]),          # outside the most active: still selectable
])
def test_chosen_actors_stay_among_the_options(chosen, expected_values):
    options = [{"label": "A (3)", "value": "A"}, {"label": "B (1)", "value": "B"}]
    assert [o["value"] for o in with_chosen(options, chosen)] == expected_values


@pytest.mark.parametrize("typed, expected", [
    ("", []),                                   # nothing typed: nothing counted
    ("zzz-no-such-actor", []),
    ("%", []),                                  # taken literally, not as a wildcard
    ("'; drop table events; --", []),           # hostile text is only ever a value
])
def test_actor_search_lists_only_matches(small_store, typed, expected):
    from ui.views import actor_options
    assert actor_options(small_store, ViewState(), typed) == expected


def test_actor_search_counts_matches_case_insensitively(small_store):
    from ui.views import actor_options
    everyone = queries.run(small_store, "actor_counts", {**ViewState().filters.to_selected_params(), "search": "",
                                                         "limit": 100})
    name, events = everyone["actor"].iloc[0], int(everyone["events"].iloc[0])
    options = actor_options(small_store, ViewState(), name[1:4].upper())
    assert {"label": f"{name} ({events})", "value": name} in options
    chosen = ViewState.from_query("?actors=Someone+else")
    assert actor_options(small_store, chosen, name[1:4])[-1] == {"label": "Someone else", "value": "Someone else"}
