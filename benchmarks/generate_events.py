"""Large, realistic event sets for the benchmarks: a store with N events and a 1 M-row ACLED-format CSV.

The events come from the demonstration generator (ingest/synthetic.py: hotspots and corridors from
data/, trends, invented actors) run chunk by chunk with its own seeds, plus a diffuse share spread over
the regions' countries, as ACLED's own records are: most events sit in a few hot spots and along
routes, but every province has some. Every event is synthetic and says so (is_synthetic, notes).

    .venv/bin/python -m benchmarks.generate_events --events 1000000 --store /tmp/bench/1m.duckdb \
        --acled-csv /tmp/bench/acled_1m.csv

Nothing here is written into the repository: stores and CSVs go where you point them.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.paths import DATA_DIR
from ingest import synthetic
from ingest.store import refresh_source_counts, transaction, upsert_events, upsert_source

CHUNK = 250_000
DIFFUSE_SHARE = 0.15      # events re-placed anywhere on land in their region's countries
RECORD_DIGITS = 8          # SYN-00000001 .. SYN-99999999

BOUNDARIES_PARQUET = DATA_DIR / "boundaries_admin0.parquet"


def load_boundaries() -> gpd.GeoDataFrame:
    """Admin-0 polygons with iso3 and name: the product's reference loader when it is there, else the
    bundled file it reads (data/boundaries_admin0.parquet, Natural Earth 1:50m)."""
    try:
        from ingest.reference import load_boundaries_gdf
    except ImportError:
        return gpd.read_parquet(BOUNDARIES_PARQUET)[["iso3", "name", "geometry"]]
    return load_boundaries_gdf()


def _region_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Region boxes [min_lon, min_lat, max_lon, max_lat] (the dashboard's opening extents): diffuse
    events are drawn in them, then kept only on land in the region's countries."""
    import json
    regions = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["regions"]
    return {r["id"]: tuple(r["bounds"]) for r in regions if r["countries"]}


def _diffuse(frame: pd.DataFrame, boundaries: gpd.GeoDataFrame, rng: np.random.Generator) -> None:
    """Move a share of the events (in place) to random land points in their own region's countries."""
    allowed = synthetic.region_countries()
    region_of = {iso: region for region, isos in allowed.items() for iso in isos}
    region = frame["country_iso3"].map(region_of).to_numpy(dtype=object)
    pick = np.flatnonzero(rng.random(len(frame)) < DIFFUSE_SHARE)
    bounds = _region_bounds()
    for name in sorted(allowed):
        rows = pick[region[pick] == name]
        lo_lon, lo_lat, hi_lon, hi_lat = bounds[name]
        todo = rows
        for _ in range(60):  # rejection sampling: land inside the region's countries
            if not len(todo):
                break
            lat = np.round(rng.uniform(lo_lat, hi_lat, len(todo)), 5)
            lon = np.round(rng.uniform(lo_lon, hi_lon, len(todo)), 5)
            iso = synthetic.assign_countries(pd.DataFrame({"lat": lat, "lon": lon}), boundaries)
            iso = iso.to_numpy(dtype=object, na_value=None)
            ok = np.array([c is not None and c in allowed[name] for c in iso], dtype=bool)
            idx = frame.index[todo[ok]]
            frame.loc[idx, "lat"] = lat[ok]
            frame.loc[idx, "lon"] = lon[ok]
            frame.loc[idx, "country_iso3"] = iso[ok]
            frame.loc[idx, "location"] = "(diffuse)"
            todo = todo[~ok]


def event_chunks(n: int, *, seed: int = 7, chunk: int = CHUNK,
                 boundaries: gpd.GeoDataFrame | None = None) -> Iterator[pd.DataFrame]:
    """Canonical event frames (ingest.store.EVENT_INPUT_COLUMNS) adding up to n events, unique ids."""
    boundaries = load_boundaries() if boundaries is None else boundaries
    clusters = synthetic.load_hotspots() + synthetic.load_corridor_clusters()
    done = 0
    k = 0
    while done < n:
        size = min(chunk, n - done)
        frame = synthetic.generate_events(n=size, seed=seed * 1000 + k, boundaries=boundaries, clusters=clusters)
        _diffuse(frame, boundaries, np.random.default_rng(seed * 1000 + k + 500))
        ids = np.char.add("SYN-", np.char.zfill(np.arange(done + 1, done + size + 1).astype(str), RECORD_DIGITS))
        frame["source_record_id"] = pd.array(ids, dtype="string")
        frame["event_id"] = pd.array(np.char.add(f"{synthetic.SOURCE_ID}:", ids), dtype="string")
        yield frame
        done += size
        k += 1


