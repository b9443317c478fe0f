"""The same interactions done the way peer Dash apps do them: one pandas frame of every event held in
memory, boolean masks per filter, every matching point sent to a Plotly Scattermap.

It is the yardstick benchmarks/run.py measures the product against. It is given every advantage that
is cheap to give: the frame is loaded once, before timing; the analysis layers (Gi*, nexus index),
which a naive app would have to add on top, are left out, so only their raw-points map is timed.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.utils

from atlas.filters import FilterState
from ingest.cells import h3_cells, priogrid_gid
from layers.points import bounds_from_relayout
from ui.state import ViewState
from ui.views import CATEGORY_COLOURS

COLUMNS = ("event_id", "source", "event_date", "year", "lat", "lon", "geo_precision", "country_iso3", "admin1",
           "location", "nexus_category", "crime_type", "actor1", "actor2", "fatalities", "notes", "is_synthetic")


def to_json(value) -> bytes:
    """Serialised as Dash serialises callback outputs."""
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder).encode()


class NaiveDashboard:
    def __init__(self, con):
        self.events = con.execute(f"select {', '.join(COLUMNS)} from events").df()

    def _mask(self, f: FilterState, *, crime_types=True, actors=True) -> np.ndarray:
        e = self.events
        p = f.to_params()
        mask = (e["event_date"] >= pd.Timestamp(p["date_from"])) & (e["event_date"] <= pd.Timestamp(p["date_to"]))
        mask &= e["country_iso3"].isin(p["countries"])
        if crime_types and f.crime_types:
            mask &= e["crime_type"].isin(f.crime_types)
        if actors and f.actors:
            mask &= e["actor1"].isin(f.actors) | e["actor2"].isin(f.actors)
        if f.sources:
            mask &= e["source"].isin(f.sources)
        mask &= (e["fatalities"] >= f.min_fatalities) & (e["geo_precision"] <= f.max_geo_precision)
        return mask.to_numpy()

    def _points_figure(self, sub: pd.DataFrame) -> go.Figure:
        text = ("<b>" + sub["crime_type"].astype(str) + "</b><br>" + sub["event_date"].dt.strftime("%Y-%m-%d")
                + " · " + sub["location"].fillna("").astype(str) + "<br>" + sub["fatalities"].astype(str)
                + " fatalities")
        fig = go.Figure(go.Scattermap(lon=sub["lon"].to_numpy(), lat=sub["lat"].to_numpy(), mode="markers",
                                      marker={"size": 5, "color": sub["nexus_category"].map(CATEGORY_COLOURS).to_numpy()},
                                      text=text.to_numpy(), hovertemplate="%{text}<extra></extra>"))
        fig.update_layout(map={"style": "white-bg"}, margin={"l": 0, "r": 0, "t": 0, "b": 0})
        return fig

    def _selected(self, sub: pd.DataFrame, selection: str) -> pd.DataFrame:
        """The drilled-down cell, found by binning every filtered point on the fly (no stored cell ids)."""
        kind, ident = selection.split(":")[0], selection.split(":")[-1]
        lat, lon = sub["lat"].to_numpy(), sub["lon"].to_numpy()
        if kind == "h3":
            return sub[h3_cells(lat, lon, int(selection.split(":")[1])) == np.uint64(int(ident))]
        if kind == "priogrid":
            return sub[priogrid_gid(lat, lon) == int(ident)]
        return sub[sub["country_iso3"] == ident]

    def respond(self, query: str, relayout: dict | None, moves_map: bool) -> list[bytes]:
        """Serialised outputs of the callbacks the interaction fires."""
        state = ViewState.from_query(query)
        f = state.filters
        e = self.events
        if moves_map:
            zoom_bounds = bounds_from_relayout(relayout)
            sub = e[self._mask(f)]
            if zoom_bounds:
                min_lon, min_lat, max_lon, max_lat = zoom_bounds[1]
                sub = sub[sub["lon"].between(min_lon, max_lon) & sub["lat"].between(min_lat, max_lat)]
            return [to_json(self._points_figure(sub))]
        sub = e[self._mask(f)]
        series = sub.groupby([sub["event_date"].dt.year, "nexus_category"]).size().rename("events").reset_index()
        ts = go.Figure([go.Bar(x=part["event_date"], y=part["events"], name=cat)
                        for cat, part in series.groupby("nexus_category")])
        view = [self._points_figure(sub), f"{len(sub)} events · {int(sub['fatalities'].sum())} fatalities", ts,
                sorted(sub["source"].unique().tolist())]
        no_ct = e[self._mask(f, crime_types=False)]
        no_actor = e[self._mask(f, actors=False)]
        actors = pd.concat([no_actor["actor1"], no_actor["actor2"]]).dropna().value_counts().head(500)
        options = [[{"label": f"{c} ({n})", "value": c} for c, n in no_ct["crime_type"].value_counts().items()],
                   [{"label": f"{a} ({n})", "value": a} for a, n in actors.items()]]
        out = [to_json(view), to_json(options)]
        if f.selection:
            cell = self._selected(sub, f.selection)
            drill = [cell["crime_type"].value_counts().to_dict(),
                     pd.concat([cell["actor1"], cell["actor2"]]).dropna().value_counts().head(5).to_dict(),
                     cell.head(5000).assign(event_date=cell["event_date"].head(5000).astype(str))
                     .to_dict("records")]
            out.append(to_json(drill))
        return out
