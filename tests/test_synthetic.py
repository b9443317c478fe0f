"""The synthetic demonstration events: reproducible, honest about being synthetic, and shaped like the
places and trends the hotspot table describes."""
from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pandas.testing import assert_frame_equal

from atlas.errors import InputError
from atlas.settings import Settings
from atlas.taxonomy import NEXUS_CATEGORIES, crime_type_codes, crime_types_by_code
from ingest import synthetic
from ingest.store import EVENT_INPUT_COLUMNS, empty_events_frame, transaction, upsert_events

FIXTURES = Path(__file__).parent / "fixtures" / "synthetic"
SEED = Settings().synthetic_seed
N = Settings().synthetic_events


# --- shared inputs --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def boundaries():
    from ingest.reference import load_boundaries_gdf
    return load_boundaries_gdf()


@pytest.fixture(scope="module")
def events(boundaries):
    return synthetic.generate_events(n=N, seed=SEED, boundaries=boundaries)


@pytest.fixture(scope="module")
def toy_countries():
    return gpd.read_file(FIXTURES / "toy_countries.geojson")


def _km_from(frame: pd.DataFrame, lat: float, lon: float) -> np.ndarray:
    """Great-circle distance in km from (lat, lon) to every event."""
    p1, p2 = np.radians(lat), np.radians(frame["lat"].to_numpy())
    dlat, dlon = p2 - p1, np.radians(frame["lon"].to_numpy() - lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


# --- small pieces ----------------------------------------------------------------------------------

@pytest.mark.parametrize("trend, expected", [
    ("flat", {2012: 1.0, 2018: 1.0, 2024: 1.0}),
    ("rising", {2012: 0.5, 2024: 2.0}),
    ("falling", {2012: 2.0, 2024: 0.5}),
    ("surge_from_2016", {2012: 0.2, 2015: 0.2, 2016: 1.0, 2018: 2.0, 2024: 5.0}),
    ("peak_2014_2016", {2012: 0.3, 2013: 1.2, 2014: 3.0, 2016: 3.0, 2017: 1.2, 2018: 0.3}),
    ("drop_after_2021", {2012: 1.0, 2021: 1.0, 2022: 0.15, 2024: 0.15}),
])
def test_trend_weights(trend, expected):
    weights = dict(zip(synthetic.YEARS.tolist(), synthetic.trend_weights(trend)))
    assert list(weights) == list(range(2012, 2025))
    for year, value in expected.items():
        assert weights[year] == pytest.approx(value), year


@pytest.mark.parametrize("trend", ["sideways", "surge_from_1999", "surge_from_", "peak_2016_2014",
                                   "peak_2014", "drop_after_soon", ""])
def test_unknown_trend_says_what_to_write(trend):
    with pytest.raises(ValueError, match="surge_from_YYYY"):
        synthetic.trend_weights(trend)


def test_crime_mix_is_normalised():
    codes, shares = synthetic.parse_crime_mix("armed_attack:3; heroin_trade:1")
    assert codes == ("armed_attack", "heroin_trade")
    assert shares.tolist() == [0.75, 0.25]


@pytest.mark.parametrize("text, message", [
    ("armed_attack:0.5;bank_robbery:0.5", "not a crime type"),
    ("armed_attack", "no share"),
    ("armed_attack:0", "must be positive"),
    ("armed_attack:0.5;armed_attack:0.5", "listed twice"),
    ("", "empty"),
])
def test_bad_crime_mix(text, message):
    with pytest.raises(ValueError, match=message):
        synthetic.parse_crime_mix(text)


@pytest.mark.parametrize("column, bad, expected_column", [
    ("crime_mix", "armed_attack:1;jaywalking:1", "crime_mix"),
    ("trend", "up", "trend"),
    ("region", "atlantis", "region"),
    ("weight", "-1", "weight"),
    ("armed_groups", "", "armed_groups"),
    ("basis", " ", "basis"),
])
def test_bad_hotspot_row_is_named(tmp_path, column, bad, expected_column):
    table = pd.read_csv(synthetic.HOTSPOTS_CSV, dtype=str, keep_default_na=False)
    table.loc[2, column] = bad
    path = tmp_path / "hotspots.csv"
    table.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        synthetic.load_hotspots(path)
    assert (err.value.row, err.value.column) == (4, expected_column)  # data row 3 = line 4


def test_bundled_tables_load():
    hotspots, corridors = synthetic.load_hotspots(), synthetic.load_corridor_clusters()
    assert len({h.cluster_id for h in hotspots}) == len(hotspots)
    routes = {c.cluster_id for c in corridors}
    assert routes == {"afghan_northern_route", "niger_libya", "northern_mali", "yemen_puntland",
                      "somali_charcoal", "somalia_kenya_sugar"}


# --- country assignment with hand-made polygons ----------------------------------------------------

def test_assign_countries_on_toy_polygons(toy_countries):
    points = pd.read_csv(FIXTURES / "toy_points.csv", dtype={"expected_iso3": "string"})
    got = synthetic.assign_countries(points, toy_countries)
    assert got.dtype == "string"
    for case, expected, actual in zip(points["case"], points["expected_iso3"], got):
        assert (None if pd.isna(actual) else actual) == (None if pd.isna(expected) else expected), case


def test_assign_countries_border_goes_to_the_first_polygon(toy_countries):
    border = pd.DataFrame({"lat": [5.0], "lon": [10.0]})
    reversed_order = toy_countries.iloc[::-1].reset_index(drop=True)
    assert synthetic.assign_countries(border, toy_countries).tolist() == ["AAA"]
    assert synthetic.assign_countries(border, reversed_order).tolist() == ["BBB"]


def test_assign_countries_reprojects_and_rejects_missing_crs(toy_countries):
    points = pd.DataFrame({"lat": [5.0, 22.0], "lon": [15.0, 5.0]})
    assert synthetic.assign_countries(points, toy_countries.to_crs(3857)).tolist() == ["BBB", "CCC"]
    with pytest.raises(ValueError, match="set_crs"):
        synthetic.assign_countries(points, toy_countries.set_crs(None, allow_override=True))


def test_points_in_the_sea_are_redrawn_never_dropped(toy_countries):
    """A cluster centred on the coast of square A: half its first draws fall in the 'sea'."""
    cluster = synthetic.Cluster(
        cluster_id="coast", region="sahel", weight=1.0, crime_codes=("piracy",), crime_shares=np.ones(1),
        trend="flat", armed_groups=("Armed group Z (synthetic, Test)",),
        networks=("Criminal network Z (synthetic, Test)",), lat=5.0, lon=0.0, spread_km=150, name="Coast")
    toy = toy_countries.assign(iso3=toy_countries["iso3"].replace({"AAA": "MLI", "BBB": "NER"}))
    out = synthetic.generate_events(n=300, seed=3, boundaries=toy, clusters=[cluster])
    assert len(out) == 300
    assert set(out["country_iso3"]) <= {"MLI", "NER"}
    assert (out["lon"] >= 0).all()


def test_a_cluster_out_at_sea_is_reported_not_dropped(toy_countries):
    at_sea = synthetic.Cluster(
        cluster_id="mid_ocean", region="sahel", weight=1.0, crime_codes=("piracy",), crime_shares=np.ones(1),
        trend="flat", armed_groups=("Armed group Z (synthetic, Test)",),
        networks=("Criminal network Z (synthetic, Test)",), lat=-40.0, lon=-60.0, spread_km=20, name="Ocean")
    with pytest.raises(InputError, match="mid_ocean"):
        synthetic.generate_events(n=5, seed=3, boundaries=toy_countries, clusters=[at_sea])


# --- the generated demonstration set -------------------------------------------------------------

def test_same_seed_same_events(events, boundaries):
    assert_frame_equal(synthetic.generate_events(n=N, seed=SEED, boundaries=boundaries), events)


def test_other_seed_other_events(events, boundaries):
    other = synthetic.generate_events(n=N, seed=SEED + 1, boundaries=boundaries)
    assert not other[["lat", "lon"]].equals(events[["lat", "lon"]])
    assert not other["event_date"].equals(events["event_date"])


@pytest.mark.parametrize("n", [0, 1, 37, 1000])
def test_exact_count(boundaries, n):
    out = synthetic.generate_events(n=n, seed=11, boundaries=boundaries)
    assert len(out) == n
    assert out["event_id"].is_unique


def test_columns_and_dtypes_are_the_store_contract(events):
    assert tuple(events.columns) == EVENT_INPUT_COLUMNS
    assert events.dtypes.to_dict() == empty_events_frame().dtypes.to_dict()
    required = ["event_id", "event_date", "lat", "lon", "country_iso3", "location", "crime_type",
                "nexus_category", "actor1", "notes", "classification_rule"]
    assert not events[required].isna().any().any()


def test_every_record_says_it_is_synthetic(events):
    assert len(events) == N
    assert events["is_synthetic"].all()
    assert (events["source"] == "synthetic").all()
    assert events["notes"].str.startswith(synthetic.NOTES_PREFIX).all()
    assert events["source_record_id"].iloc[0] == "SYN-000001"
    assert (events["event_id"] == "synthetic:" + events["source_record_id"]).all()
    assert events["source_record_id"].str.fullmatch(r"SYN-\d{6}").all()
    assert events["classification_rule"].str.startswith("synthetic:").all()


def test_actors_are_invented_labels(events):
    actors = pd.concat([events["actor1"], events["actor2"]]).dropna()
    assert actors.str.contains("(synthetic", regex=False).all()
    per_region = events.assign(region=events["actor1"].str.extract(r"synthetic, ([^)]+)\)")[0])
    for region, group in per_region.dropna(subset=["region"]).groupby("region"):
        assert group["actor1"].nunique() >= 4, region  # enough actors for the actor filter to matter


def test_dates_and_precisions(events):
    assert events["event_date"].min() >= pd.Timestamp("2012-01-01")
    assert events["event_date"].max() <= pd.Timestamp("2024-12-31")
    assert (events["event_date"].dt.year == events["year"]).all()
    assert set(events["date_precision"]) == {1, 2, 3}
    assert (events["date_precision"] == 1).mean() > 0.7
    assert set(events["geo_precision"]) == {1, 2, 3}
    assert events["geo_precision"].isin([1, 2]).mean() > 0.8
    month_precise = events[events["date_precision"] == 3]
    assert (month_precise["event_date"].dt.day == 1).all()


def test_crime_types_and_nexus_follow_the_taxonomy(events):
    taxonomy = crime_types_by_code()
    assert set(events["crime_type"]) <= set(crime_type_codes())
    assert set(events["nexus_category"]) <= set(NEXUS_CATEGORIES)
    by_armed_group = events["actor1"].str.startswith("Armed group")
    violent = events["crime_type"].isin(["armed_attack", "explosive_attack"])
    crime = ~violent & (events["crime_type"] != "other_violence")
    assert (events.loc[violent, "nexus_category"] == "terrorism").all()
    assert (events.loc[crime & by_armed_group, "nexus_category"] == "both").all()
    own = events.loc[crime & ~by_armed_group]
    assert (own["nexus_category"] == own["crime_type"].map(lambda c: taxonomy[c].nexus_category)).all()
    assert (events.loc[events["crime_type"] == "other_violence", "nexus_category"] == "other").all()
    assert (events["nexus_category"] == "both").mean() > 0.1  # the nexus is there to be found


def test_fatalities_are_skewed_and_depend_on_type(events):
    f = events["fatalities"]
    assert (f >= 0).all()
    assert (f == 0).mean() > 0.5
    assert f.max() >= 50
    trafficking = events["crime_type"].isin(["heroin_trade", "human_smuggling", "human_trafficking",
                                             "arms_trafficking", "cocaine_trade", "excisable_goods"])
    assert events.loc[trafficking, "fatalities"].mean() < 0.2
    assert events.loc[events["crime_type"] == "armed_attack", "fatalities"].mean() > 1.0


def test_country_is_the_polygon_the_point_lies_in(events, boundaries):
    for iso3, group in events.groupby("country_iso3"):
        shape = shapely.union_all(boundaries.loc[boundaries["iso3"] == iso3].geometry.values)
        inside = shapely.intersects_xy(shape, group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), f"{(~inside).sum()} events coded {iso3} lie outside it"


def test_countries_stay_in_their_regions(events):
    allowed = set().union(*synthetic.region_countries().values())
    assert set(events["country_iso3"]) <= allowed


# Required areas, with centres taken from a gazetteer (GeoNames), not from the hotspot table.
@pytest.mark.parametrize("area, lat, lon, at_least", [
    ("Ménaka (central Sahel)", 15.92, 2.40, 100),
    ("Tillabéri (central Sahel)", 14.21, 1.45, 100),
    ("Djibo (central Sahel)", 14.10, -1.63, 100),
    ("Bandiagara / Mopti (central Sahel)", 14.35, -3.61, 100),
    ("Maiduguri, Borno (Lake Chad)", 11.85, 13.16, 100),
    ("Diffa (Lake Chad)", 13.32, 12.61, 80),
    ("Kismayo, Lower Juba", -0.36, 42.55, 80),
    ("Jilib, Middle Juba", 0.49, 42.79, 80),
    ("Marka, Lower Shabelle", 1.72, 44.77, 80),
    ("Mandera (Kenya border)", 3.94, 41.86, 80),
    ("Garissa (Kenya)", -0.45, 39.65, 80),
    ("Bosaso, Puntland", 11.28, 49.18, 80),
    ("Kunduz", 36.73, 68.86, 100),
    ("Badakhshan (Fayzabad)", 37.12, 70.58, 60),
    ("Khorog (Tajik border)", 37.49, 71.55, 60),
    ("Osh (Fergana valley)", 40.53, 72.80, 60),
    ("Andijan (Fergana valley)", 40.78, 72.35, 60),
    ("Khujand (Fergana valley)", 40.28, 69.62, 60),
])
def test_required_areas_have_events(events, area, lat, lon, at_least):
    assert (_km_from(events, lat, lon) <= 100).sum() >= at_least, area


def test_corridors_carry_their_share_and_crime_type(events):
    routes = {c.cluster_id: c.crime_codes[0] for c in synthetic.load_corridor_clusters()}
    rule = events["classification_rule"].str.removeprefix("synthetic:")
    on_route = rule.isin(list(routes))
    assert 0.15 <= on_route.mean() <= 0.20
    assert (events.loc[on_route, "crime_type"] == rule[on_route].map(routes)).all()
    assert set(rule[on_route]) == set(routes)


def _yearly(frame: pd.DataFrame, first: int, last: int) -> float:
    return ((frame["year"] >= first) & (frame["year"] <= last)).sum() / (last - first + 1)


@pytest.mark.parametrize("area, lat, lon, radius_km, expect", [
    # central Sahel: a few events a year before 2015, many after
    ("central Sahel", 14.6, 0.0, 450, lambda f: _yearly(f, 2020, 2024) > 3 * _yearly(f, 2012, 2015)),
    # Lake Chad: the 2014-2016 peak stands above both the years before and after
    ("Lake Chad", 12.5, 13.0, 200, lambda f: _yearly(f, 2014, 2016) > 2.5 * max(_yearly(f, 2012, 2012),
                                                                                 _yearly(f, 2019, 2024))),
    # Kunduz: violence falls away after 2021
    ("Kunduz", 36.73, 68.86, 60, lambda f: _yearly(f, 2022, 2024) < 0.5 * _yearly(f, 2015, 2021)),
])
def test_trends_are_there_to_find(events, area, lat, lon, radius_km, expect):
    near = events[_km_from(events, lat, lon) <= radius_km]
    assert len(near) > 100, area
    assert expect(near), area


def test_upsert_into_a_store(events, tmp_path):
    path = tmp_path / "store.duckdb"
    with transaction(path) as con:
        assert upsert_events(con, events) == (N, 0)
        assert upsert_events(con, events.head(10)) == (0, 10)
    con = duckdb.connect(str(path), read_only=True)
    try:
        count, synthetic_count = con.execute(
            "select count(*), count(*) filter (where is_synthetic) from events").fetchone()
    finally:
        con.close()
    assert count == synthetic_count == N
