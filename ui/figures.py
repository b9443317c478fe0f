"""Plotly figures built from layers. Used by the page and by image exports alike.

The map is a MapLibre figure (go.Choroplethmap / go.Scattermap) on the "white-bg" style with
our own GeoJSON layers: no tiles, no CDN, nothing fetched from the internet.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import shapely

from ui.i18n import fmt_int, t
from ui.payload import RawJSON, typed

# ColorBrewer YlOrRd: sequential and safe for the common colour-vision deficiencies.
COUNT_SCALE = [[0.0, "#ffffb2"], [0.25, "#fecc5c"], [0.5, "#fd8d3c"], [0.75, "#f03b20"], [1.0, "#bd0026"]]
OUTLINE_COLOUR = "#6b6b6b"
ZONE_COLOUR = "#117733"      # Tol's green: distinct from the YlOrRd cells and the corridor colours
ACTIVITY_COLOUR = "#0077BB"
LAND_COLOUR = "#f2efe9"
WATER_COLOUR = "#dfe9f2"


@dataclass(frozen=True)
class BaseLayers:
    """The static layers every map draws, loaded once per process from the store."""
    countries_geojson: dict          # admin-0 polygons, for the land fill and outlines
    corridors: gpd.GeoDataFrame      # route_id, name, commodity, crime_type, confidence, source_citation, geometry
    country_names: dict              # ISO3 -> name
    zones: gpd.GeoDataFrame | None = None        # area_id, name, description, source_citation, confidence, geometry
    activities: gpd.GeoDataFrame | None = None   # activity_id, title, kind, start_date, place, document, geometry
    # Where the page fetches the same outlines (app.py serves them once, the browser caches them), so
    # they do not travel with every map response; None (exports, tests) puts them inline in the figure.
    countries_url: str | None = None


def view_for_bounds(bounds, *, width_px: int = 1000, height_px: int = 650) -> tuple[dict, float]:
    """Centre and zoom that fit [min_lon, min_lat, max_lon, max_lat] in a map of the given size."""
    min_lon, min_lat, max_lon, max_lat = bounds
    centre = {"lon": (min_lon + max_lon) / 2, "lat": (min_lat + max_lat) / 2}

    def merc_y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_frac = (max_lon - min_lon) / 360.0
    lat_frac = (merc_y(max_lat) - merc_y(min_lat)) / (2 * math.pi)
    zoom = min(math.log2(width_px / 512 / lon_frac), math.log2(height_px / 512 / lat_frac))
    centre["lat"] = math.degrees(2 * math.atan(math.exp((merc_y(max_lat) + merc_y(min_lat)) / 2)) - math.pi / 2)
    return centre, round(zoom - 0.1, 2)


POINTS_TRACE_NAME = "events"


def point_trace_values(points, colours: dict[str, str], labels: dict[str, str]) -> dict:
    """Values for the event-point trace (lon, lat, color, text) from a point layer."""
    text = [f"<b>{labels.get(c, c)}</b><br>{d:%Y-%m-%d} · {loc or ''}<br>{f} fatalities"
            + ("<br><i>synthetic</i>" if s else "")
            for c, d, loc, f, s in zip(points["crime_type"], points["event_date"], points["location"],
                                       points["fatalities"], points["is_synthetic"])]
    return {"lon": points["lon"].tolist(), "lat": points["lat"].tolist(),
            "color": [colours.get(c, "#333333") for c in points["crime_type"]], "text": text}


def _log_ticks(max_value: int) -> tuple[list[float], list[str]]:
    steps = [1, 2, 5]
    values, k = [], 0
    while True:
        v = steps[k % 3] * 10 ** (k // 3)
        if v > max(max_value, 1):
            break
        values.append(v)
        k += 1
    return [math.log10(v) for v in values], [fmt_int(v) for v in values]


def _lines_to_lonlat(geoms) -> tuple[list, list]:
    """Concatenate line geometries into lon/lat lists with None gaps (one trace, many lines)."""
    lons, lats = [], []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            xs, ys = part.xy
            lons += list(xs) + [None]
            lats += list(ys) + [None]
    return lons, lats


# Unit outlines are sent with 4 decimals (about 11 m): far below a pixel at any zoom the map allows
# for cells, and half the bytes of full-precision coordinates.
COORD_DECIMALS = 4


def _unit_features(units: gpd.GeoDataFrame) -> tuple[list[str], RawJSON]:
    """GeoJSON features keyed by unit id, built from coordinate arrays in one pass (a few ms for 10,000
    cells, where shapely's per-geometry mapping() took a second), serialised once (ui/payload.py)."""
    ids = units["unit_id"].astype(str).tolist()
    geoms = np.asarray(units.geometry.values, dtype=object)
    simple = shapely.get_type_id(geoms) == 3  # polygons without holes: every H3 and PRIO-GRID cell
    simple &= shapely.get_num_interior_rings(geoms) == 0
    features = []
    if simple.all():
        coords, index = shapely.get_coordinates(shapely.get_exterior_ring(geoms), return_index=True)
        coords = np.round(coords, COORD_DECIMALS)
        bounds = np.searchsorted(index, np.arange(len(geoms) + 1))
        for k, i in enumerate(ids):
            features.append({"type": "Feature", "id": i, "geometry": {
                "type": "Polygon", "coordinates": [coords[bounds[k]:bounds[k + 1]]]}})
    else:  # admin units: multipolygons, holes
        rounded = shapely.set_precision(geoms, 10 ** -COORD_DECIMALS)
        features = [{"type": "Feature", "id": i, "geometry": shapely.geometry.mapping(g)}
                    for i, g in zip(ids, rounded)]
    return ids, RawJSON({"type": "FeatureCollection", "features": features})


COLOURBAR = {"len": 0.6, "thickness": 12, "x": 0.995, "xanchor": "right", "y": 0.98, "yanchor": "top",
             "bgcolor": "rgba(255,255,255,0.85)"}


@dataclass(frozen=True)
class Hover:
    """What a cell's tooltip says: a plotly hovertemplate over numeric columns of the layer (sent as one
    typed array, a fraction of the bytes of a formatted string per cell), or one string per cell."""
    template: str
    columns: tuple[str, ...] = ()
    text: list[str] | None = None


def _hover_fields(units, hover: Hover) -> dict:
    fields = {"hovertemplate": hover.template + "<extra></extra>"}
    if hover.columns:
        values = units[list(hover.columns)].to_numpy(dtype="float64")
        # float32 holds every count below 16,777,216 exactly, and p-values to far more digits than shown
        fields["customdata"] = typed(values, "float32")
    if hover.text is not None:
        fields["text"] = list(hover.text)
    return fields


def count_hover(lang: str, *, name: bool = False) -> Hover:
    """'<b>1,234</b> events<br>56 fatalities' from the layer's events and fatalities columns."""
    template = (f"<b>%{{customdata[0]:,.0f}}</b> {t('events', lang).lower()}"
                f"<br>%{{customdata[1]:,.0f}} {t('fatalities', lang).lower()}")
    return Hover(("<b>%{text}</b><br>" if name else "") + template, ("events", "fatalities"))


def count_trace(units: gpd.GeoDataFrame, *, label: str, lang: str, hover: Hover | None = None) -> dict | None:
    """Events per unit on a log colour scale (counts are skewed: a few cells hold most events)."""
    if not len(units):
        return None
    ids, geojson = _unit_features(units)
    z = np.round(np.log10(units["events"].to_numpy(dtype="float64").clip(min=1)), 3)
    tickvals, ticktext = _log_ticks(int(units["events"].max()))
    if hover is None:
        units = units if "fatalities" in units else units.assign(fatalities=np.nan)
        hover = count_hover(lang)
    return {"type": "choroplethmap", "geojson": geojson, "locations": ids, "z": typed(z),
            "featureidkey": "id", "colorscale": COUNT_SCALE, "zmin": 0,
            "zmax": float(max(tickvals[-1], z.max(), 0.5)),
            "marker": {"opacity": 0.82, "line": {"width": 0.3, "color": "#ffffff"}},
            "colorbar": {"title": {"text": label}, "tickvals": tickvals, "ticktext": ticktext, **COLOURBAR},
            "name": label, **_hover_fields(units, hover)}


def class_trace(units: gpd.GeoDataFrame, *, column: str, entries: list[tuple[str, str, str]], label: str,
                hover: Hover) -> dict | None:
    """A categorical layer (hot spot classes, trend classes...): one colour per class, legend as a colour bar."""
    if not len(units):
        return None
    ids, geojson = _unit_features(units)
    entries = list(reversed(entries))  # the colour bar lists from the bottom: first class on top
    order = {value: i for i, (value, _c, _l) in enumerate(entries)}
    z = units[column].map(order).to_numpy(dtype="float64")
    n = len(entries)
    scale = []
    for i, (_v, colour, _l) in enumerate(entries):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return {"type": "choroplethmap", "geojson": geojson, "locations": ids, "z": typed(z),
            "featureidkey": "id", "colorscale": scale, "zmin": -0.5, "zmax": n - 0.5,
            "marker": {"opacity": 0.85, "line": {"width": 0.3, "color": "#ffffff"}},
            "colorbar": {"title": {"text": label}, "tickvals": list(range(n)),
                         "ticktext": [lab for _v, _c, lab in entries],
                         **{**COLOURBAR, "len": min(0.9, 0.06 * n + 0.1)}},
            "name": label, **_hover_fields(units, hover)}


def _line_trace(lons, lats, **fields) -> dict:
    return {"type": "scattermap", "lon": lons, "lat": lats, "mode": "lines", **fields}


@lru_cache(maxsize=1)
def plotly_template() -> dict:
    """plotly.py's default template, which a go.Figure would carry: the page looks the same either way."""
    return go.Figure().to_plotly_json()["layout"]["template"]


def map_figure(*, unit_trace, base: BaseLayers, bounds, lang: str = "en", synthetic: bool,
               show_corridors: bool = True, corridor_colours: dict[str, str] | None = None,
               uirevision: str = "map", selected=None, points: dict | None = None,
               show_zones: bool = False, show_activities: bool = False, admin_outlines: dict | None = None
               ) -> dict:
    """The unit layer (counts or an analysis) over country outlines, with corridors and points on top.
    A plain figure dict (see ui/payload.py); ``to_go`` makes a go.Figure of it."""
    data, annotations = [], []
    outlines = base.countries_url or base.countries_geojson
    land = [{"sourcetype": "geojson", "source": outlines, "type": "fill",
             "color": LAND_COLOUR, "below": "traces"},
            {"sourcetype": "geojson", "source": outlines, "type": "line",
             "color": OUTLINE_COLOUR, "line": {"width": 0.8}}]
    if admin_outlines:
        land.append({"sourcetype": "geojson", "source": admin_outlines, "type": "line",
                     "color": "#8c8c8c", "line": {"width": 0.6, "dash": [2, 2]}})
    # Zones are outlines only (no hover, no click), so a click inside a zone always reaches the cell
    # under it; their names and citations are listed in "About these numbers".
    if show_zones and base.zones is not None and len(base.zones):
        lons, lats = _lines_to_lonlat([g.boundary for g in base.zones.geometry])
        data.append(_line_trace(lons, lats, name=t("layer_zones", lang), line={"width": 2, "color": ZONE_COLOUR},
                                hoverinfo="skip", showlegend=True))
    if unit_trace is not None:
        data.append(unit_trace)
    else:  # say so, rather than leave the user wondering whether the map failed
        annotations.append({"text": t("no_events", lang), "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
                            "showarrow": False, "font": {"size": 16, "color": "#59636e"},
                            "bgcolor": "rgba(255,255,255,0.9)", "borderpad": 8})
    if show_corridors and len(base.corridors):
        colours = corridor_colours or {}
        for row in base.corridors.itertuples():
            lons, lats = _lines_to_lonlat([row.geometry])
            data.append(_line_trace(
                lons, lats, name=row.commodity[:1].upper() + row.commodity[1:],
                line={"width": 3, "color": colours.get(row.crime_type, "#0077BB")},
                hovertemplate=(f"<b>{row.name}</b><br>{row.commodity}<br>{row.source_citation}"
                               f"<br>confidence: {row.confidence}<extra></extra>"),
                customdata=[f"corridor:{row.route_id}"] * len(lons), showlegend=True,
                legendgroup="corridors", legendgrouptitle={"text": t("corridors", lang)}))
    if show_activities and base.activities is not None and len(base.activities):
        acts = base.activities
        data.append({"type": "scattermap", "lon": acts.geometry.x.tolist(), "lat": acts.geometry.y.tolist(),
                     "mode": "markers", "name": t("layer_activities", lang),
                     "marker": {"size": 11, "color": ACTIVITY_COLOUR, "opacity": 0.95},
                     "text": [f"<b>{r.title}</b><br>{r.kind}, {r.place}, {r.start_date:%d %b %Y}<br><i>{r.document}</i>"
                              for r in acts.itertuples()],
                     "hovertemplate": "%{text}<extra></extra>", "showlegend": True})
    if selected is not None:
        outline = selected if selected.geom_type in ("LineString", "MultiLineString") else selected.boundary
        lons, lats = _lines_to_lonlat([outline])
        data.append(_line_trace(lons, lats, line={"width": 6, "color": "#0b5cad"}, hoverinfo="skip",
                                showlegend=False, name="selected"))
    # Event points go last so they draw above everything; the page finds the trace by its name
    # (POINTS_TRACE_NAME) to refresh it as the user pans.
    points = points or {"lon": [], "lat": [], "color": [], "text": []}
    data.append({"type": "scattermap", "lon": points["lon"], "lat": points["lat"], "mode": "markers",
                 "name": POINTS_TRACE_NAME, "showlegend": False,
                 "marker": {"size": 8, "color": points["color"], "opacity": 0.95},
                 "hovertemplate": "%{text}<extra></extra>", "text": points["text"]})
    if synthetic:
        annotations.append({"text": t("synthetic_watermark", lang), "xref": "paper", "yref": "paper", "x": 0.5,
                            "y": 0.985, "xanchor": "center", "yanchor": "top", "showarrow": False,
                            "font": {"size": 13, "color": "#8a1c1c"}, "bgcolor": "rgba(255,255,255,0.85)",
                            "bordercolor": "#8a1c1c", "borderwidth": 1, "borderpad": 4})
    centre, zoom = view_for_bounds(bounds)
    layout = {
        "template": plotly_template(),
        "map": {"style": "white-bg", "center": centre, "zoom": zoom, "layers": land},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "paper_bgcolor": WATER_COLOUR,
        "legend": {"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.8)", "font": {"size": 10}, "itemwidth": 30,
                   "grouptitlefont": {"size": 10}},
        # thousands and decimal marks of the hover numbers (d3-format): 1,234.5 / 1 234,5
        "separators": ",\u202f" if lang == "fr" else ".,",
        "uirevision": uirevision,
        "annotations": annotations,
    }
    return {"data": data, "layout": layout}
