"""UCDP GED importer: a small synthetic CSV, the zip UCDP distributes, and the HDX Nigeria file."""
from __future__ import annotations

import datetime as dt
import random
import zipfile

import pandas as pd
import pytest

from ingest.cells import priogrid_gid
from tests.import_helpers import FIXTURES, empty_store, query, read_rows, run_cli


@pytest.mark.parametrize("where_prec, geo_precision", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 4)])
def test_where_prec_mapping(where_prec, geo_precision):
    from ingest.ucdp import WHERE_PREC_TO_GEO
    assert WHERE_PREC_TO_GEO[where_prec] == geo_precision


def test_small_csv(tmp_path, capsys):
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-ucdp", FIXTURES / "ucdp_small.csv", "--store", store, "--no-progress") == 0
    out = capsys.readouterr().out
    assert "priogrid_gid differs from the cell of the coordinates for 1 of 3 events" in out
    rows = {r[0]: r[1:] for r in query(store, "select source_record_id, actor1, actor2, fatalities, geo_precision, "
                                              "date_precision, crime_type, priogrid_gid from events")}
    assert rows["900001"] == ("Government of Nigeria", "IS", 3, 1, 1, "armed_attack", 146547)
    assert rows["900002"][3:6] == (3, 3, "other_violence")          # where_prec 5 -> 3; date_prec 3 -> month
    assert rows["900002"][6] == int(priogrid_gid([7.3], [8.75])[0])  # computed cell kept, not the file's 999999
    assert rows["900003"][3:5] == (4, 4)                             # where_prec 7 -> country; date_prec 5 -> year
    assert query(store, "select licence from sources where source_id = 'ucdp'") == [("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",)]


def test_official_zip(tmp_path):
    archive = tmp_path / "ged251-csv.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "ucdp_small.csv", "GEDEvent_v25_1.csv")
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-ucdp", archive, "--store", store, "--no-progress") == 0
    assert query(store, "select count(*) from events where source = 'ucdp'") == [(3,)]


def test_zip_without_csv_is_a_clear_error(tmp_path, capsys):
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "no data")
    assert run_cli("import-ucdp", archive, "--store", tmp_path / "s.duckdb", "--no-progress") == 2
    assert "holds no .csv" in capsys.readouterr().err
    assert not (tmp_path / "s.duckdb").exists()


@pytest.mark.realdata
def test_hdx_nigeria_file(realdata, tmp_path, capsys):
    path = realdata / "ucdp_ged_nigeria_hdx" / "conflict_data_nga.csv"
    rows = read_rows(path)
    assert rows[0]["latitude"] != "#geo+lat"          # the helper skipped the HXL row too
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-ucdp", path, "--store", store, "--no-progress") == 0
    out = capsys.readouterr().out
    assert "skipped the HXL #hashtag row" in out and "priogrid_gid" in out
    assert query(store, "select count(*), count(distinct event_id) from events") == [(len(rows), len(rows))]
    stored = {r[0]: r[1:] for r in query(store, "select source_record_id, lat, lon, event_date, fatalities, "
                                                "actor1, actor2, priogrid_gid from events")}
    for row in random.Random(3).sample(rows, 40):
        lat, lon, date, deaths, side_a, side_b, gid = stored[str(int(float(row["id"])))]
        assert (lat, lon) == (float(row["latitude"]), float(row["longitude"]))
        assert date == dt.datetime.strptime(row["date_start"], "%Y-%m-%d %H:%M:%S.%f").date()
        assert deaths == int(row["best"]) and (side_a, side_b) == (row["side_a"], row["side_b"])
        assert gid == int(float(row["priogrid_gid"]))
    by_type = dict(query(store, "select classification_rule, count(*) from events group by 1"))
    # Boko Haram (JAS), its 2003-04 precursor 'Ahlul Sunnah Jamaa' (the 'Nigerian Taliban'), and IS (ISWAP)
    listed = {"IS", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "Ahlul Sunnah Jamaa"}
    jihadist = sum(1 for r in rows if {r["side_a"], r["side_b"]} & listed)
    assert by_type["ucdp_group"] == jihadist
    assert query(store, "select min(year), max(year) from events") == [
        (min(int(r["year"]) for r in rows), max(int(r["year"]) for r in rows))]


@pytest.mark.parametrize("values", [[1.0, 2.0], [float("nan"), 3.0], [2.7, -2.7, -0.0], [123456789.0, 1e15], [1e300, 5.0]])
def test_record_ids_read_as_whole_numbers(values):
    from ingest.ucdp import _whole_number_text
    numbers = pd.Series(values)
    expected = numbers.map(lambda v: "" if v != v else str(int(v)))  # the original, value by value
    pd.testing.assert_series_equal(_whole_number_text(numbers), expected)
