"""Bad input: one clear message naming file, row and column, exit code 2, and the store unchanged
(byte for byte: parsing and checks happen before the store is opened)."""
from __future__ import annotations

import csv

import pytest

from tests.import_helpers import FIXTURES, empty_store, query, run_cli, sha256


@pytest.fixture
def store(tmp_path):
    path = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", FIXTURES / "acled_current.csv", "--store", path, "--no-progress") == 0
    return path


@pytest.mark.parametrize("command, fixture, extra, expected", [
    ("import-acled", "latin1_as_utf8.csv", [], ["latin1_as_utf8.csv, row 2:", "not valid utf-8-sig", "--encoding"]),
    ("import-acled", "missing_latitude.csv", [], ["missing_latitude.csv, row 2, column 'latitude'", "no coordinates"]),
    ("import-acled", "latitude_123.csv", ["--strict"],
     ["latitude_123.csv, row 3, column 'latitude'", "latitude 123 is outside -90..90", "--strict"]),
    ("import-acled", "empty.csv", [], ["empty.csv, row 1:", "empty"]),
    ("import-acled", "header_only.csv", [], ["header_only.csv, row 1:", "no data rows"]),
    ("import-acled", "no_such_file.csv", [], ["no_such_file.csv:", "not found"]),
    ("import-ucdp", "acled_current.csv", [], ["acled_current.csv, row 1, column 'id'", "UCDP GED"]),
    ("import-gtd", "header_only.csv", [], ["header_only.csv, row 1", "no data rows"]),
    ("import-table", "missing_latitude.csv", ["--map", "event_date=date", "--map", "latitude=lat", "--map",
                                              "longitude=lon", "--source-id", "t", "--title", "T", "--licence", "L"],
     ["missing_latitude.csv, row 1, column 'latitude'", "no such column"]),
])
def test_bad_input_fails_with_one_clear_line_and_leaves_the_store_unchanged(store, tmp_path, capsys, command,
                                                                           fixture, extra, expected):
    before = sha256(store)
    code = run_cli(command, FIXTURES / fixture, "--store", store, "--rejects", tmp_path / "r.csv", "--no-progress",
                   *extra)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    for part in expected:
        assert part in err
    assert sha256(store) == before


def test_one_bad_row_is_rejected_and_the_rest_imported(store, tmp_path, capsys):
    rejects = tmp_path / "r.csv"
    assert run_cli("import-acled", FIXTURES / "latitude_123.csv", "--store", store, "--rejects", rejects,
                   "--no-progress") == 0
    out = capsys.readouterr().out
    assert "rejected: 1 rows" in out and "latitude outside -90..90" in out
    assert query(store, "select source_record_id from events where source_record_id like 'GOOD%' order by 1") == [
        ("GOOD1",), ("GOOD3",)]
    with open(rejects, encoding="utf-8", newline="") as fh:
        (line,) = list(csv.DictReader(fh))
    assert (line["file"].endswith("latitude_123.csv"), line["row"], line["column"]) == (True, "3", "latitude")
    assert '"event_id_cnty": "BAD2"' in line["raw_values"]


def test_rejects_default_to_a_file_next_to_the_input(tmp_path):
    source = tmp_path / "acled_export.csv"
    source.write_bytes((FIXTURES / "latitude_123.csv").read_bytes())
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", source, "--store", store, "--no-progress") == 0
    assert (tmp_path / "acled_export.rejects.csv").exists()


def test_dry_run_writes_nothing(store, capsys):
    before = sha256(store)
    assert run_cli("import-acled", FIXTURES / "acled_legacy.csv", "--store", store, "--dry-run", "--no-progress") == 0
    assert "dry run" in capsys.readouterr().out
    assert sha256(store) == before


@pytest.mark.parametrize("command", ["import-acled", "import-ucdp", "import-gtd", "import-table", "fetch-ucdp"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        run_cli(command, "--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--store" in out and "--rejects" in out and "--strict" in out
