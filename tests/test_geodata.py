"""Importing boundaries and routes from GDAL formats (ingest/geodata.py, ingest/geo_commands.py).

Small hand-made files under tests/fixtures/geodata/ cover each format and each bad input; the
realdata tests read the licensed boundary files in ../shared/realdata (never copied here).
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import pyogrio
import pytest
import shapely

import atlas.cli
from atlas.errors import InputError
from ingest import geodata
from ingest.store import transaction

GEO = Path(__file__).resolve().parent / "fixtures" / "geodata"
UNIT_ARGS = ["--level", "1", "--name-field", "unit_name", "--code-field", "pcode"]


def run_cli(argv, monkeypatch) -> int:
    """The real `nexus-atlas` main(), with only this area's commands registered."""
    monkeypatch.setattr(atlas.cli, "COMMAND_MODULES", ("ingest.geo_commands",))
    return atlas.cli.main([str(a) for a in argv])


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    with transaction(path):
        pass
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored(store: Path, table: str, where: str = "true") -> gpd.GeoDataFrame:
    con = duckdb.connect(str(store), read_only=True)
    try:
        frame = con.execute(f"select * from {table} where {where}").df()
    finally:
        con.close()
    geoms = shapely.from_wkb(frame.pop("geometry_wkb").map(bytes).to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


# --- shapefiles, zips and GeoPackages are written from the GeoJSON fixtures at test time ---------


def shapefile(tmp_path: Path, source: str = "units_utm31n.geojson", *, prj: bool = True) -> Path:
    frame = gpd.read_file(GEO / source)
    out = tmp_path / (Path(source).stem + ".shp")
    pyogrio.write_dataframe(frame, out)
    if not prj:
        out.with_suffix(".prj").unlink()
    return out


def zipped_shapefiles(tmp_path: Path) -> Path:
    """A COD-AB-like zip: two polygon layers and a line layer, in a projected CRS."""
    units = gpd.read_file(GEO / "units_utm31n.geojson")
    folder = tmp_path / "cod"
    folder.mkdir()
    pyogrio.write_dataframe(units, folder / "xyz_adm1.shp")
    pyogrio.write_dataframe(units.dissolve(), folder / "xyz_adm0.shp")
    pyogrio.write_dataframe(units.set_geometry(units.boundary), folder / "xyz_lines.shp")
    out = tmp_path / "xyz_admbnd.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"xyz_admbnd/{f.name}")  # inside a folder, as many downloads are
    return out


def geopackage(tmp_path: Path) -> Path:
    out = tmp_path / "units.gpkg"
    pyogrio.write_dataframe(gpd.read_file(GEO / "units.geojson"), out, layer="adm1")
    return out


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("SÃ©gou", "Ségou"),          # GADM 3.6 JSON: UTF-8 read as Latin-1
    ("TillabÃ©ry", "Tillabéry"),
    ("BiÅ¡kek", "Biškek"),
    ("AÅŸgabat", "Aşgabat"),      # needs cp1252 (0x9F is 'Ÿ'), not Latin-1
    ("OuaddaÃ¯", "Ouaddaï"),
    ("Ségou", "Ségou"),            # a genuine accent is left alone
    ("GUÉRA", "GUÉRA"),
    ("Kabul", "Kabul"),
    ("Badah?an", "Badah?an"),      # lost for good: nothing to undo
    ("北京", "北京"),
    (None, None),
])
def test_fix_mojibake_only_undoes_clear_mojibake(raw, expected):
    assert geodata.fix_mojibake(raw) == expected


@pytest.mark.parametrize("stem, name", [("tana-river", "Tana River"), ("homabay", "Homabay"),
                                        ("elgeyo-marakwet", "Elgeyo Marakwet"), ("west_pokot", "West Pokot")])
def test_name_from_filename(stem, name):
    assert geodata.name_from_filename(Path(f"{stem}.json")) == name


# --- every format -------------------------------------------------------------------------


def _units_geojson(tmp_path):
    return GEO / "units.geojson", UNIT_ARGS + ["--country-field", "iso", "--parent-field", "parent"]


