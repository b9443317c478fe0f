"""ingest.arrow_csv reads a file into the same RawTable as the csv module, or declines and leaves it to the
csv module: each case is read both ways and compared value by value, line by line."""
from __future__ import annotations

import codecs

import pytest

from ingest.arrow_csv import read_plain_csv
from ingest.readers import LINE, _csv_records, read_csv_table

HEADER = "id,date,note,value"


def _csv_module_table(path, encoding="utf-8-sig", delimiter=","):
    return read_csv_table(path, encoding=encoding, records=_csv_records(path, encoding, delimiter, False))


@pytest.mark.parametrize("name, data, fast", [
    ("plain", f"{HEADER}\nA1,2020-01-01,hello,1\nA2,2020-01-02,world,2\n", True),
    ("no final line break", f"{HEADER}\nA1,2020-01-01,hello,1\nA2,2020-01-02,world,2", True),
    ("crlf", f"{HEADER}\r\nA1,2020-01-01,hello,1\r\nA2,2020-01-02,world,2\r\n", True),
    ("cr only", f"{HEADER}\rA1,2020-01-01,hello,1\rA2,2020-01-02,world,2\r", True),
    ("bom", f"\ufeff{HEADER}\nA1,2020-01-01,hello,1\n", True),
    ("quotes", f'{HEADER}\nA1,2020-01-01,"say ""hi"", then go",1\nA2,x,ab"c,2\nA3,x,"q"tail,3\nA4,x, "s",4\n', True),
    ("line breaks in quotes", f'{HEADER}\nA1,d,"one\ntwo",1\nA2,d,"a\r\nb\rc",2\nA3,d,"x",3\n', True),
    ("line breaks in quotes, crlf", f'{HEADER}\r\nA1,d,"one\r\ntwo",1\r\nA2,d,"\n",2\r\n', True),
    ("hashtag row", f"{HEADER}\n#id,#date,#note,#value\nA1,d,n,1\n", True),
    ("upper-case and duplicate names", "ID,Date,NOTE,id \nA1,d,n,1\n", True),
    ("unicode and odd white space", f"{HEADER}\nA1,d,\u00a0caf\u00e9\u2003 \x1c,1\nA2,d,\u0661\u0662,\u2028\n", True),
    ("semicolons", "id;date;note;value\nA1;d;a,b;1\n", True),
    ("blank line", f"{HEADER}\nA1,d,n,1\n\nA2,d,n,2\n", False),
    ("blank lines at the end", f"{HEADER}\nA1,d,n,1\n\n\n", False),
    ("row of separators", f"{HEADER}\nA1,d,n,1\n,,,\nA2,d,n,2\n", False),
    ("row of white space", f"{HEADER}\nA1,d,n,1\n , ,\t,\u00a0\n", False),
    ("ragged rows", f"{HEADER}\nA1,d,n,1,\nA2,d\nA3,d,n,3\n", False),
    ("quoted header", f'"id","date",note,value\nA1,d,n,1\n', False),
    ("unterminated quote", f'{HEADER}\nA1,d,"never closed,1\n', False),
    ("header only", f"{HEADER}\n", False),
])
def test_same_table_as_the_csv_module(tmp_path, name, data, fast):
    path = tmp_path / "f.csv"
    path.write_bytes(data.encode("utf-8"))
    delimiter = ";" if name == "semicolons" else ","
    assert (read_plain_csv(path, "utf-8-sig", delimiter) is not None) == fast
    try:
        expected = _csv_module_table(path, delimiter=delimiter)
    except Exception as exc:  # the csv module refuses the file: so must read_csv_table
        with pytest.raises(type(exc)):
            read_csv_table(path, progress=False)
        return
    got = read_csv_table(path, progress=False)
    assert list(got.frame.columns) == list(expected.frame.columns)
    assert got.original_columns == expected.original_columns
    assert got.skipped_hashtag_row == expected.skipped_hashtag_row
    assert (got.ragged is None) == (expected.ragged is None)
    assert got.frame[LINE].tolist() == expected.frame[LINE].tolist()
    assert got.frame.drop(columns=LINE).astype(object).values.tolist() == \
        expected.frame.drop(columns=LINE).astype(object).values.tolist()


@pytest.mark.parametrize("bad", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80",
                                 b"\x00"])
def test_declines_what_the_csv_module_must_report(tmp_path, bad):
    """Invalid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short, stray continuation) and NUL bytes go to
    the csv module path, which names the line."""
    path = tmp_path / "f.csv"
    path.write_bytes(f"{HEADER}\nA1,d,n,1\n".encode() + b"A2,d,x" + bad + b"y,2\n")
    assert read_plain_csv(path, "utf-8-sig", ",") is None


@pytest.mark.parametrize("encoding, fast", [("utf-8", True), ("UTF8", True), ("utf-8-sig", True),
                                            ("iso-8859-1", False), ("cp1252", False)])
def test_only_utf8_is_read_by_arrow(tmp_path, encoding, fast):
    path = tmp_path / "f.csv"
    path.write_bytes(codecs.encode(f"{HEADER}\nA1,d,n,1\n", encoding))
    assert (read_plain_csv(path, encoding, ",") is not None) == fast
