"""Boundaries (admin-1/admin-2 polygons) and routes (lines) from any file GDAL reads.

Reading and checking happen here, before the store is opened: a bad file raises InputError
naming the file, the feature (1-based, in file order) and the field, and nothing is written.
The write functions take an open transaction (ingest.store.transaction).

Admin polygons are not bundled (no usable licence, see docs/boundaries.md), so users import
the files they hold: GADM (GeoJSON, TopoJSON, shapefile), OCHA COD-AB (often zipped shapefiles
in a projected CRS), geoBoundaries, Natural Earth, or OSM extracts without attributes.
"""
from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.errors import GEOSException
from shapely.geometry import MultiLineString, MultiPolygon

from atlas.errors import InputError
from atlas.taxonomy import crime_type_codes

# Files a folder import picks up (GDAL reads more; these are the ones boundary data comes in).
GDAL_SUFFIXES = (".geojson", ".json", ".topojson", ".shp", ".gpkg", ".zip", ".fgb", ".kml", ".gml")
CONFIDENCE_LEVELS = ("high", "medium", "low")
LEVELS = (1, 2)
# An event is placed in an admin unit only if it is located at least that precisely: a point
# standing for a whole province (geo_precision 3) says nothing about the district it falls in,
# and a country-level point (4) sits at a centroid that says nothing about any province.
MAX_GEO_PRECISION_FOR_LEVEL = {1: 3, 2: 2}
ASSIGN_CHUNK_ROWS = 200_000
_LONLAT_TOLERANCE = 1e-6
_ISO3 = re.compile(r"[A-Z]{3}")
_SET_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass
class ReadReport:
    """What happened to one file's features on the way in; printed as the import summary."""
    file: str
    layer: str | None = None
    features_read: int = 0
    repaired: list[int] = field(default_factory=list)           # feature numbers made valid
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (feature number, why)
    names_fixed: int = 0                                         # mojibake names decoded
    notes: list[str] = field(default_factory=list)               # CRS assumed / reprojected ...


@dataclass
class BoundaryImport:
    units: gpd.GeoDataFrame  # boundary_set, level, unit_code, name, country_iso3, parent_code, source, geometry
    reports: list[ReadReport]
    boundary_set: str
    level: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class RouteImport:
    routes: gpd.GeoDataFrame  # route_id, name, commodity, crime_type, source_citation, confidence, source, geometry
    reports: list[ReadReport]
    source: str


# ---------------------------------------------------------------------------------------------
# Text


def _single_bytes(text: str) -> bytes | None:
    """The bytes a Latin-1/cp1252 reader turned into ``text``, or None if it could not have."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 256:
            out.append(code)
            continue
        try:
            out += ch.encode("cp1252")  # e.g. 'Ÿ' (0x9F) inside 'AÅŸgabat'
        except UnicodeEncodeError:
            return None
    return bytes(out)


def fix_mojibake(text):
    """Undo UTF-8 that was decoded as Latin-1/cp1252 ('SÃ©gou' -> 'Ségou').

    Only when it is clearly mojibake: the text must be non-ASCII and its single-byte form must
    decode as UTF-8, which a genuine accented name ('Ségou' -> b'S\\xe9gou') never does.
    """
    if not isinstance(text, str) or text.isascii():
        return text
    for _ in range(3):  # some files were double-encoded twice
        raw = _single_bytes(text)
        if raw is None or raw.isascii():
            return text
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            return text
        if fixed == text:
            return text
        text = fixed
    return text


def _text(value) -> str | None:
    """A field value as stripped text; None for null, NaN and empty strings."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)  # codes stored as 1.0 in a DBF read as '1', not '1.0'
    text = str(value).strip()
    return text or None


def name_from_filename(path: Path) -> str:
    """'tana-river.json' -> 'Tana River' (the OSM Kenya files carry the name only in the file name)."""
    return re.sub(r"[-_\s]+", " ", path.stem).strip().title()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "boundaries"


# ---------------------------------------------------------------------------------------------
# Opening files


def _label(path: Path, layer: str | None = None) -> str:
    return f"{path} (layer {layer})" if layer else str(path)