def _units_topojson(tmp_path):
    return GEO / "units.topojson", UNIT_ARGS + ["--country-field", "iso"]


def _projected_shapefile(tmp_path):
    return shapefile(tmp_path), UNIT_ARGS + ["--country", "mli"]


def _zip_with_layer(tmp_path):
    return zipped_shapefiles(tmp_path), UNIT_ARGS + ["--country", "MLI", "--layer", "xyz_adm1"]


def _geopackage(tmp_path):
    return geopackage(tmp_path), UNIT_ARGS + ["--country-field", "iso"]


def _no_prj_with_crs(tmp_path):
    return shapefile(tmp_path, prj=False), UNIT_ARGS + ["--crs", "EPSG:32631"]


def _folder_of_collections(tmp_path):
    return GEO / "counties", ["--level", "1", "--name-from-filename", "--country", "KEN"]


@pytest.mark.parametrize("make, expected", [
    (_units_geojson, {"E1": "East", "N1": "Ségou Nord", "W1": "West"}),
    (_units_topojson, {"E1": "East", "W1": "West"}),
    (_projected_shapefile, {"E1": "East", "W1": "West"}),
    (_zip_with_layer, {"E1": "East", "W1": "West"}),
    (_geopackage, {"E1": "East", "N1": "Ségou Nord", "W1": "West"}),
    (_no_prj_with_crs, {"E1": "East", "W1": "West"}),
    (_folder_of_collections, {"east-side": "East Side", "west-side": "West Side"}),
])
def test_import_boundaries_reads_each_format(tmp_path, store, monkeypatch, capsys, make, expected):
    path, args = make(tmp_path)
    assert run_cli(["import-boundaries", path, *args, "--boundary-set", "t", "--store", store], monkeypatch) == 0
    units = stored(store, "boundaries").set_index("unit_code").sort_index()
    assert units["name"].to_dict() == expected
    assert set(units["level"]) == {1} and set(units["boundary_set"]) == {"t"}
    assert units.geometry.is_valid.all()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = units.total_bounds
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    out = capsys.readouterr().out
    assert f"units imported: {len(expected)}" in out and "units with events: 0 of" in out


def test_projected_shapefile_lands_where_it_should(tmp_path):
    """UTM 31N squares reprojected to EPSG:4326 match the lon/lat squares they were made from."""
    got = geodata.read_boundaries(shapefile(tmp_path), level=1, name_field="unit_name", code_field="pcode")
    west = got.units.set_index("unit_code").geometry["W1"]
    assert west.bounds == pytest.approx((0.0, 14.0, 1.0, 15.0), abs=0.02)
    assert any("reprojected from WGS 84 / UTM zone 31N" in n for n in got.reports[0].notes)


def test_folder_units_keep_every_polygon_of_a_file():
    got = geodata.read_boundaries(GEO / "counties", level=1, names_from_filename=True, country="KEN")
    east = got.units.set_index("unit_code").geometry["east-side"]
    assert east.geom_type == "MultiPolygon" and len(east.geoms) == 2
    assert set(got.units["country_iso3"]) == {"KEN"}


