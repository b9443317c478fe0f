"""ingest.prefetch hands over a parse started early only when it is the parse that would be made now."""
from __future__ import annotations

import os

import pytest

from ingest import prefetch

TEXT = "id,note\nA1,hello\nA2,world\n"


@pytest.mark.parametrize("change, given, encoding, delimiter, taken", [
    (None, None, "utf-8-sig", ",", True),
    (None, None, "iso-8859-1", ",", False),       # another encoding asked for
    (None, None, "utf-8-sig", ";", False),        # another delimiter
    (None, ";", "utf-8-sig", ";", True),          # the one given (import-table --delimiter), not the sniffed one
    ("rewrite", None, "utf-8-sig", ",", False),   # the file changed after the parse started
])
def test_take(tmp_path, change, given, encoding, delimiter, taken):
    path = tmp_path / "f.csv"
    path.write_text(TEXT, encoding="utf-8")
    with prefetch.parsing(path, "utf-8-sig", given):
        if change == "rewrite":
            prefetch._pending[path.resolve()][1].result()  # let the parse finish first
            path.write_text(TEXT + "A3,again\n", encoding="utf-8")
            os.utime(path, ns=(1, 1))
        got, parsed = prefetch.take(path, encoding, delimiter)
        assert got == taken
        if taken:
            data, fields, table = parsed
            assert fields == (["id,note"] if given == ";" else ["id", "note"])
            assert table.num_rows == 2 and data == TEXT.encode()
        assert prefetch.take(path, encoding, delimiter) == (False, None)  # taken once


def test_nothing_started_or_left_over(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(TEXT, encoding="utf-8")
    assert prefetch.take(path, "utf-8-sig", ",") == (False, None)
    with prefetch.parsing(path, "utf-8-sig"):
        pass
    assert prefetch.take(path, "utf-8-sig", ",") == (False, None)  # dropped when the block ended


def test_missing_file_is_left_to_the_importer(tmp_path):
    with prefetch.parsing(tmp_path / "none.csv", "utf-8-sig"):
        assert prefetch.take(tmp_path / "none.csv", "utf-8-sig", ",") == (False, None)
