"""Between the controls' values and the ViewState: plain functions, tested without a browser."""
from __future__ import annotations

from atlas.filters import FilterState
from ui.drilldown import EVENT_COLUMNS
from ui.i18n import t
from ui.playback import month_end, month_index, month_start
from ui.state import ANALYSES, LAYERS, STEPS, VARIABLES, AnalysisState, ViewState


def state_from_controls(*, region, crime_types, years, actors, sources, min_fatalities, precision, unit,
                        resolution, layers, lang, analysis="counts", variable="events", fdr=(),
                        step="year", w_t=0.5, w_c=0.3, w_r=0.2, half_life=2.0, distance_km=25.0,
                        boundary_set="",
                        extent_years: tuple[int, int], selection: str = "") -> ViewState:
    first, last = extent_years
    last_index = (last - first + 1) * 12 - 1
    lo, hi = (years or [0, last_index])[:2]
    filters = FilterState.parse({
        "region": region, "crime_types": crime_types, "actors": actors, "sources": sources,
        "date_from": None if lo <= 0 else month_start(int(lo), first),
        "date_to": None if hi >= last_index else month_end(int(hi), first),
        "min_fatalities": min_fatalities, "max_geo_precision": precision, "unit": unit,
        "resolution": resolution, "selection": selection, "boundary_set": boundary_set or "",
    })
    chosen = AnalysisState.parse({"analysis": analysis, "variable": variable, "fdr": "1" if fdr else "0",
                                  "step": step, "w_t": w_t, "w_c": w_c, "w_r": w_r, "half_life": half_life,
                                  "distance_km": distance_km})
    return ViewState(filters=filters, lang=lang if lang in ("en", "fr") else "en",
                     layers=tuple(sorted(x for x in (layers or []) if x in LAYERS)), analysis=chosen)


def controls_from_state(state: ViewState, extent_years: tuple[int, int]) -> dict:
    f = state.filters
    first, last = extent_years
    last_index = (last - first + 1) * 12 - 1
    return {
        "region": f.region, "crime_types": list(f.crime_types),
        "years": [min(max(0, month_index(f.date_from, first)), last_index) if f.date_from else 0,
                  max(0, min(last_index, month_index(f.date_to, first))) if f.date_to else last_index],
        "actors": list(f.actors), "sources": list(f.sources), "min_fatalities": f.min_fatalities,
        "precision": f.max_geo_precision, "unit": f.unit, "resolution": f.resolution,
        "layers": list(state.layers), "lang": state.lang,
        "analysis": state.analysis.analysis, "variable": state.analysis.variable,
        "fdr": ["on"] if state.analysis.fdr else [], "step": state.analysis.step,
        "w_t": state.analysis.w_t, "w_c": state.analysis.w_c, "w_r": state.analysis.w_r,
        "half_life": state.analysis.half_life, "distance_km": state.analysis.distance_km,
        "boundary_set": f.boundary_set or None,
    }


def static_options(lang: str) -> dict:
    """Options whose labels depend only on the language."""
    return {
        "precision": [{"label": t(f"precision_{p}", lang), "value": p} for p in (1, 2, 3, 4)],
        "unit": [{"label": t("unit_h3", lang), "value": "h3"},
                 {"label": t("unit_priogrid", lang), "value": "priogrid"},
                 {"label": t("unit_admin", lang), "value": "admin"}],
        "layers": [{"label": t(f"layer_{k}", lang), "value": k} for k in LAYERS],
        "play_step": [{"label": t(f"step_{k}", lang), "value": k} for k in ("month", "quarter", "year")],
        "play_mode": [{"label": t(f"mode_{k}", lang), "value": k} for k in ("cumulative", "window")],
        "table_columns": [{"name": t(f"col_{c}", lang), "id": c} for c in EVENT_COLUMNS],
        "analysis": [{"label": t(f"analysis_{k}", lang), "value": k} for k in ANALYSES],
        "variable": [{"label": t(f"variable_{k}", lang), "value": k} for k in VARIABLES],
        "fdr": [{"label": t("fdr", lang), "value": "on"}],
        "step": [{"label": t(f"step_{k}", lang), "value": k} for k in STEPS],
    }
