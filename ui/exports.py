"""Print-quality map images (PNG, SVG, PDF) of a view, and the data behind them.

The image is the very figure the page shows (ui.views.render_map), laid out for print: a title,
the period and filters in words, the legend, a north arrow and a scale bar, the sources with
their attribution, the date of export, and a watermark whenever synthetic events are drawn.

Rendering uses kaleido 1.x driving Debian's Chromium. Nothing is fetched: plotly.js is loaded
from the installed plotly package, MathJax is off, the map style is "white-bg" with our own
GeoJSON layers and no text symbols (so no tiles, glyphs or sprites), and the browser is pointed
at a proxy on a closed loopback port, so even an accidental request cannot leave the machine.
"""
from __future__ import annotations

import dataclasses

import json
import math
import os
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import shapely

import queries
from atlas.errors import AtlasError, InputError
from atlas.filters import region_presets
from atlas.taxonomy import crime_types_by_code
from ui.figures import view_for_bounds
from ui.i18n import fmt_int, t
from ui.payload import to_go
from ui.state import ViewState
from ui.views import MapView, period_label, render_map

FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
# MapLibre draws the whole world 512 px wide at zoom 0 (plotly's view_for_bounds uses the same),
# so a pixel spans 40 075 016.686 m / 512 at the equator. The often-quoted 156 543.03 m is for
# 256 px raster tiles and would make the scale bar twice too long.
EQUATOR_METRES_PER_PIXEL_Z0 = 40_075_016.686 / 512
# Every http(s) request of the export browser goes to this proxy: a closed loopback port, so it
# fails at once instead of reaching the internet. file:// loads (plotly.js) do not use a proxy.
OFFLINE_PROXY = "127.0.0.1:9"
WATERMARK_COLOUR = "rgba(160, 20, 20, 0.28)"
INK = "#222222"
MUTED = "#555555"
MAX_PIXELS = 8000          # per side, before scale: larger asks are almost always a typo
MAX_SCALE = 6


class ExportError(AtlasError):
    """An image could not be rendered (browser missing, renderer failed)."""


# ---------------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class ExportSize:
    """Output size in CSS pixels (96 per inch) and a scale factor for sharper raster output.

    A PNG is width*scale x height*scale pixels; SVG and PDF keep width x height (a PDF page is
    width*0.75 x height*0.75 points) and are sharp at any zoom.
    """
    width: int
    height: int
    scale: float = 1.0
    name: str = "custom"

    def __post_init__(self):
        for side, value in (("width", self.width), ("height", self.height)):
            if not isinstance(value, int) or not 200 <= value <= MAX_PIXELS:
                raise InputError(f"export {side} must be a whole number of pixels between 200 and {MAX_PIXELS}, "
                                 f"not {value!r}")
        if not 0.5 <= float(self.scale) <= MAX_SCALE:
            raise InputError(f"export scale must be between 0.5 and {MAX_SCALE} (3 gives about 300 dpi on A4), "
                             f"not {self.scale!r}")

    @classmethod
    def preset(cls, name: str, *, scale: float | None = None) -> "ExportSize":
        if name not in SIZE_PRESETS:
            raise InputError(f"unknown export size '{name}'; choose one of {', '.join(SIZE_PRESETS)} "
                             f"or give a width and height")
        width, height, default_scale = SIZE_PRESETS[name]
        return cls(width, height, default_scale if scale is None else scale, name)

    @classmethod
    def custom(cls, width, height, scale=1.0) -> "ExportSize":
        try:
            return cls(int(width), int(height), float(scale), "custom")
        except (TypeError, ValueError):
            raise InputError(f"export width, height and scale must be numbers, not {width!r} x {height!r} "
                             f"at {scale!r}") from None

    @classmethod
    def parse(cls, name: str | None, *, width=None, height=None, scale=None) -> "ExportSize":
        """A preset by name, or a custom size when the name is 'custom' (or missing) and both sides are given."""
        if name in (None, "", "custom"):
            if width in (None, "") or height in (None, ""):
                if name == "custom":
                    raise InputError("a custom export size needs both a width and a height in pixels")
                return cls.preset("slide", scale=None if scale in (None, "") else float(scale))
            return cls.custom(width, height, 1.0 if scale in (None, "") else scale)
        return cls.preset(name, scale=None if scale in (None, "") else float(scale))

    @property
    def label(self) -> str:
        return f"{self.width}x{self.height}" + (f"@{self.scale:g}x" if self.scale != 1 else "")


