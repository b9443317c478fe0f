"""The unit layer the map shows: event counts, or one of the analyses of layers/, with its legend."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import queries
from layers import legends
from layers.admin_units import build_admin_count_layer, list_boundary_sets
from layers.change import build_change_layer, change_by_region
from layers.corridors import build_corridor_unit_layer
from layers.counts import build_count_layer, count_rows, parent_cell_count
from layers.emerging import build_emerging_layer
from layers.hotspots import build_hotspot_layer
from layers.neighbours import AnalysisInputError
from layers.nexus_index import NexusParams, build_nexus_layer
from layers.units import unit_frame
from ui.figures import Hover, class_trace, count_hover, count_trace
from ui.i18n import fmt_int, t
from ui.state import ViewState

LEGEND_KEYS = {"hotspots": "hotspots", "emerging": "emerging", "nexus": "nexus_index", "change": "change"}
CLASS_COLUMNS = {"hotspots": "hotspot_class", "emerging": "emerging_class", "nexus": "nexus_class",
                 "change": "change_class"}


@dataclass(frozen=True)
class UnitLayer:
    trace: dict | None       # a choroplethmap trace (ui/figures.py), or None when nothing to draw
    frame: object            # the GeoDataFrame behind it (for exports and the data download)
    legend_text: str         # plain words: what the colours mean


def nexus_params(state: ViewState) -> NexusParams:
    a = state.analysis
    return NexusParams(terrorism_weight=a.w_t, crime_weight=a.w_c, corridor_weight=a.w_r,
                       half_life_years=a.half_life)


def _hover(frame, analysis: str, lang: str) -> Hover:
    """Tooltips of an analysis layer: templates over its numeric columns, formatted by plotly.js."""
    if analysis == "hotspots":
        return Hover(f"Gi* z = %{{customdata[0]:.2f}}<br>p = %{{customdata[1]:.3f}}<br>"
                     f"%{{customdata[2]:,.0f}} {t('events', lang).lower()}", ("gi_z", "p_value", "value"))
    if analysis == "emerging":
        return Hover("trend τ = %{customdata[0]:.2f} (p = %{customdata[1]:.3f})<br>"
                     "%{customdata[2]:.0f} hot / %{customdata[3]:.0f} cold periods",
                     ("trend_tau", "trend_p", "hot_steps", "cold_steps"))
    if analysis == "nexus":
        return Hover("index %{customdata[0]:.0f} / 100<br>terrorism %{customdata[1]:.1f} · "
                     "crime %{customdata[2]:.1f}<br>corridor %{customdata[3]:.0f} km",
                     ("nexus_index", "terrorism_activity", "crime_activity", "corridor_km"))
    # change: an empty baseline has no percentage, so these stay words (few cells: one per unit with events)
    return Hover("%{text}", text=[
        f"{'+' if c >= 0 else ''}{c:.0f} %<br>last {la:g} vs baseline {b:.1f}" if np.isfinite(c)
        else f"last {la:g} vs baseline {b:.1f}"
        for c, la, b in zip(frame["change_pct"], frame["last"], frame["baseline"])])


def admin_count_layer(con, state: ViewState) -> UnitLayer:
    """Events per imported admin unit (units with none drawn too, so gaps show)."""
    f, lang = state.filters, state.lang
    if not f.boundary_set:
        raise AnalysisInputError("Choose an imported boundary set for admin units, or import one with "
                                 "'nexus-atlas import-boundaries'.")
    sets = list_boundary_sets(con)
    level = int(sets.loc[sets["boundary_set"] == f.boundary_set, "level"].max()) if len(sets) else 1
    frame = build_admin_count_layer(con, boundary_set=f.boundary_set, level=level, params=f.to_params())
    frame = frame.rename(columns={"unit_code": "unit_id"})
    shown = frame[frame["events"] > 0]
    label = t("map_legend_counts_admin", lang)
    trace = count_trace(shown, label=label, lang=lang,
                        hover=replace(count_hover(lang, name=True), text=shown["name"].tolist()))
    return UnitLayer(trace, frame, t("legend_counts_admin", lang))


# Level of detail: a map response holds at most about this many cells (under 1 MB). Finer cells than
# that are smaller than a few pixels at a region's extent; the map then counts events at the finest
# coarser H3 resolution that fits (each event's own cell at that resolution) and says so in the legend.
MAX_MAP_CELLS = 5000


def lod_counts(con, f, *, need_counts: bool = True, detail: bool = True):
    """(resolution shown, its cell counts, cells at the asked resolution): the finest H3 resolution,
    f.resolution at most, at which the filtered events fill about MAX_MAP_CELLS cells at most (r3 at
    worst). The coarser level is chosen from the parents of the asked cells, so at most two scans of the
    events; ``need_counts=False`` (the analyses run their own queries) reads only which cells hold events."""
    counts = count_rows(con, f, "h3", f.resolution, detail=detail) if need_counts else queries.run(
        con, "unit_cells", {**f.to_params(), "resolution": f.resolution})
    asked, resolution, cells = len(counts), f.resolution, len(counts)
    while cells > MAX_MAP_CELLS and resolution > 3:
        resolution -= 1
        cells = parent_cell_count(counts["unit_id"], resolution)
    if resolution != f.resolution and need_counts:
        counts = count_rows(con, f, "h3", resolution, detail=detail)
    return resolution, counts, asked


def _lod_note(f, shown: int, asked_cells: int, lang: str) -> str:
    return " " + t("lod_note", lang, asked=f.resolution, shown=shown, n=fmt_int(asked_cells, lang),
                   cap=fmt_int(MAX_MAP_CELLS, lang))


def region_change_words(con, f, state: ViewState) -> str:
    """' Whole region: +34 % (large increase); countries: MLI +50 %, NER -12 %.' for the legend."""
    table = change_by_region(con, f, variable=state.analysis.variable, period=state.analysis.step)
    labels = {value: label.split(" (")[0].lower() for value, _c, label in legends.legend_entries("change", state.lang)}

    def pct(value) -> str:
        return "n/a" if not np.isfinite(value) else f"{value:+.0f} %"

    region = table.iloc[0]
    countries = table[(table["area"] == "country") & np.isfinite(table["change_pct"])]
    countries = countries.reindex(countries["last"].sort_values(ascending=False).index).head(6)
    parts = ", ".join(f"{c} {pct(v)}" for c, v in zip(countries["code"], countries["change_pct"]))
    if state.lang == "fr":
        return f" Région entière : {pct(region['change_pct'])} ({labels.get(region['change_class'], '')}) ; pays : {parts}."
    return f" Whole region: {pct(region['change_pct'])} ({labels.get(region['change_class'], '')}); countries: {parts}."


def build_unit_layer(con, state: ViewState, *, detail: bool = False) -> UnitLayer:
    """The layer the map draws; ``detail=True`` adds the per-category counts and dates to event counts
    (for the data download), which the map itself does not need."""
    f, a, lang = state.filters, state.analysis, state.lang
    if a.analysis == "counts" or "counts" not in state.layers:
        if f.unit == "admin":
            return admin_count_layer(con, state)
        label = t("map_legend_counts_priogrid" if f.unit == "priogrid" else "map_legend_counts", lang)
        legend = t("legend_counts", lang)
        if f.unit == "h3":  # polygons only for the cells drawn: at r6 a region can have 100,000 cells
            shown, counts, asked = lod_counts(con, f, detail=detail)
            if shown != f.resolution:
                label += f" (H3 r{shown})"
                legend += _lod_note(f, shown, asked, lang)
            frame = unit_frame(counts, kind="h3")
        else:
            frame = build_count_layer(con, f, detail=detail)
        if "counts" not in state.layers:
            frame = frame.iloc[0:0]
        return UnitLayer(count_trace(frame, label=label, lang=lang), frame, legend)
    note = ""
    if f.unit == "h3":  # the analysis runs at the resolution the map can show (level of detail)
        shown, _counts, asked = lod_counts(con, f, need_counts=False)
        if shown != f.resolution:
            note = _lod_note(f, shown, asked, lang)
            f = f.replace(resolution=shown)
    if a.analysis == "corridors":
        frame = build_corridor_unit_layer(con, f, distance_m=a.distance_km * 1000.0)
        label = t("analysis_corridors", lang)
        trace = count_trace(frame, label=label, lang=lang, hover=Hover("%{text}", text=[
            f"<b>{fmt_int(e, lang)}</b> {t('events', lang).lower()} ≤ {a.distance_km:g} km<br>{', '.join(c)}"
            for e, c in zip(frame["events"], frame["corridors"])]))
        return UnitLayer(trace, frame, legends.legend_text("corridor_units", lang) + note)
    if a.analysis == "hotspots":
        frame = build_hotspot_layer(con, f, variable=a.variable, fdr=a.fdr)
    elif a.analysis == "emerging":
        frame = build_emerging_layer(con, f, variable=a.variable, period=a.step, fdr=a.fdr)
    elif a.analysis == "nexus":
        frame = build_nexus_layer(con, f, params=nexus_params(state))
    else:
        frame = build_change_layer(con, f, variable=a.variable, period=a.step)
        note = region_change_words(con, f, state) + note
    key = LEGEND_KEYS[a.analysis]
    trace = class_trace(frame, column=CLASS_COLUMNS[a.analysis], entries=legends.legend_entries(key, lang),
                        label=t(f"analysis_{a.analysis}", lang), hover=_hover(frame, a.analysis, lang))
    return UnitLayer(trace, frame, legends.legend_text(key, lang) + note)
