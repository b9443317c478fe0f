"""Events placed in imported admin units (event_units) and the admin count layer built on them.

A temporary store holds a few hand-made events at known places in the fixture units
(tests/fixtures/geodata/units.geojson: West W1 = lon 0-1, East E1 = lon 1-2, both lat 14-15;
North N1 = lon 0-2, lat 15-16).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries
from atlas.filters import FilterState
from ingest import geodata
from ingest.store import empty_events_frame, transaction, upsert_events
from layers.admin_units import build_admin_count_layer, list_boundary_sets

GEO = Path(__file__).resolve().parent / "fixtures" / "geodata"

# event, lon, lat, geo_precision, nexus_category, crime_type, fatalities, country, year
EVENTS = [
    ("t:1", 0.5, 14.5, 1, "terrorism", "armed_attack", 3, "MLI", 2020),
    ("t:2", 0.2, 14.8, 2, "organized_crime", "cannabis_trade", 0, "MLI", 2021),
    ("t:3", 1.5, 14.5, 1, "both", "kidnapping_for_ransom", 1, "NER", 2021),
    ("t:4", 1.0, 14.5, 1, "terrorism", "explosive_attack", 2, "NER", 2021),   # on the W1/E1 border
    ("t:5", 5.0, 5.0, 1, "terrorism", "armed_attack", 9, "NGA", 2021),        # in no unit
    ("t:6", 0.5, 14.5, 4, "terrorism", "armed_attack", 1, "MLI", 2021),       # country-level point
    ("t:7", 1.5, 14.2, 3, "organized_crime", "arms_trafficking", 0, "NER", 2022),  # province-level
]


def events_frame(rows) -> pd.DataFrame:
    base = empty_events_frame()
    frame = pd.DataFrame([{
        "event_id": e, "source": "t", "source_record_id": e.split(":")[1], "event_date": pd.Timestamp(year, 6, 1),
        "date_precision": 1, "year": year, "lat": lat, "lon": lon, "geo_precision": prec, "country_iso3": iso,
        "admin1": None, "admin2": None, "location": None, "nexus_category": cat, "crime_type": crime,
        "classification_rule": "test", "actor1": None, "actor2": None, "fatalities": fat, "notes": None,
        "is_synthetic": False,
    } for e, lon, lat, prec, cat, crime, fat, iso, year in rows])
    return frame.astype(base.dtypes.to_dict())


def read_units(level=1):
    return geodata.read_boundaries(GEO / "units.geojson", level=level, name_field="unit_name",
                                   code_field="pcode", country_field="iso", boundary_set="test_adm1")


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.duckdb"
    with transaction(path) as con:
        upsert_events(con, events_frame(EVENTS))
        geodata.write_boundaries(con, read_units())
        geodata.assign_events_to_units(con, "test_adm1")
    con = duckdb.connect(str(path), read_only=True)
    queries.install_macros(con)
    yield con
    con.close()


def assignments(con, boundary_set="test_adm1") -> dict[str, str]:
    return dict(con.execute("select event_id, unit_code from event_units where boundary_set = ?",
                            [boundary_set]).fetchall())


def test_events_are_placed_in_the_unit_that_contains_them(store):
    assert assignments(store) == {
        "t:1": "W1", "t:2": "W1", "t:3": "E1",
        "t:4": "E1",   # a border point goes to exactly one unit: the smaller code
        "t:7": "E1",   # province-level points are good enough for admin-1
    }                  # t:5 lies outside every unit; t:6 is a country-level point


def test_admin2_sets_take_only_district_precise_events(tmp_path):
    with transaction(tmp_path / "s.duckdb") as con:
        upsert_events(con, events_frame(EVENTS))
        units = geodata.read_boundaries(GEO / "units.geojson", level=2, name_field="unit_name", code_field="pcode",
                                        boundary_set="test_adm2")
        geodata.write_boundaries(con, units)
        assert geodata.assign_events_to_units(con) == {"test_adm2": 4}
        assert assignments(con, "test_adm2") == {"t:1": "W1", "t:2": "W1", "t:3": "E1", "t:4": "E1"}


def test_new_events_are_assigned_when_an_importer_calls_assign(tmp_path):
    path = tmp_path / "s.duckdb"
    with transaction(path) as con:
        geodata.write_boundaries(con, read_units())
        assert geodata.assign_events_to_units(con) == {"test_adm1": 0}
    with transaction(path) as con:  # a later event import, in its own transaction
        upsert_events(con, events_frame(EVENTS[:3]))
        assert geodata.assign_events_to_units(con) == {"test_adm1": 3}
        upsert_events(con, events_frame([("t:1", 1.5, 15.5, 1, "terrorism", "armed_attack", 3, "MLI", 2020)]))
        geodata.assign_events_to_units(con)  # t:1 was revised: it moved north
        assert assignments(con) == {"t:1": "N1", "t:2": "W1", "t:3": "E1"}


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1000])
def test_chunked_assignment_gives_the_same_result(tmp_path, chunk_rows):
    with transaction(tmp_path / "s.duckdb") as con:
        upsert_events(con, events_frame(EVENTS))
        geodata.write_boundaries(con, read_units())
        geodata.assign_events_to_units(con, chunk_rows=chunk_rows)
        assert assignments(con) == {"t:1": "W1", "t:2": "W1", "t:3": "E1", "t:4": "E1", "t:7": "E1"}


def test_reimporting_boundaries_reassigns(tmp_path):
    with transaction(tmp_path / "s.duckdb") as con:
        upsert_events(con, events_frame(EVENTS))
        geodata.write_boundaries(con, read_units())
        geodata.assign_events_to_units(con)
        topo = geodata.read_boundaries(GEO / "units.topojson", level=1, name_field="unit_name", code_field="pcode",
                                       boundary_set="test_adm1")
        geodata.write_boundaries(con, topo)  # clears the set's assignments with its units
        assert assignments(con) == {}
        geodata.assign_events_to_units(con, "test_adm1")
        assert set(assignments(con).values()) == {"W1", "E1"}


COLUMNS = ["unit_code", "name", "country_iso3", "events", "fatalities", "terrorism", "organized_crime", "both",
           "geometry"]


@pytest.mark.parametrize("changes, expected", [
    # unit: (events, fatalities, terrorism, organized_crime, both)
    ({}, {"E1": (3, 3, 1, 1, 1), "N1": (0, 0, 0, 0, 0), "W1": (2, 3, 1, 1, 0)}),
    ({"crime_types": "armed_attack"}, {"E1": (0, 0, 0, 0, 0), "N1": (0, 0, 0, 0, 0), "W1": (1, 3, 1, 0, 0)}),
    ({"date_from": "2021-01-01", "date_to": "2021-12-31"},
     {"E1": (2, 3, 1, 0, 1), "N1": (0, 0, 0, 0, 0), "W1": (1, 0, 0, 1, 0)}),
    ({"countries": "NER"}, {"E1": (3, 3, 1, 1, 1)}),        # only the filtered countries' units
    ({"countries": "MLI"}, {"N1": (0, 0, 0, 0, 0), "W1": (2, 3, 1, 1, 0)}),
    ({"min_fatalities": 2}, {"E1": (1, 2, 1, 0, 0), "N1": (0, 0, 0, 0, 0), "W1": (1, 3, 1, 0, 0)}),
    ({"max_geo_precision": 1}, {"E1": (2, 3, 1, 0, 1), "N1": (0, 0, 0, 0, 0), "W1": (1, 3, 1, 0, 0)}),
])
def test_admin_count_layer(store, changes, expected):
    changes = dict(changes)
    countries = changes.pop("countries", None)
    params = FilterState.parse({"region": "all", **changes}).to_params()
    if countries:  # a region preset narrowed to one country
        params["countries"] = [countries]
    layer = build_admin_count_layer(store, boundary_set="test_adm1", level=1, params=params)
    assert list(layer.columns) == COLUMNS
    assert layer.crs.to_epsg() == 4326
    got = {row.unit_code: (row.events, row.fatalities, row.terrorism, row.organized_crime, row.both)
           for row in layer.itertuples()}
    assert got == expected
    assert layer.geometry.is_valid.all()


def test_admin_count_layer_names_and_countries(store):
    layer = build_admin_count_layer(store, boundary_set="test_adm1", level=1,
                                    params=FilterState.parse({"region": "all"}).to_selected_params())
    assert layer.set_index("unit_code")[["name", "country_iso3"]].to_dict("index") == {
        "E1": {"name": "East", "country_iso3": "NER"},
        "N1": {"name": "Ségou Nord", "country_iso3": "MLI"},
        "W1": {"name": "West", "country_iso3": "MLI"},
    }
    assert layer.set_index("unit_code").geometry["W1"].bounds == (0.0, 14.0, 1.0, 15.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"boundary_set": "nope", "level": 1}, "no boundary set 'nope'.*test_adm1 \\(admin-1\\)"),
    ({"boundary_set": "test_adm1", "level": 2}, "holds admin-1 units, not admin-2"),
])
def test_admin_count_layer_refuses_unknown_sets_and_levels(store, kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_admin_count_layer(store, params=FilterState().to_params(), **kwargs)


def test_list_boundary_sets(store):
    sets = list_boundary_sets(store)
    assert sets.to_dict("records") == [{"boundary_set": "test_adm1", "level": 1, "units": 3, "countries": 2,
                                        "source": "test_adm1", "units_with_events": 2}]


def test_cli_import_assigns_events_and_says_how_many(tmp_path, monkeypatch, capsys):
    import atlas.cli
    path = tmp_path / "s.duckdb"
    with transaction(path) as con:
        upsert_events(con, events_frame(EVENTS))
    monkeypatch.setattr(atlas.cli, "COMMAND_MODULES", ("ingest.geo_commands",))
    assert atlas.cli.main(["import-boundaries", str(GEO / "units.geojson"), "--level", "1", "--name-field",
                           "unit_name", "--code-field", "pcode", "--country-field", "iso", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Boundary set 'units' (admin-1)" in out
    assert "names with mis-decoded accents fixed: 1" in out
    assert "units with events: 2 of 3 (5 events assigned)" in out


def test_events_imported_after_the_units_land_in_them(tmp_path):
    """An event import into a store that already holds admin units assigns the new events (write_events)."""
    from tests.import_helpers import run_cli
    path = tmp_path / "s.duckdb"
    with transaction(path) as con:
        geodata.write_boundaries(con, read_units())
    csv = tmp_path / "points.csv"
    csv.write_text("id,day,y,x\nA,2021-06-01,14.5,0.5\nB,2021-06-01,14.5,1.5\nC,2021-06-01,5.0,5.0\n",
                   encoding="utf-8")
    assert run_cli("import-table", csv, "--map", "id=id", "--map", "day=date", "--map", "y=lat", "--map", "x=lon",
                   "--source-id", "pts", "--title", "Points", "--licence", "test", "--store", path,
                   "--no-progress") == 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        assigned = dict(con.execute("select event_id, unit_code from event_units order by event_id").fetchall())
    finally:
        con.close()
    assert assigned == {"pts:A": "W1", "pts:B": "E1"}
