"""The fixed list of dashboard interactions, and the Dash requests the page sends for each.

An interaction is what a user does (switch region, tick a crime type, click a hexagon, zoom in); the
page turns it into a URL change or a map move, and Dash POSTs one /_dash-update-component request per
callback that the change fires. The request bodies are built from the app's own callback map
(/_dash-dependencies), so they follow the page if its callbacks change.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

import queries
from atlas.filters import FilterState

# Callbacks a URL change fires (inputs include url.search), and the one a map move fires.
URL_INPUT = ("url", "search")
MOVE_INPUT = ("map", "relayoutData")


@dataclass(frozen=True)
class Interaction:
    name: str
    query: str                       # the page URL's query after the interaction
    relayout: dict | None = None     # map position (zoom and corners) when the interaction moves the map
    moves_map: bool = False          # True: only the map moved (fires the points callback, not the URL ones)
    tags: tuple[str, ...] = field(default_factory=tuple)


def relayout_for(lon: float, lat: float, zoom: float, *, half_width: float, half_height: float) -> dict:
    """relayoutData as MapLibre reports it after a zoom: centre, zoom and the four visible corners."""
    corners = [[lon - half_width, lat + half_height], [lon + half_width, lat + half_height],
               [lon + half_width, lat - half_height], [lon - half_width, lat - half_height]]
    return {"map.center": {"lon": lon, "lat": lat}, "map.zoom": zoom, "map._derived": {"coordinates": corners}}


def _q(**values) -> str:
    return "?" + urlencode(values, doseq=True) if values else ""


def busiest_unit(con, state: FilterState, *, unit: str = "h3", resolution: int = 4) -> str:
    """The id of the unit with most events under ``state``: the hexagon a user clicks first."""
    frame = queries.run(con, "unit_counts", {**state.to_params(), "unit": unit, "resolution": resolution})
    return str(int(frame.sort_values(["events", "unit_id"], ascending=[False, True])["unit_id"].iloc[0]))


def dashboard_interactions(con) -> list[Interaction]:
    """Twenty interactions an analyst does in a session (the ids of clicked cells are read from the store)."""
    sahel = FilterState(region="sahel")
    cell = busiest_unit(con, sahel)
    grid = busiest_unit(con, FilterState(region="horn"), unit="priogrid")
    actor = "Armed group A (synthetic, Sahel)"
    return [
        Interaction("open the dashboard (all regions)", ""),
        Interaction("region switch: Sahel", _q(region="sahel"), tags=("region",)),
        Interaction("region switch: Horn of Africa", _q(region="horn"), tags=("region",)),
        Interaction("crime-type filter: kidnapping (Sahel)", _q(region="sahel", crime_types="kidnapping_for_ransom")),
        Interaction("crime-type filter: 3 trafficking markets (Sahel)",
                    _q(region="sahel", crime_types=["arms_trafficking", "heroin_trade", "human_smuggling"])),
        Interaction("period change: 2020-2022 (Sahel)", _q(region="sahel", date_from="2020-01-01",
                                                              date_to="2022-12-31")),
        Interaction("period change: 2024 only (all regions)", _q(date_from="2024-01-01", date_to="2024-12-31")),
        Interaction("finer hexagons: H3 r6 (Sahel)", _q(region="sahel", resolution=6)),
        Interaction("PRIO-GRID cells (all regions)", _q(unit="priogrid")),
        Interaction("fatalities >= 5, precise places (all regions)", _q(min_fatalities=5, max_geo_precision=2)),
        Interaction("actor search: one armed group (Sahel)", _q(region="sahel", actors=actor)),
        Interaction("drill-down: busiest hexagon (Sahel)", _q(region="sahel", selection=f"h3:4:{cell}")),
        Interaction("drill-down: busiest PRIO-GRID cell (Horn)", _q(region="horn", unit="priogrid",
                                                                     selection=f"priogrid:{grid}")),
        Interaction("hot-spot layer: Gi* events (Sahel)", _q(region="sahel", analysis="hotspots")),
        Interaction("hot-spot layer: Gi* nexus events, FDR (Horn)", _q(region="horn", analysis="hotspots",
                                                                        variable="nexus", fdr=1)),
        Interaction("emerging hot spots by year (Central Asia)", _q(region="central_asia", analysis="emerging")),
        Interaction("nexus index (all regions)", _q(analysis="nexus")),
        Interaction("nexus index, changed weights (Sahel)", _q(region="sahel", analysis="nexus", w_t=0.6,
                                                                w_c=0.2, w_r=0.2, half_life=1)),
        Interaction("zoom in: points around Menaka", _q(region="sahel"), moves_map=True,
                    relayout=relayout_for(2.4, 15.9, 8.0, half_width=1.2, half_height=0.8)),
        Interaction("zoom in: points around Mogadishu, kidnapping", _q(region="horn", crime_types="kidnapping_for_ransom"),
                    moves_map=True, relayout=relayout_for(45.3, 2.05, 7.5, half_width=1.6, half_height=1.1)),
    ]


# --- Dash request bodies ---------------------------------------------------------------------------

def _split_output(output: str) -> list[dict]:
    """'..a.b...c.d..' (several outputs) or 'a.b' -> [{'id': 'a', 'property': 'b'}, ...]."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        out.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    return out


@dataclass(frozen=True)
class Callback:
    output: str
    outputs: list
    inputs: list
    state: list
    multi: bool

    @property
    def label(self) -> str:
        first = self.outputs[0]
        return f"{first['id']}.{first['property'].split('@')[0]}"


def callbacks_fired_by(dependencies: list[dict], prop: tuple[str, str]) -> list[Callback]:
    """Server-side callbacks with ``prop`` (component id, property) among their inputs."""
    out = []
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        if not any((i["id"], i["property"]) == prop for i in dep["inputs"]):
            continue
        outputs = _split_output(dep["output"])
        out.append(Callback(dep["output"], outputs, dep["inputs"], dep["state"], dep["output"].startswith("..")))
    return out


def request_body(callback: Callback, values: dict[tuple[str, str], object], changed: tuple[str, str]) -> dict:
    """The JSON body the page POSTs to /_dash-update-component for ``callback``."""
    def fill(items):
        return [{"id": i["id"], "property": i["property"], "value": values.get((i["id"], i["property"]))}
                for i in items]
    return {"output": callback.output,
            "outputs": callback.outputs if callback.multi else callback.outputs[0],
            "inputs": fill(callback.inputs), "state": fill(callback.state),
            "changedPropIds": [f"{changed[0]}.{changed[1]}"]}


def requests_for(interaction: Interaction, dependencies: list[dict]) -> list[tuple[str, dict]]:
    """(callback label, request body) for every server callback the interaction fires."""
    values = {URL_INPUT: interaction.query, MOVE_INPUT: interaction.relayout}
    changed = MOVE_INPUT if interaction.moves_map else URL_INPUT
    return [(cb.label, request_body(cb, values, changed)) for cb in callbacks_fired_by(dependencies, changed)]