# name: (width px, height px, default scale). A4 at 96 px/inch; scale 3 gives about 300 dpi.
SIZE_PRESETS = {
    "slide": (1920, 1080, 1.0),
    "a4-portrait": (794, 1123, 3.0),
    "a4-landscape": (1123, 794, 3.0),
}


# ---------------------------------------------------------------------------------------------
# Words: default title, filters, sources


def _crime_label(code: str, lang: str) -> str:
    ct = crime_types_by_code().get(code)
    if ct is None:
        return code
    return ct.label_fr if lang == "fr" else ct.label


def _join(words: list[str], lang: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {t('export_and', lang)} " + words[-1]


def region_label(region: str, lang: str) -> str:
    preset = region_presets()[region]
    return preset.get("label_fr", preset["label"]) if lang == "fr" else preset["label"]


def period_years(state: ViewState, extent_years: tuple[int, int]) -> str:
    f = state.filters
    start = f.date_from.year if f.date_from else extent_years[0]
    end = f.date_to.year if f.date_to else extent_years[1]
    return str(start) if start == end else f"{start}–{end}"


def default_title(state: ViewState, extent_years: tuple[int, int]) -> str:
    """E.g. 'Kidnapping for ransom and armed group attack, Sahel, 2018–2024'."""
    lang, f = state.lang, state.filters
    if f.crime_types:
        labels = [_crime_label(c, lang) for c in f.crime_types]
        what = _join([labels[0]] + [lbl[:1].lower() + lbl[1:] for lbl in labels[1:]], lang)
    else:
        what = t("export_all_types", lang)
    return f"{what}, {region_label(f.region, lang)}, {period_years(state, extent_years)}"


def filter_words(state: ViewState) -> str:
    """The filters that narrow the view beyond region and period, as one line of plain words."""
    lang, f = state.lang, state.filters
    parts = []
    if f.crime_types:
        parts.append(t("crime_types", lang) + ": " + ", ".join(_crime_label(c, lang) for c in f.crime_types))
    if f.actors:
        parts.append(t("actors", lang) + ": " + ", ".join(f.actors))
    if f.sources:
        parts.append(t("sources", lang) + ": " + ", ".join(f.sources))
    if f.min_fatalities:
        parts.append(t("export_min_fatalities", lang, n=fmt_int(f.min_fatalities, lang)))
    if f.max_geo_precision < 4:
        parts.append(t("precision", lang) + ": " + t(f"precision_{f.max_geo_precision}", lang).lower())
    unit = (t("export_unit_priogrid", lang) if f.unit == "priogrid"
            else t("export_unit_h3", lang, r=f.resolution))
    narrowing = "; ".join(parts) if parts else t("export_no_filters", lang)
    return f"{t('export_filters', lang)}: {narrowing} · {unit}"


def source_lines(sources) -> list[str]:
    lines = []
    for row in sources.itertuples():
        text = str(row.title)
        if getattr(row, "attribution", None):
            text += f" — {row.attribution}"
        if getattr(row, "licence", None):
            text += f" ({row.licence})"
        lines.append(text)
    return lines


def wrap(text: str, max_chars: int) -> list[str]:
    """Greedy word wrap: plotly annotations do not wrap by themselves."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > max_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _escape(text: str) -> str:
    # Plotly annotation text is a small HTML subset: keep data values (actor names...) literal.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------
# Scale bar


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Ground metres per CSS pixel at latitude ``lat`` on a web-mercator MapLibre map at ``zoom``."""
    return EQUATOR_METRES_PER_PIXEL_Z0 * math.cos(math.radians(lat)) / 2 ** zoom


def round_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not above ``max_metres``."""
    if max_metres <= 0:
        raise ValueError("the scale bar needs a positive length")
    k = math.floor(math.log10(max_metres))
    for step in (5, 2, 1):
        if step * 10 ** k <= max_metres:
            return float(step * 10 ** k)
    return float(10 ** k)  # pragma: no cover - step 1 always fits


def scale_bar(lat: float, zoom: float, *, max_px: float) -> tuple[float, str]:
    """(bar length in pixels, label) for a round distance no longer than ``max_px`` pixels."""
    mpp = metres_per_pixel(lat, zoom)
    metres = round_length(mpp * max_px)
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    return metres / mpp, label


# ---------------------------------------------------------------------------------------------
# The print layout


@dataclass(frozen=True)
class _Box:
    """The map's rectangle as fractions of the image (plotly 'paper' coordinates, margins 0)."""
    x0: float
    x1: float
    y0: float
    y1: float


def compose_print_figure(view: MapView, state: ViewState, *, title: str | None, size: ExportSize,
                         export_date: date, extent_years: tuple[int, int]) -> go.Figure:
    """The page's map figure, laid out for print at ``size`` (see the module docstring)."""
    lang, f = state.lang, state.filters
    W, H = size.width, size.height
    fs = max(10, min(22, round(min(W, H) / 70)))          # body text size, px
    pad = round(fs * 1.2)
    line_h = fs * 1.4
    chars_per_line = max(30, int((W - 2 * pad) / (fs * 0.52)))

    title = (title or "").strip() or default_title(state, extent_years)
    title_lines = wrap(title, max(20, int((W - 2 * pad) / (fs * 1.8 * 0.55))))
    subtitle = (f"{t('date_range', lang)}: {period_label(state, extent_years)} · "
                + t("events_shown", lang, n=fmt_int(view.events, lang)) + " · "
                + t("fatalities_shown", lang, n=fmt_int(view.fatalities, lang)))
    footer_lines = wrap(filter_words(state), chars_per_line)
    if view.legend_text:  # what the colours mean, in plain words (from the layer's legend)
        footer_lines += wrap(view.legend_text, chars_per_line)
    srcs = [line for s in source_lines(view.sources) for line in wrap(s, chars_per_line - 2)]
    if len(srcs) > 6:  # a long list would eat the map: the CSV export and the page list them all
        srcs = srcs[:5] + ["…"]
    footer_lines += [f"{t('sources_on_map', lang)}: " + (srcs[0] if srcs else "—")] + srcs[1:]
    footer_lines.append(t("export_exported", lang, date=export_date.isoformat()))
    warning_lines = []
    if view.synthetic_events > 0:  # said in words too: a crop or a black-and-white copy may lose the watermark
        warning_lines = wrap(t("synthetic_banner", lang), chars_per_line)

    header_px = pad + len(title_lines) * fs * 1.9 * 1.25 + line_h + pad * 0.6
    footer_px = pad * 0.6 + (len(footer_lines) + len(warning_lines)) * line_h + pad * 0.6
    box = _Box(pad / W, 1 - pad / W, footer_px / H, 1 - header_px / H)
    map_w, map_h = (box.x1 - box.x0) * W, (box.y1 - box.y0) * H
    if map_w < 100 or map_h < 100:
        raise InputError(f"{W}x{H} px leaves no room for the map under the title and sources; "
                         f"choose a larger size or a shorter title")

    fig = to_go(view.figure)
    centre, zoom = view_for_bounds(region_presets()[f.region]["bounds"], width_px=int(map_w), height_px=int(map_h))
    banner = t("synthetic_watermark", lang)
    # the page's banner becomes the watermark; corridors off this map would only crowd the legend
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != banner]
    visible = visible_bounds(centre, zoom, width_px=map_w, height_px=map_h)
    fig.data = [tr for tr in fig.data if not _is_corridor(tr) or _line_in_bounds(tr, visible)]
    fig.update_layout(
        width=W, height=H, margin={"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0}, paper_bgcolor="#ffffff",
        font={"family": "Arial, Helvetica, sans-serif", "size": fs, "color": INK}, showlegend=True,
        legend={"x": box.x0 + pad / W / 2, "y": box.y0 + pad / H / 2, "xanchor": "left", "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#999999", "borderwidth": 1,
                "font": {"size": round(fs * 0.85)}, "groupclick": "toggleitem"},
    )
    fig.update_layout(map={"domain": {"x": [box.x0, box.x1], "y": [box.y0, box.y1]},
                           "center": centre, "zoom": zoom, "style": "white-bg"})
    for trace in fig.data:
        if isinstance(trace, go.Choroplethmap):
            title_text = trace.colorbar.title.text or t("events", lang)
            hint = t("export_legend_hint", lang) if state.analysis.analysis == "counts" else ""
            trace.colorbar.update(
                title={"text": title_text + (f"<br><span style='font-size:{round(fs * 0.8)}px'>{hint}</span>"
                                             if hint else ""), "font": {"size": fs}},
                x=box.x1 - pad / W / 2, xanchor="right", y=box.y1 - pad / H / 2, yanchor="top",
                len=0.45 * (box.y1 - box.y0), lenmode="fraction", thickness=max(10, fs),
                tickfont={"size": round(fs * 0.85)}, outlinewidth=1, outlinecolor="#999999",
                bgcolor="rgba(0,0,0,0)")
            ticks = [str(x) for x in (trace.colorbar.ticktext or ())]
            text_px = max([len(title_text) * fs * 0.55, len(hint) * fs * 0.8 * 0.5]
                          + [fs * 1.5 + len(x) * fs * 0.85 * 0.55 for x in ticks])
            _add_legend_backdrop(fig, box, text_px=text_px, fs=fs, pad=pad, W=W, H=H)

    _add_header(fig, title_lines, subtitle, fs=fs, pad=pad, W=W, H=H)
    _add_footer(fig, footer_lines, warning_lines, box=box, fs=fs, line_h=line_h, pad=pad, W=W, H=H)
    _add_frame(fig, box)
    _add_north_arrow(fig, box, fs=fs, pad=pad, W=W, H=H)
    _add_scale_bar(fig, box, lat=centre["lat"], zoom=zoom, map_w=map_w, fs=fs, pad=pad, W=W, H=H, lang=lang)
    if view.synthetic_events > 0:
        _add_watermark(fig, box, text=banner, map_w=map_w, map_h=map_h)
    return fig


def visible_bounds(centre: dict, zoom: float, *, width_px: float, height_px: float) -> tuple[float, ...]:
    """[min_lon, min_lat, max_lon, max_lat] shown by a web-mercator map of that size, centre and zoom."""
    world_px = 512 * 2 ** zoom
    half_lon = width_px / world_px * 180
    y = math.log(math.tan(math.pi / 4 + math.radians(centre["lat"]) / 2))
    half_y = height_px / world_px * math.pi

    def lat(v):
        return math.degrees(2 * math.atan(math.exp(v)) - math.pi / 2)
    return (centre["lon"] - half_lon, lat(y - half_y), centre["lon"] + half_lon, lat(y + half_y))


def _is_corridor(trace) -> bool:
    data = getattr(trace, "customdata", None) if trace.type == "scattermap" else None
    return data is not None and len(data) > 0 and str(data[0]).startswith("corridor:")


def _line_in_bounds(trace, bounds) -> bool:
    parts, current = [], []
    for lon, lat in zip(trace.lon, trace.lat):
        if lon is None or lat is None:
            if len(current) > 1:
                parts.append(current)
            current = []
        else:
            current.append((lon, lat))
    if len(current) > 1:
        parts.append(current)
    return bool(parts) and shapely.MultiLineString(parts).intersects(shapely.box(*bounds))


def _add_legend_backdrop(fig, box, *, text_px, fs, pad, W, H):
    # plotly draws a colour bar's own background at the wrong height when its title wraps;
    # a shape behind it is drawn reliably in every format.
    width = max(text_px, fs * 4) + fs * 1.2  # text_px: estimated width of the longest title line
    x1 = box.x1 - pad / W / 4
    y1 = box.y1 - pad / H / 4
    height = 0.45 * (box.y1 - box.y0) * H + fs * 3.5
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=x1 - width / W, x1=x1, y0=y1 - height / H, y1=y1,
                  fillcolor="rgba(255,255,255,0.88)", line={"color": "#999999", "width": 1}, layer="above")


