"""Reading a plain UTF-8 delimited file with pyarrow's parser, for files the csv module would read the same.

The csv module reads about 60,000 rows a second; pyarrow's parser reads a million rows in about a second,
on every core. The two agree on quoting (doubled quotes, a quote inside an unquoted field is a character,
text after a closing quote is kept, line breaks inside quoted fields), and everything else that could make
them differ is checked here first. ``read_plain_csv`` returns None for anything unusual (another encoding,
a quoted or blank header, NUL bytes, blank or ragged rows, text that is not valid UTF-8, a parse error),
and the caller then reads the file with the csv module, which gives the exact row and reason. So this is
only a faster way to get the same RawTable.
"""
from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ingest import prefetch

# (Only the standard library and pyarrow above: ingest.prefetch parses in a worker thread while the
# command is still importing pandas. numpy, pandas and ingest.values are imported where needed.)

# A line break as Python's text files split lines (newline=""): \r\n, \r or \n.
_LINE_BREAK = "\r\n|\r|\n"


def sniff_delimiter(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        head = fh.readline()
    counts = {d: head.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def read_plain_csv(path: Path, encoding: str, delimiter: str):
    """(header fields, frame of str columns, 1-based start line of each row, skipped hashtag row) or None
    when the file must be read with the csv module."""
    import numpy as np
    import pandas as pd

    taken, parsed = prefetch.take(path, encoding, delimiter)
    parsed = parsed if taken else parse_plain(path, encoding, delimiter)
    if parsed is None:
        return None
    data, fields, table = parsed
    if table.num_rows == 0 or _has_blank_rows(table):
        return None
    lines = _record_lines(_physical_lines(data), table)
    if lines is None:
        return None
    from ingest.readers import is_hashtag_row  # readers imports this module
    skipped = is_hashtag_row([c[0].as_py() for c in table.columns])
    if skipped:
        table, lines = table.slice(1), lines[1:]
    # Arrow-backed text columns, the dtype RawTable.column() turns the csv module's values into anyway.
    frame = pd.DataFrame({i: col.to_pandas() for i, col in enumerate(table.columns)})
    return fields, frame, np.asarray(lines), skipped


def parse_plain(path: Path, encoding: str, delimiter: str) -> tuple[bytes, list[str], pa.Table] | None:
    """(the file's bytes, header fields, rows parsed by Arrow as text), or None when the csv module must
    read the file. The part of read_plain_csv that needs only pyarrow."""
    codec = codecs.lookup(encoding).name
    if codec not in ("utf-8", "utf-8-sig") or len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        return None
    start = len(codecs.BOM_UTF8) if codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
    header, body = _split_header(data, start)
    if header is None:
        return None
    try:
        header_text = header.decode(codec)
    except UnicodeDecodeError:
        return None
    if '"' in header_text or not header_text:
        return None  # a quoted header may span lines: the csv module decides
    fields = next(csv.reader([header_text], delimiter=delimiter))
    table = _parse_body(data, body, len(fields), delimiter)
    return None if table is None else (data, fields, table)


def _split_header(data: bytes, start: int) -> tuple[bytes | None, int]:
    """The header line's bytes and where the data rows begin."""
    ends = [i for i in (data.find(b"\n", start), data.find(b"\r", start)) if i >= 0]
    if not ends:
        return None, 0
    end = min(ends)
    body = end + 2 if data[end:end + 2] == b"\r\n" else end + 1
    return data[start:end], body


def _parse_body(data: bytes, body: int, width: int, delimiter: str) -> pa.Table | None:
    names = [f"c{i}" for i in range(width)]
    try:
        return pcsv.read_csv(
            pa.py_buffer(memoryview(data)[body:]),
            read_options=pcsv.ReadOptions(column_names=names, block_size=8 << 20),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                            escape_char=False, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.large_string() for n in names}, check_utf8=True,
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None  # a row with another number of fields, or invalid UTF-8: the csv module names it


def _has_blank_rows(table: pa.Table) -> bool:
    """Rows whose every field is white space, which the csv reader skips (the first column decides fast)."""
    from ingest.values import PY_SPACE_CLASS
    blank_text = f"^{PY_SPACE_CLASS}*$"  # what str.strip() leaves empty
    candidates = pc.match_substring_regex(table.column(0), blank_text)
    if not pc.any(candidates).as_py():
        return False
    blank = candidates
    for col in table.columns[1:]:
        blank = pc.and_(blank, pc.match_substring_regex(col, blank_text))
    return bool(pc.any(blank).as_py())


def _physical_lines(data: bytes) -> int:
    """Lines as Python's text files split them (newline=""): \r\n, \r or \n ends one."""
    import numpy as np
    raw = np.frombuffer(data, dtype=np.uint8)  # counted in slices with numpy: twice as fast as bytes.count
    breaks = sum(int(np.count_nonzero(raw[i:i + (1 << 22)] == 10)) for i in range(0, len(raw), 1 << 22))
    if b"\r" in data:  # (a quick scan: most files have none)
        cr = data.count(b"\r")
        breaks += cr - data.count(b"\r\n")
    return breaks + (0 if data.endswith((b"\n", b"\r")) else 1)


def _record_lines(physical: int, table: pa.Table):
    """1-based line on which each row starts (header = line 1), counted as the csv reader counts them
    (a numpy array), or None when the count does not add up."""
    import numpy as np
    n = table.num_rows
    if physical == n + 1:
        return np.arange(2, n + 2, dtype="int64")
    spans = np.ones(n, dtype="int64")  # some quoted fields hold line breaks: count them row by row
    for col in table.columns:
        if pc.any(pc.match_substring_regex(col, "[\r\n]")).as_py():
            spans += pc.count_substring_regex(col, _LINE_BREAK).to_numpy(zero_copy_only=False)
    if 1 + int(spans.sum()) != physical:
        return None
    return 2 + np.concatenate([[0], np.cumsum(spans[:-1])])
