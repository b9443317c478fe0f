"""The whole view as one frozen value in the URL: the filters plus what is drawn and in which language."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from atlas.filters import FilterState, query_values
from ui.i18n import LANGS

LAYERS = ("counts", "corridors", "outlines", "points")
DEFAULT_LAYERS = ("corridors", "counts", "outlines", "points")


@dataclass(frozen=True)
class ViewState:
    filters: FilterState = FilterState()
    lang: str = "en"
    layers: tuple[str, ...] = DEFAULT_LAYERS

    @classmethod
    def from_query(cls, query: str | None) -> "ViewState":
        raw = query_values(query)
        lang = str(raw.get("lang", "en"))
        layers = raw.get("layers")
        if isinstance(layers, list):
            layers = ",".join(layers)
        chosen = DEFAULT_LAYERS if layers is None else tuple(sorted(
            {x for x in layers.split(",") if x in LAYERS}))
        return cls(filters=FilterState.parse(raw), lang=lang if lang in LANGS else "en", layers=chosen)

    def to_query(self) -> str:
        parts = [self.filters.to_query()]
        extra = {}
        if self.lang != "en":
            extra["lang"] = self.lang
        if self.layers != DEFAULT_LAYERS:
            extra["layers"] = ",".join(self.layers)
        if extra:
            parts.append(urlencode(extra))
        query = "&".join(p for p in parts if p)
        return f"?{query}" if query else ""

    def replace(self, **changes) -> "ViewState":
        return dataclasses.replace(self, **changes)