def _zip_dataset(path: Path) -> str:
    """The GDAL path of a zip: its root, or the one folder inside holding the data files."""
    root = f"/vsizip/{path.resolve()}"
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if Path(m).suffix.lower() in GDAL_SUFFIXES
                       and not m.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive ({exc}).", file=str(path)) from exc
    if not members:
        raise InputError("the zip holds no GeoJSON, TopoJSON, shapefile or GeoPackage "
                         f"(suffixes {', '.join(GDAL_SUFFIXES)}).", file=str(path))
    folders = {str(Path(m).parent) for m in members}
    if folders == {"."}:
        return root
    if len(folders) == 1:
        return f"{root}/{folders.pop()}"
    return root


def dataset_path(path: Path) -> str:
    """What to hand GDAL: zips are read in place through /vsizip/ (no extraction to disk)."""
    return _zip_dataset(path) if path.suffix.lower() == ".zip" else str(path)


def choose_layer(path: Path, layer: str | None) -> tuple[str, str | None]:
    """(GDAL path, layer name) for ``path``; errors list the layers when the choice is unclear."""
    if not path.exists():
        raise InputError("no such file or folder.", file=str(path))
    if path.is_file() and path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes).", file=str(path))
    src = dataset_path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [str(name) for name, _geom in pyogrio.list_layers(src)]
    except (DataSourceError, DataLayerError) as exc:
        raise InputError(f"GDAL cannot read this file: {exc}. Nexus Atlas reads GeoJSON, TopoJSON, "
                         f"Shapefile (.shp with its .shx/.dbf/.prj, or zipped), GeoPackage and the "
                         f"other formats GDAL knows.", file=str(path)) from exc
    if not layers:
        raise InputError("the file holds no layers.", file=str(path))
    if layer is not None:
        if layer not in layers:
            raise InputError(f"no layer '{layer}'. Layers in this file: {', '.join(layers)}.", file=str(path))
        return src, layer
    if len(layers) > 1:
        raise InputError(f"the file holds {len(layers)} layers; pick one with --layer. "
                         f"Layers: {', '.join(layers)}.", file=str(path))
    return src, layers[0]


