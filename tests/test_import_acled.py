"""ACLED importer: small synthetic fixtures, then every ACLED file in ../shared/realdata checked against
values read from the file itself with the csv module."""
from __future__ import annotations

import csv
import datetime as dt
import random

import pytest

from ingest.values import parse_dates
from tests.import_helpers import FIXTURES, empty_store, query, read_rows, run_cli, sha256

import pandas as pd


@pytest.mark.parametrize("text, expected", [
    ("2019-07-25", "2019-07-25"),
    ("9-May-20", "2020-05-09"),
    ("16-Feb-21", "2021-02-16"),
    ("15-Jan-97", "1997-01-15"),
    ("01-January-2015", "2015-01-01"),
    ("15 March 2020", "2020-03-15"),
    ("2009-06-09 00:00:00.000", "2009-06-09"),
    ("13/01/2006", "2006-01-13"),
    ("2019-02-30", None),
    ("yesterday", None),
])
def test_date_formats(text, expected):
    got = parse_dates(pd.Series([text])).iloc[0]
    assert (None if pd.isna(got) else f"{got:%Y-%m-%d}") == expected


def test_current_layout_fixture(tmp_path):
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", FIXTURES / "acled_current.csv", "--store", store, "--no-progress") == 0
    rows = {r[0]: r[1:] for r in query(store, "select source_record_id, event_date, date_precision, lat, lon, "
                                              "geo_precision, crime_type, nexus_category, country_iso3 from events")}
    assert rows["TST1"] == (dt.date(2023, 3, 15), 1, 15.0167, -1.9667, 2, "kidnapping_for_ransom", "both", "MLI")
    assert rows["TST2"][:2] == (dt.date(2023, 3, 15), 2)          # '15 March 2023', time_precision 2 = week
    assert rows["TST3"][:2] == (dt.date(2020, 5, 9), 3)           # '9-May-20', month
    assert rows["TST3"][5:7] == ("other_violence", "other")       # protest against kidnappings
    assert rows["TST4"][0] == dt.date(2015, 1, 1) and rows["TST4"][5] == "extortion_illicit_taxation"
    assert rows["TST5"][5] == "cattle_rustling"
    source = query(store, "select title, attribution, licence, row_count from sources where source_id = 'acled'")
    assert source and "ACLED" in source[0][1] and "redistribut" in source[0][2] and source[0][3] == 5


def test_legacy_layout_fixture(tmp_path):
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", FIXTURES / "acled_legacy.csv", "--store", store, "--no-progress") == 0
    rows = dict(query(store, "select source_record_id, crime_type from events"))
    assert rows == {"1TST": "explosive_attack", "2TST": "armed_attack"}
    assert query(store, "select distinct country_iso3 from events") == [("PAK",)]


# --- real files ---------------------------------------------------------------------------------------------

REAL = [
    # file, date format in the file, expected row count (from its SOURCE.md)
    ("acled_hdx_central_sahel/Conflict Data for Mali.csv", "%Y-%m-%d", 2964),
    ("acled_hdx_central_sahel/Conflict Data for Burkina Faso.csv", "%Y-%m-%d", 1833),
    ("acled_hdx_central_sahel/Conflict Data for Niger.csv", "%Y-%m-%d", 926),
    ("acled_asia_2015_pakistan/acled_pakistan_2015.csv", "%d-%B-%Y", 1800),
    ("acled_global_2020_sample_target_countries/acled_target_countries.csv", "%d-%b-%y", 767),
    ("acled_burkina_faso_sample/1900-01-01-2022-11-02-Burkina_Faso.csv", "%d-%b-%y", 254),
]


