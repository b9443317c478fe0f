"""The column-at-a-time value helpers give what the original one-value-at-a-time code gave, on tricky text."""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ingest import countries
from ingest.values import PY_SPACE, PY_SPACE_CLASS, _parse_dates, _parse_number, DATE_FORMATS, join_text, parse_dates, \
    parse_number, strip, tidy

TRICKY_TEXT = ["", " ", "a", " a ", "a  b", "a\tb", "a\nb\r\nc", "\u00a0x\u00a0", "x\u2003\u2003y", "\x1cq\x1f",
               "caf\u00e9", "  many   spaces  inside  ", "\u200bzero width", "\u3000ideographic", "a \u2028 b",
               "\x85next", "tab\t", "JNIM: Group for Support of Islam and Muslims", "\u0661\u0662"]


def test_arrow_strips_pythons_white_space():
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    trimmed = pc.utf8_trim_whitespace(pa.array([c + "x" + c for c in every])).to_pylist()
    assert [c for c, t in zip(every, trimmed) if t == "x"] == [c for c in every if c.isspace()] == list(PY_SPACE)


@pytest.mark.parametrize("values", [["a", "b"], [" a", "b"], ["a", "b\u00a0"], ["", "\u2003"], ["x y", "z"],
                                    ["caf\u00e9", "\u00e9t\u00e9"], ["\u3000x", ""], ["x\u2029", "y"]])
def test_strip_as_str_strip(values):
    text = pd.Series(values * 3, dtype="str")
    pd.testing.assert_series_equal(strip(text), text.str.strip())
    sliced = text.iloc[1:4]  # an Arrow slice: offsets start inside the buffer
    pd.testing.assert_series_equal(strip(sliced), sliced.str.strip())


def test_space_class_is_pythons_white_space():
    every = pa.array([chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF])
    arrow = pc.match_substring_regex(every, f"^{PY_SPACE_CLASS}$").to_pylist()
    assert [ch for ch, hit in zip(every.to_pylist(), arrow) if hit] == \
        [ch for ch in every.to_pylist() if ch.isspace()]


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_tidy_collapses_white_space_as_re_did(text):
    series = pd.Series([text, "plain"], dtype="str")
    original = series.str.replace(re.compile(r"\s+"), " ", regex=True).str.strip()  # the per-value original
    assert tidy(series).tolist() == original.tolist()


@pytest.mark.parametrize("values", [
    ["a", "b", "c"], ["a", "", "c"], ["", "", ""], [" ", "\u00a0", "\t"], ["x", " y ", ""], ["", "", "z"],
    ["caf\u00e9", "\u2003", "\u0661"], [None, "b", None],
])
def test_join_text_joins_non_blank_values(values):
    columns = [pd.Series([v, "q"], dtype=object) for v in values]
    got = join_text(*columns, sep=" | ")
    expected = [" | ".join(v for v in (str(x) if x is not None else "" for x in row) if v.strip())
                for row in zip(*[c.tolist() for c in columns])]
    assert got.tolist() == expected and got.dtype == object


NUMBERS = ["1", "1,5", " 12 ", "1e3", "inf", "nan", "NaN", "+5", "-0", "0x10", "\u0661\u0662", "12.", ".5", "1_000",
           "15.01670000000000001", "1.2.3", "", " ", "-inf", "1e400", "15,0167", "abc", "1", "1,5"]


def test_parse_number_per_distinct_value_matches_every_value():
    text = pd.Series(NUMBERS * 3, dtype="str")
    got, expected = parse_number(text), _parse_number(text)
    pd.testing.assert_series_equal(got[0], expected[0])
    pd.testing.assert_series_equal(got[1], expected[1])


@pytest.mark.parametrize("values", [
    ["37.5151", "-1.9667", "15", "0", "007", "-0.0", "-12", "123456789012345.123456789012345"],  # Arrow's cast
    ["0", "-0", "12"], ["-0", "1.5"], ["1.", ".5"], ["1e3", "2"],                              # pandas
])
def test_parse_number_plain_columns(values):
    text = pd.Series(values * 2, dtype="str")
    got, expected = parse_number(text), _parse_number(text)
    pd.testing.assert_series_equal(got[0], expected[0])
    assert got[0].map(repr).tolist() == expected[0].map(repr).tolist()  # the sign of zero too
    pd.testing.assert_series_equal(got[1], expected[1])


def test_join_text_repeated_combinations():
    a = pd.Series(["x", "x", "", "y", "x"] * 3, dtype="str")
    b = pd.Series(["p", "", "q", "p", "p"] * 3, dtype="str")
    expected = [" | ".join(v for v in row if v.strip()) for row in zip(a, b)]
    assert join_text(a, b, sep=" | ").tolist() == expected


def test_parse_dates_per_distinct_value_matches_every_value():
    text = pd.Series(["2019-07-25", "9-May-20", "01-January-2015", "15 March 2020", "13/01/2006", "2019-02-30", "",
                      " 2020-01-01 ", "yesterday", "2300-01-01", "2019-07-25", "9-May-20"] * 2, dtype="str")
    pd.testing.assert_series_equal(parse_dates(text), _parse_dates(text, DATE_FORMATS))


@pytest.mark.parametrize("function, original, values", [
    (countries.iso3_from_names, countries._iso3_from_names,
     ["Mali", "  burkina   faso ", "C\u00f4te d'Ivoire", "Atlantis", "", "mali", "MLI"]),
    (countries.valid_iso3, countries._valid_iso3, ["MLI", "mli", " ner ", "xxx", "", "MLI"]),
    (lambda s: countries.iso3_from_codes(s, system="iso_numeric"),
     lambda s: countries._iso3_from_codes(s, "iso_numeric"), ["466", "566", "4.0", "abc", "", "466"]),
])
def test_country_lookups_per_distinct_value(function, original, values):
    text = pd.Series(values * 2, dtype="str")
    assert function(text).tolist() == original(text).tolist()
