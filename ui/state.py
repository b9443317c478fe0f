"""The whole view as one frozen value in the URL: the filters plus what is drawn and in which language."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from atlas.filters import FilterState, query_values
from ui.i18n import LANGS

LAYERS = ("counts", "corridors", "zones", "activities", "outlines", "points")
DEFAULT_LAYERS = ("activities", "corridors", "counts", "outlines", "points", "zones")
ANALYSES = ("counts", "hotspots", "emerging", "nexus", "change", "corridors")
VARIABLES = ("events", "terrorism", "organized_crime", "nexus", "fatalities")
STEPS = ("year", "quarter")


@dataclass(frozen=True)
class AnalysisState:
    """What the unit layer shows and the analyst's parameters for it (defaults: docs/methodology.md)."""
    analysis: str = "counts"
    variable: str = "events"
    fdr: bool = False
    step: str = "year"
    w_t: float = 0.5            # nexus index: terrorism weight
    w_c: float = 0.3            # nexus index: organized-crime weight
    w_r: float = 0.2            # nexus index: corridor weight
    half_life: float = 2.0      # nexus index: years for an event to lose half its weight
    distance_km: float = 25.0   # corridor exposure: how near a corridor an event must be

    @classmethod
    def parse(cls, raw) -> "AnalysisState":
        d = cls()

        def pick(key, allowed, default):
            value = str(raw.get(key, default))
            return value if value in allowed else default

        def number(key, default, lo, hi):
            try:
                return round(min(hi, max(lo, float(raw.get(key, default)))), 3)
            except (TypeError, ValueError):
                return default

        return cls(analysis=pick("analysis", ANALYSES, d.analysis), variable=pick("variable", VARIABLES, d.variable),
                   fdr=str(raw.get("fdr", "0")).lower() in ("1", "true", "yes", "on"),
                   step=pick("step", STEPS, d.step), w_t=number("w_t", d.w_t, 0.0, 1.0),
                   w_c=number("w_c", d.w_c, 0.0, 1.0), w_r=number("w_r", d.w_r, 0.0, 1.0),
                   half_life=number("half_life", d.half_life, 0.0, 50.0),
                   distance_km=number("distance_km", d.distance_km, 1.0, 500.0))

    def to_dict(self) -> dict:
        d = AnalysisState()
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != getattr(d, f.name):
                out[f.name] = int(value) if isinstance(value, bool) else value
        return out


@dataclass(frozen=True)
class ViewState:
    filters: FilterState = FilterState()
    lang: str = "en"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    analysis: AnalysisState = AnalysisState()

    @classmethod
    def from_query(cls, query: str | None) -> "ViewState":
        raw = query_values(query)
        lang = str(raw.get("lang", "en"))
        layers = raw.get("layers")
        if isinstance(layers, list):
            layers = ",".join(layers)
        chosen = DEFAULT_LAYERS if layers is None else tuple(sorted(
            {x for x in layers.split(",") if x in LAYERS}))
        return cls(filters=FilterState.parse(raw), lang=lang if lang in LANGS else "en", layers=chosen,
                   analysis=AnalysisState.parse(raw))

    def to_query(self) -> str:
        parts = [self.filters.to_query()]
        extra = {}
        if self.lang != "en":
            extra["lang"] = self.lang
        if self.layers != DEFAULT_LAYERS:
            extra["layers"] = ",".join(self.layers)
        extra.update(self.analysis.to_dict())
        if extra:
            parts.append(urlencode(extra))
        query = "&".join(p for p in parts if p)
        return f"?{query}" if query else ""

    def replace(self, **changes) -> "ViewState":
        return dataclasses.replace(self, **changes)