def _unbuildable_feature(src: str, layer: str | None, encoding: str | None, label: str) -> InputError:
    """Find the feature whose geometry GDAL read but GEOS cannot build (unclosed ring, too few points)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _meta, _fids, wkb, _fields = pyogrio.raw.read(src, layer=layer, encoding=encoding, columns=[])
    for i, blob in enumerate(wkb):
        if blob is None:
            continue
        try:
            shapely.from_wkb(blob)
        except GEOSException as exc:
            reason = str(exc).split(": ", 1)[-1]
            return InputError(f"feature {i + 1} has a geometry that cannot be built ({reason}). A polygon "
                              f"ring needs at least 4 points and must end where it starts; fix or remove "
                              f"this feature.", file=label, row=i + 1, column="geometry")
    return InputError("a geometry in this file cannot be built; open it in QGIS and run "
                      "'Check validity'.", file=label, column="geometry")


def read_layer(path: Path, *, layer: str | None = None, encoding: str | None = None,
               crs: str | None = None) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """One layer as a GeoDataFrame in EPSG:4326 with a 'feature' column (1-based, file order)."""
    src, layer = choose_layer(path, layer)
    report = ReadReport(file=str(path), layer=layer)
    label = _label(path, layer if path.suffix.lower() == ".zip" else None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's "Non closed ring detected" etc.: checked below
            frame = gpd.read_file(src, layer=layer, encoding=encoding, engine="pyogrio")
    except GEOSException:
        raise _unbuildable_feature(src, layer, encoding, label) from None
    except (DataSourceError, DataLayerError) as exc:
        raise InputError(f"GDAL cannot read this layer: {exc}.", file=label) from exc
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"cannot decode the attribute text ({exc}); pass the file's encoding with "
                         f"--encoding (e.g. --encoding cp1252).", file=label) from exc
    report.features_read = len(frame)
    if frame.empty:
        raise InputError("the file holds no features.", file=label)
    frame = frame.reset_index(drop=True)
    frame["feature"] = np.arange(1, len(frame) + 1)
    frame = _to_wgs84(frame, label, crs, report)
    frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
    return frame, report


def _first_outside_lonlat(frame: gpd.GeoDataFrame) -> int | None:
    bounds = frame.geometry.bounds
    tol = _LONLAT_TOLERANCE
    bad = ((bounds["minx"] < -180 - tol) | (bounds["maxx"] > 180 + tol)
           | (bounds["miny"] < -90 - tol) | (bounds["maxy"] > 90 + tol)
           | ~np.isfinite(bounds.to_numpy()).all(axis=1) & frame.geometry.notna().to_numpy()
           & ~frame.geometry.is_empty.to_numpy())
    positions = np.flatnonzero(bad.to_numpy())
    return int(positions[0]) if len(positions) else None


def _to_wgs84(frame: gpd.GeoDataFrame, label: str, crs: str | None, report: ReadReport) -> gpd.GeoDataFrame:
    if crs:
        try:
            frame = frame.set_crs(pyproj.CRS.from_user_input(crs), allow_override=True)
        except pyproj.exceptions.CRSError as exc:
            raise InputError(f"--crs {crs} is not a CRS PROJ knows ({exc}); use e.g. --crs EPSG:4326 "
                             f"or --crs ESRI:102022.", file=label) from exc
    if frame.crs is None:
        pos = _first_outside_lonlat(frame)
        if pos is not None:
            minx, miny, _, _ = frame.geometry.iloc[pos].bounds
            raise InputError(
                f"feature {pos + 1} has coordinates like ({minx:.0f}, {miny:.0f}), which are not longitude/"
                f"latitude, and the file does not say its CRS (for a shapefile: the .prj file is missing). "
                f"Pass the CRS the data was made in with --crs, e.g. --crs EPSG:32631 (UTM 31N) or "
                f"--crs ESRI:102022 (Africa Albers).", file=label, row=pos + 1, column="geometry")
        report.notes.append("no CRS in the file; coordinates are longitude/latitude, EPSG:4326 assumed")
        return frame.set_crs("EPSG:4326")
    if frame.crs.to_epsg() != 4326:
        report.notes.append(f"reprojected from {frame.crs.name} to EPSG:4326")
        try:
            frame = frame.to_crs("EPSG:4326")
        except pyproj.exceptions.ProjError as exc:
            raise InputError(f"cannot reproject from {frame.crs.name} to EPSG:4326 ({exc}).",
                             file=label) from exc
    pos = _first_outside_lonlat(frame)
    if pos is not None:
        raise InputError(f"feature {pos + 1} lies outside longitude -180..180 / latitude -90..90 after "
                         f"reading it as {frame.crs.name}: the file's CRS is probably wrong; pass the right "
                         f"one with --crs.", file=label, row=pos + 1, column="geometry")
    return frame


def resolve_field(frame: gpd.GeoDataFrame, wanted: str, *, label: str, option: str) -> str:
    """The column called ``wanted`` (exact, else the one case-insensitive match)."""
    fields = [c for c in frame.columns if c not in ("geometry", "feature")]
    if wanted in fields:
        return wanted
    folded = [c for c in fields if c.lower() == wanted.lower()]
    if len(folded) == 1:
        return folded[0]
    listing = ", ".join(fields) if fields else "none (the features carry no properties; " \
                                               "see --name-from-filename)"
    raise InputError(f"no field '{wanted}' ({option}). Available fields: {listing}.",
                     file=label, column=wanted)


def source_files(path: Path) -> list[Path]:
    """A file, or the data files of a folder (sorted, so feature order is stable)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in GDAL_SUFFIXES)
        if not files:
            raise InputError(f"the folder holds no files GDAL reads (suffixes {', '.join(GDAL_SUFFIXES)}).",
                             file=str(path))
        return files
    return [path]


# ---------------------------------------------------------------------------------------------
# Geometry


def _polygon_parts(geom) -> list:
    if geom is None or geom.is_empty:
        return []
    kind = geom.geom_type
    if kind == "Polygon":
        return [geom]
    if kind in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in _polygon_parts(g)]
    return []


def polygonal(geom):
    """The polygonal part of ``geom`` as a Polygon or MultiPolygon; None when there is none."""
    parts = _polygon_parts(geom)
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if geom.geom_type == "MultiPolygon":
        return geom
    return MultiPolygon(parts)


def clean_polygons(frame: gpd.GeoDataFrame, report: ReadReport) -> gpd.GeoDataFrame:
    """Keep polygonal parts, repair invalid ones (make_valid), drop features left with nothing."""
    keep, geoms = [], []
    for feature, geom in zip(frame["feature"], frame.geometry):
        kind = None if geom is None else geom.geom_type
        poly = polygonal(geom)
        if poly is None:
            why = "no geometry" if geom is None or geom.is_empty else f"a {kind}, not a polygon"
            report.dropped.append((int(feature), why))
            keep.append(False)
            geoms.append(None)
            continue
        if not poly.is_valid:
            poly = polygonal(shapely.make_valid(poly, method="structure", keep_collapsed=False))
            if poly is None or poly.is_empty:
                report.dropped.append((int(feature), "nothing polygonal left after repair"))
                keep.append(False)
                geoms.append(None)
                continue
            report.repaired.append(int(feature))
        keep.append(True)
        geoms.append(poly)
    out = frame.copy()
    out = out.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return out.loc[keep]


