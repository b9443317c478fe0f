"""The page: header, filter sidebar, map, time series, sources footer.

Every visible text is an i18n span (or a placeholder set by the language callback), so the
language switch re-labels the page without rebuilding the controls.
"""
from __future__ import annotations

from dash import dcc, html

from atlas.filters import region_presets
from ui import ids
from ui.controls import static_options
from ui.i18n import t


def text(key: str, lang: str = "en", tag=html.Span, **kwargs):
    return tag(t(key, lang), id={"type": ids.I18N, "key": key}, **kwargs)


def labelled(key: str, control, control_id: str):
    return html.Div([html.Label(text(key), htmlFor=control_id, className="control-label"), control],
                    className="control")


def build_layout(*, first_year: int, last_year: int, source_ids: list[str]):
    opts = static_options("en")
    regions = [{"label": r["label"], "value": r["id"]} for r in region_presets().values()]
    year_marks = {y: str(y) for y in range(first_year, last_year + 1)
                  if (y - first_year) % max(1, (last_year - first_year) // 6 or 1) == 0 or y == last_year}
    sidebar = html.Aside(className="sidebar", children=[
        labelled("region", dcc.Dropdown(id=ids.REGION, options=regions, value="all", clearable=False,
                                        searchable=False), ids.REGION),
        labelled("crime_types", dcc.Dropdown(id=ids.CRIME_TYPES, options=[], value=[], multi=True,
                                             placeholder=t("crime_types_placeholder")), ids.CRIME_TYPES),
        labelled("date_range", dcc.RangeSlider(id=ids.YEARS, min=first_year, max=last_year, step=1,
                                               value=[first_year, last_year], marks=year_marks,
                                               allowCross=False, tooltip={"placement": "bottom"}), ids.YEARS),
        labelled("actors", dcc.Dropdown(id=ids.ACTORS, options=[], value=[], multi=True,
                                        placeholder=t("actors_placeholder")), ids.ACTORS),
        labelled("sources", dcc.Dropdown(id=ids.SOURCES, options=[{"label": s, "value": s} for s in source_ids],
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
        labelled("layers", dcc.Checklist(id=ids.LAYERS, options=opts["layers"], value=[], className="layer-list"), ids.LAYERS),
        html.Button(text("reset"), id=ids.RESET, n_clicks=0, className="reset-button"),
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
            text("time_series", tag=html.H2),
            dcc.Graph(id=ids.TIME_SERIES, config={"displayModeBar": False}),
        ]),
        html.Footer(id=ids.SOURCES_FOOTER, className="sources-footer"),
    ])
    return html.Div(className="app", children=[
        dcc.Location(id=ids.URL, refresh=False), header, banner,
        html.Div(className="body", children=[sidebar, main]),
    ])