def _load_reference(con, boundaries: gpd.GeoDataFrame) -> None:
    """Reference layers (country outlines, corridors) exactly as the product's build does, when it can."""
    try:
        from ingest import reference
    except ImportError:  # the reference loader has not landed: write the outlines the map needs
        import shapely
        frame = pd.DataFrame({"boundary_set": "natural_earth_admin0", "level": 0, "unit_code": boundaries["iso3"],
                              "name": boundaries["name"], "country_iso3": boundaries["iso3"], "parent_code": None,
                              "source": "natural_earth",
                              "geometry_wkb": list(shapely.to_wkb(boundaries.geometry.values))})
        con.register("bench_boundaries", frame)
        con.execute("insert or replace into boundaries select * from bench_boundaries")
        con.unregister("bench_boundaries")
        from ingest.geodata import read_routes, write_routes
        write_routes(con, read_routes(DATA_DIR / "corridors.geojson", name_field="name", id_field="route_id",
                                      commodity_field="commodity", crime_type_field="crime_type",
                                      confidence_field="confidence", source="corridors",
                                      citation="data/corridors.geojson (each route's source_citation)"))
        return
    reference.load_reference(con)


def build_store(path: Path, n: int, *, seed: int = 7, progress: bool = True) -> Path:
    """A store with n generated events (plus the reference layers), written in one transaction."""
    path = Path(path)
    path.unlink(missing_ok=True)
    boundaries = load_boundaries()
    started = time.perf_counter()
    with transaction(path) as con:
        _load_reference(con, boundaries)
        written = 0
        for frame in event_chunks(n, seed=seed, boundaries=boundaries):
            written += upsert_events(con, frame)[0]
            if progress:
                print(f"  {written:>10,} events  {time.perf_counter() - started:6.1f} s", file=sys.stderr)
        upsert_source(con, **synthetic.SOURCE)
        refresh_source_counts(con)
    return path


# --- ACLED-format CSV ------------------------------------------------------------------------------

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# (event_type, sub_event_type, words the notes use) per crime type: what an ACLED coder would write,
# so the importer's classification rules have real work to do.
_ACLED_SHAPE = {
    "armed_attack": ("Battles", "Armed clash", "clashed with"),
    "explosive_attack": ("Explosions/Remote violence", "Remote explosive/landmine/IED", "detonated an IED near"),
    "kidnapping_for_ransom": ("Violence against civilians", "Abduction/forced disappearance",
                              "abducted two traders and demanded a ransom near"),
    "extortion_illicit_taxation": ("Violence against civilians", "Attack", "levied zakat on herders near"),
    "cattle_rustling": ("Violence against civilians", "Looting/property destruction", "stole cattle near"),
    "arms_trafficking": ("Strategic developments", "Other", "was intercepted with an arms cache near"),
    "human_smuggling": ("Strategic developments", "Other", "stopped a migrants convoy near"),
    "human_trafficking": ("Strategic developments", "Arrests", "arrested for human trafficking near"),
    "heroin_trade": ("Strategic developments", "Other", "seized heroin near"),
    "cannabis_trade": ("Strategic developments", "Other", "seized cannabis near"),
    "non_renewable_resource_crimes": ("Violence against civilians", "Attack", "raided an artisanal gold mining site near"),
    "flora_crimes": ("Strategic developments", "Other", "seized charcoal bound for export near"),
    "piracy": ("Violence against civilians", "Attack", "pirates hijacked a dhow off"),
    "excisable_goods": ("Strategic developments", "Other", "seized contraband fuel near"),
    "other_violence": ("Riots", "Mob violence", "rioted in"),
}
_DEFAULT_SHAPE = ("Strategic developments", "Other", "was reported near")