def _add_header(fig, title_lines, subtitle, *, fs, pad, W, H):
    fig.add_annotation(text="<br>".join(_escape(x) for x in title_lines), xref="paper", yref="paper",
                       x=pad / W, y=1 - pad / H, xanchor="left", yanchor="top", align="left", showarrow=False,
                       font={"size": round(fs * 1.9), "color": INK}, name="title")
    title_px = len(title_lines) * fs * 1.9 * 1.25
    fig.add_annotation(text=_escape(subtitle), xref="paper", yref="paper", x=pad / W,
                       y=1 - (pad + title_px + fs * 0.2) / H, xanchor="left", yanchor="top", align="left",
                       showarrow=False, font={"size": fs, "color": MUTED}, name="subtitle")


def _add_footer(fig, lines, warning_lines, *, box, fs, line_h, pad, W, H):
    text = "<br>".join([_escape(x) for x in lines]
                       + [f"<span style='color:#8a1c1c'><b>{_escape(x)}</b></span>" for x in warning_lines])
    fig.add_annotation(text=text, xref="paper", yref="paper",
                       x=pad / W, y=box.y0 - pad * 0.5 / H, xanchor="left", yanchor="top", align="left",
                       showarrow=False, font={"size": round(fs * 0.9), "color": MUTED}, name="footer")


