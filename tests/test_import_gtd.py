"""GTD importer: unknown days/months, ransom fields, .xlsx and ISO-8859-1 CSV, and the messy real subset."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook

from tests.import_helpers import empty_store, query, run_cli

HEADER = ["eventid", "iyear", "imonth", "iday", "country_txt", "provstate", "city", "latitude", "longitude",
          "specificity", "summary", "attacktype1_txt", "targtype1_txt", "gname", "weaptype1_txt", "nkill",
          "ishostkid", "nhostkid", "ransom", "ransomamt", "ransompaid", "hostkidoutcome_txt"]
ROWS = [
    ["201501010001", "2015", "1", "1", "Mali", "Mopti", "Sévaré", "14.53", "-4.09", "1",
     "Synthetic: a bombing near the market.", "Bombing/Explosion", "Business", "Unknown", "Explosives", "2",
     "0", "", "0", "", "", ""],
    ["201502000001", "2015", "2", "0", "Niger", "Tillabéri", "Ayorou", "14.73", "0.92", "2",
     "Synthetic: a trader was kidnapped.", "Hostage Taking (Kidnapping)", "Business",
     "Al-Mourabitoun", "Unknown", "0", "1", "1", "1", "50000", "50000", "Hostage(s) released by perpetrators"],
    ["201500000001", "2015", "0", "0", "Burkina Faso", "Sahel", "Unknown", "14.1", "-1.6", "5",
     "", "Armed Assault", "Military", "Unknown", "Firearms", "-99", "0", "", "", "", "", ""],
]


def _csv_latin1(path, rows=ROWS):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buf.getvalue().encode("iso-8859-1"))
    return path


def _xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in ROWS:
        ws.append([int(v) if re.fullmatch(r"-?\d+", v) and HEADER[i] != "eventid" else (v or None)
                   for i, v in enumerate(r)])
    wb.save(path)
    return path


EXPECTED = {
    # eventid: (date, date_precision, geo_precision, crime_type, rule, fatalities)
    "201501010001": ("2015-01-01", 1, 1, "explosive_attack", "gtd_bombing", 2),
    "201502000001": ("2015-02-01", 3, 2, "kidnapping_for_ransom", "gtd_ransom", 0),
    "201500000001": ("2015-01-01", 4, 4, "armed_attack", "gtd_attack", 0),
}


@pytest.mark.parametrize("maker, name", [(_csv_latin1, "gtd.csv"), (_xlsx, "gtd.xlsx")])
def test_gtd_small(tmp_path, maker, name):
    path = maker(tmp_path / name)
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-gtd", path, "--store", store, "--no-progress") == 0
    got = {r[0]: (str(r[1]), *r[2:]) for r in query(
        store, "select source_record_id, event_date, date_precision, geo_precision, crime_type, "
               "classification_rule, fatalities from events")}
    assert got == EXPECTED
    notes, admin1 = query(store, "select notes, admin1 from events where source_record_id = '201502000001'")[0]
    assert "ransom=1" in notes and "ransomamt=50000" in notes and "hostkidoutcome_txt=Hostage(s) released" in notes
    assert admin1 == "Tillabéri"                                     # ISO-8859-1 decoded, not mojibake


def test_spreadsheet_wrapped_rows_are_unwrapped(tmp_path):
    """Each line wrapped as one ';'-separated field, one row quoted whole, ';;;' tails (the real subset's quirks)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([HEADER, *ROWS])
    lines = buf.getvalue().split("\r\n")[:-1]
    wrapped = [lines[0] + ";;;", lines[1] + ";;;", '"' + lines[2].replace('"', '""') + '";;;', lines[3] + ";;"]
    path = tmp_path / "wrapped.csv"
    path.write_bytes(("\r\n".join(wrapped) + "\r\n").encode("iso-8859-1"))
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-gtd", path, "--store", store, "--no-progress") == 0
    assert query(store, "select count(*) from events") == [(3,)]


def test_row_with_wrong_field_count_is_rejected_not_fatal(tmp_path):
    broken = ROWS[0][:10]
    path = _csv_latin1(tmp_path / "gtd.csv", rows=[*ROWS, broken])
    store = empty_store(tmp_path / "s.duckdb")
    rejects = tmp_path / "r.csv"
    assert run_cli("import-gtd", path, "--store", store, "--rejects", rejects, "--no-progress") == 0
    with open(rejects, encoding="utf-8", newline="") as fh:
        (line,) = list(csv.DictReader(fh))
    assert line["row"] == "5" and "10 fields but the header has 22" in line["reason"]


@pytest.mark.realdata
def test_real_gtd_subset(realdata, tmp_path, capsys):
    path = realdata / "gtd_1970s_subset" / "globalterrorismdb_0718dist_subset.csv"
    raw = path.read_bytes().decode("iso-8859-1")
    # Independent count: each event is one physical line starting (after an optional quote) with its eventid.
    ids = re.findall(r'^"?(\d{12}),', raw, flags=re.MULTILINE)
    no_coords = re.findall(r'^"?(\d{12}),(?:[^,]*,){12},,', raw, flags=re.MULTILINE)
    store = empty_store(tmp_path / "s.duckdb")
    rejects = tmp_path / "r.csv"
    assert run_cli("import-gtd", path, "--store", store, "--rejects", rejects, "--no-progress") == 0
    (count, distinct), = query(store, "select count(*), count(distinct event_id) from events")
    with open(rejects, encoding="utf-8", newline="") as fh:
        rejected = list(csv.DictReader(fh))
    assert count == distinct == len(set(ids)) - len(rejected)
    assert {r["column"] for r in rejected} == {"latitude"} and len(rejected) == len(no_coords)
    assert query(store, "select min(year), max(year) from events") == [(1970, 1973)]
    mexico = query(store, "select event_date, date_precision, crime_type, nexus_category, lat, lon, notes "
                          "from events where source_record_id = '197000000002'")[0]   # the row quoted whole
    assert (str(mexico[0]), mexico[1], mexico[2], mexico[3]) == ("1970-01-01", 4, "kidnapping_for_ransom", "both")
    assert (mexico[4], mexico[5]) == (19.371887, -99.086624) and "ransomamt=800000" in mexico[6]