@pytest.mark.realdata
@pytest.mark.parametrize("rel, date_format, expected_rows", REAL, ids=[r[0].split("/")[0] for r in REAL])
def test_real_acled_file(realdata, tmp_path, rel, date_format, expected_rows):
    path = realdata / rel
    rows = read_rows(path)
    assert len(rows) == expected_rows
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", path, "--store", store, "--rejects", tmp_path / "r.csv", "--no-progress") == 0
    assert not (tmp_path / "r.csv").exists()          # nothing rejected: these files all have coordinates
    assert query(store, "select count(*), count(distinct event_id) from events") == [(len(rows), len(rows))]
    stored = {r[0]: r[1:] for r in query(store, "select source_record_id, event_date, lat, lon, fatalities, "
                                                "date_precision, geo_precision from events")}
    for row in random.Random(7).sample(rows, 40):
        date, lat, lon, fatalities, date_prec, geo_prec = stored[row["event_id_cnty"]]
        assert date == dt.datetime.strptime(row["event_date"], date_format).date()
        assert (lat, lon) == (float(row["latitude"]), float(row["longitude"]))
        assert fatalities == int(row["fatalities"])
        assert date_prec == int(row["time_precision"]) and geo_prec == int(row["geo_precision"])
    first = min(dt.datetime.strptime(r["event_date"], date_format).date() for r in rows)
    last = max(dt.datetime.strptime(r["event_date"], date_format).date() for r in rows)
    assert query(store, "select min(event_date), max(event_date), sum(fatalities) from events") == [
        (first, last, sum(int(r["fatalities"]) for r in rows))]


@pytest.mark.realdata
def test_no_coordinates_file_is_rejected_row_by_row_and_fails_cleanly(realdata, tmp_path, capsys):
    path = realdata / "acled_burkina_faso_no_coords" / "acled.csv"
    store = empty_store(tmp_path / "s.duckdb")
    before = sha256(store)
    rejects = tmp_path / "rejects.csv"
    assert run_cli("import-acled", path, "--store", store, "--rejects", rejects, "--no-progress") == 2
    err = capsys.readouterr().err
    assert str(path) in err and "column 'latitude'" in err and "4,999" in err
    assert sha256(store) == before
    with open(rejects, encoding="utf-8", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == len(read_rows(path)) == 4999
    assert all(line["column"] == "latitude" and "no coordinates" in line["reason"] for line in lines)
    assert lines[0]["row"] == "2" and '"Burkina Faso"' in lines[0]["raw_values"]


@pytest.mark.realdata
def test_later_export_updates_revised_events_without_duplicates(realdata, tmp_path, capsys):
    """Ethiopia: build an 'earlier snapshot' from the real (later) file: drop the 300 newest events,
    change the fatalities of 41 and the coordinates of 20; import it, then the real file."""
    path = realdata / "acled_hdx_ethiopia_2020" / "conflict_data_eth.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header, tags, *records = list(reader)
    idx = {name: i for i, name in enumerate(header)}
    earlier = [list(r) for r in records[300:]]       # rows are newest-first
    for r in earlier[:41]:
        r[idx["fatalities"]] = str(int(r[idx["fatalities"]]) + 3)
    for r in earlier[100:120]:
        r[idx["latitude"]] = f"{float(r[idx['latitude']]) + 0.25:.4f}"
    snapshot = tmp_path / "eth_earlier.csv"
    with open(snapshot, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, tags, *earlier])

    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-acled", snapshot, "--store", store, "--no-progress") == 0
    assert query(store, "select count(*) from events") == [(len(earlier),)]
    capsys.readouterr()
    assert run_cli("import-acled", path, "--store", store, "--no-progress") == 0
    out = capsys.readouterr().out
    assert f"imported: 300 new, 61 updated (revised since the last import), {len(earlier) - 61:,} unchanged" in out
    assert query(store, "select count(*), count(distinct event_id) from events") == [(len(records), len(records))]
    revised = earlier[0]
    assert query(store, "select fatalities from events where source_record_id = ?", [revised[idx["event_id_cnty"]]]) \
        == [(int(records[300][idx["fatalities"]]),)]
    moved = records[400]
    assert query(store, "select lat from events where source_record_id = ?", [moved[idx["event_id_cnty"]]]) \
        == [(float(moved[idx["latitude"]]),)]
    assert query(store, "select row_count from sources where source_id = 'acled'") == [(len(records),)]
