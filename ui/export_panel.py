"""The sidebar's "Export" section: pick a format and size, render the current view, download it.

The callback is thin: it reads the URL (the view) and the controls, calls ui.exports, and
returns the files through dcc.Download. Any failure becomes a sentence in the panel.
"""
from __future__ import annotations

import logging

from dash import Input, Output, State, dcc, html

from atlas.errors import AtlasError, InputError
from ui import ids
from ui.exports import FORMATS, SIZE_PRESETS, ExportSize, default_title, export_data, export_view
from ui.i18n import t
from ui.state import ViewState

log = logging.getLogger(__name__)

SECTION = "export-section"
FORMAT = "export-format"
SIZE = "export-size"
WIDTH = "export-width"
HEIGHT = "export-height"
SCALE = "export-scale"
TITLE = "export-title"
WITH_DATA = "export-with-data"
BUTTON = "export-button"
STATUS = "export-status"
DOWNLOAD = "export-download"
DOWNLOAD_CSV = "export-download-csv"
DOWNLOAD_GEOJSON = "export-download-geojson"
SIZE_KEYS = {"slide": "export_size_slide", "a4-portrait": "export_size_a4_portrait",
             "a4-landscape": "export_size_a4_landscape", "custom": "export_size_custom"}


def _text(key: str, lang: str = "en"):
    # the page's language callback relabels every span with this id pattern
    return html.Span(t(key, lang), id={"type": ids.I18N, "key": key})


def size_options(lang: str) -> list[dict]:
    return [{"label": t(SIZE_KEYS[name], lang), "value": name} for name in (*SIZE_PRESETS, "custom")]


def export_controls(lang: str = "en"):
    """The Export section for the sidebar."""
    def field(key, control, control_id):
        return html.Div([html.Label(_text(key, lang), htmlFor=control_id, className="control-label"), control],
                        className="control")

    return html.Section(id=SECTION, className="export-section", **{"aria-label": "export"}, children=[
        html.H2(_text("export_heading", lang), className="section-title"),
        html.Div(className="control-row", children=[
            field("export_format", dcc.Dropdown(id=FORMAT, value="png", clearable=False, searchable=False,
                                                options=[{"label": f.upper(), "value": f} for f in FORMATS]), FORMAT),
            field("export_size", dcc.Dropdown(id=SIZE, value="slide", clearable=False, searchable=False,
                                              options=size_options(lang)), SIZE),
        ]),
        html.Div(className="control-row", children=[
            field("export_width", dcc.Input(id=WIDTH, type="number", min=200, max=8000, step=1, value=1600,
                                            className="number-input"), WIDTH),
            field("export_height", dcc.Input(id=HEIGHT, type="number", min=200, max=8000, step=1, value=1000,
                                             className="number-input"), HEIGHT),
            field("export_scale", dcc.Input(id=SCALE, type="number", min=0.5, max=6, step=0.5, placeholder="auto",
                                            className="number-input"), SCALE),
        ]),
        field("export_title", dcc.Input(id=TITLE, type="text", value="", debounce=True, className="text-input",
                                        style={"width": "100%"}), TITLE),
        dcc.Checklist(id=WITH_DATA, options=[{"label": _text("export_with_data", lang), "value": "data"}],
                      value=[], className="export-with-data"),
        html.Button(_text("export_button", lang), id=BUTTON, n_clicks=0, className="export-button"),
        dcc.Loading(html.Div(id=STATUS, className="export-status", role="status", **{"aria-live": "polite"}),
                    type="dot", delay_show=300),
        dcc.Download(id=DOWNLOAD), dcc.Download(id=DOWNLOAD_CSV), dcc.Download(id=DOWNLOAD_GEOJSON),
    ])


def export_request(fmt, size_name, width, height, scale) -> tuple[str, ExportSize]:
    """The panel's values as a checked (format, size); bad values raise InputError with the fix."""
    fmt = str(fmt or "png").lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown image format '{fmt}'; choose one of {', '.join(FORMATS)}")
    name = size_name or "slide"
    if name == "custom":
        return fmt, ExportSize.parse("custom", width=width, height=height, scale=scale)
    return fmt, ExportSize.parse(name, scale=scale)


def _message(exc: Exception, lang: str) -> str:
    if isinstance(exc, AtlasError):
        return t("export_failed", lang, msg=str(exc))
    log.exception("export failed")
    return t("export_failed", lang, msg=type(exc).__name__)


def register_export_callbacks(app, store, base, extent_years, renderer) -> None:
    """Wire the Export section. ``renderer`` is one ui.exports.Renderer shared by all requests."""

    @app.callback(Output(TITLE, "placeholder"), Output(SIZE, "options"), Input(ids.URL, "search"))
    def on_view_for_export(search):
        state = ViewState.from_query(search)
        return default_title(state, extent_years), size_options(state.lang)

    @app.callback(Output(DOWNLOAD, "data"), Output(DOWNLOAD_CSV, "data"), Output(DOWNLOAD_GEOJSON, "data"),
                  Output(STATUS, "children"),
                  Input(BUTTON, "n_clicks"), State(ids.URL, "search"), State(FORMAT, "value"), State(SIZE, "value"),
                  State(WIDTH, "value"), State(HEIGHT, "value"), State(SCALE, "value"), State(TITLE, "value"),
                  State(WITH_DATA, "value"), prevent_initial_call=True)
    def on_export(_clicks, search, fmt, size_name, width, height, scale, title, with_data):
        state = ViewState.from_query(search)
        try:
            fmt, size = export_request(fmt, size_name, width, height, scale)
            with store.cursor() as con:
                result = export_view(con, base, state, fmt=fmt, size=size, title=title, renderer=renderer,
                                     extent_years=extent_years)
                tables = export_data(con, state) if "data" in (with_data or []) else None
        except Exception as exc:  # never a traceback in the page
            return None, None, None, html.Span(_message(exc, state.lang), className="export-error")
        stem = result.filename.rsplit(".", 1)[0]
        csv_file = dict(content=tables[0], filename=f"{stem}.csv", type="text/csv") if tables else None
        geojson_file = (dict(content=tables[1], filename=f"{stem}.geojson", type="application/geo+json")
                        if tables else None)
        return (dcc.send_bytes(result.content, result.filename, type=result.mime), csv_file, geojson_file,
                t("export_done", state.lang, name=result.filename))
