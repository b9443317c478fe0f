"""The steps every event importer shares, from checked rows to the store.

1. An importer (acled.py, ucdp.py, gtd.py, generic.py) reads a file into a RawTable, checks every row
   into a RowChecks and hands the parsed columns to ``assemble``.
2. ``assemble`` classifies the good rows and builds the canonical event frame
   (ingest.store.EVENT_INPUT_COLUMNS); bad rows become rejects with their reasons.
3. ``run_import`` applies the policy (strict mode, nothing importable -> error), writes the rejects
   file, and only then opens the store and writes everything in one transaction.
So a file that fails leaves the store exactly as it was.
"""
from __future__ import annotations

import json
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from atlas.errors import InputError
from ingest import store
from ingest.classify import FACT_COLUMNS, classify_frame
from ingest.readers import LINE, RawTable
from ingest.report import FileReport, ImportReport, default_rejects_path, empty_rejects, write_rejects
from ingest.values import RowChecks, arrow_text, strip

# Fields compared to tell a revised event from an unchanged one when a later export is imported again.
REVISION_FIELDS = ("event_date", "date_precision", "lat", "lon", "geo_precision", "country_iso3", "admin1",
                   "admin2", "location", "crime_type", "nexus_category", "classification_rule", "actor1",
                   "actor2", "fatalities", "notes")


@dataclass(frozen=True)
class SourceInfo:
    """A row of the sources table: who made the data and on what terms."""
    source_id: str
    title: str
    citation: str
    licence: str
    attribution: str
    url: str | None = None


def raw_values(table: RawTable, index: pd.Index) -> pd.Series:
    """Each row's non-empty values as JSON, keyed by the column names as written in the file."""
    frame = table.frame.loc[index]
    names = [c for c in frame.columns if c != LINE]
    originals = [table.original_columns.get(c, c) for c in names]
    values = frame[names].to_numpy()
    out = [json.dumps({o: v for o, v in zip(originals, row) if isinstance(v, str) and v != ""}, ensure_ascii=False)
           for row in values]
    return pd.Series(out, index=index, dtype=object)


def rejects_from_checks(table: RawTable, checks: RowChecks) -> pd.DataFrame:
    bad = checks.bad
    if not bad.any():
        rejects = empty_rejects()
    else:
        index = bad[bad].index
        rejects = pd.DataFrame({
            "file": str(table.path),
            "row": table.frame.loc[index, LINE].astype("int64"),
            "column": checks.column[index].map(lambda c: table.original_columns.get(c, c)),
            "reason": checks.reason[index],
            "raw_values": raw_values(table, index),
            "kind": checks.kind[index],
        })
    if table.ragged is not None and len(table.ragged):
        header_width = len([c for c in table.frame.columns if c != LINE])
        ragged = pd.DataFrame({
            "file": str(table.path),
            "row": table.ragged["line"].astype("int64"),
            "column": "",
            "reason": table.ragged["fields"].map(
                lambda n: f"the row has {n} fields but the header has {header_width}: a broken quote or an "
                          f"unquoted separator"),
            "raw_values": table.ragged["raw"].map(lambda r: json.dumps(r, ensure_ascii=False)),
            "kind": "wrong number of fields",
        })
        rejects = pd.concat([rejects, ragged], ignore_index=True) if len(rejects) else ragged
    return rejects.sort_values("row", kind="stable").reset_index(drop=True) if len(rejects) else rejects


