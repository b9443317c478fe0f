"""The drill-down panel: what a click on a unit shows, as plain functions of (store, ViewState)."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import h3
import pandas as pd

import queries
from atlas.filters import FilterState, region_presets
from atlas.taxonomy import crime_types_by_code
from ui.figures import plotly_template
from ui.i18n import fmt_int, t
from layers.corridors import DEFAULT_DISTANCE_M
from layers.selection import corridor_of, selection_params
from ui.state import ViewState

TABLE_ROWS = 500  # the newest events the table pages through (42 pages, ~0.2 MB); the note says how many
                  # more there are, and the CSV and GeoJSON downloads hold them all
EVENT_COLUMNS = ("event_date", "country_iso3", "admin1", "location", "crime_type", "nexus_category", "actor1",
                 "actor2", "fatalities", "source", "source_record_id", "is_synthetic", "notes")


@dataclass(frozen=True)
class Drilldown:
    title: str
    summary: str
    events_total: int
    synthetic_total: int
    breakdown: pd.DataFrame      # crime_type, label, events, share
    actors: pd.DataFrame         # actor, events
    evidence: pd.DataFrame       # statement, document, document_date, ...
    sources: pd.DataFrame        # source_id, title, attribution, licence, ...
    events: pd.DataFrame         # up to TABLE_ROWS rows of EVENT_COLUMNS
    trend: pd.DataFrame          # period (year), nexus_category, events: the panel's chart


def selection_for_click(point: dict, state: ViewState) -> str:
    """Turn a clicked map point into a FilterState.selection string ('' when nothing selectable)."""
    ident = str(point.get("location") or point.get("customdata") or "")
    if ident.startswith("corridor:"):
        return ident
    if state.filters.unit == "admin" and state.filters.boundary_set and ident:
        return f"admin:{state.filters.boundary_set}:{ident}"
    if not ident.isdigit():
        return ""
    if state.filters.unit == "priogrid":
        return f"priogrid:{ident}"
    # the cell's own resolution: the map may draw coarser cells than asked (ui/analysis.py, MAX_MAP_CELLS)
    cell = h3.int_to_str(int(ident))
    resolution = h3.get_resolution(cell) if h3.is_valid_cell(cell) else state.filters.resolution
    return f"h3:{resolution}:{ident}"


def crime_label(code: str, lang: str) -> str:
    ct = crime_types_by_code().get(code)
    if ct is None:
        return code
    return ct.label_fr if lang == "fr" else ct.label


def period_words(f: FilterState, first, last, lang: str) -> str:
    start = f.date_from or (first.date() if hasattr(first, "date") else first)
    end = f.date_to or (last.date() if hasattr(last, "date") else last)
    if start is None or end is None:
        return ""
    if start.year == end.year:
        return ("En " if lang == "fr" else "In ") + str(start.year)
    return (f"De {start.year} à {end.year}" if lang == "fr" else f"From {start.year} to {end.year}")


def summary_sentence(*, period: str, place: str, events: int, fatalities: int, breakdown: pd.DataFrame,
                     top_actor: str | None, synthetic: int, lang: str) -> str:
    """'In 2023, 214 events around Ménaka (MLI): 61 % armed group attacks, 22 % kidnappings… 35 fatalities.'"""
    if events == 0:
        return t("no_events", lang)
    parts = [f"{round(100 * r.share)} % {r.label.lower()}" for r in breakdown.head(3).itertuples() if r.share >= 0.01]
    if lang == "fr":
        text = f"{period}, {fmt_int(events, lang)} événements autour de {place} : {', '.join(parts)}"
        text += f". {fmt_int(fatalities, lang)} morts."
        if top_actor:
            text += f" Acteur le plus actif : {top_actor}."
        if synthetic:
            text += f" {fmt_int(synthetic, lang)} de ces événements sont des données de démonstration synthétiques."
    else:
        text = f"{period}, {fmt_int(events, lang)} events around {place}: {', '.join(parts)}"
        text += f". {fmt_int(fatalities, lang)} fatalities."
        if top_actor:
            text += f" Most active: {top_actor}."
        if synthetic:
            text += f" {fmt_int(synthetic, lang)} of these are synthetic demonstration events."
    return text


def build_drilldown(con, state: ViewState, *, country_names: dict[str, str]) -> Drilldown:
    f, lang = state.filters, state.lang
    params = selection_params(con, f)
    profile = queries.run(con, "selection_profile", params)
    events_total = int(profile["events"].sum())
    synthetic_total = int(profile.loc[profile["is_synthetic"], "events"].sum())
    breakdown = profile.groupby("crime_type", as_index=False)["events"].sum()
    breakdown = breakdown.sort_values(["events", "crime_type"], ascending=[False, True])
    breakdown["label"] = [crime_label(c, lang) for c in breakdown["crime_type"]]
    breakdown["share"] = breakdown["events"] / max(events_total, 1)
    actors = queries.run(con, "actor_counts", {**params, "search": "", "limit": 5})
    places = (profile.groupby(["country_iso3", "admin1"], as_index=False, dropna=False)["events"].sum()
              .sort_values(["events", "country_iso3", "admin1"], ascending=[False, True, True]))
    countries = [c for c in places["country_iso3"].dropna().unique().tolist()]
    place = describe_place(places, country_names)
    title, about = place, ""
    if f.selection.startswith("corridor:"):
        line = corridor_of(con, f)
        if len(line):
            row = line.iloc[0]
            km = round(DEFAULT_DISTANCE_M / 1000)
            title = row["name"]
            place = (f"the corridor (within {km} km)" if lang == "en" else f"du corridor (à moins de {km} km)")
            about = (f" Corridor: {row['commodity']}; documented by {row['source_citation']}; confidence "
                     f"{row['confidence']}." if lang == "en" else
                     f" Corridor : {row['commodity']} ; documenté par {row['source_citation']} ; confiance "
                     f"{row['confidence']}.")
    regions = [key for key, r in region_presets().items() if key != "all" and set(r.get("core", [])) & set(countries)]
    evidence = queries.run(con, "evidence_for", {"countries": countries, "regions": regions})
    sources = queries.run(con, "sources_used", {"source_ids": sorted(set(profile["source"]))
                                                + sorted(set(evidence["source"]))})
    events = queries.run(con, "filtered_events", {**params, "limit": TABLE_ROWS, "offset": 0})
    first, last = (profile["first_date"].min(), profile["last_date"].max()) if len(profile) else (None, None)
    summary = summary_sentence(
        period=period_words(f, first, last, lang), place=place, events=events_total,
        fatalities=int(profile["fatalities"].sum()), breakdown=breakdown,
        top_actor=actors["actor"].iloc[0] if len(actors) else None, synthetic=synthetic_total, lang=lang) + about
    trend = profile.groupby(["period", "nexus_category"], as_index=False)["events"].sum()
    return Drilldown(title=title, summary=summary, events_total=events_total, synthetic_total=synthetic_total,
                     breakdown=breakdown, actors=actors, evidence=evidence, sources=sources, events=events,
                     trend=trend)


def describe_place(places: pd.DataFrame, country_names: dict[str, str]) -> str:
    """'Menaka, Mali' from the most frequent admin-1 and country of the selected events."""
    if places.empty:
        return "—"
    top = places.iloc[0]
    country = country_names.get(top["country_iso3"], top["country_iso3"] or "")
    admin1 = top["admin1"] if top["admin1"] != "(not recorded)" else ""
    others = places["country_iso3"].nunique() - 1
    name = f"{admin1}, {country}" if admin1 else country
    return f"{name} (+{others})" if others > 0 else name


def breakdown_figure(breakdown: pd.DataFrame, lang: str) -> dict:
    """The top crime types as horizontal bars (a plain figure dict, see ui/payload.py)."""
    colours = {c: ct.colour for c, ct in crime_types_by_code().items()}
    top = breakdown.head(8).iloc[::-1]
    bar = {"type": "bar", "x": top["events"].astype(int).tolist(), "y": top["label"].tolist(), "orientation": "h",
           "marker": {"color": [colours.get(c, "#888888") for c in top["crime_type"]]},
           "hovertemplate": "%{y}: %{x}<extra></extra>"}
    layout = {"template": plotly_template(), "height": 40 + 22 * len(top), "autosize": True,
              "margin": {"l": 10, "r": 10, "t": 5, "b": 25}, "yaxis": {"automargin": True},
              "xaxis": {"title": {"text": t("events", lang)}}, "plot_bgcolor": "#fff"}
    return {"data": [bar], "layout": layout}


def events_for_download(con, state: ViewState, *, limit: int = 2_000_000) -> pd.DataFrame:
    return queries.run(con, "filtered_events", {**selection_params(con, state.filters), "limit": limit, "offset": 0})


def events_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False)


def events_geojson(frame: pd.DataFrame) -> str:
    gdf = gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]),
                           geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    gdf["event_date"] = gdf["event_date"].astype(str)
    return gdf.to_json(drop_id=True)
