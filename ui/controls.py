"""Between the controls' values and the ViewState: plain functions, tested without a browser."""
from __future__ import annotations

from datetime import date

from atlas.filters import FilterState
from ui.i18n import t
from ui.state import LAYERS, ViewState


def state_from_controls(*, region, crime_types, years, actors, sources, min_fatalities, precision, unit,
                        resolution, layers, lang, extent_years: tuple[int, int]) -> ViewState:
    first, last = extent_years
    lo, hi = (years or [first, last])[:2]
    filters = FilterState.parse({
        "region": region, "crime_types": crime_types, "actors": actors, "sources": sources,
        "date_from": None if lo <= first else date(int(lo), 1, 1),
        "date_to": None if hi >= last else date(int(hi), 12, 31),
        "min_fatalities": min_fatalities, "max_geo_precision": precision, "unit": unit,
        "resolution": resolution,
    })
    return ViewState(filters=filters, lang=lang if lang in ("en", "fr") else "en",
                     layers=tuple(sorted(x for x in (layers or []) if x in LAYERS)))


def controls_from_state(state: ViewState, extent_years: tuple[int, int]) -> dict:
    f = state.filters
    first, last = extent_years
    return {
        "region": f.region, "crime_types": list(f.crime_types),
        "years": [max(first, f.date_from.year) if f.date_from else first,
                  min(last, f.date_to.year) if f.date_to else last],
        "actors": list(f.actors), "sources": list(f.sources), "min_fatalities": f.min_fatalities,
        "precision": f.max_geo_precision, "unit": f.unit, "resolution": f.resolution,
        "layers": list(state.layers), "lang": state.lang,
    }


def static_options(lang: str) -> dict:
    """Options whose labels depend only on the language."""
    return {
        "precision": [{"label": t(f"precision_{p}", lang), "value": p} for p in (1, 2, 3, 4)],
        "unit": [{"label": t("unit_h3", lang), "value": "h3"},
                 {"label": t("unit_priogrid", lang), "value": "priogrid"}],
        "layers": [{"label": t(f"layer_{k}", lang), "value": k} for k in LAYERS],
    }
