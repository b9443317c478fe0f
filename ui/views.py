"""What the page shows for a given view: plain functions of (store, base layers, ViewState).

Callbacks only parse their inputs into a ViewState and call these, so everything here is
tested without a browser (tests/test_views.py).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

import queries
from atlas.filters import region_presets
from atlas.taxonomy import load_taxonomy
from layers.points import MIN_ZOOM, bounds_from_relayout, build_point_layer
from layers.admin_units import list_boundary_sets
from layers.base import load_activities, load_boundaries, load_corridors, load_zones, to_geojson
from layers.selection import corridor_of, selection_params
from ui.analysis import build_unit_layer
from ui.figures import BaseLayers, map_figure, plotly_template, point_trace_values
from ui.i18n import fmt_int, t
from ui.state import ViewState

CATEGORY_COLOURS = {"terrorism": "#332288", "both": "#CC6677", "organized_crime": "#DDCC77", "other": "#BBBBBB"}
CATEGORY_ORDER = ("terrorism", "both", "organized_crime", "other")


@dataclass(frozen=True)
class MapView:
    figure: dict                 # plain figure dict (ui/payload.py); to_go() for a go.Figure
    events: int
    fatalities: int
    synthetic_events: int
    sources: pd.DataFrame      # source_id, title, citation, licence, attribution, url, is_synthetic
    legend_text: str = ""      # what the unit layer's colours mean, in plain words
    layer: object = None       # the unit layer's GeoDataFrame (the data behind the map)


def crime_type_colours() -> dict[str, str]:
    return {c.code: c.colour for c in load_taxonomy()}


def crime_type_labels(lang: str) -> dict[str, str]:
    return {c.code: (c.label_fr if lang == "fr" else c.label) for c in load_taxonomy()}


def summary(con, state: ViewState) -> dict:
    row = queries.run(con, "filter_summary", selection_params(con, state.filters)).iloc[0]
    return {"events": int(row["events"]), "fatalities": int(row["fatalities"]),
            "synthetic": int(row["synthetic"]), "sources": queries.as_list(row["sources"])}


def load_base_layers(con, *, countries_url: str | None = None) -> BaseLayers:
    """The static layers every map draws, read once per process from the store. ``countries_url``: where
    the page fetches the outlines (sent once and cached by the browser instead of in every figure)."""
    countries = load_boundaries(con)
    return BaseLayers(countries_geojson=to_geojson(countries, simplify=0.02), corridors=load_corridors(con),
                      country_names=dict(zip(countries["unit_code"], countries["name"])),
                      zones=load_zones(con), activities=load_activities(con), countries_url=countries_url)


def points_key(relayout: dict | None, state: ViewState) -> tuple:
    """The part of the map's position that changes what render_map draws (only when points show)."""
    moved = bounds_from_relayout(relayout)
    if moved is None or moved[0] < MIN_ZOOM or "points" not in state.layers:
        return ()
    return tuple(round(v, 3) for v in moved[1])


def points_for_view(con, state: ViewState, relayout: dict | None) -> dict:
    """Event points for the visible box when zoomed in far enough; empty lists otherwise."""
    empty = {"lon": [], "lat": [], "color": [], "text": []}
    moved = bounds_from_relayout(relayout)
    if moved is None or moved[0] < MIN_ZOOM or "points" not in state.layers:
        return empty
    points = build_point_layer(con, state.filters, bounds=moved[1])
    return point_trace_values(points, crime_type_colours(), crime_type_labels(state.lang))


def render_map(con, base: BaseLayers, state: ViewState, *, relayout: dict | None = None) -> MapView:
    f = state.filters
    totals = summary(con, state.replace(filters=f.replace(selection="")))  # the map shows every unit
    layer = build_unit_layer(con, state)
    layers = base if "outlines" in state.layers else dataclasses.replace(
        base, countries_geojson={"type": "FeatureCollection", "features": []}, countries_url=None)
    fig = map_figure(unit_trace=layer.trace, base=layers, bounds=region_presets()[f.region]["bounds"],
                     lang=state.lang, synthetic=totals["synthetic"] > 0,
                     show_corridors="corridors" in state.layers, corridor_colours=crime_type_colours(),
                     uirevision=f.region, selected=selected_outline(con, f),
                     show_zones="zones" in state.layers, show_activities="activities" in state.layers,
                     admin_outlines=admin_outlines(con, f) if "outlines" in state.layers else None,
                     points=points_for_view(con, state, relayout))
    source_ids = list(totals["sources"])
    if f.unit == "admin" and f.boundary_set:  # the polygons drawn have their own source and terms
        sets = list_boundary_sets(con)
        source_ids += sets.loc[sets["boundary_set"] == f.boundary_set, "source"].tolist()
    sources = queries.run(con, "sources_used", {"source_ids": source_ids})
    return MapView(figure=fig, events=totals["events"], fatalities=totals["fatalities"],
                   synthetic_events=totals["synthetic"], sources=sources, legend_text=layer.legend_text,
                   layer=layer.frame)