def _line_parts(geom) -> list:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type in ("MultiLineString", "GeometryCollection"):
        return [p for g in geom.geoms for p in _line_parts(g)]
    return []


# ---------------------------------------------------------------------------------------------
# Boundaries


def _check_country(value: str | None, *, label: str, feature: int | None, column: str | None) -> str:
    code = (value or "").strip().upper()
    if not _ISO3.fullmatch(code):
        where = f"feature {feature} has country '{value}'" if feature else f"'{value}' is"
        raise InputError(f"{where}, which is not an ISO 3166 alpha-3 code (e.g. MLI). Pass --country ISO3 "
                         f"for a one-country file, or a --country-field holding ISO3 codes.",
                         file=label, row=feature, column=column)
    return code


def _read_boundary_file(path: Path, *, level: int, name_field: str | None, code_field: str | None,
                        country_field: str | None, country: str | None, parent_field: str | None,
                        layer: str | None, encoding: str | None, crs: str | None,
                        names_from_filename: bool) -> tuple[pd.DataFrame, ReadReport]:
    frame, report = read_layer(path, layer=layer, encoding=encoding, crs=crs)
    label = _label(path, report.layer if path.suffix.lower() == ".zip" else None)
    fields = {}
    if not names_from_filename:
        fields["name"] = resolve_field(frame, name_field, label=label, option="--name-field")
        fields["code"] = resolve_field(frame, code_field, label=label, option="--code-field")
    if country_field:
        fields["country"] = resolve_field(frame, country_field, label=label, option="--country-field")
    if parent_field:
        fields["parent"] = resolve_field(frame, parent_field, label=label, option="--parent-field")

    frame = clean_polygons(frame, report)
    if frame.empty:
        raise InputError(f"none of the {report.features_read} features has a polygon geometry "
                         f"({report.dropped[0][1]} for feature {report.dropped[0][0]}). Boundaries must be "
                         f"polygons; lines go to import-routes.", file=label, column="geometry")

    if names_from_filename:
        # One file is one unit: its features (normally one GeometryCollection) are merged.
        geom = polygonal(shapely.union_all(frame.geometry.values))
        rows = pd.DataFrame({"feature": [int(frame["feature"].iloc[0])], "name": [name_from_filename(path)],
                             "code": [path.stem.lower()], "geometry": [geom]})
        if "country" in fields:
            rows["country"] = frame[fields["country"]].iloc[0]
        if "parent" in fields:
            rows["parent"] = frame[fields["parent"]].iloc[0]
    else:
        rows = pd.DataFrame({"feature": frame["feature"].to_numpy(), "geometry": frame.geometry.to_numpy()})
        for key, column in fields.items():
            rows[key] = frame[column].to_numpy()

    out = pd.DataFrame({"file": label, "feature": rows["feature"].astype(int).to_numpy()})
    names = [_text(v) for v in rows["name"]]
    for feature, value in zip(out["feature"], names):
        if value is None:
            raise InputError(f"feature {feature} has no name. Fill it in or choose another --name-field.",
                             file=label, row=int(feature), column=fields.get("name"))
    fixed = [fix_mojibake(v) for v in names]
    report.names_fixed = sum(a != b for a, b in zip(names, fixed))
    out["name"] = fixed
    codes = [_text(v) for v in rows["code"]]
    for feature, value in zip(out["feature"], codes):
        if value is None:
            raise InputError(f"feature {feature} has no code. Fill it in or choose another --code-field.",
                             file=label, row=int(feature), column=fields.get("code"))
    out["unit_code"] = codes
    if "country" in fields:
        out["country_iso3"] = [_check_country(_text(v), label=label, feature=int(f), column=fields["country"])
                               for f, v in zip(out["feature"], rows["country"])]
    else:
        out["country_iso3"] = country
    out["parent_code"] = [_text(v) for v in rows["parent"]] if "parent" in fields else None
    out["level"] = level
    out["geometry"] = rows["geometry"].to_numpy()
    return out, report


