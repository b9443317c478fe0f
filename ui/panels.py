"""Small pieces of page content (lists, table rows, footers) built from query results."""
from __future__ import annotations

import re

from dash import html

from ui.drilldown import EVENT_COLUMNS, Drilldown, breakdown_figure, crime_label
from ui.payload import RawJSON
from ui.i18n import fmt_int, t
from ui.state import ViewState

__all__ = ["breakdown_figure", "actor_items", "evidence_items", "source_items", "sources_footer",
           "table_rows", "table_note", "download_name"]


def actor_items(actors, lang: str):
    return [html.Li(f"{a} ({fmt_int(n, lang)})") for a, n in zip(actors["actor"], actors["events"])]


def evidence_items(evidence):
    return [html.Li([row.statement, html.Br(), html.Small(f"— {row.document}, {row.document_date:%d %b %Y}")])
            for row in evidence.head(8).itertuples()]


def source_items(sources):
    return [html.Li([html.Strong(row.title), f": {row.attribution} ({row.licence})"]) for row in sources.itertuples()]


def sources_footer(sources, lang: str):
    return [html.Span(t("sources_on_map", lang) + ":", className="footer-title"), html.Ul(source_items(sources))]


def table_rows(events, lang: str) -> RawJSON:
    """The drill-down table's rows: only the columns it shows, serialised once (up to 1,000 rows: Dash's
    own encoder would walk every cell)."""
    frame = events[list(EVENT_COLUMNS)].copy()
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    frame["crime_type"] = [crime_label(c, lang) for c in frame["crime_type"]]
    frame["is_synthetic"] = frame["is_synthetic"].map({True: "yes", False: "no"})
    frame["notes"] = frame["notes"].fillna("").str.slice(0, 200)
    frame = frame.astype(object).where(frame.notna(), None)
    return RawJSON(frame.to_dict("records"))


def table_note(drill: Drilldown, lang: str) -> str:
    note = ""
    if drill.events_total > len(drill.events):
        note = t("table_note", lang, shown=fmt_int(len(drill.events), lang), total=fmt_int(drill.events_total, lang))
    if drill.synthetic_total:
        note = (note + " " if note else "") + t("table_synthetic", lang, n=fmt_int(drill.synthetic_total, lang))
    return note


def download_name(state: ViewState) -> str:
    f = state.filters
    parts = ["nexus-atlas-events", f.region]
    if f.selection:
        parts.append(f.selection.replace(":", "-"))
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", "_".join(parts))