def assemble(table: RawTable, checks: RowChecks, source: SourceInfo, fields: dict[str, pd.Series],
             facts: pd.DataFrame, *, record_ids: pd.Series, crime_override: pd.Series | None = None,
             notes: list[str] | None = None, search: Future | None = None,
             cells: Future | None = None) -> FileReport:
    """Build the canonical events of the rows that passed ``checks``.

    ``fields`` holds parsed Series for the canonical columns (event_date, date_precision, lat, lon,
    geo_precision, country_iso3, admin1, admin2, location, actor1, actor2, fatalities, notes).
    ``crime_override`` (generic tables) gives a crime type per row where the file names one.
    ``search`` is a future of classify.keyword_search(facts["text"]) over all rows, started early;
    ``cells`` a future of store.cell_ids of the good rows' coordinates.
    """
    ok = checks.ok
    idx = ok[ok].index

    def good(values):  # the rows that passed; no copy when all did (the usual case, a million rows)
        return values if len(idx) == len(ok) else values.loc[idx]

    events = store.empty_events_frame()
    n = len(idx)
    if n:
        f = {k: good(v) for k, v in fields.items()}
        # The columns that do not depend on the classification come first: meanwhile the keyword index
        # may still be being built in the background.
        dates = pd.to_datetime(f["event_date"]).astype("datetime64[s]")
        rid = good(record_ids).astype(str)
        columns = {
            "event_id": (source.source_id + ":" + rid).astype("string"),
            "source": pd.Series(source.source_id, index=idx, dtype="string"),
            "source_record_id": rid.astype("string"),
            "event_date": dates,
            "date_precision": f["date_precision"].astype("int8"),
            "year": dates.dt.year.astype("int16"),
            "lat": f["lat"].astype("float64"),
            "lon": f["lon"].astype("float64"),
            "geo_precision": f["geo_precision"].astype("int8"),
            "country_iso3": _text(f.get("country_iso3"), idx),
            "admin1": _text(f.get("admin1"), idx),
            "admin2": _text(f.get("admin2"), idx),
            "location": _text(f.get("location"), idx),
            "nexus_category": None, "crime_type": None, "classification_rule": None,  # below
            "actor1": _text(f.get("actor1"), idx),
            "actor2": _text(f.get("actor2"), idx),
            "fatalities": f["fatalities"].astype("int32"),
            "notes": _text(f.get("notes"), idx),
            "is_synthetic": pd.Series(False, index=idx, dtype="bool"),
        }
        if search is not None:  # its index covers every row: classify them all (rows are independent)
            facts = facts.copy()
            facts["source"] = source.source_id
            classes = good(classify_frame(facts.reindex(columns=list(FACT_COLUMNS)), search=search))
        else:
            facts = good(facts).copy()
            facts["source"] = source.source_id
            classes = classify_frame(facts.reindex(columns=list(FACT_COLUMNS)))
        if crime_override is not None:
            classes = _apply_override(classes, good(crime_override))
        for name in ("nexus_category", "crime_type", "classification_rule"):
            columns[name] = classes[name].astype("string")
        events = pd.DataFrame(columns, index=idx)
        events["armed_group"] = classes["armed_group"]
        events[LINE] = good(table.frame[LINE]).astype("int64")
    report = FileReport(path=table.path, source_id=source.source_id, rows_read=len(table.frame) + (
        0 if table.ragged is None else len(table.ragged)), events=events,
        rejects=rejects_from_checks(table, checks), notes=list(notes or []), source=source)
    if n and cells is not None:
        report.cells = pd.DataFrame(cells.result(), index=idx)
    if table.skipped_hashtag_row:
        report.notes.insert(0, "skipped the HXL #hashtag row under the header")
    return report


def _apply_override(classes: pd.DataFrame, override: pd.Series) -> pd.DataFrame:
    from atlas.taxonomy import crime_types_by_code
    taxonomy = crime_types_by_code()
    given = override.fillna("").astype(str) != ""
    if not given.any():
        return classes
    out = classes.copy()
    out.loc[given, "crime_type"] = override[given]
    default = override[given].map(lambda c: taxonomy[c].nexus_category)
    crime = default.isin(["organized_crime", "both"])
    has_group = out.loc[given, "armed_group"].notna()
    category = default.where(~crime, has_group.map({True: "both", False: "organized_crime"}))
    out.loc[given, "nexus_category"] = category
    out.loc[given, "classification_rule"] = "mapping:crime_type"
    return out


def _text(series: pd.Series | None, idx: pd.Index) -> pd.Series:
    if series is None:
        return pd.Series(pd.NA, index=idx, dtype="string")
    s = strip(series.astype("string"))
    return s.where(s != "", pd.NA)


def drop_duplicates(files: list[FileReport]) -> None:
    """Keep one row per event_id: the last one (later rows, and later files on the command line, are
    later exports). Earlier copies become rejects that say which row replaced them."""
    frames = [(i, f.events) for i, f in enumerate(files) if len(f.events)]
    if not frames:
        return
    ids = [pc.cast(arrow_text(ev["event_id"]), pa.large_string()) for _, ev in frames]
    ids = pa.chunked_array([c for i in ids for c in (i.chunks if isinstance(i, pa.ChunkedArray) else [i])],
                           type=pa.large_string())
    if len(pc.unique(ids)) == len(ids):
        return  # no event id repeats (the usual case): nothing to drop
    tagged = pd.concat([ev.assign(_file=i) for i, ev in frames], ignore_index=False)
    tagged = tagged.reset_index(names="_idx")
    last = tagged.drop_duplicates("event_id", keep="last").set_index("event_id")
    dup = tagged.duplicated("event_id", keep="last")
    if not dup.any():
        return
    for i, f in enumerate(files):
        mine = tagged[dup & (tagged["_file"] == i)]
        if mine.empty:
            continue
        winner = last.loc[mine["event_id"]]
        reason = [f"event id {e} appears again at row {int(w[LINE])} of {files[int(w['_file'])].path}; "
                  f"that later row was imported" for e, (_, w) in zip(mine["event_id"], winner.iterrows())]
        extra = pd.DataFrame({"file": str(f.path), "row": mine[LINE].to_numpy(), "column": "",
                              "reason": reason, "raw_values": "", "kind": "duplicate event id (later row kept)"})
        f.rejects = pd.concat([f.rejects, extra], ignore_index=True) if len(f.rejects) else extra
        f.events = f.events.drop(index=mine["_idx"].to_numpy())


