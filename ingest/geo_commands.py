"""`nexus-atlas import-boundaries` and `nexus-atlas import-routes`.

Both read and check the whole file first (ingest.geodata), then open the store once, inside one
transaction: a bad file leaves the store byte-for-byte as it was.
"""
from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

LICENCE_NOT_STATED = "not stated; check the provider's terms before sharing maps"


def register(sub) -> None:
    b = sub.add_parser(
        "import-boundaries", help="import admin-1/admin-2 polygons and assign events to them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_para("Import admin-1 or admin-2 polygons from any file GDAL reads (GeoJSON, TopoJSON, "
                    "Shapefile, zipped Shapefile, GeoPackage, ...) or from a folder of such files, into "
                    "the store's boundaries table as one named boundary set; then place every event in "
                    "the unit that contains it (table event_units). Re-importing a set replaces it."),
        epilog="Examples:\n"
               "  nexus-atlas import-boundaries gadm36_MLI_1.json --level 1 --name-field NAME_1 \\\n"
               "      --code-field GID_1 --country-field GID_0 --licence 'GADM, non-commercial'\n"
               "  nexus-atlas import-boundaries tcd_admbnd_20250203_ab.zip --layer tcd_admbnda_adm1_20250212_AB \\\n"
               "      --level 1 --name-field ADM1_FR --code-field ADM1_PCODE --country TCD\n"
               "  nexus-atlas import-boundaries kenya/geojson --level 1 --name-from-filename --country KEN\n"
               "Details: docs/boundaries.md")
    b.add_argument("file", type=Path, metavar="FILE", help="boundary file, zip, or folder of files")
    b.add_argument("--level", type=int, choices=(1, 2), required=True, help="1 = admin-1 (provinces), 2 = admin-2")
    b.add_argument("--name-field", metavar="F", help="field holding the unit's name")
    b.add_argument("--code-field", metavar="F", help="field holding the unit's unique code (P-code, GID, ...)")
    b.add_argument("--name-from-filename", action="store_true",
                   help="files without attributes: each file is one unit, named and coded after the file")
    country = b.add_mutually_exclusive_group()
    country.add_argument("--country-field", metavar="F", help="field holding each unit's ISO3 country code")
    country.add_argument("--country", metavar="ISO3", help="ISO3 code of the country every unit is in")
    b.add_argument("--parent-field", metavar="F", help="field holding the code of the unit one level up")
    b.add_argument("--boundary-set", metavar="NAME",
                   help="name of the set (lower-case, digits, _); default: from the file name")
    _add_reading_options(b)
    _add_source_options(b, "boundary set name")
    b.set_defaults(handler=import_boundaries)

    r = sub.add_parser(
        "import-routes", help="import trafficking routes (lines) with their citation",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_para("Import trafficking routes (LineString / MultiLineString) from any file GDAL reads "
                    "into the store's routes table. Each route carries a commodity, a crime-type code "
                    "(data/taxonomy.csv), a citation and a confidence. Re-importing the same source "
                    "replaces its routes."),
        epilog="Example:\n"
               "  nexus-atlas import-routes northern_route.geojson --name-field name --commodity opiates \\\n"
               "      --crime-type heroin_trade --confidence medium \\\n"
               "      --citation 'UNODC, Afghan Opiate Trafficking along the Northern Route (2018)'\n"
               "Details: docs/boundaries.md")
    r.add_argument("file", type=Path, metavar="FILE", help="file of lines (GeoJSON, Shapefile, zip, GeoPackage, ...)")
    r.add_argument("--name-field", metavar="F", required=True, help="field holding the route's name")
    commodity = r.add_mutually_exclusive_group(required=True)
    commodity.add_argument("--commodity-field", metavar="F", help="field holding the commodity, in plain words")
    commodity.add_argument("--commodity", metavar="TEXT", help="commodity of every route, e.g. 'opiates'")
    crime = r.add_mutually_exclusive_group(required=True)
    crime.add_argument("--crime-type", metavar="CODE", help="taxonomy code of every route, e.g. heroin_trade")
    crime.add_argument("--crime-type-field", metavar="F", help="field holding a taxonomy code per route")
    conf = r.add_mutually_exclusive_group(required=True)
    conf.add_argument("--confidence", choices=("high", "medium", "low"), help="confidence of every route")
    conf.add_argument("--confidence-field", metavar="F", help="field holding high/medium/low per route")
    r.add_argument("--citation", metavar="TEXT", required=True,
                   help="where the routes come from (report, year, page): shown with the route")
    r.add_argument("--id-field", metavar="F", help="field with a stable id per route (default: feature number)")
    _add_reading_options(r)
    _add_source_options(r, "file name")
    r.set_defaults(handler=import_routes)


def _para(text: str) -> str:
    return textwrap.fill(text, 88)


