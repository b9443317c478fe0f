"""Callbacks: parse inputs into a ViewState, call a plain function, return. Nothing else lives here."""
from __future__ import annotations

import logging

from dash import ALL, Input, Output, State, ctx, no_update

import queries
from atlas.errors import AtlasError
from ui import ids, panels
from ui.controls import controls_from_state, state_from_controls, static_options
from ui.drilldown import build_drilldown, events_csv, events_for_download, events_geojson, selection_for_click
from ui.i18n import t
from ui.playback import next_frame
from ui.state import ViewState
from ui.figures import POINTS_TRACE_NAME
from ui.views import (actor_options, with_chosen, points_for_view, points_key, counter_text, crime_type_counts, crime_type_options, period_label,
                      render_map, series_figure, time_series_figure)

log = logging.getLogger(__name__)
CONTROL_KEYS = ("region", "crime_types", "years", "actors", "sources", "min_fatalities", "precision", "unit",
                "resolution", "layers", "lang", "analysis", "variable", "fdr", "step", "w_t", "w_c", "w_r",
                "half_life", "distance_km", "boundary_set")
CONTROL_IDS = (ids.REGION, ids.CRIME_TYPES, ids.YEARS, ids.ACTORS, ids.SOURCES, ids.MIN_FATALITIES,
               ids.PRECISION, ids.UNIT, ids.RESOLUTION, ids.LAYERS, ids.LANG, ids.ANALYSIS, ids.VARIABLE,
               ids.FDR, ids.STEP, ids.W_T, ids.W_C, ids.W_R, ids.HALF_LIFE, ids.DISTANCE_KM, ids.BOUNDARY_SET)
URL_OUT = Output(ids.URL, "search", allow_duplicate=True)


def _problem(exc: Exception, state: ViewState, where: str) -> str:
    """A message for people; the log keeps the traceback."""
    if isinstance(exc, AtlasError):
        return str(exc)
    log.exception("%s failed for %s", where, state)
    return t("error_generic", state.lang, msg=type(exc).__name__)


