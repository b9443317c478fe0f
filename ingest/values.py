"""Vectorised parsing of raw text columns, recording a reason for every value that fails.

A RowChecks collects, per row, the first problem found (column and reason). Importers run their
checks in the order a person would fix them, then keep the rows without problems; the others go to
the rejects file with that reason.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Date formats seen in ACLED, UCDP and GTD exports, tried in this order. %y maps 00-68 to 20xx.
DATE_FORMATS = (
    "%Y-%m-%d",            # 2019-07-25 (ACLED via HDX, API)
    "%Y-%m-%d %H:%M:%S.%f",  # 2009-06-09 00:00:00.000 (UCDP GED)
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%b-%y",            # 9-May-20, 16-Feb-21 (ACLED export tool)
    "%d-%B-%Y",            # 01-January-2015 (ACLED legacy)
    "%d-%b-%Y",            # 09-May-2020
    "%d %B %Y",            # 15 March 2020 (ACLED export)
    "%d %b %Y",            # 15 Mar 2020
    "%d/%m/%Y",            # 13/01/2006 (day first: the sources we read are all day-first)
    "%Y/%m/%d",
)


class RowChecks:
    """First problem per row: ``column`` and ``reason`` Series aligned to the table's index."""

    def __init__(self, index: pd.Index):
        self.index = index
        self.column = pd.Series(pd.NA, index=index, dtype="object")
        self.reason = pd.Series(pd.NA, index=index, dtype="object")
        self.kind = pd.Series(pd.NA, index=index, dtype="object")  # reason without the values, for counts

    def add(self, mask: pd.Series, column: str, reason, kind: str | None = None) -> None:
        """Record ``reason`` for rows in ``mask`` not already rejected: a string, a Series of strings, or a
        function of the mask returning those strings for the masked rows (so messages quoting row values
        are only built for the few bad rows, not a million good ones).
        ``kind`` is the reason without row values ('latitude outside -90..90'), used to count reasons."""
        mask = mask.reindex(self.index, fill_value=False).fillna(False).astype(bool) & self.column.isna()
        if not mask.any():
            return
        self.column[mask] = column
        if callable(reason):
            self.reason[mask] = reason(mask)[mask]
            self.kind[mask] = kind or f"bad {column}"
        elif isinstance(reason, pd.Series):
            self.reason[mask] = reason[mask]
            self.kind[mask] = kind or f"bad {column}"
        else:
            self.reason[mask] = reason
            self.kind[mask] = kind or reason

    @property
    def ok(self) -> pd.Series:
        return self.column.isna()

    @property
    def bad(self) -> pd.Series:
        return self.column.notna()


def quoted(values: pd.Series, limit: int = 40) -> pd.Series:
    """'value' for messages, shortened so a rejects file stays readable."""
    text = values.astype(str)
    text = text.where(text.str.len() <= limit, text.str.slice(0, limit) + "…")
    return "'" + text + "'"


def per_distinct(function, text: pd.Series):
    """``function(text)`` for a function that treats each value on its own, computed once per distinct value
    and spread back (a Series, or a tuple of Series, aligned to ``text``). Columns such as dates, countries,
    event types, precision codes or coordinates repeat a few thousand values over a million rows."""
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    if len(uniques) > 0.8 * len(text):
        return function(text)
    distinct = pd.Series(uniques, dtype=text.dtype)
    result = function(distinct)
    if isinstance(result, pd.Series) and result.dtype == distinct.dtype and result.equals(distinct):
        return text.copy()  # every value maps to itself (tidy text): no need to spread the answers

    def spread(values: pd.Series) -> pd.Series:
        out = values.iloc[codes]
        out.index, out.name = text.index, text.name
        return out

    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)


# Plain decimals, which Arrow's cast and pandas' to_numeric both read as the nearest double. Negative
# integer zeros are left out: to_numeric reads '-0' as the integer 0 when a column holds only integers.
_PLAIN_NUMBER = r"^(?:-?[0-9]{1,15}\.[0-9]{1,15}|[0-9]{1,15}|-0*[1-9][0-9]{0,14})$"


def parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(floats, bad) where bad marks non-empty text that is not a number. Decimal commas are accepted."""
    # Coordinates hardly repeat: the whole column at once. Codes and counts do: each distinct value once.
    if text.iloc[:1000].nunique() > 100:
        plain = _plain_numbers(text)
        if plain is not None:
            return plain
    return per_distinct(_parse_number, text)


def _plain_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """parse_number's answer for Arrow text of plain decimals only (cast by Arrow), else None."""
    if not isinstance(text.array, pd.arrays.ArrowStringArray) or not len(text):
        return None
    values = arrow_text(text)
    if values.null_count or not pc.all(pc.match_substring_regex(values, _PLAIN_NUMBER)).as_py():
        return None
    numbers = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    return pd.Series(numbers, index=text.index, name=text.name), pd.Series(False, index=text.index, name=text.name)


def _parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    plain = _plain_numbers(text)
    if plain is not None:
        return plain
    cleaned = text.str.strip().str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    numbers = pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce").astype("float64")
    bad = (cleaned != "") & numbers.isna()
    return numbers, bad


def check_coordinates(checks: RowChecks, lat_text: pd.Series, lon_text: pd.Series, *,
                      lat_column: str = "latitude", lon_column: str = "longitude") -> tuple[pd.Series, pd.Series]:
    """Parse and validate coordinates; problems go to ``checks``. Returns (lat, lon) floats."""
    lat, lat_bad = parse_number(lat_text)
    lon, lon_bad = parse_number(lon_text)
    checks.add(strip(lat_text) == "", lat_column,
               "no latitude: the event cannot be placed on the map")
    checks.add(strip(lon_text) == "", lon_column,
               "no longitude: the event cannot be placed on the map")
    checks.add(lat_bad, lat_column, lambda m: "latitude " + quoted(lat_text[m]) + " is not a number",
               "latitude is not a number")
    checks.add(lon_bad, lon_column, lambda m: "longitude " + quoted(lon_text[m]) + " is not a number",
               "longitude is not a number")
    checks.add((lat.abs() > 90), lat_column,
               lambda m: "latitude " + lat_text[m] + " is outside -90..90 (latitude and longitude swapped, or a "
                         "projected coordinate?)", "latitude outside -90..90")
    checks.add((lon.abs() > 180), lon_column,
               lambda m: "longitude " + lon_text[m] + " is outside -180..180 (a projected coordinate?)",
               "longitude outside -180..180")
    checks.add((lat == 0) & (lon == 0), lat_column,
               "coordinates 0, 0 are a placeholder for 'unknown', not a place")
    return lat, lon


def parse_dates(text: pd.Series, formats: tuple[str, ...] | None = None) -> pd.Series:
    """Dates (datetime64[s], NaT where no format fits), trying each format on what is still unparsed."""
    return per_distinct(lambda distinct: _parse_dates(distinct, formats or DATE_FORMATS), text)


def _parse_dates(text: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    todo = text.str.strip() != ""
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo].str.strip(), format=fmt, errors="coerce")
        hit = parsed.notna()
        if hit.any():
            idx = parsed[hit].index
            out.loc[idx] = parsed[hit].astype("datetime64[s]")
            todo.loc[idx] = False
    return out


def check_date(checks: RowChecks, text: pd.Series, column: str,
               formats: tuple[str, ...] | None = None) -> pd.Series:
    dates = parse_dates(text, formats)
    checks.add(strip(text) == "", column, "no date")
    checks.add(dates.isna(), column,
               lambda m: "date " + quoted(text[m]) + " is not in a known format (YYYY-MM-DD, 9-May-20, "
                         "01-January-2015, 15 March 2020 ...)", "date in an unknown format")
    return dates


