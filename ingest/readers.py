"""Reading event files into a raw table of strings, with file-level checks.

Every reader returns a RawTable: all values as text (parsing is the importer's job, so a bad value
becomes a rejected row with a reason, not a crash), column names normalised to lower case, and the
1-based line on which each record starts (header = line 1) so messages can point at it.

File-level problems (missing file, wrong encoding, empty file, header only) raise InputError here,
before anything else happens, so a bad file never reaches the store.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from atlas.errors import InputError
from ingest.arrow_csv import read_plain_csv, sniff_delimiter  # noqa: F401 (sniff_delimiter: readers' API)
from ingest.values import arrow_text, strip

LINE = "_line"  # column holding the 1-based line where each record starts

# Files at least this big show a progress bar while they are read (on a terminal only).
PROGRESS_MIN_BYTES = 2_000_000


@dataclass
class RawTable:
    """A file's records as text. ``frame`` has the normalised columns plus LINE."""
    path: Path
    frame: pd.DataFrame
    original_columns: dict[str, str] = field(default_factory=dict)  # normalised -> as written
    skipped_hashtag_row: bool = False
    encoding: str = "utf-8"
    ragged: pd.DataFrame | None = None  # records whose field count differs from the header
    # column() results for the current frame, which importers replace (rename) but never change in place
    # once read: they ask for some columns several times
    _stripped: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return str(self.path)

    def column(self, name: str) -> pd.Series:
        """A column as stripped text ('' when absent)."""
        if name not in self.frame.columns:
            return pd.Series("", index=self.frame.index, dtype=object)
        if self._stripped.get("frame") is not self.frame:
            self._stripped.clear()
            self._stripped["frame"] = self.frame
        if name not in self._stripped:
            values = self.frame[name]
            if not (isinstance(values.array, pd.arrays.ArrowStringArray) and arrow_text(values).null_count == 0):
                values = values.fillna("").astype(str)  # (text read by Arrow has no gaps: no copy needed)
            values = strip(values)
            text = arrow_text(values) if isinstance(values.array, pd.arrays.ArrowStringArray) else None
            if text is not None and text.num_chunks > 1 and text.nbytes > 32 * len(values):
                # Long texts (notes) in one piece: the keyword search and the store write need that, and
                # each would otherwise copy the column's pieces together itself.
                values = pa.chunked_array([text.combine_chunks()]).to_pandas()
                values.index, values.name = self.frame.index, name
            self._stripped[name] = values
        return self._stripped[name].copy()  # a copy costs nothing until someone writes to it

    def has(self, *names: str) -> bool:
        return all(n in self.frame.columns for n in names)

    def raw_record(self, index) -> dict[str, str]:
        row = self.frame.loc[index]
        return {self.original_columns.get(k, k): v for k, v in row.items()
                if k != LINE and isinstance(v, str) and v != ""}


def normalise_column(name: str) -> str:
    """'EVENT_ID_CNTY ' -> 'event_id_cnty'; the unnamed pandas index column becomes '_index'."""
    name = (name or "").strip().lstrip("\ufeff").strip().lower()
    return name or "_index"


def is_hashtag_row(values: list[str]) -> bool:
    """An HXL tag row (HDX copies put one under the header): nearly every filled cell is '#tag'."""
    cells = [v.strip() for v in values if v and v.strip()]
    tags = [c for c in cells if c.startswith("#")]
    return bool(tags) and len(tags) >= 0.8 * len(cells)


def check_exists(path: Path) -> None:
    if not path.exists():
        raise InputError("file not found; check the path", file=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    if path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes); export it again", file=str(path), row=1)


