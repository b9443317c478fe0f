"""What an import did, told to people: the summary printed at the end and the rejects file.

The rejects file is a CSV with one line per row that was not imported:
file, row (1-based line in the file, header = 1), column, reason, raw_values (the row's non-empty
values as JSON, so the row can be fixed and imported again).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REJECT_COLUMNS = ("file", "row", "column", "reason", "raw_values")


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECT_COLUMNS + ("kind",)})


@dataclass
class FileReport:
    """One input file: what was read, what was kept, what was rejected and why."""
    path: Path
    source_id: str
    rows_read: int
    events: pd.DataFrame                       # canonical events that passed every check
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    notes: list[str] = field(default_factory=list)  # facts worth telling (e.g. PRIO-GRID mismatches)
    source: object = None                       # ingest.event_import.SourceInfo of the file's dataset
    cells: pd.DataFrame | None = None           # the events' cell ids if computed early (ingest.store.cell_ids)

    @property
    def rejected(self) -> int:
        return len(self.rejects)


@dataclass
class ImportReport:
    files: list[FileReport]
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    rejects_paths: list[Path] = field(default_factory=list)
    store_path: Path | None = None
    dry_run: bool = False

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rejects(self) -> pd.DataFrame:
        frames = [f.rejects for f in self.files if len(f.rejects)]
        return pd.concat(frames, ignore_index=True) if frames else empty_rejects()

    @property
    def events(self) -> pd.DataFrame:
        frames = [f.events for f in self.files if len(f.events)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def reason_counts(self) -> list[tuple[str, int]]:
        rejects = self.rejects
        if rejects.empty:
            return []
        counts = rejects["kind"].fillna(rejects["reason"]).value_counts()
        return [(str(k), int(v)) for k, v in counts.items()]

    def summary(self) -> str:
        """The lines printed at the end of an import."""
        events = self.events
        lines = []
        for f in self.files:
            lines.append(f"{f.path}: {f.rows_read:,} rows read, {len(f.events):,} valid, {f.rejected:,} rejected")
            lines.extend(f"  note: {n}" for n in f.notes)
        if self.dry_run:
            lines.append(f"dry run: nothing written; {len(events):,} events would be imported")
        else:
            lines.append(f"imported: {self.inserted:,} new, {self.revised:,} updated (revised since the last "
                         f"import), {self.unchanged:,} unchanged; store {self.store_path}")
        reasons = self.reason_counts()
        total_rejected = sum(n for _, n in reasons)
        lines.append(f"rejected: {total_rejected:,} rows" + (":" if reasons else ""))
        lines.extend(f"  {n:>7,}  {reason}" for reason, n in reasons)
        for p in self.rejects_paths:
            lines.append(f"  rejected rows written to {p}")
        if len(events):
            dates = pd.to_datetime(events["event_date"])
            lines.append(f"dates: {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}")
            countries = events["country_iso3"].fillna("unknown").value_counts()
            lines.append("countries: " + ", ".join(f"{c} {n:,}" for c, n in countries.items()))
            crimes = events["crime_type"].value_counts()
            lines.append("crime types: " + ", ".join(f"{c} {n:,}" for c, n in crimes.items()))
        return "\n".join(lines)


def write_rejects(rejects: pd.DataFrame, path: Path) -> Path:
    """Write the rejects CSV (columns REJECT_COLUMNS) and return the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REJECT_COLUMNS)
        for row in rejects.itertuples(index=False):
            writer.writerow([getattr(row, c) if c != "raw_values" else _json(getattr(row, c))
                             for c in REJECT_COLUMNS])
    return path


def _json(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def default_rejects_path(input_path: Path) -> Path:
    """<input name>.rejects.csv next to the input."""
    input_path = Path(input_path)
    return input_path.with_name(input_path.stem + ".rejects.csv")