def read_boundaries(path: Path | str, *, level: int, name_field: str | None = None,
                    code_field: str | None = None, country_field: str | None = None,
                    country: str | None = None, parent_field: str | None = None, layer: str | None = None,
                    encoding: str | None = None, crs: str | None = None, names_from_filename: bool = False,
                    boundary_set: str | None = None, source: str | None = None) -> BoundaryImport:
    """Read and check a boundary file (or a folder of them) without touching the store."""
    path = Path(path)
    if level not in LEVELS:
        raise InputError(f"--level must be 1 (admin-1) or 2 (admin-2), not {level}.", file=str(path))
    if names_from_filename:
        if name_field or code_field:
            raise InputError("--name-from-filename takes the name and the code from each file's name; "
                             "leave out --name-field and --code-field.", file=str(path))
    elif not (name_field and code_field):
        raise InputError("pass --name-field and --code-field (the fields holding each unit's name and its "
                         "unique code), or --name-from-filename for files without attributes.", file=str(path))
    if country and country_field:
        raise InputError("pass either --country or --country-field, not both.", file=str(path))
    if country:
        country = _check_country(country, label=str(path), feature=None, column=None)
    boundary_set = boundary_set or slug(path.stem if path.is_file() else path.name)
    if not _SET_NAME.fullmatch(boundary_set):
        raise InputError(f"boundary set name '{boundary_set}' must be lower-case letters, digits and _.",
                         file=str(path))

    frames, reports = [], []
    for file in source_files(path):
        frame, report = _read_boundary_file(
            file, level=level, name_field=name_field, code_field=code_field, country_field=country_field,
            country=country, parent_field=parent_field, layer=layer, encoding=encoding, crs=crs,
            names_from_filename=names_from_filename)
        frames.append(frame)
        reports.append(report)
    units = pd.concat(frames, ignore_index=True)

    dup = units[units["unit_code"].duplicated(keep=False)]
    if not dup.empty:
        code = dup["unit_code"].iloc[0]
        first, second = dup[dup["unit_code"] == code].iloc[0], dup[dup["unit_code"] == code].iloc[1]
        first_where = f"feature {first['feature']}" + ("" if first["file"] == second["file"] else f" of {first['file']}")
        raise InputError(f"feature {second['feature']} has code '{code}', which {first_where} already has. "
                         f"Codes must be unique: choose a --code-field that is (e.g. a P-code or GID).",
                         file=second["file"], row=int(second["feature"]),
                         column=code_field or "file name")

    notes = []
    named = units["name"].value_counts()
    repeated = sorted(named[named > 1].index)
    if repeated:
        notes.append(f"{len(repeated)} names appear more than once ({', '.join(repeated[:5])}"
                     f"{', ...' if len(repeated) > 5 else ''}); units are told apart by code.")
    units["boundary_set"] = boundary_set
    units["source"] = source or boundary_set
    gdf = gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326")
    return BoundaryImport(units=gdf, reports=reports, boundary_set=boundary_set, level=level, warnings=notes)


def write_boundaries(con: duckdb.DuckDBPyConnection, imported: BoundaryImport) -> int:
    """Replace the boundary set in the store (inside the caller's transaction)."""
    units = imported.units
    frame = pd.DataFrame({
        "boundary_set": units["boundary_set"].astype(str), "level": units["level"].astype("int8"),
        "unit_code": units["unit_code"].astype(str), "name": units["name"].astype(str),
        "country_iso3": units["country_iso3"].astype(object), "parent_code": units["parent_code"].astype(object),
        "source": units["source"].astype(str),
        "geometry_wkb": list(shapely.to_wkb(units.geometry.values)),
    })
    con.execute("delete from event_units where boundary_set = ?", [imported.boundary_set])
    con.execute("delete from boundaries where boundary_set = ?", [imported.boundary_set])
    con.register("incoming_boundaries", frame)
    try:
        con.execute("insert into boundaries (boundary_set, level, unit_code, name, country_iso3, parent_code, "
                    "source, geometry_wkb) select boundary_set, level, unit_code, name, country_iso3, "
                    "parent_code, source, geometry_wkb from incoming_boundaries")
    finally:
        con.unregister("incoming_boundaries")
    return len(frame)


# ---------------------------------------------------------------------------------------------
# Events -> units