def period_label(state: ViewState, extent_years: tuple[int, int]) -> str:
    f = state.filters
    if not f.date_from and not f.date_to:
        return t("period_all", state.lang) + f" ({extent_years[0]}–{extent_years[1]})"
    start = f.date_from.isoformat() if f.date_from else str(extent_years[0])
    end = f.date_to.isoformat() if f.date_to else str(extent_years[1])
    return f"{start} → {end}"


def admin_outlines(con, f) -> dict | None:
    """Outlines of the chosen imported boundary set, when the map uses admin units."""
    if f.unit != "admin" or not f.boundary_set:
        return None
    return to_geojson(load_boundaries(con, boundary_set=f.boundary_set), simplify=0.01)


def selected_outline(con, f):
    """Shape of the drilled-down unit or corridor, drawn thick so the user sees what the panel describes."""
    if not f.selection or f.selection.startswith("country:"):
        return None
    if f.selection.startswith("corridor:"):
        line = corridor_of(con, f)
        return line.geometry.iloc[0] if len(line) else None
    if f.selection.startswith("admin:"):
        _kind, boundary_set, code = f.selection.split(":", 2)
        units = load_boundaries(con, boundary_set=boundary_set)
        match = units[units["unit_code"] == code]
        return match.geometry.iloc[0] if len(match) else None
    from layers.units import unit_frame
    kind, ident = f.selection.split(":")[0], int(f.selection.split(":")[-1])
    return unit_frame(pd.DataFrame({"unit_id": [ident]}), kind=kind).geometry.iloc[0]


def counter_text(view: MapView, lang: str) -> str:
    return (t("events_shown", lang, n=fmt_int(view.events, lang)) + " · "
            + t("fatalities_shown", lang, n=fmt_int(view.fatalities, lang)))


def crime_type_counts(con, state: ViewState) -> dict[str, int]:
    """Events per crime type under every filter except the crime-type one: what ticking it would show."""
    params = state.filters.replace(crime_types=(), selection="").to_selected_params()
    frame = queries.run(con, "crime_type_breakdown", params)
    return frame.groupby("crime_type")["events"].sum().astype(int).to_dict()


def crime_type_options(counts: dict[str, int], lang: str) -> list[dict]:
    """Options grouped by nexus category (terrorism, crimes that finance groups, markets, other)."""
    options = []
    for category in CATEGORY_ORDER:
        for ct in (c for c in load_taxonomy() if c.nexus_category == category):
            label = ct.label_fr if lang == "fr" else ct.label
            options.append({"label": f"{label} ({fmt_int(counts.get(ct.code, 0), lang)})", "value": ct.code,
                            "title": ct.definition, "group": category})
    return options


def time_series_figure(con, state: ViewState, *, step: str = "year") -> dict:
    """Events per period stacked by nexus category (a plain figure dict, see ui/payload.py)."""
    frame = queries.run(con, "time_series", {**selection_params(con, state.filters), "step": step})
    return series_figure(frame, state.lang)


def series_figure(frame, lang: str) -> dict:
    """Stacked bars from rows of period, nexus_category, events (the time_series query's columns)."""
    data = []
    for category in CATEGORY_ORDER:
        part = frame[frame["nexus_category"] == category]
        if part.empty:
            continue
        data.append({"type": "bar", "x": [d.isoformat()[:10] for d in part["period"]],
                     "y": part["events"].astype(int).tolist(), "name": t(f"group_{category}", lang),
                     "marker": {"color": CATEGORY_COLOURS[category]}})
    layout = {"template": plotly_template(), "barmode": "stack", "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
              "height": 190, "legend": {"orientation": "h", "y": 1.15, "font": {"size": 10}},
              "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
              "yaxis": {"title": {"text": t("events", lang)}}}
    return {"data": data, "layout": layout}


def actor_options(con, state: ViewState, search: str, *, limit: int = 50) -> list[dict]:
    """The most active actors whose name contains ``search`` under the other filters, with counts, and the
    chosen ones. Only as the user types: a store can hold tens of thousands of actors, and counting them
    all on every view change was a third of the server's time for a view."""
    search = (search or "").strip()[:100]
    if not search:
        return with_chosen([], state.filters.actors)
    params = {**state.filters.replace(actors=(), selection="").to_selected_params(), "search": search,
              "limit": limit}
    frame = queries.run(con, "actor_counts", params)
    options = [{"label": f"{a} ({fmt_int(n, state.lang)})", "value": a} for a, n in zip(frame["actor"], frame["events"])]
    return with_chosen(options, state.filters.actors)


def with_chosen(options: list[dict], chosen) -> list[dict]:
    """The options plus any chosen value they lack (an actor outside the most active stays selectable)."""
    listed = {o["value"] for o in options}
    return options + [{"label": a, "value": a} for a in chosen if a not in listed]