def _add_frame(fig, box):
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=box.x0, x1=box.x1, y0=box.y0, y1=box.y1,
                  line={"color": "#777777", "width": 1}, fillcolor="rgba(0,0,0,0)", layer="above")


def _add_north_arrow(fig, box, *, fs, pad, W, H):
    fig.add_annotation(text=f"<b>{t('export_north')}</b><br>↑", xref="paper", yref="paper",
                       x=box.x0 + pad / W, y=box.y1 - pad / H, xanchor="left", yanchor="top", showarrow=False,
                       font={"size": round(fs * 1.5), "color": INK}, bgcolor="rgba(255,255,255,0.85)",
                       bordercolor="#999999", borderwidth=1, borderpad=3, name="north-arrow")


def _add_scale_bar(fig, box, *, lat, zoom, map_w, fs, pad, W, H, lang):
    bar_px, label = scale_bar(lat, zoom, max_px=map_w / 4)
    x1 = box.x1 - pad / W
    x0 = x1 - bar_px / W
    y0 = box.y0 + pad / H
    y1 = y0 + max(4, fs * 0.45) / H
    mid = (x0 + x1) / 2
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=x0 - fs * 0.6 / W, x1=x1 + fs * 0.6 / W,
                  y0=y0 - fs * 0.5 / H, y1=y1 + fs * 2.8 / H, fillcolor="rgba(255,255,255,0.85)",
                  line={"width": 0}, layer="above")
    # two-tone bar, as on printed maps
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=x0, x1=mid, y0=y0, y1=y1,
                  fillcolor=INK, line={"color": INK, "width": 1}, layer="above")
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=mid, x1=x1, y0=y0, y1=y1,
                  fillcolor="#ffffff", line={"color": INK, "width": 1}, layer="above")
    fig.add_annotation(text=f"{label} <span style='font-size:{round(fs * 0.7)}px'>({t('export_scale_note', lang)})"
                            f"</span>", xref="paper", yref="paper", x=x1, y=y1 + fs * 0.3 / H,
                       xanchor="right", yanchor="bottom", showarrow=False, font={"size": round(fs * 0.9)},
                       name="scale-bar")