def register(app, store, base, extent_years, cache):
    """Wire the page. ``store`` hands out per-request DuckDB cursors; ``base`` holds static layers;
    ``cache`` keeps results per view query (see ui/cache.py)."""

    with store.cursor() as con:
        all_sources = queries.run(con, "sources_used", {"source_ids": queries.run(con, "source_ids")["source_id"].tolist()})

    def cached(kind, state, compute, *extra):
        return cache.get_or_compute((kind, state.to_query(), *extra), compute)

    def with_con(fn, *args, **kwargs):
        def compute():
            with store.cursor() as con:
                return fn(con, *args, **kwargs)
        return compute

    def choice_options(state):
        """Crime-type options with the counts each would leave, and the chosen actors (others are found by
        typing: on_actor_search); computed with the values so a dropdown never holds a value its options
        lack (Dash would silently drop it). Counts are cached on just the filters they depend on."""
        f = state.filters.replace(selection="")
        counts = cached("crime_counts", ViewState(filters=f.replace(crime_types=())),
                        with_con(crime_type_counts, state))
        return crime_type_options(counts, state.lang), with_chosen([], state.filters.actors)

    @app.callback(Output(ids.URL, "search"), *[Output(c, "value") for c in CONTROL_IDS],
                  Output(ids.CRIME_TYPES, "options"), Output(ids.ACTORS, "options"),
                  Input(ids.URL, "search"), *[Input(c, "value") for c in CONTROL_IDS],
                  Input(ids.RESET, "n_clicks"))
    def on_controls_or_url(search, *values):
        # The URL is the one source of truth: a control change writes it, a URL change (load, back,
        # forward, pasted link, playback, map click) sets the controls.
        trigger = ctx.triggered_id
        if trigger == ids.RESET:
            state = ViewState(lang=values[CONTROL_KEYS.index("lang")])
            return (state.to_query() or "?", *controls_from_state(state, extent_years).values(),
                    *choice_options(state))
        if trigger in (None, ids.URL):
            state = ViewState.from_query(search)
            return (no_update, *controls_from_state(state, extent_years).values(), *choice_options(state))
        current = ViewState.from_query(search)
        state = state_from_controls(**dict(zip(CONTROL_KEYS, values[:len(CONTROL_KEYS)])),
                                    extent_years=extent_years, selection=current.filters.selection)
        return (state.to_query() or "?", *([no_update] * len(CONTROL_IDS)), *choice_options(state))

    @app.callback(Output(ids.MAP, "figure"), Output(ids.COUNTER, "children"),
                  Output(ids.SYNTHETIC_BANNER, "hidden"), Output(ids.SOURCES_FOOTER, "children"),
                  Output(ids.TIME_SERIES, "figure"), Output(ids.PERIOD_LABEL, "children"),
                  Output(ids.ALERT, "children"), Output(ids.ALERT, "hidden"), Output(ids.ABOUT_LEGEND, "children"),
                  Output(ids.ABOUT_SOURCES, "children"), Output(ids.ANALYSIS_PARAMS, "hidden"),
                  Output(ids.NEXUS_PARAMS, "hidden"), Output(ids.CORRIDOR_PARAMS, "hidden"),
                  Input(ids.URL, "search"), State(ids.MAP, "relayoutData"))
    def on_view(search, relayout):
        state = ViewState.from_query(search)
        try:
            view = cached("map", state, with_con(render_map, base, state, relayout=relayout),
                          points_key(relayout, state))
            overview = state.replace(filters=state.filters.replace(selection=""))
            series = cached("series", overview, with_con(time_series_figure, overview))
        except Exception as exc:  # never a traceback on the page
            return (*([no_update] * 6), _problem(exc, state, "map"), False, *([no_update] * 5))
        analysis = state.analysis.analysis
        return (view.figure, counter_text(view, state.lang), view.synthetic_events == 0,
                panels.sources_footer(view.sources, state.lang), series, period_label(state, extent_years),
                "", True, view.legend_text, panels.source_items(all_sources),
                analysis not in ("hotspots", "emerging", "change"), analysis != "nexus", analysis != "corridors")

    @app.callback(Output(ids.ACTORS, "options", allow_duplicate=True), Input(ids.ACTORS, "search_value"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def on_actor_search(typed, search):
        if not typed:
            return no_update  # keep what is listed while the box is cleared
        state = ViewState.from_query(search)
        try:
            return cached("actors", state.replace(filters=state.filters.replace(selection="")),
                          with_con(actor_options, state, typed), typed.strip().lower())
        except Exception as exc:  # never a traceback on the page
            log.warning("actor search failed: %s", _problem(exc, state, "actor search"))
            return no_update

    @app.callback(Output(ids.POINTS, "data"), Input(ids.MAP, "relayoutData"), State(ids.URL, "search"),
                  prevent_initial_call=True)
    def on_map_move(relayout, search):
        state = ViewState.from_query(search)
        with store.cursor() as con:
            return points_for_view(con, state, relayout)

    # Redraw only the point trace as the map moves (the page keeps its zoom and everything else).
    app.clientside_callback(
        """function(points) {
            const gd = document.querySelector('#map .js-plotly-plot');
            if (!gd || !gd.data || !points) { return window.dash_clientside.no_update; }
            const i = gd.data.findIndex(t => t.name === '""" + POINTS_TRACE_NAME + """');
            if (i < 0) { return window.dash_clientside.no_update; }
            Plotly.restyle(gd, {lon: [points.lon], lat: [points.lat], 'marker.color': [points.color],
                                text: [points.text]}, [i]);
            // Fade the unit layer while points show, so the points stay readable.
            const units = gd.data.map((t, k) => t.type === 'choroplethmap' ? k : -1).filter(k => k >= 0);
            if (units.length) {
                Plotly.restyle(gd, {'marker.opacity': points.lon.length ? 0.35 : 0.82}, units);
            }
            return points.lon.length;
        }""",
        Output(ids.POINTS_COUNT, "data"), Input(ids.POINTS, "data"), prevent_initial_call=True)

    @app.callback(Output({"type": ids.I18N, "key": ALL}, "children"),
                  Output(ids.CRIME_TYPES, "placeholder"), Output(ids.ACTORS, "placeholder"),
                  Output(ids.SOURCES, "placeholder"), Output(ids.PRECISION, "options"),
                  Output(ids.UNIT, "options"), Output(ids.LAYERS, "options"),
                  Output(ids.PLAY_STEP, "options"), Output(ids.PLAY_MODE, "options"),
                  Output(ids.DRILL_TABLE, "columns"), Output(ids.ANALYSIS, "options"),
                  Output(ids.VARIABLE, "options"), Output(ids.FDR, "options"), Output(ids.STEP, "options"),
                  Input(ids.LANG, "value"))
    def on_language(lang):
        keys = [o["id"]["key"] for o in ctx.outputs_list[0]]
        opts = static_options(lang)
        return ([t(k, lang) for k in keys], t("crime_types_placeholder", lang), t("actors_placeholder", lang),
                t("sources_placeholder", lang), opts["precision"], opts["unit"], opts["layers"],
                opts["play_step"], opts["play_mode"], opts["table_columns"], opts["analysis"], opts["variable"],
                opts["fdr"], opts["step"])

    @app.callback(URL_OUT, Input(ids.MAP, "clickData"), State(ids.URL, "search"), prevent_initial_call=True)
    def on_map_click(click, search):
        state = ViewState.from_query(search)
        selection = selection_for_click((click or {}).get("points", [{}])[0], state)
        if not selection:
            return no_update
        return state.replace(filters=state.filters.replace(selection=selection)).to_query()

    @app.callback(URL_OUT, Input(ids.CORRIDOR_PICK, "value"), State(ids.URL, "search"), prevent_initial_call=True)
    def on_corridor_pick(selection, search):
        # the keyboard-friendly way into a corridor's panel (a map click on a thin line is fiddly)
        if not selection:
            return no_update
        state = ViewState.from_query(search)
        return state.replace(filters=state.filters.replace(selection=selection)).to_query()

    @app.callback(URL_OUT, Input(ids.DRILL_CLOSE, "n_clicks"), State(ids.URL, "search"), prevent_initial_call=True)
    def on_drill_close(_clicks, search):
        state = ViewState.from_query(search)
        return state.replace(filters=state.filters.replace(selection="")).to_query() or "?"

    @app.callback(Output(ids.DRILLDOWN, "hidden"), Output(ids.DRILL_TITLE, "children"),
                  Output(ids.DRILL_SUMMARY, "children"), Output(ids.DRILL_TREND, "figure"),
                  Output(ids.DRILL_BREAKDOWN, "figure"), Output(ids.DRILL_ACTORS, "children"),
                  Output(ids.DRILL_EVIDENCE, "children"), Output(ids.DRILL_SOURCES, "children"),
                  Output(ids.DRILL_TABLE, "data"), Output(ids.DRILL_TABLE_NOTE, "children"),
                  Input(ids.URL, "search"))
    def on_drilldown(search):
        state = ViewState.from_query(search)
        if not state.filters.selection:
            return (True, *([no_update] * 9))
        try:
            drill = cached("drill", state, with_con(build_drilldown, state, country_names=base.country_names))
            trend = series_figure(drill.trend, state.lang)
        except Exception as exc:
            return (False, "—", _problem(exc, state, "drill-down"), *([no_update] * 7))
        return (False, drill.title, drill.summary, trend, panels.breakdown_figure(drill.breakdown, state.lang),
                panels.actor_items(drill.actors, state.lang), panels.evidence_items(drill.evidence),
                panels.source_items(drill.sources), panels.table_rows(drill.events, state.lang),
                panels.table_note(drill, state.lang))

    @app.callback(Output(ids.DOWNLOAD, "data"), Input(ids.DOWNLOAD_CSV, "n_clicks"),
                  Input(ids.DOWNLOAD_GEOJSON, "n_clicks"), State(ids.URL, "search"), prevent_initial_call=True)
    def on_download(_csv, _geojson, search):
        state = ViewState.from_query(search)
        with store.cursor() as con:
            frame = events_for_download(con, state)
        name = panels.download_name(state)
        if ctx.triggered_id == ids.DOWNLOAD_GEOJSON:
            return {"content": events_geojson(frame), "filename": f"{name}.geojson", "type": "application/geo+json"}
        return {"content": events_csv(frame), "filename": f"{name}.csv", "type": "text/csv"}

    @app.callback(Output(ids.PLAY_TIMER, "disabled"), Output(ids.PLAY, "children"),
                  Input(ids.PLAY, "n_clicks"), State(ids.PLAY_TIMER, "disabled"), State(ids.LANG, "value"),
                  prevent_initial_call=True)
    def on_play(_clicks, disabled, lang):
        playing = bool(disabled)  # a click flips the state
        return (not playing, t("pause" if playing else "play", lang))

    @app.callback(URL_OUT, Output(ids.PLAY_TIMER, "disabled", allow_duplicate=True),
                  Input(ids.PLAY_TIMER, "n_intervals"), State(ids.URL, "search"), State(ids.PLAY_STEP, "value"),
                  State(ids.PLAY_MODE, "value"), prevent_initial_call=True)
    def on_tick(_n, search, step, mode):
        state = ViewState.from_query(search)
        filters, done = next_frame(state.filters, step=step, mode=mode, extent_years=extent_years)
        # only ever stop the timer here: a tick still in flight when the user pauses must not restart it
        return state.replace(filters=filters).to_query() or "?", True if done else no_update
