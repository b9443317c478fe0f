"""Generic tables through a mapping: CSV (';' separated, day-first dates), GeoJSON points, Parquet."""
from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest

from tests.import_helpers import FIXTURES, empty_store, query, run_cli, sha256


def test_csv_with_mapping_file(tmp_path, capsys):
    store = empty_store(tmp_path / "s.duckdb")
    rejects = tmp_path / "r.csv"
    assert run_cli("import-table", FIXTURES / "table_points.csv", "--mapping", FIXTURES / "table_points.mapping.json",
                   "--store", store, "--rejects", rejects, "--no-progress") == 0
    rows = {r[0]: r[1:] for r in query(store, "select event_id, event_date, crime_type, nexus_category, "
                                              "classification_rule, country_iso3, geo_precision from events")}
    assert rows == {
        "synthetic_table:R1": (dt.date(2020, 1, 13), "kidnapping_for_ransom", "both", "mapping:crime_type", "MLI", 2),
        "synthetic_table:R2": (dt.date(2020, 1, 14), "human_smuggling", "organized_crime", "migrant_smuggling",
                               "NER", 2),
    }
    with open(rejects, encoding="utf-8", newline="") as fh:
        reasons = {r["row"]: (r["column"], r["reason"]) for r in csv.DictReader(fh)}
    assert reasons["4"][0] == "lat" and "0, 0" in reasons["4"][1]
    assert reasons["5"] == ("lat", "no latitude: the event cannot be placed on the map")
    assert query(store, "select title, licence from sources where source_id = 'synthetic_table'") == [
        ("Synthetic test table", "CC0 (written for the tests)")]


def test_reimporting_a_table_without_ids_does_not_duplicate(tmp_path):
    store = empty_store(tmp_path / "s.duckdb")
    args = ["import-table", FIXTURES / "table_points.csv", "--map", "when=date", "--map", "lat=lat", "--map",
            "lon=lon", "--map", "description=notes", "--source-id", "noid", "--title", "No ids", "--licence", "test",
            "--store", store, "--rejects", tmp_path / "r.csv", "--no-progress"]
    assert run_cli(*args) == 0 and run_cli(*args) == 0
    assert query(store, "select count(*), count(distinct event_id) from events") == [(2, 2)]


def test_geojson_points(tmp_path):
    store = empty_store(tmp_path / "s.duckdb")
    rejects = tmp_path / "r.csv"
    assert run_cli("import-table", FIXTURES / "points.geojson", "--map", "id=id", "--map", "date=date",
                   "--map", "notes=notes", "--map", "actor=actor1", "--map", "iso3=country_iso3",
                   "--source-id", "points", "--title", "Points", "--licence", "test", "--store", store,
                   "--rejects", rejects, "--no-progress") == 0
    rows = {r[0]: r[1:] for r in query(store, "select source_record_id, lat, lon, crime_type, nexus_category "
                                              "from events")}
    assert rows == {"G1": (2.04, 45.34, "flora_crimes", "both"),            # charcoal + Al-Shabaab
                    "G2": (-0.36, 42.55, "flora_crimes", "organized_crime")}
    with open(rejects, encoding="utf-8", newline="") as fh:
        (line,) = list(csv.DictReader(fh))
    assert line["row"] == "3" and "Polygon" in line["reason"]


def test_parquet(tmp_path):
    frame = pd.DataFrame({"uid": ["P1", "P2"], "day": ["2022-03-01", "2022-03-02"], "y": [33.0, 36.7],
                          "x": [70.1, 68.9], "text": ["heroin seized", "opium poppy fields burned"],
                          "dead": [0, 2]})
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    store = empty_store(tmp_path / "s.duckdb")
    assert run_cli("import-table", path, "--map", "uid=id", "--map", "day=date", "--map", "y=lat", "--map", "x=lon",
                   "--map", "text=notes", "--map", "dead=fatalities", "--source-id", "pq", "--title", "Parquet",
                   "--licence", "test", "--store", store, "--no-progress") == 0
    assert query(store, "select source_record_id, crime_type, fatalities from events order by 1") == [
        ("P1", "heroin_trade", 0), ("P2", "heroin_trade", 2)]


@pytest.mark.parametrize("extra, message", [
    (["--map", "when=date"], "no column for 'lat'"),
    (["--map", "when=when_exactly"], "unknown field(s) when_exactly"),
    (["--map", "nonsense"], "must look like column=field"),
    (["--mapping", FIXTURES / "table_points.mapping.json", "--source-id", "Bad Id"], "--source-id 'Bad Id'"),
])
def test_mapping_mistakes_are_explained(tmp_path, capsys, extra, message):
    store = empty_store(tmp_path / "s.duckdb")
    before = sha256(store)
    base = [] if "--mapping" in extra else ["--source-id", "t", "--title", "T", "--licence", "L"]
    assert run_cli("import-table", FIXTURES / "table_points.csv", *base, *extra, "--store", store,
                   "--no-progress") == 2
    assert message in capsys.readouterr().err
    assert sha256(store) == before


def test_mapping_with_an_unknown_crime_code_is_refused(tmp_path, capsys):
    mapping = json.loads((FIXTURES / "table_points.mapping.json").read_text())
    mapping["crime_type_values"] = {"kidnapping": "kidnap"}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(mapping))
    assert run_cli("import-table", FIXTURES / "table_points.csv", "--mapping", path, "--store",
                   tmp_path / "s.duckdb", "--no-progress") == 2
    assert "kidnap in the mapping are not codes" in capsys.readouterr().err
