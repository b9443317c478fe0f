"""docs/methodology.md quotes the code's defaults: the two must not drift apart."""
from __future__ import annotations

import inspect
import re

import pytest

from atlas.paths import DOCS_DIR
from layers import change, corridors, emerging, hotspots, nexus_index

DOC = DOCS_DIR / "methodology.md"
ROW = re.compile(r"^\| `(?P<name>[a-z_0-9.]+)` \| `(?P<value>[^`]*)` \|", re.M)

LAYER_FUNCTIONS = {
    "hotspots": hotspots.build_hotspot_layer,
    "emerging": emerging.build_emerging_layer,
    "corridors": corridors.build_corridor_layer,
    "change": change.build_change_layer,
}
CONSTANTS = {
    "hotspots.confidence_99": dict((b, p) for b, p in hotspots.CONFIDENCE_LEVELS)[3],
    "hotspots.confidence_95": dict((b, p) for b, p in hotspots.CONFIDENCE_LEVELS)[2],
    "hotspots.confidence_90": dict((b, p) for b, p in hotspots.CONFIDENCE_LEVELS)[1],
    "emerging.persistence_share": emerging.PERSISTENCE_SHARE,
    "change.large_increase_pct": change.LARGE_INCREASE_PCT,
    "change.moderate_increase_pct": change.MODERATE_INCREASE_PCT,
    "change.large_decrease_pct": change.LARGE_DECREASE_PCT,
    "nexus.period": inspect.signature(nexus_index.build_nexus_layer).parameters["period"].default,
}


def documented() -> dict[str, str]:
    rows = dict((m["name"], m["value"]) for m in ROW.finditer(DOC.read_text(encoding="utf-8")))
    assert rows, "docs/methodology.md has no '| `parameter` | `default` |' table"
    return rows


def code_defaults() -> dict[str, object]:
    out = dict(CONSTANTS)
    for prefix, fn in LAYER_FUNCTIONS.items():
        for name, param in inspect.signature(fn).parameters.items():
            if param.kind is inspect.Parameter.KEYWORD_ONLY:
                out[f"{prefix}.{name}"] = param.default
    for name, value in nexus_index.NexusParams().as_dict().items():
        out[f"nexus.{name}"] = value
    return out


def test_every_code_default_is_documented():
    missing = sorted(set(code_defaults()) - set(documented()))
    assert not missing, f"add these to the defaults table of docs/methodology.md: {missing}"


def test_every_documented_default_exists_in_the_code():
    unknown = sorted(set(documented()) - set(code_defaults()))
    assert not unknown, f"the defaults table names parameters the code does not have: {unknown}"


@pytest.mark.parametrize("name", sorted(code_defaults()))
def test_documented_default_equals_the_code(name):
    assert documented()[name] == str(code_defaults()[name]), name