def _units_of(con: duckdb.DuckDBPyConnection, boundary_set: str) -> gpd.GeoDataFrame:
    rows = con.execute("select unit_code, geometry_wkb from boundaries where boundary_set = ? "
                       "order by unit_code", [boundary_set]).df()
    geoms = shapely.from_wkb(rows["geometry_wkb"].map(bytes).to_numpy()) if len(rows) else []
    return gpd.GeoDataFrame({"unit_code": rows["unit_code"]}, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))


def assign_events_to_units(con: duckdb.DuckDBPyConnection, boundary_set: str | None = None, *,
                           chunk_rows: int = ASSIGN_CHUNK_ROWS) -> dict[str, int]:
    """Recompute event_units for one boundary set (or every admin-1/admin-2 set).

    Call it after importing events or boundaries, inside the same transaction. Events are read
    in chunks ordered by event_id (keyset paging, which also sees rows not yet committed), so
    memory stays flat for millions of events. A point on a border shared by two units goes to
    the unit with the smaller code, so every event is in at most one unit of a set.
    Returns {boundary_set: events assigned}.
    """
    if boundary_set is None:
        sets = con.execute("select boundary_set, max(level) from boundaries where level >= 1 "
                           "group by boundary_set order by boundary_set").fetchall()
    else:
        sets = con.execute("select boundary_set, max(level) from boundaries where boundary_set = ? "
                           "group by boundary_set", [boundary_set]).fetchall()
    assigned = {}
    for name, level in sets:
        con.execute("delete from event_units where boundary_set = ?", [name])
        units = _units_of(con, name)
        max_precision = MAX_GEO_PRECISION_FOR_LEVEL.get(int(level), 4)
        total, last_id = 0, ""  # event ids are never empty, so '' sorts before all of them
        while True:
            chunk = con.execute(
                "select event_id, lon, lat from events where geo_precision <= $precision "
                "and event_id > $last order by event_id limit $limit",
                {"precision": max_precision, "last": last_id, "limit": chunk_rows}).df()
            if chunk.empty:
                break
            last_id = chunk["event_id"].iloc[-1]
            points = gpd.GeoDataFrame({"event_id": chunk["event_id"]},
                                      geometry=shapely.points(chunk["lon"].to_numpy(), chunk["lat"].to_numpy()),
                                      crs="EPSG:4326")
            # intersects rather than within: a point on a border still belongs to a unit.
            joined = gpd.sjoin(points, units, how="inner", predicate="intersects")
            joined = joined.sort_values(["event_id", "unit_code"]).drop_duplicates("event_id")
            if not joined.empty:
                rows = pd.DataFrame({"event_id": joined["event_id"].astype(str), "boundary_set": name,
                                     "unit_code": joined["unit_code"].astype(str)})
                con.register("assigned_chunk", rows)
                try:
                    con.execute("insert into event_units select event_id, boundary_set, unit_code from assigned_chunk")
                finally:
                    con.unregister("assigned_chunk")
            total += len(joined)
            if len(chunk) < chunk_rows:
                break
        assigned[name] = total
    return assigned


def units_with_events(con: duckdb.DuckDBPyConnection, boundary_set: str) -> tuple[int, int]:
    """(units holding at least one event, units in the set)."""
    return con.execute(
        "select count(distinct eu.unit_code), (select count(*) from boundaries where boundary_set = $s) "
        "from event_units eu where eu.boundary_set = $s", {"s": boundary_set}).fetchone()


# ---------------------------------------------------------------------------------------------
# Routes


