"""The Parquet export answers every query exactly as the DuckDB store does (ingest/parquet_export.py,
queries/parquet.py), under several filter states."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import queries
from atlas.errors import InputError, StoreError
from atlas.filters import FilterState
from ingest.parquet_export import OTHER_REGION, country_regions, export_parquet
from queries.parquet import connect_parquet
from ingest.store import connect

EVENTS = 400

# Values for the parameters a query takes besides the filters (FilterState.to_selected_params()).
# A new query with a parameter missing here fails test_every_query_is_covered: add a value.
EXTRA_VALUES = {
    "limit": 10_000, "offset": 0, "unit": "h3", "resolution": 4, "step": "year", "period_months": 12,
    "half_life_years": 2.0, "boundary_set": "natural_earth_admin0", "min_lon": -20.0, "min_lat": -10.0,
    "max_lon": 90.0, "max_lat": 60.0, "regions": ["sahel", "horn"], "source_ids": ["synthetic"], "search": "a",
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """(store connection, Parquet connection, folder) over the same few hundred generated events."""
    from benchmarks.generate_events import build_store
    folder = tmp_path_factory.mktemp("roundtrip")
    path = build_store(folder / "small.duckdb", EVENTS, seed=3, progress=False)
    export_parquet(path, folder / "parquet")
    db = connect(path, read_only=True)
    queries.install_macros(db)
    pq = connect_parquet(folder / "parquet")
    yield db, pq, folder
    db.close()
    pq.close()


def _busiest_cell(con) -> str:
    frame = queries.run(con, "unit_counts", {**FilterState().to_params(), "unit": "h3", "resolution": 4})
    return f"h3:4:{int(frame.sort_values(['events', 'unit_id'], ascending=[False, True])['unit_id'].iloc[0])}"


FILTERS = {
    "everything": dict(),
    "sahel, two crime types": dict(region="sahel", crime_types=("armed_attack", "kidnapping_for_ransom")),
    "horn, 2018-2021, 1+ fatalities": dict(region="horn", date_from=date(2018, 1, 1), date_to=date(2021, 12, 31),
                                           min_fatalities=1),
    "precise places only": dict(max_geo_precision=1),
    "one actor": dict(actors=("State forces (synthetic)",)),
    "drill-down on the busiest cell": dict(selection="busiest"),
    "nothing matches": dict(region="central_asia", date_from=date(1950, 1, 1), date_to=date(1950, 12, 31)),
}


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fixed order and list cells as tuples, so equal answers compare equal whatever the scan order."""
    out = frame.copy()
    for column in out.columns:
        if any(isinstance(v, (list, np.ndarray)) for v in out[column]):
            out[column] = out[column].map(lambda v: tuple(v) if isinstance(v, (list, np.ndarray)) else v)
    if len(out.columns):
        out = out.sort_values(list(out.columns), key=lambda s: s.astype(str), kind="stable")
    return out.reset_index(drop=True)


def _params(name: str, filters: FilterState) -> dict:
    wanted = queries.parameters(name)
    base = filters.to_selected_params()
    return {k: (base[k] if k in base else EXTRA_VALUES[k]) for k in wanted}


def test_every_query_is_covered():
    filter_keys = set(FilterState().to_selected_params())
    missing = {n: sorted(queries.parameters(n) - filter_keys - set(EXTRA_VALUES)) for n in queries.available()}
    assert not {n: m for n, m in missing.items() if m}, "add values for these parameters to EXTRA_VALUES"


@pytest.mark.parametrize("filter_name", list(FILTERS))
@pytest.mark.parametrize("query", queries.available())
def test_same_answer_from_store_and_parquet(stores, query, filter_name):
    db, pq, _ = stores
    spec = dict(FILTERS[filter_name])
    if spec.get("selection") == "busiest":
        spec["selection"] = _busiest_cell(db)
    filters = FilterState(**spec)
    params = _params(query, filters)
    expected = queries.run(db, query, params)
    got = queries.run(pq, query, params)
    assert_frame_equal(_canonical(got), _canonical(expected), check_dtype=True)


def test_the_comparison_has_rows_to_compare(stores):
    """Guards the table above against comparing empty answers only."""
    db, pq, _ = stores
    frame = queries.run(pq, "filtered_events", _params("filtered_events", FilterState()))
    assert len(frame) == EVENTS


def test_partitions_follow_region_and_year(stores):
    db, _, folder = stores
    folders = {p.parent.parent.name + "/" + p.parent.name
               for p in (folder / "parquet" / "events").glob("*/*/*.parquet")}
    assert folders, "no partition folders written"
    regions = country_regions()
    expected = {f"region={regions.get(iso, OTHER_REGION)}/year={year}"
                for iso, year in db.execute("select distinct country_iso3, year from events").fetchall()}
    assert folders == expected


@pytest.mark.parametrize("iso, region", [("MLI", "sahel"), ("SDN", "sahel"), ("SOM", "horn"),
                                         ("AFG", "central_asia"), ("FRA", None)])
def test_country_regions(iso, region):
    assert country_regions().get(iso) == region


def test_export_refuses_a_folder_with_files(stores, tmp_path):
    _, _, folder = stores
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(InputError, match="not empty"):
        export_parquet(folder / "small.duckdb", tmp_path)
    assert (tmp_path / "keep.txt").exists()


def test_missing_export_is_explained(tmp_path):
    with pytest.raises(StoreError, match="export-parquet"):
        connect_parquet(tmp_path / "nowhere")


@pytest.mark.parametrize("query", ["", "?region=sahel&crime_types=armed_attack", "?analysis=hotspots"])
def test_dashboard_serves_from_the_export_as_from_the_store(stores, query):
    """create_app opens an export folder as its store: the page gets the same map and counter."""
    from app import create_app
    from atlas.settings import load_settings
    from benchmarks.interactions import Interaction, requests_for
    _, _, folder = stores
    answers = []
    for store_path in (folder / "small.duckdb", folder / "parquet"):
        client = create_app(load_settings({}, store_path=store_path)).server.test_client()
        deps = client.get("/_dash-dependencies").get_json()
        label, body = next((lb for lb in requests_for(Interaction("view", query), deps) if lb[0] == "map.figure"))
        response = client.post("/_dash-update-component", json=body).get_json()["response"]
        assert response["alert"]["children"] == ""
        cells = next(t for t in response["map"]["figure"]["data"] if t["type"] == "choroplethmap")
        answers.append((response["counter"]["children"], cells["locations"]))
    assert answers[0] == answers[1]