def _add_reading_options(p) -> None:
    p.add_argument("--layer", metavar="LAYER", help="layer to read when the file holds several (zip, GeoPackage)")
    p.add_argument("--encoding", metavar="ENC", help="attribute text encoding when the file does not say (e.g. cp1252)")
    p.add_argument("--crs", metavar="CRS", help="CRS of the coordinates when the file does not say "
                                                "(e.g. EPSG:32631); data is reprojected to EPSG:4326")
    p.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")


def _add_source_options(p, default_id: str) -> None:
    p.add_argument("--source-id", metavar="ID", help=f"key of the source in the store (default: {default_id})")
    p.add_argument("--title", help="title of the dataset (default: the file name)")
    p.add_argument("--citation-text", dest="source_citation", metavar="TEXT",
                   help="citation of the dataset (default: the title)")
    p.add_argument("--licence", help="licence of the data (default: 'not stated')")
    p.add_argument("--attribution", help="text the map shows when the layer is on (default: the title)")
    p.add_argument("--url", help="where the data was obtained")


def _store_path(args) -> Path:
    from atlas.settings import load_settings
    settings = load_settings(**({"store_path": args.store} if args.store else {}))
    if not Path(settings.store_path).exists():
        from ingest.build import ensure_store  # a first import builds the store as `serve` would
        ensure_store(settings)
    return Path(settings.store_path)


def _record_source(con, args, source_id: str) -> None:
    from ingest.store import upsert_source
    title = args.title or args.file.name
    citation = args.source_citation or getattr(args, "citation", None) or title
    upsert_source(con, source_id=source_id, title=title, citation=citation,
                  licence=args.licence or LICENCE_NOT_STATED, attribution=args.attribution or title, url=args.url)


def _features(items: list[tuple[int, str]] | list[int], label: str, multi: bool) -> str:
    shown = [f"feature {i[0]} ({i[1]})" if isinstance(i, tuple) else f"feature {i}" for i in items[:5]]
    more = f", +{len(items) - 5} more" if len(items) > 5 else ""
    return f"{', '.join(shown)}{more}" + (f" of {label}" if multi else "")


def summary_lines(reports, *, imported: int, what: str) -> list[str]:
    """The import summary: features read, imported, repaired, dropped, per file where it matters."""
    read = sum(r.features_read for r in reports)
    repaired = sum(len(r.repaired) for r in reports)
    dropped = sum(len(r.dropped) for r in reports)
    fixed = sum(r.names_fixed for r in reports)
    files = f" from {len(reports)} files" if len(reports) > 1 else ""
    lines = [f"features read: {read}{files}", f"{what} imported: {imported}",
             f"repaired (invalid geometry made valid): {repaired}", f"dropped (no usable geometry): {dropped}"]
    if fixed:
        lines.append(f"names with mis-decoded accents fixed: {fixed}")
    multi = len(reports) > 1
    for r in reports:
        if r.repaired:
            lines.append(f"  warning: repaired {_features(r.repaired, r.file, multi)}")
        if r.dropped:
            lines.append(f"  warning: dropped {_features(r.dropped, r.file, multi)}")
    notes = sorted({n for r in reports for n in r.notes})
    lines += [f"  note: {n}" for n in notes]
    return lines


def import_boundaries(args) -> int:
    from ingest.geodata import assign_events_to_units, read_boundaries, units_with_events, write_boundaries
    from ingest.store import transaction
    imported = read_boundaries(
        args.file, level=args.level, name_field=args.name_field, code_field=args.code_field,
        country_field=args.country_field, country=args.country, parent_field=args.parent_field,
        layer=args.layer, encoding=args.encoding, crs=args.crs, names_from_filename=args.name_from_filename,
        boundary_set=args.boundary_set, source=args.source_id)
    store = _store_path(args)
    with transaction(store) as con:
        _record_source(con, args, imported.units["source"].iloc[0])
        count = write_boundaries(con, imported)
        assigned = assign_events_to_units(con, imported.boundary_set)[imported.boundary_set]
        with_events, total = units_with_events(con, imported.boundary_set)
    print(f"Boundary set '{imported.boundary_set}' (admin-{imported.level}) in {store}")
    for line in summary_lines(imported.reports, imported=count, what="units"):
        print(f"  {line}")
    for note in imported.warnings:
        print(f"    note: {note}")
    print(f"  units with events: {with_events} of {total} ({assigned} events assigned)")
    return 0


def import_routes(args) -> int:
    from ingest.geodata import read_routes, write_routes
    from ingest.store import transaction
    imported = read_routes(
        args.file, name_field=args.name_field, citation=args.citation, commodity_field=args.commodity_field,
        commodity=args.commodity, crime_type=args.crime_type, crime_type_field=args.crime_type_field,
        confidence=args.confidence, confidence_field=args.confidence_field, id_field=args.id_field,
        layer=args.layer, encoding=args.encoding, crs=args.crs, source=args.source_id)
    store = _store_path(args)
    with transaction(store) as con:
        _record_source(con, args, imported.source)
        count = write_routes(con, imported)
    print(f"Routes of source '{imported.source}' in {store}")
    for line in summary_lines(imported.reports, imported=count, what="routes"):
        print(f"  {line}")
    return 0