def read_routes(path: Path | str, *, name_field: str, citation: str, commodity_field: str | None = None,
                commodity: str | None = None, crime_type: str | None = None,
                crime_type_field: str | None = None, confidence: str | None = None,
                confidence_field: str | None = None, id_field: str | None = None, layer: str | None = None,
                encoding: str | None = None, crs: str | None = None, source: str | None = None) -> RouteImport:
    """Read and check a file of trafficking routes (LineString / MultiLineString)."""
    path = Path(path)
    label = str(path)
    if (commodity is None) == (commodity_field is None):
        raise InputError("pass exactly one of --commodity TEXT or --commodity-field F.", file=label)
    if (crime_type is None) == (crime_type_field is None):
        raise InputError("pass exactly one of --crime-type CODE or --crime-type-field F.", file=label)
    if (confidence is None) == (confidence_field is None):
        raise InputError("pass exactly one of --confidence high|medium|low or --confidence-field F.", file=label)
    if not (citation or "").strip():
        raise InputError("--citation must say where the route comes from (report, page, year).", file=label)
    codes = crime_type_codes()
    if crime_type is not None and crime_type not in codes:
        raise InputError(f"--crime-type '{crime_type}' is not a taxonomy code. Codes: {', '.join(codes)}.",
                         file=label)
    if confidence is not None and confidence not in CONFIDENCE_LEVELS:
        raise InputError(f"--confidence must be one of {', '.join(CONFIDENCE_LEVELS)}.", file=label)
    source = source or slug(path.stem)

    frame, report = read_layer(path, layer=layer, encoding=encoding, crs=crs)
    label = _label(path, report.layer if path.suffix.lower() == ".zip" else None)
    cols = {"name": resolve_field(frame, name_field, label=label, option="--name-field")}
    for key, option, value in (("commodity", "--commodity-field", commodity_field),
                               ("crime_type", "--crime-type-field", crime_type_field),
                               ("confidence", "--confidence-field", confidence_field),
                               ("id", "--id-field", id_field)):
        if value:
            cols[key] = resolve_field(frame, value, label=label, option=option)

    rows = []
    for i in range(len(frame)):
        feature = int(frame["feature"].iloc[i])
        geom = frame.geometry.iloc[i]
        parts = _line_parts(geom)
        if not parts:
            if geom is None or geom.is_empty:
                report.dropped.append((feature, "no geometry"))
                continue
            raise InputError(f"feature {feature} is a {geom.geom_type}; a route must be a LineString or "
                             f"MultiLineString (areas go to import-boundaries).",
                             file=label, row=feature, column="geometry")

        def value(key, constant):
            if key not in cols:
                return constant
            text = fix_mojibake(_text(frame[cols[key]].iloc[i]))
            if text is None:
                raise InputError(f"feature {feature} has no {key.replace('_', ' ')}.",
                                 file=label, row=feature, column=cols[key])
            return text

        name = value("name", None)
        crime = value("crime_type", crime_type)
        if crime not in codes:
            raise InputError(f"feature {feature} has crime type '{crime}', not a taxonomy code. "
                             f"Codes: {', '.join(codes)}.", file=label, row=feature, column=cols["crime_type"])
        conf = value("confidence", confidence).lower()
        if conf not in CONFIDENCE_LEVELS:
            raise InputError(f"feature {feature} has confidence '{conf}'; use one of "
                             f"{', '.join(CONFIDENCE_LEVELS)}.", file=label, row=feature, column=cols["confidence"])
        ident = value("id", str(feature))
        rows.append({"feature": feature, "route_id": f"{source}:{ident}", "name": name,
                     "commodity": value("commodity", commodity), "crime_type": crime,
                     "source_citation": citation.strip(), "confidence": conf, "source": source,
                     "geometry": parts[0] if len(parts) == 1 else MultiLineString(parts)})
    if not rows:
        raise InputError(f"none of the {report.features_read} features has a line geometry.", file=label)
    routes = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    dup = routes[routes["route_id"].duplicated(keep=False)]
    if not dup.empty:
        first, second = dup.iloc[0], dup[dup["route_id"] == dup["route_id"].iloc[0]].iloc[1]
        raise InputError(f"feature {second['feature']} has id '{second['route_id']}', which feature "
                         f"{first['feature']} already has; ids must be unique.",
                         file=label, row=int(second["feature"]), column=cols.get("id"))
    return RouteImport(routes=routes, reports=[report], source=source)


def write_routes(con: duckdb.DuckDBPyConnection, imported: RouteImport) -> int:
    """Replace the routes of this source (inside the caller's transaction)."""
    routes = imported.routes
    frame = pd.DataFrame({c: routes[c].astype(str) for c in
                          ("route_id", "name", "commodity", "crime_type", "source_citation", "confidence", "source")})
    frame["geometry_wkb"] = list(shapely.to_wkb(routes.geometry.values))
    con.execute("delete from routes where source = ?", [imported.source])
    con.register("incoming_routes", frame)
    try:
        con.execute("insert into routes (route_id, name, commodity, crime_type, source_citation, confidence, "
                    "source, geometry_wkb) select route_id, name, commodity, crime_type, source_citation, "
                    "confidence, source, geometry_wkb from incoming_routes")
    finally:
        con.unregister("incoming_routes")
    return len(frame)