def parse_count(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Non-negative whole counts: '' -> 0, '3.0' -> 3; returns (int64 values, bad mask)."""
    numbers, bad = parse_number(text)
    bad = bad | (numbers < 0) | ((numbers % 1) != 0) & numbers.notna()
    values = numbers.where(~bad & numbers.notna(), 0).astype("int64")
    return values, bad


def join_text(*series: pd.Series, sep: str = "; ") -> pd.Series:
    """Row-wise join of the non-empty values (a value of white space only counts as empty)."""
    frame = pd.concat(list(series), axis=1).fillna("").astype(str)
    if not len(frame):
        return pd.Series(dtype=object)
    # Joined once per distinct combination of values (actor names repeat across a million events).
    combination = np.zeros(len(frame), dtype=np.int64)
    for k in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, k])
        combination, _ = pd.factorize(combination * len(uniques) + codes)
    first = np.unique(combination, return_index=True)[1]  # a row of each, in code order
    joined = _join_columns(frame.iloc[first], sep).to_numpy(zero_copy_only=False)
    return pd.Series(joined[combination], index=frame.index, dtype=object)


def _join_columns(frame: pd.DataFrame, sep: str) -> pa.Array:
    # Whole columns at a time in Arrow: blank values become nulls, then each column is appended to the
    # joined text where both have a value. (binary_join_element_wise's null_handling="skip" drops rows
    # whose values are all null in pyarrow 26, so nulls are handled here.)
    null, separator = pa.scalar(None, pa.large_string()), pa.scalar(sep, pa.large_string())
    joined = None
    for k in range(frame.shape[1]):
        values = pc.cast(arrow_text(frame.iloc[:, k]), pa.large_string())
        values = pc.if_else(pc.match_substring_regex(values, _BLANK), null, values)
        if joined is None:
            joined = values
            continue
        both = pc.binary_join_element_wise(joined, values, separator)  # null where either is null
        joined = pc.coalesce(both, joined, values)
    return pc.fill_null(joined, "")


def arrow_text(text: pd.Series) -> pa.ChunkedArray | pa.Array:
    """A Series of str as Arrow strings (no copy when Arrow already holds them)."""
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        return text.array.__arrow_array__()
    return pa.array(text.to_numpy(dtype=object), type=pa.large_string())


_SPACE = re.compile(r"\s+")
# Python's white space (str.isspace, re's \s, what str.strip() removes, and what Arrow's
# utf8_trim_whitespace removes too); tests/test_values.py checks it against every code point.
PY_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
            "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SPACE_BUT_BLANK = "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACE if c != " ")
PY_SPACE_CLASS = f"[ {_SPACE_BUT_BLANK}]"  # as RE2 classes, for Arrow
_BLANK = f"^{PY_SPACE_CLASS}*$"
# What _SPACE.sub(" ", ...) changes: two white-space characters in a row, or one that is not a plain space.
_UNTIDY = f"{PY_SPACE_CLASS}{PY_SPACE_CLASS}|[{_SPACE_BUT_BLANK}]"


def tidy(text: pd.Series) -> pd.Series:
    """Collapse runs of white space (names with trailing spaces or line breaks)."""
    return per_distinct(_tidy, text)


# First and last UTF-8 bytes of the white-space characters: a text whose first and last bytes are none
# of these neither starts nor ends with white space.
_SPACE_FIRST_BYTE = np.zeros(256, dtype=bool)
_SPACE_FIRST_BYTE[[c.encode()[0] for c in PY_SPACE]] = True
_SPACE_LAST_BYTE = np.zeros(256, dtype=bool)
_SPACE_LAST_BYTE[[c.encode()[-1] for c in PY_SPACE]] = True


def strip(text: pd.Series) -> pd.Series:
    """text.str.strip(), without copying a column Arrow holds in which no value can start or end with
    white space (judged from the first and last bytes of each value)."""
    if isinstance(text.array, pd.arrays.ArrowStringArray) and not _may_have_edge_space(arrow_text(text)):
        return text.copy()  # copy on write: costs nothing
    return text.str.strip()


def _may_have_edge_space(values: pa.ChunkedArray | pa.Array) -> bool:
    for chunk in (values.chunks if isinstance(values, pa.ChunkedArray) else [values]):
        if not len(chunk):
            continue
        if chunk.type not in (pa.string(), pa.large_string()):
            return True
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if chunk.type == pa.large_string() else np.int32)
        offsets = offsets[chunk.offset:chunk.offset + len(chunk) + 1]
        if chunk.buffers()[2] is None:
            continue  # every value empty
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        filled = offsets[1:] > offsets[:-1]
        if _SPACE_FIRST_BYTE[data[offsets[:-1][filled]]].any() or _SPACE_LAST_BYTE[data[offsets[1:][filled] - 1]].any():
            return True
    return False


def _tidy(text: pd.Series) -> pd.Series:
    if not isinstance(text.array, pd.arrays.ArrowStringArray) or text.isna().any():
        return text.str.replace(_SPACE, " ", regex=True).str.strip()
    # Python's re only for the values it would change (Arrow finds them); the strip is Arrow's either way.
    untidy = pc.match_substring_regex(arrow_text(text), _UNTIDY).to_numpy(zero_copy_only=False)
    if untidy.any():
        fixed = text[untidy].str.replace(_SPACE, " ", regex=True)
        text = text.where(~untidy, fixed)
    return text.str.strip()