class CountingLines:
    """Iterates a text file line by line, counting lines and feeding a progress bar.

    Decoding errors surface here with the line they occur on, which the csv module would hide.
    """

    def __init__(self, path: Path, encoding: str, progress: bool):
        self.path, self.encoding = path, encoding
        self.lines_read = 0
        size = path.stat().st_size
        self.bar = tqdm(total=size, unit="B", unit_scale=True, desc=f"Reading {path.name}", file=sys.stderr,
                        disable=(not progress) or size < PROGRESS_MIN_BYTES or None, leave=False)

    def __iter__(self) -> Iterator[str]:
        with open(self.path, encoding=self.encoding, errors="strict", newline="") as fh:
            try:
                for line in fh:
                    self.lines_read += 1
                    self.bar.update(len(line))
                    yield line
            except UnicodeDecodeError as exc:
                line, column = self._locate_decode_error()
                raise InputError(
                    f"is not valid {self.encoding} text ({exc.reason}, byte {column} of the line); re-save the "
                    f"file as UTF-8 or give its encoding with --encoding (e.g. --encoding iso-8859-1)",
                    file=str(self.path), row=line) from None
            finally:
                self.bar.close()

    def _locate_decode_error(self) -> tuple[int | None, int | None]:
        """The text layer decodes in chunks, so find the first undecodable line by reading bytes."""
        with open(self.path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    raw.decode(self.encoding)
                except UnicodeDecodeError as exc:
                    return number, exc.start + 1
        return None, None


def read_csv_table(path: Path | str, *, encoding: str = "utf-8-sig", delimiter: str | None = None,
                   records: Iterable[tuple[int, list[str]]] | None = None, progress: bool = True) -> RawTable:
    """Read a delimited text file. ``records`` lets a caller supply pre-split (line, fields) pairs
    (the GTD reader repairs its rows first) instead of reading ``path`` itself."""
    path = Path(path)
    check_exists(path)
    if records is None:
        delimiter = delimiter or sniff_delimiter(path, encoding)
        plain = read_plain_csv(path, encoding, delimiter)
        if plain is not None:
            return _table_from_plain(path, encoding, *plain)
        records = _csv_records(path, encoding, delimiter, progress)
    records = iter(records)
    try:
        header_line, header = next(records)
    except StopIteration:
        raise InputError("the file has no header line (it holds only blank lines)", file=str(path), row=1) from None
    columns, original = _header_columns(header)
    width = len(columns)
    rows, lines, ragged = [], [], []
    skipped_tags = False
    for n, (line, fields) in enumerate(records):
        if not any(f.strip() for f in fields):
            continue  # blank line
        if n == 0 and is_hashtag_row(fields):
            skipped_tags = True
            continue
        if len(fields) != width:
            # A trailing empty field (Somalia-style 'every line ends with ,') is harmless.
            while len(fields) > width and fields[-1].strip() == "":
                fields = fields[:-1]
            if len(fields) != width:
                ragged.append({"line": line, "fields": len(fields), "raw": fields})
                continue
        rows.append(fields)
        lines.append(line)
    if not rows and not ragged:
        raise InputError("the file has a header but no data rows", file=str(path), row=1)
    frame = pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(columns=columns, dtype=object)
    frame[LINE] = pd.Series(lines, index=frame.index, dtype="int64")
    ragged_frame = pd.DataFrame(ragged) if ragged else None
    return RawTable(path=path, frame=frame, original_columns=original, skipped_hashtag_row=skipped_tags,
                    encoding=encoding, ragged=ragged_frame)


def _header_columns(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """Normalised column names, and normalised -> as written."""
    columns = [normalise_column(c) for c in header]
    original = {}
    for i, (norm, orig) in enumerate(zip(columns, header)):
        if norm in original:  # duplicate names: keep both, the second gets a suffix
            norm = columns[i] = f"{norm}_{i + 1}"
        original[norm] = (orig or "").strip().lstrip("\ufeff")
    return columns, original


def _table_from_plain(path: Path, encoding: str, header: list[str], frame: pd.DataFrame, lines,
                      skipped: bool) -> RawTable:
    """The RawTable read_csv_table builds, from what ingest.arrow_csv parsed (no progress bar: about a second)."""
    columns, original = _header_columns(header)
    frame.columns = columns
    frame[LINE] = pd.Series(lines, index=frame.index, dtype="int64")
    return RawTable(path=path, frame=frame, original_columns=original, skipped_hashtag_row=skipped,
                    encoding=encoding)


def _csv_records(path: Path, encoding: str, delimiter: str, progress: bool) -> Iterator[tuple[int, list[str]]]:
    lines = CountingLines(path, encoding, progress)
    reader = csv.reader(lines, delimiter=delimiter)
    previous_end = 0
    try:
        for fields in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            yield start, fields
    except csv.Error as exc:
        raise InputError(f"cannot be read as CSV ({exc}); check the quoting around that line",
                         file=str(path), row=reader.line_num) from None


def read_parquet_table(path: Path | str) -> RawTable:
    path = Path(path)
    check_exists(path)
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a non-Parquet file
        raise InputError(f"cannot be read as Parquet ({exc})", file=str(path)) from None
    return _table_from_frame(path, frame)


def read_geojson_table(path: Path | str, *, encoding: str = "utf-8-sig") -> RawTable:
    """GeoJSON points: properties become columns, the point becomes 'longitude'/'latitude' text."""
    path = Path(path)
    check_exists(path)
    try:
        doc = json.loads(path.read_text(encoding=encoding))
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid {encoding} text ({exc.reason})", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON ({exc.msg})", file=str(path), row=exc.lineno) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise InputError("is not a GeoJSON FeatureCollection (no 'features' list)", file=str(path))
    if not features:
        raise InputError("the FeatureCollection has no features", file=str(path))
    records = []
    for f in features:
        props = dict((f or {}).get("properties") or {})
        geom = (f or {}).get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        props["__geometry_type"] = geom.get("type") or ""
        if isinstance(coords, (list, tuple)) and len(coords) >= 2:
            props["__geometry_lon"], props["__geometry_lat"] = coords[0], coords[1]
        records.append(props)
    table = _table_from_frame(path, pd.DataFrame.from_records(records))
    # 'row' in messages is the feature number (1-based) for GeoJSON: there is no meaningful line.
    table.frame[LINE] = range(1, len(table.frame) + 1)
    return table


def read_xlsx_table(path: Path | str, *, progress: bool = True) -> RawTable:
    """First worksheet of an .xlsx file (openpyxl, read-only); the row number is the sheet row."""
    from openpyxl import load_workbook

    path = Path(path)
    check_exists(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"cannot be read as an Excel .xlsx workbook ({exc})", file=str(path)) from None
    try:
        ws = wb.worksheets[0]
        records = ((i, ["" if v is None else _cell_text(v) for v in row])
                   for i, row in enumerate(ws.iter_rows(values_only=True), start=1))
        return read_csv_table(path, records=records, progress=progress)
    finally:
        wb.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _table_from_frame(path: Path, frame: pd.DataFrame) -> RawTable:
    if frame.empty:
        raise InputError("the table has no rows", file=str(path))
    original = {}
    renamed = {}
    for c in frame.columns:
        norm = normalise_column(str(c))
        renamed[c] = norm
        original[norm] = str(c)
    frame = frame.rename(columns=renamed)
    text = frame.apply(lambda s: s.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else
                                       (_cell_text(v) if not isinstance(v, str) else v)))
    text = text.astype(object)
    # Parquet has no lines; rows count from 2 so that row numbers read like a CSV with a header.
    text[LINE] = range(2, len(text) + 2)
    return RawTable(path=path, frame=text, original_columns=original)