def write_events(store_path: Path, files: list[FileReport], sources: dict[str, SourceInfo],
                 ensure: Callable[[Path], None] | None = None) -> tuple[int, int, int]:
    """One transaction: upsert the events and the sources rows. Returns (inserted, revised, unchanged)."""
    with_events = [f for f in files if len(f.events)]
    events = pd.concat([f.events for f in with_events]) if with_events else store.empty_events_frame()
    canonical = events.loc[:, list(store.EVENT_INPUT_COLUMNS)].reset_index(drop=True)
    cells = None
    if with_events and all(f.cells is not None for f in with_events):  # computed while parsing
        cells = pd.concat([f.cells if len(f.cells) == len(f.events) else f.cells.loc[f.events.index]
                           for f in with_events]).reset_index(drop=True)
    table = store.event_table(canonical, cells)  # built once, before the store is opened
    if ensure is not None:
        ensure(store_path)
    with store.transaction(store_path) as con:
        stored, revised = _count_revised(con, table)
        inserted, replaced = store.upsert_events(con, table, stored=stored)
        for info in sources.values():
            store.upsert_source(con, source_id=info.source_id, title=info.title, citation=info.citation,
                                licence=info.licence, attribution=info.attribution, url=info.url)
        store.refresh_source_counts(con)
        # New events must land in the admin units already imported. Without admin boundaries there is
        # nothing to do, and ingest.geodata (geopandas, 0.1 s to import) is not needed.
        if con.execute("select count(*) from boundaries where level >= 1").fetchone()[0]:
            from ingest.geodata import assign_events_to_units
            assign_events_to_units(con)
    return inserted, revised, replaced - revised


def _count_revised(con, incoming: pa.Table) -> tuple[int, int]:
    """(incoming events the store holds already, those of them that differ from the stored ones)."""
    if len(incoming) == 0:
        return 0, 0
    con.register("incoming_check", incoming)
    try:
        stored = con.execute("select count(*) from events e join incoming_check i using (event_id)").fetchone()[0]
        if not stored:
            return 0, 0  # all new (a first import): no need to compare sixteen columns
        differs = " or ".join(
            f"cast(e.{c} as date) is distinct from cast(i.{c} as date)" if c == "event_date"
            else f"e.{c} is distinct from i.{c}" for c in REVISION_FIELDS)
        return stored, con.execute(f"select count(*) from events e join incoming_check i using (event_id) "
                                   f"where {differs}").fetchone()[0]
    finally:
        con.unregister("incoming_check")


def run_import(files: list[FileReport], sources: dict[str, SourceInfo], *, store_path: Path,
               rejects_path: Path | None = None, strict: bool = False, dry_run: bool = False,
               ensure: Callable[[Path], None] | None = None) -> ImportReport:
    """Apply the row policy, write the rejects file(s), then write the store in one transaction.

    Policy: rows with problems are rejected (written to the rejects file with a reason) and the rest
    are imported; with ``strict`` the first bad row fails the whole import instead. A file of which no
    row can be imported fails too. Either failure raises InputError before the store is opened.
    """
    drop_duplicates(files)
    report = ImportReport(files=files, store_path=Path(store_path), dry_run=dry_run)
    report.rejects_paths = _write_all_rejects(files, rejects_path)
    where = f" (all rejected rows are listed in {', '.join(map(str, report.rejects_paths))})" \
        if report.rejects_paths else ""
    if strict:
        for f in files:
            real = f.rejects[f.rejects["kind"] != "duplicate event id (later row kept)"] if len(f.rejects) else f.rejects
            if len(real):
                first = real.sort_values("row").iloc[0]
                raise InputError(f"{first['reason']}; --strict stops at the first bad row and imports "
                                 f"nothing{where}", file=str(f.path), row=int(first["row"]),
                                 column=first["column"] or None)
    for f in files:
        if len(f.events) == 0:
            counts = f.rejects["kind"].value_counts() if len(f.rejects) else pd.Series(dtype=int)
            top = counts.index[0] if len(counts) else "no rows"
            first = f.rejects.sort_values("row").iloc[0] if len(f.rejects) else None
            raise InputError(
                f"none of its {f.rows_read:,} rows can be imported; most common problem: {top} "
                f"({int(counts.iloc[0]) if len(counts) else 0:,} rows){where}. Nothing was written to the store",
                file=str(f.path), row=int(first["row"]) if first is not None else None,
                column=(first["column"] or None) if first is not None else None)
    if dry_run:
        return report
    report.inserted, report.revised, report.unchanged = write_events(Path(store_path), files, sources, ensure)
    return report


def _write_all_rejects(files: list[FileReport], rejects_path: Path | None) -> list[Path]:
    written = []
    if rejects_path is not None:
        frames = [f.rejects for f in files if len(f.rejects)]
        if frames:
            written.append(write_rejects(pd.concat(frames, ignore_index=True), Path(rejects_path)))
        return written
    for f in files:
        if len(f.rejects):
            target = default_rejects_path(f.path)
            try:
                written.append(write_rejects(f.rejects, target))
            except OSError:
                # The input's folder may be read-only (a shared data folder): fall back to the working folder.
                written.append(write_rejects(f.rejects, Path.cwd() / target.name))
    return written