def _add_watermark(fig, box, *, text, map_w, map_h):
    # Diagonal and across the whole map, so no crop of the image can leave it out.
    diagonal = math.hypot(map_w, map_h)
    size = max(14, int(diagonal * 0.8 / (len(text) * 0.62)))
    angle = -math.degrees(math.atan2(map_h, map_w))
    fig.add_annotation(text=f"<b>{_escape(text)}</b>", xref="paper", yref="paper", x=(box.x0 + box.x1) / 2,
                       y=(box.y0 + box.y1) / 2, xanchor="center", yanchor="middle", showarrow=False,
                       textangle=angle, font={"size": size, "color": WATERMARK_COLOUR}, name="watermark")


# ---------------------------------------------------------------------------------------------
# Rendering


def _plotly_js() -> Path:
    import plotly
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ExportError(f"plotly.js is missing from the installed plotly package ({path}); reinstall plotly")
    return path


def find_browser() -> str:
    """BROWSER_PATH if set, else Chromium on PATH (Debian's /usr/bin/chromium). Never downloads one."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        if not Path(explicit).is_file():
            raise ExportError(f"BROWSER_PATH={explicit} does not exist; point it at a Chromium executable "
                              f"or unset it to use chromium from PATH")
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError("image export needs Chromium: install it with 'apt-get install chromium' "
                      "or set BROWSER_PATH to a Chromium executable")


_SERVER_LOCK = threading.Lock()   # kaleido's sync server is one per process and not thread-safe
_owner: "Renderer | None" = None


class Renderer:
    """Renders figures to PNG/SVG/PDF bytes with one Chromium kept running between exports.

    Use as a context manager (``with Renderer() as r: r.render(fig, ...)``) or call close().
    Starts the browser at the first render, so an app that never exports never starts it.
    Safe to share between threads (Dash serves callbacks in threads): renders are serialised.
    """

    def __init__(self, *, proxy_server: str = OFFLINE_PROXY, timeout: float = 90):
        self.proxy_server = proxy_server
        self.timeout = timeout
        self.renders = 0

    def start(self) -> "Renderer":
        global _owner
        import kaleido
        with _SERVER_LOCK:
            if _owner is self:
                return self
            if _owner is not None:
                raise ExportError("another image renderer is already running in this process; close it first")
            browser = find_browser()
            kaleido.start_sync_server(path=browser, plotlyjs=str(_plotly_js()), mathjax=False,
                                      timeout=self.timeout, proxy_server=self.proxy_server,
                                      silence_warnings=True)
            _owner = self
        return self

    def close(self) -> None:
        global _owner
        import kaleido
        with _SERVER_LOCK:
            if _owner is self:
                kaleido.stop_sync_server(silence_warnings=True)
                _owner = None

    def __enter__(self) -> "Renderer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def render(self, fig: go.Figure, *, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        import kaleido
        if fmt not in FORMATS:
            raise InputError(f"unknown image format '{fmt}'; choose one of {', '.join(FORMATS)}")
        self.start()
        with _SERVER_LOCK:
            try:
                data = kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height,
                                                        "scale": scale})
            except Exception as exc:  # kaleido raises plain exceptions; people get one line
                raise ExportError(f"the browser could not render the {fmt.upper()} image "
                                  f"({type(exc).__name__}: {str(exc)[:200]})") from exc
        self.renders += 1
        return data


# ---------------------------------------------------------------------------------------------
# One view -> one file


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    filename: str
    mime: str


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_basename(state: ViewState, extent_years: tuple[int, int]) -> str:
    """Descriptive and distinct per view: region, crime types, period (and any narrower filter)."""
    f = state.filters
    types = "all-types" if not f.crime_types else "+".join(_slug(c) for c in f.crime_types[:3]) + (
        f"+{len(f.crime_types) - 3}more" if len(f.crime_types) > 3 else "")
    parts = ["nexus-atlas", _slug(f.region), types, period_years(state, extent_years).replace("–", "-")]
    if state.analysis.analysis != "counts":
        parts.append(state.analysis.analysis)
    if f.unit == "priogrid":
        parts.append("priogrid")
    elif f.resolution != 4:
        parts.append(f"h3r{f.resolution}")
    if state.lang != "en":
        parts.append(state.lang)
    rest = state.replace(lang="en", filters=f.replace(region="all", crime_types=(), date_from=None, date_to=None,
                                                      unit="h3", resolution=4)).to_query()
    if rest:  # other filters differ: a short stable hash keeps names apart without growing long
        import hashlib
        parts.append(hashlib.sha1(rest.encode()).hexdigest()[:6])
    return "_".join(parts)


def base_layers(con):
    """The static layers, built as the page builds them but with the outlines embedded (see export_view)."""
    from ui.views import load_base_layers
    return load_base_layers(con)


def store_years(con) -> tuple[int, int]:
    extent = queries.run(con, "store_extent").iloc[0]
    if not extent["events"]:
        today = date.today().year
        return today, today
    return int(extent["first_date"].year), int(extent["last_date"].year)


def export_view(con, base, state: ViewState, *, fmt: str, size: ExportSize, title: str | None = None,
                renderer: Renderer, extent_years: tuple[int, int] | None = None,
                export_date: date | None = None) -> ExportResult:
    """Render the view described by ``state`` (a URL's query) to one image file."""
    if fmt not in FORMATS:
        raise InputError(f"unknown image format '{fmt}'; choose one of {', '.join(FORMATS)}")
    extent_years = extent_years or store_years(con)
    # The page loads the outlines from a URL the export browser cannot reach: embed them instead.
    view = render_map(con, dataclasses.replace(base, countries_url=None), state)
    fig = compose_print_figure(view, state, title=title, size=size, export_date=export_date or date.today(),
                               extent_years=extent_years)
    # scale only sharpens raster output; a vector page must keep its size (A4 stays 595 x 842 pt)
    scale = size.scale if fmt == "png" else 1
    content = renderer.render(fig, fmt=fmt, width=size.width, height=size.height, scale=scale)
    return ExportResult(content, f"{export_basename(state, extent_years)}_{size.name}.{fmt}", MIME[fmt])


def export_data(con, state: ViewState) -> tuple[str, str]:
    """(CSV, GeoJSON) of the layer behind the image: one row per cell with its id and its numbers.

    For event counts these are events, fatalities and the events per nexus category; for an
    analysis layer, its own columns (class, z-score, index...). The CSV has one header line and
    no comment lines, so any spreadsheet opens it.
    """
    from ui.analysis import build_unit_layer
    f = state.filters
    # the data behind the view even when the unit layer is switched off on the page
    layer = build_unit_layer(con, state.replace(layers=tuple(sorted({*state.layers, "counts"}))), detail=True).frame
    frame = layer.drop(columns="geometry").copy()
    if f.unit == "priogrid":
        frame.insert(0, "unit_kind", "priogrid")
        frame["unit_id"] = frame["unit_id"].astype("int64").astype(str)
    else:
        import h3
        cells = [h3.int_to_str(int(u)) for u in frame["unit_id"]]
        # each cell's own resolution: the map may count at a coarser one than asked (level of detail)
        frame.insert(0, "unit_kind", [f"h3_r{h3.get_resolution(c)}" for c in cells])
        frame["unit_id"] = cells
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime") or col.endswith("_date"):
            frame[col] = [d.isoformat()[:10] if hasattr(d, "isoformat") else "" for d in frame[col]]
    # planar centroids in degrees: exact enough for cells a few km to 50 km across
    centroids = shapely.centroid(layer.geometry.to_numpy()) if len(layer) else []
    frame["centroid_lat"] = [round(p.y, 5) for p in centroids]
    frame["centroid_lon"] = [round(p.x, 5) for p in centroids]
    csv_text = frame.to_csv(index=False, lineterminator="\n")
    features = []
    for row, geom in zip(frame.to_dict("records"), layer.geometry):
        props = {k: _json_value(v) for k, v in row.items()}
        features.append({"type": "Feature", "id": props["unit_id"], "properties": props,
                         "geometry": shapely.geometry.mapping(geom)})
    geojson = {"type": "FeatureCollection", "name": "nexus-atlas-" + state.analysis.analysis,
               "view": state.to_query() or "?", "features": features}
    return csv_text, json.dumps(geojson, ensure_ascii=False, allow_nan=False)


def _json_value(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
