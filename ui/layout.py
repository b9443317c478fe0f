"""The page: header, filter sidebar, map, time series, sources footer.

Every visible text is an i18n span (or a placeholder set by the language callback), so the
language switch re-labels the page without rebuilding the controls.
"""
from __future__ import annotations

from dash import dash_table, dcc, html

from atlas.filters import region_presets
from ui import ids
from ui.controls import static_options
from ui.drilldown import EVENT_COLUMNS
from ui.export_panel import export_controls
from ui.i18n import t


def text(key: str, lang: str = "en", tag=html.Span, **kwargs):
    return tag(t(key, lang), id={"type": ids.I18N, "key": key}, **kwargs)


def labelled(key: str, control, control_id: str):
    return html.Div([html.Label(text(key), htmlFor=control_id, className="control-label"), control],
                    className="control")


def build_layout(*, first_year: int, last_year: int, sources: dict[str, str], boundary_sets: list[str] = (),
                 zones=None, corridors=None):
    """``sources``: {source_id: title} of the datasets that have events in the store."""
    opts = static_options("en")
    regions = [{"label": r["label"], "value": r["id"]} for r in region_presets().values()]
    last_index = (last_year - first_year + 1) * 12 - 1
    every = max(1, (last_year - first_year) // 6)
    month_marks = {(y - first_year) * 12: str(y) for y in range(first_year, last_year + 1)
                   if (y - first_year) % every == 0}
    sidebar = html.Aside(className="sidebar", children=[
        labelled("region", dcc.Dropdown(id=ids.REGION, options=regions, value="all", clearable=False,
                                        searchable=False), ids.REGION),
        labelled("crime_types", dcc.Dropdown(id=ids.CRIME_TYPES, options=[], value=[], multi=True,
                                             placeholder=t("crime_types_placeholder")), ids.CRIME_TYPES),
        labelled("date_range", dcc.RangeSlider(id=ids.YEARS, min=0, max=last_index, step=1,
                                               value=[0, last_index], marks=month_marks,
                                               allowCross=False, updatemode="mouseup"), ids.YEARS),
        html.Div(id=ids.PERIOD_LABEL, className="period-label", role="status"),
        labelled("actors", dcc.Dropdown(id=ids.ACTORS, options=[], value=[], multi=True,
                                        placeholder=t("actors_placeholder")), ids.ACTORS),
        labelled("sources", dcc.Dropdown(id=ids.SOURCES, options=[{"label": title, "value": sid} for sid, title in sources.items()],
                                         value=[], multi=True, placeholder=t("sources_placeholder")), ids.SOURCES),
        html.Div(className="control-row", children=[
            labelled("min_fatalities", dcc.Input(id=ids.MIN_FATALITIES, type="number", min=0, step=1, value=0,
                                                 debounce=True, className="number-input"), ids.MIN_FATALITIES),
            labelled("precision", dcc.Dropdown(id=ids.PRECISION, options=opts["precision"], value=4, clearable=False,
                                               searchable=False), ids.PRECISION),
        ]),
        html.Div(className="control-row", children=[
            labelled("unit", dcc.Dropdown(id=ids.UNIT, options=opts["unit"], value="h3", clearable=False,
                                          searchable=False), ids.UNIT),
            labelled("resolution", dcc.Dropdown(id=ids.RESOLUTION, value=4, clearable=False, searchable=False,
                                                options=[{"label": f"H3 r{r}", "value": r} for r in (3, 4, 5, 6)]),
                     ids.RESOLUTION),
        ]),
        analysis_controls(opts),
        labelled("boundary_set", dcc.Dropdown(id=ids.BOUNDARY_SET, options=[{"label": b, "value": b}
                                                                           for b in boundary_sets],
                                              value=None, placeholder="—", searchable=False), ids.BOUNDARY_SET),
        labelled("corridor_pick", dcc.Dropdown(
            id=ids.CORRIDOR_PICK, value=None, placeholder="—", searchable=True,
            options=[{"label": r.name, "value": f"corridor:{r.route_id}"}
                     for r in (corridors.itertuples() if corridors is not None else [])]), ids.CORRIDOR_PICK),
        labelled("layers", dcc.Checklist(id=ids.LAYERS, options=opts["layers"], value=[], className="layer-list"), ids.LAYERS),
        html.Button(text("reset"), id=ids.RESET, n_clicks=0, className="reset-button"),
        export_controls(),
    ])
    header = html.Header(className="header", children=[
        html.Div([html.H1("Nexus Atlas"), text("tagline", tag=html.P, className="tagline")], className="brand"),
        html.Div(id=ids.COUNTER, className="counter", role="status", **{"aria-live": "polite"}),
        html.Div(className="lang", children=[
            html.Label(text("language"), htmlFor=ids.LANG, className="sr-only"),
            dcc.RadioItems(id=ids.LANG, options=[{"label": "English", "value": "en"},
                                                 {"label": "Français", "value": "fr"}],
                           value="en", inline=True),
        ]),
    ])
    banner = html.Div(text("synthetic_banner"), id=ids.SYNTHETIC_BANNER, className="synthetic-banner",
                      role="note", hidden=True)
    main = html.Main(className="main", children=[
        html.Div(id=ids.ALERT, className="alert", role="alert", hidden=True),
        dcc.Loading(dcc.Graph(id=ids.MAP, className="map", config={"displaylogo": False, "scrollZoom": True},
                              responsive=True), type="dot", delay_show=400, parent_className="map-wrap"),
        html.Section(className="timeseries", children=[
            html.Div(className="timeseries-head", children=[
                text("time_series", tag=html.H2),
                html.Div(className="playback", role="group", **{"aria-label": "playback"}, children=[
                    html.Button(text("play"), id=ids.PLAY, n_clicks=0, className="play-button"),
                    dcc.Dropdown(id=ids.PLAY_STEP, value="year", clearable=False, searchable=False,
                                 options=[{"label": t(f"step_{k}"), "value": k} for k in ("month", "quarter", "year")],
                                 className="play-select"),
                    dcc.Dropdown(id=ids.PLAY_MODE, value="cumulative", clearable=False, searchable=False,
                                 options=[{"label": t(f"mode_{k}"), "value": k} for k in ("cumulative", "window")],
                                 className="play-select"),
                    dcc.Interval(id=ids.PLAY_TIMER, interval=1500, disabled=True),
                ]),
            ]),
            dcc.Graph(id=ids.TIME_SERIES, config={"displayModeBar": False}),
        ]),
        about_panel(zones),
        html.Footer(id=ids.SOURCES_FOOTER, className="sources-footer"),
    ])
    return html.Div(className="app", children=[
        dcc.Location(id=ids.URL, refresh=False), dcc.Store(id=ids.POINTS), dcc.Store(id=ids.POINTS_COUNT),
        header, banner,
        html.Div(className="body", children=[sidebar, main, drilldown_panel()]),
        dcc.Download(id=ids.DOWNLOAD),
    ])


def analysis_controls(opts):
    """What the unit layer shows, and the parameters of the chosen analysis."""
    def weight(key, control_id, value):
        return labelled(key, dcc.Slider(id=control_id, min=0, max=1, step=0.05, value=value,
                                        marks={0: "0", 0.5: "0.5", 1: "1"}, updatemode="mouseup"), control_id)

    return html.Div(className="analysis", children=[
        labelled("analysis", dcc.RadioItems(id=ids.ANALYSIS, options=opts["analysis"], value="counts",
                                            className="analysis-list"), ids.ANALYSIS),
        html.Div(id=ids.ANALYSIS_PARAMS, className="analysis-params", children=[
            html.Div(className="control-row", children=[
                labelled("variable", dcc.Dropdown(id=ids.VARIABLE, options=opts["variable"], value="events",
                                                  clearable=False, searchable=False), ids.VARIABLE),
                labelled("analysis_step", dcc.Dropdown(id=ids.STEP, options=opts["step"], value="year",
                                                       clearable=False, searchable=False), ids.STEP),
            ]),
            dcc.Checklist(id=ids.FDR, options=opts["fdr"], value=[], className="layer-list"),
        ]),
        html.Div(id=ids.CORRIDOR_PARAMS, className="analysis-params", hidden=True, children=[
            labelled("distance_km", dcc.Input(id=ids.DISTANCE_KM, type="number", min=1, max=500, step=1, value=25,
                                              debounce=True, className="number-input"), ids.DISTANCE_KM),
        ]),
        html.Div(id=ids.NEXUS_PARAMS, className="analysis-params", children=[
            weight("w_t", ids.W_T, 0.5), weight("w_c", ids.W_C, 0.3), weight("w_r", ids.W_R, 0.2),
            labelled("half_life", dcc.Input(id=ids.HALF_LIFE, type="number", min=0, max=50, step=0.5, value=2,
                                            debounce=True, className="number-input"), ids.HALF_LIFE),
        ]),
    ])


def about_panel(zones=None):
    """'About these numbers': the current layer's legend in words, the methods, and every source."""
    from atlas.paths import DOCS_DIR
    methods = DOCS_DIR / "methodology.md"
    return html.Details(id=ids.ABOUT, className="about", children=[
        html.Summary(text("about")),
        html.P(id=ids.ABOUT_LEGEND, className="about-legend"),
        html.Details([html.Summary(text("about_methods")),
                      dcc.Markdown(methods.read_text(encoding="utf-8") if methods.exists() else "",
                                   mathjax=False, className="methods")]),
        html.Details([html.Summary(text("about_sources")), html.Div(id=ids.ABOUT_SOURCES)]),
        html.Details([html.Summary(text("layer_zones")), html.Ul(
            [html.Li([html.Strong(z.name), f": {z.description} — {z.source_citation} (confidence {z.confidence})"])
             for z in (zones.itertuples() if zones is not None else [])])]),
    ])


def drilldown_panel():
    columns = [{"name": t(f"col_{c}"), "id": c} for c in EVENT_COLUMNS]
    return html.Aside(id=ids.DRILLDOWN, className="drilldown", hidden=True, **{"aria-label": "drill-down"}, children=[
        html.Div(className="drill-head", children=[
            html.H2(id=ids.DRILL_TITLE),
            html.Button(text("drill_close"), id=ids.DRILL_CLOSE, n_clicks=0, className="close-button"),
        ]),
        html.P(id=ids.DRILL_SUMMARY, className="drill-summary"),
        text("drill_trend", tag=html.H3),
        dcc.Graph(id=ids.DRILL_TREND, config={"displayModeBar": False, "responsive": True},
                  className="drill-graph", style={"width": "100%", "height": "190px"}),
        text("drill_breakdown", tag=html.H3),
        dcc.Graph(id=ids.DRILL_BREAKDOWN, config={"displayModeBar": False},
                  className="drill-graph", style={"width": "100%"}),
        text("drill_actors", tag=html.H3),
        html.Ol(id=ids.DRILL_ACTORS, className="drill-list"),
        text("drill_evidence", tag=html.H3),
        html.Ul(id=ids.DRILL_EVIDENCE, className="drill-list"),
        text("drill_sources", tag=html.H3),
        html.Ul(id=ids.DRILL_SOURCES, className="drill-list"),
        text("drill_events", tag=html.H3),
        html.P(id=ids.DRILL_TABLE_NOTE, className="table-note"),
        html.Div(className="download-row", children=[
            html.Button(text("download_csv"), id=ids.DOWNLOAD_CSV, n_clicks=0),
            html.Button(text("download_geojson"), id=ids.DOWNLOAD_GEOJSON, n_clicks=0),
        ]),
        dash_table.DataTable(id=ids.DRILL_TABLE, columns=columns, data=[], page_size=12, page_action="native",
                             sort_action="native", filter_action="native",
                             style_table={"overflowX": "auto"},
                             style_cell={"fontSize": 12, "maxWidth": 220, "whiteSpace": "normal",
                                         "textAlign": "left", "fontFamily": "inherit"},
                             style_data_conditional=[{"if": {"filter_query": "{is_synthetic} = 'yes'"},
                                                      "backgroundColor": "#fdf3f2"}]),
    ])