def acled_frame(events: pd.DataFrame, *, first_row: int = 0) -> pd.DataFrame:
    """31 ACLED columns from canonical events (synthetic: actor names and notes say so)."""
    codes = pd.read_csv(DATA_DIR / "country_codes.csv", dtype=str, keep_default_na=False)
    numeric = dict(zip(codes["iso3"], codes["iso_numeric"]))
    names = dict(zip(codes["iso3"], codes["name"]))
    crime = events["crime_type"].astype(str)
    shape = crime.map(lambda c: _ACLED_SHAPE.get(c, _DEFAULT_SHAPE))
    iso3 = events["country_iso3"].astype(str)
    dates = pd.to_datetime(events["event_date"])
    actor1 = events["actor1"].astype(str)
    location = events["location"].astype(str)
    n = len(events)
    record = np.char.add(iso3.to_numpy().astype(str),
                         np.arange(first_row + 1, first_row + n + 1).astype(str))
    notes = ("Synthetic benchmark event, not a real incident. On " + dates.dt.strftime("%d %B %Y") + ", "
             + actor1 + " " + shape.str[2] + " " + location + ".")
    return pd.DataFrame({
        "event_id_cnty": record,
        "event_date": dates.dt.strftime("%Y-%m-%d").to_numpy(),
        "year": events["year"].to_numpy(),
        "time_precision": events["date_precision"].to_numpy(),
        "disorder_type": "Political violence",
        "event_type": shape.str[0].to_numpy(),
        "sub_event_type": shape.str[1].to_numpy(),
        "actor1": actor1.to_numpy(),
        "assoc_actor_1": "",
        "inter1": np.where(actor1.str.startswith("State forces"), 1, 2),
        "actor2": events["actor2"].fillna("").astype(str).to_numpy(),
        "assoc_actor_2": "",
        "inter2": np.where(events["actor2"].isna(), 0, 7),
        "interaction": 27,
        "civilian_targeting": np.where(shape.str[0] == "Violence against civilians", "Civilian targeting", ""),
        "iso": iso3.map(numeric).fillna("").to_numpy(),
        "region": "Synthetic",
        "country": iso3.map(names).fillna("").to_numpy(),
        "admin1": "",
        "admin2": "",
        "admin3": "",
        "location": location.to_numpy(),
        "latitude": events["lat"].round(4).to_numpy(),
        "longitude": events["lon"].round(4).to_numpy(),
        "geo_precision": events["geo_precision"].clip(upper=3).to_numpy(),
        "source": "Synthetic benchmark",
        "source_scale": "National",
        "notes": notes.to_numpy(),
        "fatalities": events["fatalities"].to_numpy(),
        "tags": "",
        "timestamp": 1700000000,
    }, columns=list(ACLED_COLUMNS))


def write_acled_csv(path: Path, n: int, *, seed: int = 11) -> Path:
    """An ACLED-format CSV (current 31-column export) with n generated rows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    boundaries = load_boundaries()
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for k, frame in enumerate(event_chunks(n, seed=seed, boundaries=boundaries)):
            acled_frame(frame, first_row=written).to_csv(fh, index=False, header=(k == 0))
            written += len(frame)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate_events", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the store (default 1,000,000)")
    parser.add_argument("--store", type=Path, help="write a store with --events events here")
    parser.add_argument("--acled-csv", type=Path, help="write an ACLED-format CSV here")
    parser.add_argument("--acled-rows", type=int, default=1_000_000, help="rows in the ACLED CSV (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.store and not args.acled_csv:
        parser.error("say what to write: --store PATH and/or --acled-csv PATH")
    if args.store:
        t = time.perf_counter()
        build_store(args.store, args.events, seed=args.seed)
        print(f"store {args.store}: {args.events:,} events in {time.perf_counter() - t:.1f} s")
    if args.acled_csv:
        t = time.perf_counter()
        write_acled_csv(args.acled_csv, args.acled_rows, seed=args.seed + 4)
        print(f"ACLED CSV {args.acled_csv}: {args.acled_rows:,} rows in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