def test_self_intersecting_ring_is_repaired_and_counted(store, monkeypatch, capsys):
    assert run_cli(["import-boundaries", GEO / "bowtie.geojson", *UNIT_ARGS, "--store", store], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "repaired (invalid geometry made valid): 1" in out
    assert "warning: repaired feature 2" in out
    bowtie = stored(store, "boundaries", "unit_code = 'B1'").geometry.iloc[0]
    assert bowtie.is_valid and bowtie.area == pytest.approx(0.5)  # two triangles of 0.25


def test_reimport_replaces_the_set(store, monkeypatch):
    args = ["import-boundaries", GEO / "units.geojson", *UNIT_ARGS, "--boundary-set", "t", "--store", store]
    assert run_cli(args, monkeypatch) == 0
    assert run_cli(["import-boundaries", GEO / "units.topojson", *UNIT_ARGS, "--boundary-set", "t",
                    "--store", store], monkeypatch) == 0
    assert sorted(stored(store, "boundaries")["unit_code"]) == ["E1", "W1"]


def test_source_is_recorded_with_its_licence(store, monkeypatch):
    assert run_cli(["import-boundaries", GEO / "units.geojson", *UNIT_ARGS, "--store", store,
                    "--source-id", "test_units", "--title", "Test units", "--licence", "CC0",
                    "--attribution", "Made for tests"], monkeypatch) == 0
    con = duckdb.connect(str(store), read_only=True)
    row = con.execute("select title, licence, attribution from sources where source_id = 'test_units'").fetchone()
    sources = {r[0] for r in con.execute("select distinct source from boundaries").fetchall()}
    con.close()
    assert row == ("Test units", "CC0", "Made for tests") and sources == {"test_units"}


# --- bad input: an InputError naming file, feature and field; exit 2; the store untouched ------


def _ring(tmp_path):
    return GEO / "unclosed_ring.geojson", UNIT_ARGS
def _no_prj(tmp_path):
    return shapefile(tmp_path, prj=False), UNIT_ARGS
def _unknown_field(tmp_path):
    return GEO / "units.geojson", ["--level", "1", "--name-field", "NAME_1", "--code-field", "pcode"]
def _empty(tmp_path):
    return GEO / "no_features.geojson", UNIT_ARGS
def _zero_bytes(tmp_path):
    return GEO / "zero_bytes.geojson", UNIT_ARGS
def _duplicate_codes(tmp_path):
    return GEO / "duplicate_codes.geojson", UNIT_ARGS
def _zip_without_layer(tmp_path):
    return zipped_shapefiles(tmp_path), UNIT_ARGS
def _zip_of_lines(tmp_path):
    return zipped_shapefiles(tmp_path), UNIT_ARGS + ["--layer", "xyz_lines"]
def _bad_country(tmp_path):
    return GEO / "units.geojson", UNIT_ARGS + ["--country-field", "parent"]
def _no_attributes(tmp_path):
    return GEO / "counties", UNIT_ARGS


@pytest.mark.parametrize("make, row, column, words", [
    (_ring, 2, "geometry", ["feature 2", "ring needs at least 4 points"]),
    (_no_prj, 1, "geometry", ["not longitude/latitude", ".prj", "--crs"]),
    (_unknown_field, None, "NAME_1", ["no field 'NAME_1'", "Available fields: unit_name, pcode, iso, parent"]),
    (_empty, None, None, ["no features"]),
    (_zero_bytes, None, None, ["empty (0 bytes)"]),
    (_duplicate_codes, 3, "pcode", ["code 'W1'", "feature 1"]),
    (_zip_without_layer, None, None, ["--layer", "xyz_adm0, xyz_adm1, xyz_lines"]),
    (_zip_of_lines, None, "geometry", ["a LineString, not a polygon", "import-routes"]),
    (_bad_country, 1, "parent", ["'P1'", "not an ISO 3166 alpha-3 code"]),
    (_no_attributes, None, "unit_name", ["--name-from-filename"]),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_bad_input_is_refused_and_store_unchanged(tmp_path, store, monkeypatch, capsys, make, row, column, words):
    run_cli(["import-boundaries", GEO / "units.geojson", *UNIT_ARGS, "--store", store], monkeypatch)
    before = digest(store)
    path, args = make(tmp_path)
    assert run_cli(["import-boundaries", path, *args, "--store", store], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1  # one line for people, no traceback
    for word in words:
        assert word in err
    assert digest(store) == before
    with pytest.raises(InputError) as info:  # the same error, with its parts as attributes
        geodata.read_boundaries(path, **_kwargs(args))
    assert str(path.name) in info.value.file
    assert (info.value.row, info.value.column) == (row, column)


def _kwargs(args: list[str]) -> dict:
    """CLI options -> read_boundaries keywords (the subset these tests use)."""
    out, i = {}, 0
    names = {"name_from_filename": "names_from_filename"}
    while i < len(args):
        key = args[i].lstrip("-").replace("-", "_")
        key = names.get(key, key)
        if key == "names_from_filename":
            out[key] = True
            i += 1
            continue
        out[key] = int(args[i + 1]) if key == "level" else args[i + 1]
        i += 2
    return out


def test_missing_store_is_not_created_by_a_bad_file(tmp_path, monkeypatch):
    target = tmp_path / "never.duckdb"
    assert run_cli(["import-boundaries", GEO / "unclosed_ring.geojson", *UNIT_ARGS, "--store", target],
                   monkeypatch) == 2
    assert not target.exists()


def test_help_explains_every_option(monkeypatch, capsys):
    for command in ("import-boundaries", "import-routes"):
        with pytest.raises(SystemExit) as info:
            run_cli([command, "--help"], monkeypatch)
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "--layer" in out and "--crs" in out and "Example" in out


# --- routes ---------------------------------------------------------------------------------


def test_import_routes_from_field_values(store, monkeypatch, capsys):
    assert run_cli(["import-routes", GEO / "routes.geojson", "--name-field", "route", "--id-field", "rid",
                    "--commodity-field", "goods", "--crime-type-field", "crime", "--confidence", "medium",
                    "--citation", "GI-TOC (2022); GI-TOC WEA-OBS-012 (2025)", "--source-id", "test_routes",
                    "--store", store], monkeypatch) == 0
    routes = stored(store, "routes").set_index("route_id").sort_index()
    assert list(routes.index) == ["test_routes:ML1", "test_routes:NL1"]
    assert routes.loc["test_routes:ML1", ["commodity", "crime_type", "confidence"]].tolist() == \
        ["cocaine", "cocaine_trade", "medium"]
    assert routes.geom_type.to_dict() == {"test_routes:ML1": "MultiLineString", "test_routes:NL1": "LineString"}
    assert "routes imported: 2" in capsys.readouterr().out


def test_import_routes_with_constants_replaces_its_source(store, monkeypatch):
    args = ["import-routes", GEO / "routes.geojson", "--name-field", "route", "--commodity", "migrants",
            "--crime-type", "human_smuggling", "--confidence", "low", "--citation", "test", "--store", store]
    assert run_cli(args, monkeypatch) == 0
    assert run_cli(args, monkeypatch) == 0
    routes = stored(store, "routes")
    assert sorted(routes["route_id"]) == ["routes:1", "routes:2"]
    assert set(routes["crime_type"]) == {"human_smuggling"} and set(routes["source"]) == {"routes"}


@pytest.mark.parametrize("file, extra, row, column, words", [
    ("routes_with_point.geojson", ["--crime-type", "human_smuggling"], 2, "geometry", ["is a Point"]),
    ("routes_bad_crime.geojson", ["--crime-type-field", "crime"], 2, "crime", ["'smuggling'", "human_smuggling"]),
    ("routes.geojson", ["--crime-type", "drugs"], None, None, ["'drugs' is not a taxonomy code"]),
    ("routes.geojson", ["--crime-type-field", "kind"], None, "kind", ["no field 'kind'", "route, rid, goods"]),
    ("no_features.geojson", ["--crime-type", "heroin_trade"], None, None, ["no features"]),
])
def test_bad_routes_are_refused(store, monkeypatch, capsys, file, extra, row, column, words):
    before = digest(store)
    argv = ["import-routes", GEO / file, "--name-field", "route", "--commodity", "x", "--confidence", "low",
            "--citation", "test", *extra, "--store", store]
    assert run_cli(argv, monkeypatch) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert digest(store) == before
    constant = dict(zip(extra[::2], extra[1::2]))
    with pytest.raises(InputError) as info:
        geodata.read_routes(GEO / file, name_field="route", commodity="x", confidence="low", citation="test",
                            crime_type=constant.get("--crime-type"), crime_type_field=constant.get("--crime-type-field"))
    assert (info.value.row, info.value.column) == (row, column)


# --- real boundary files (licensed: read in place, never copied) ------------------------------

REAL = [
    # (id, path under realdata, options, expected features, (code, name) known from SOURCE.md)
    ("gadm36_json_mali", "gadm36_admin1_geojson/gadm36_MLI_1.json",
     dict(level=1, name_field="NAME_1", code_field="GID_1", country_field="GID_0"), 9, ("MLI.7_1", "Ségou")),
    ("gadm36_json_turkmenistan", "gadm36_admin1_geojson/gadm36_TKM_1.json",
     dict(level=1, name_field="NAME_1", code_field="GID_1", country_field="GID_0"), 6, ("TKM.2_1", "Aşgabat")),
    ("gadm36_json_all_17", "gadm36_admin1_geojson",
     dict(level=1, name_field="NAME_1", code_field="GID_1", country_field="GID_0"), 214, ("NER.7_1", "Tillabéry")),
    ("gadm_topojson_mali_2", "gadm_topojson_sahel_horn_centralasia/gadm36_MLI_2.json",
     dict(level=2, name_field="NAME_2", code_field="GID_2", country_field="GID_0", parent_field="GID_1"), 50, None),
    ("gadm_topojson_afg_2", "gadm_topojson_sahel_horn_centralasia/gadm41_AFG_2.json",
     dict(level=2, name_field="NAME_2", code_field="GID_2", country="AFG", parent_field="GID_1"), 328, None),
    ("gadm_geojson_kaz", "gadm_topojson_sahel_horn_centralasia/gadm41_KAZ.json",
     dict(level=1, name_field="NAME_1", code_field="GID_1", country_field="GID_0"), 14, None),
    ("bfa_shapefile_adm2", "gadm_burkina_faso_adm1_adm2/BFA_adm2.shp",
     dict(level=2, name_field="NAME_2", code_field="ID_2", country_field="ISO", parent_field="ID_1"), 45, None),
    ("chad_zip_projected", "cod_ab_chad_2025/tcd_admbnd_20250203_ab.zip",
     dict(level=1, name_field="ADM1_FR", code_field="ADM1_PCODE", country="TCD",
          layer="tcd_admbnda_adm1_20250212_AB"), 23, ("TCD14", "OUADDAÏ")),
    ("nigeria_cod", "cod_ab_nigeria_adm1/admin1.geojson",
     dict(level=1, name_field="ADM1_EN", code_field="ADM1_PCODE", country="NGA"), 37, None),
    ("geoboundaries_afg", "geoboundaries_afghanistan_adm1/geoBoundaries-AFG-ADM1.geojson",
     dict(level=1, name_field="shapeName", code_field="shapeISO", country="AFG"), 34, ("AF_KAN", "Kandahar")),
    ("natural_earth_afg", "ne_admin1_afghanistan/afghan_provinces.json",
     dict(level=1, name_field="name", code_field="adm1_code", country_field="adm0_a3"), 34, None),
    # The Somalia files' own codes repeat (SOM-JUB for both Jubbas): their names are the unique key.
    ("somalia_districts", "somalia_adm1_adm2_gadm_derived/somalia_districts.geojson",
     dict(level=2, name_field="name", code_field="name", country="SOM", parent_field="region"), 74, ("Baki", "Baki")),
    ("somalia_regions", "somalia_adm1_adm2_gadm_derived/somalia_regions.geojson",
     dict(level=1, name_field="name", code_field="name", country="SOM"), 18, ("JubbadaHoose", "JubbadaHoose")),
    ("kenya_folder", "osm_kenya_counties/geojson",
     dict(level=1, names_from_filename=True, country="KEN"), 47, ("tana-river", "Tana River")),
]


def independent_count(path: Path, layer: str | None) -> int:
    """Features counted straight from the file (JSON parse or GDAL's layer info), not via the importer."""
    if path.is_dir():
        return sum(independent_count(p, layer) for p in path.iterdir() if p.suffix == ".json")
    if path.suffix == ".json":
        doc = json.loads(path.read_bytes())
        if doc["type"] == "GeometryCollection":  # a bare geometry (OSM Kenya): one feature
            return 1
        if doc["type"] == "Topology":
            return sum(len(o["geometries"]) for o in doc["objects"].values())
        return len(doc["features"])
    src = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
    return pyogrio.read_info(src, layer=layer)["features"]


@pytest.mark.realdata
@pytest.mark.parametrize("relpath, options, features, known", [r[1:] for r in REAL], ids=[r[0] for r in REAL])
def test_real_boundary_files(realdata, relpath, options, features, known):
    path = realdata / relpath
    got = geodata.read_boundaries(path, **options)
    units = got.units
    assert independent_count(path, options.get("layer")) == features == len(units)
    assert units.geometry.is_valid.all() and not units.geometry.is_empty.any()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    assert units["unit_code"].is_unique
    assert not units["name"].str.contains("Ã|Å", regex=True).any()  # no mojibake left
    if known:
        code, name = known
        assert units.set_index("unit_code").loc[code, "name"] == name
    minx, miny, maxx, maxy = units.total_bounds
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


@pytest.mark.realdata
def test_real_chad_zip_lands_in_chad(realdata):
    got = geodata.read_boundaries(realdata / "cod_ab_chad_2025/tcd_admbnd_20250203_ab.zip", level=1,
                                  layer="tcd_admbnda_adm1_20250212_AB", name_field="ADM1_FR",
                                  code_field="ADM1_PCODE", country="TCD")
    minx, miny, maxx, maxy = got.units.total_bounds
    # Chad spans about 13.5-24.0 E and 7.4-23.5 N; in Africa Albers metres it was -1.2e6..-1.0e5.
    assert 13.0 < minx < 14.0 and 23.5 < maxx < 24.5 and 7.0 < miny < 8.0 and 23.0 < maxy < 24.0
    n_djamena = got.units.set_index("unit_code").geometry
    assert any(g.contains(shapely.Point(15.04, 12.11)) for g in n_djamena)


@pytest.mark.realdata
def test_real_chad_zip_without_layer_lists_layers(realdata):
    with pytest.raises(InputError, match="tcd_admbnda_adm1_20250212_AB, tcd_admbnda_adm2_20250212_AB"):
        geodata.read_boundaries(realdata / "cod_ab_chad_2025/tcd_admbnd_20250203_ab.zip", level=1,
                                name_field="ADM1_FR", code_field="ADM1_PCODE")


@pytest.mark.realdata
def test_real_natural_earth_duplicate_names_keep_distinct_codes(realdata):
    got = geodata.read_boundaries(realdata / "ne_admin1_afghanistan/afghan_provinces.json", level=1,
                                  name_field="name", code_field="adm1_code", country_field="adm0_a3")
    names = got.units.groupby("name")["unit_code"].apply(sorted).to_dict()
    assert len(names["Parwan"]) == 2 and len(names["Uruzgan"]) == 2
    assert any("Parwan, Uruzgan" in w for w in got.warnings)
    with pytest.raises(InputError, match="Codes must be unique"):  # the name is no key
        geodata.read_boundaries(realdata / "ne_admin1_afghanistan/afghan_provinces.json", level=1,
                                name_field="name", code_field="name")


@pytest.mark.realdata
def test_real_somalia_repeated_codes_name_both_features(realdata):
    with pytest.raises(InputError) as info:
        geodata.read_boundaries(realdata / "somalia_adm1_adm2_gadm_derived/somalia_regions.geojson", level=1,
                                name_field="name", code_field="code", country="SOM")
    assert (info.value.row, info.value.column) == (10, "code")
    assert "code 'SOM-JUB', which feature 9 already has" in str(info.value)


@pytest.mark.realdata
def test_real_routes_from_chad_boundary_lines(realdata, store, monkeypatch):
    """A line layer of a real zip imports as routes (any GDAL format: here a zipped, projected shapefile)."""
    path = realdata / "cod_ab_chad_2025/tcd_admbnd_20250203_ab.zip"
    layer = "tcd_admbndl_ALL_20250213_AB"
    got = geodata.read_routes(path, layer=layer, name_field="admLevel", commodity="test", crime_type="arms_trafficking",
                              confidence="low", citation="test only")
    assert len(got.routes) == pyogrio.read_info(f"/vsizip/{path}", layer=layer)["features"] - \
        len(got.reports[0].dropped)
    minx, miny, maxx, maxy = got.routes.total_bounds
    assert 13.0 < minx and maxx < 24.5 and 7.0 < miny and maxy < 24.0
