"""Callbacks: parse inputs into a ViewState, call a plain function, return. Nothing else lives here."""
from __future__ import annotations

import logging

from dash import ALL, Input, Output, State, ctx, html, no_update

from atlas.errors import AtlasError
from ui import ids
from ui.controls import controls_from_state, state_from_controls, static_options
from ui.i18n import TEXT, t
from ui.state import ViewState
from ui.views import actor_options, counter_text, crime_type_counts, crime_type_options, render_map, time_series_figure

log = logging.getLogger(__name__)
CONTROL_KEYS = ("region", "crime_types", "years", "actors", "sources", "min_fatalities", "precision", "unit",
                "resolution", "layers", "lang")
CONTROL_IDS = (ids.REGION, ids.CRIME_TYPES, ids.YEARS, ids.ACTORS, ids.SOURCES, ids.MIN_FATALITIES,
               ids.PRECISION, ids.UNIT, ids.RESOLUTION, ids.LAYERS, ids.LANG)


def register(app, store, base, extent_years):
    """Wire the page. ``store`` hands out per-request DuckDB cursors; ``base`` holds static layers."""

    @app.callback(Output(ids.URL, "search"), *[Output(c, "value") for c in CONTROL_IDS],
                  Input(ids.URL, "search"), *[Input(c, "value") for c in CONTROL_IDS],
                  Input(ids.RESET, "n_clicks"))
    def on_controls_or_url(search, *values):
        # The URL is the one source of truth: a control change writes it, a URL change (load, back,
        # forward, pasted link) sets the controls.
        trigger = ctx.triggered_id
        if trigger == ids.RESET:
            state = ViewState(lang=values[CONTROL_KEYS.index("lang")])
            return (state.to_query(), *controls_from_state(state, extent_years).values())
        if trigger in (None, ids.URL):
            state = ViewState.from_query(search)
            return (no_update, *controls_from_state(state, extent_years).values())
        state = state_from_controls(**dict(zip(CONTROL_KEYS, values[:len(CONTROL_KEYS)])),
                                    extent_years=extent_years)
        return (state.to_query() or "?", *([no_update] * len(CONTROL_IDS)))

    @app.callback(Output(ids.MAP, "figure"), Output(ids.COUNTER, "children"),
                  Output(ids.SYNTHETIC_BANNER, "hidden"), Output(ids.SOURCES_FOOTER, "children"),
                  Output(ids.TIME_SERIES, "figure"), Output(ids.ALERT, "children"), Output(ids.ALERT, "hidden"),
                  Input(ids.URL, "search"))
    def on_view(search):
        state = ViewState.from_query(search)
        try:
            with store.cursor() as con:
                view = render_map(con, base, state)
                series = time_series_figure(con, state)
        except AtlasError as exc:
            return no_update, no_update, no_update, no_update, no_update, str(exc), False
        except Exception as exc:  # never a traceback on the page; the log keeps the details
            log.exception("view failed for %s", search)
            return (no_update, no_update, no_update, no_update, no_update,
                    t("error_generic", state.lang, msg=type(exc).__name__), False)
        footer = sources_footer(view.sources, state.lang)
        return (view.figure, counter_text(view, state.lang), view.synthetic_events == 0, footer, series, "", True)

    @app.callback(Output(ids.CRIME_TYPES, "options"), Output(ids.ACTORS, "options"),
                  Input(ids.URL, "search"))
    def on_option_counts(search):
        state = ViewState.from_query(search)
        with store.cursor() as con:
            return (crime_type_options(crime_type_counts(con, state), state.lang),
                    actor_options(con, state))

    @app.callback(Output({"type": ids.I18N, "key": ALL}, "children"),
                  Output(ids.CRIME_TYPES, "placeholder"), Output(ids.ACTORS, "placeholder"),
                  Output(ids.SOURCES, "placeholder"), Output(ids.PRECISION, "options"),
                  Output(ids.UNIT, "options"), Output(ids.LAYERS, "options"),
                  Input(ids.LANG, "value"))
    def on_language(lang):
        keys = [o["id"]["key"] for o in ctx.outputs_list[0]]
        opts = static_options(lang)
        return ([t(k, lang) for k in keys], t("crime_types_placeholder", lang), t("actors_placeholder", lang),
                t("sources_placeholder", lang), opts["precision"], opts["unit"], opts["layers"])


def sources_footer(sources, lang: str):
    items = [html.Li([html.Strong(row.title), ": ", row.attribution, f" ({row.licence})"])
             for row in sources.itertuples()]
    return [html.Span(t("sources_on_map", lang) + ":", className="footer-title"), html.Ul(items)]
