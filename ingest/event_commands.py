"""`nexus-atlas import-acled | import-ucdp | import-gtd | import-table | fetch-ucdp`.

Every command parses and checks all its input in memory first, writes the rejects file, and only
then opens the store, writing everything in one transaction; a failure leaves the store unchanged.
"""
from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

POLICY = ("Rows with a problem (no coordinates, latitude out of range, unreadable date ...) are skipped and "
          "listed with their reason in the rejects file; the other rows are imported. With --strict the first "
          "bad row stops the import and nothing is written. Problems with the whole file (wrong encoding, a "
          "required column missing, empty or header-only file, no importable row) always stop the import. "
          "Exit code 2 on any such error.")


def register(sub) -> None:
    acled = sub.add_parser(
        "import-acled", help="import ACLED event files (current and legacy layouts, HDX copies)",
        description="Import one or more ACLED CSV exports. Events are keyed by event_id_cnty: importing a later "
                    "export updates revised events and adds new ones, never duplicates. " + POLICY,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    acled.add_argument("files", nargs="+", type=Path, metavar="FILE", help="ACLED CSV file(s), oldest export first")
    _common(acled, encoding="utf-8-sig")
    acled.set_defaults(handler=import_acled)

    ucdp = sub.add_parser(
        "import-ucdp", help="import a UCDP GED file (CSV, or the zip UCDP distributes)",
        description="Import the UCDP Georeferenced Event Dataset from its CSV or the official CSV zip; HDX copies "
                    "(index column, #hashtag row, float ids) work too. " + POLICY)
    ucdp.add_argument("file", type=Path, metavar="FILE", help="GED .csv or .zip")
    _common(ucdp, encoding="utf-8-sig")
    ucdp.set_defaults(handler=import_ucdp)

    gtd = sub.add_parser(
        "import-gtd", help="import a Global Terrorism Database file (.xlsx or ISO-8859-1 .csv)",
        description="Import the GTD from its Excel workbook or its ISO-8859-1 CSV. Unknown days/months (0) give "
                    "month/year date precision; kidnapping and ransom fields are kept in the notes. " + POLICY)
    gtd.add_argument("file", type=Path, metavar="FILE", help="GTD .xlsx or .csv")
    _common(gtd, encoding="auto")
    gtd.set_defaults(handler=import_gtd)

    table = sub.add_parser(
        "import-table", help="import any event table (CSV, Parquet, GeoJSON points) with a column mapping",
        description="Import a table of events through a mapping from its columns to the canonical fields "
                    "(see docs/importing.md). Required: date and coordinates (lat/lon, or GeoJSON points). " + POLICY)
    table.add_argument("file", type=Path, metavar="FILE", help=".csv, .parquet or .geojson file")
    table.add_argument("--mapping", type=Path, metavar="MAPPING.json", help="JSON mapping file")
    table.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                       help="map one column to a field, e.g. --map event_date=date (repeatable; wins over --mapping)")
    table.add_argument("--source-id", help="short name of the dataset, e.g. 'osac' (event ids are '<id>:<row id>')")
    table.add_argument("--title", help="dataset title shown with its events")
    table.add_argument("--licence", help="licence or terms of use of the dataset")
    table.add_argument("--citation", help="how to cite the dataset (default: the title)")
    table.add_argument("--attribution", help="attribution text shown on the map (default: the title)")
    table.add_argument("--url", help="where the dataset comes from")
    table.add_argument("--delimiter", help="CSV separator (default: guessed from the header: , ; tab |)")
    _common(table, encoding="utf-8-sig")
    table.set_defaults(handler=import_table)

    fetch = sub.add_parser(
        "fetch-ucdp", help="download the UCDP GED CSV zip (needs the internet) and import it",
        description="Download the official UCDP GED CSV zip and import it. The only command that uses the network; "
                    "offline, download the zip elsewhere and use import-ucdp. " + POLICY)
    from ingest.fetch import DEFAULT_UCDP_URL
    fetch.add_argument("--url", default=DEFAULT_UCDP_URL, help=f"address of the zip (default: {DEFAULT_UCDP_URL})")
    fetch.add_argument("--download-dir", type=Path,
                       help="where to keep the zip (default: a 'downloads' folder next to the store)")
    _common(fetch, encoding="utf-8-sig")
    fetch.set_defaults(handler=fetch_ucdp)


def _common(p: argparse.ArgumentParser, *, encoding: str) -> None:
    p.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")
    p.add_argument("--rejects", type=Path, metavar="FILE",
                   help="where to write rejected rows (default: <input name>.rejects.csv next to the input)")
    p.add_argument("--strict", action="store_true", help="fail on the first bad row instead of skipping it")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing to the store")
    p.add_argument("--encoding", default=encoding, help=f"text encoding of the file (default: {encoding})")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")


def _settings(args):
    from atlas.settings import load_settings
    return load_settings(**({"store_path": args.store} if args.store else {}))


def _ensure_store(settings):
    """A missing store is first built from the bundled data, as `serve` would, so the imported events sit
    next to the reference layers."""
    def ensure(path: Path) -> None:
        if Path(path).exists():
            return
        from ingest.build import ensure_store
        ensure_store(settings, progress=True)
    return ensure


def _finish(args, files) -> int:
    from ingest.event_import import run_import
    settings = _settings(args)
    sources = {f.source_id: f.source for f in files}
    report = run_import(files, sources, store_path=settings.store_path, rejects_path=args.rejects,
                        strict=args.strict, dry_run=args.dry_run, ensure=_ensure_store(settings))
    print(report.summary())
    return 0


def _parsing_early(path: Path, encoding: str, delimiter: str | None = None):
    """Parse a CSV file in a worker while the libraries load (ingest.prefetch); nothing for other files."""
    from ingest import prefetch
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return prefetch.parsing(path, encoding, delimiter)
    return contextlib.nullcontext()


def import_acled(args) -> int:
    with _parsing_early(args.files[0], args.encoding):
        from ingest import acled
        return _finish(args, [acled.read(f, encoding=args.encoding, progress=args.progress) for f in args.files])


def import_ucdp(args) -> int:
    with _parsing_early(args.file, args.encoding):
        from ingest import ucdp
        return _finish(args, [ucdp.read(args.file, encoding=args.encoding, progress=args.progress)])


def import_gtd(args) -> int:
    from ingest import gtd
    return _finish(args, [gtd.read(args.file, encoding=args.encoding, progress=args.progress)])


def import_table(args) -> int:
    with _parsing_early(args.file, args.encoding, args.delimiter):
        from ingest import generic
        mapping = generic.load_mapping(args.mapping, args.map)
        source = generic.source_info(mapping, source_id=args.source_id, title=args.title, licence=args.licence,
                                     citation=args.citation, attribution=args.attribution, url=args.url)
        return _finish(args, [generic.read(args.file, mapping, source, encoding=args.encoding,
                                           delimiter=args.delimiter, progress=args.progress)])


def fetch_ucdp(args) -> int:
    from ingest import fetch, ucdp
    settings = _settings(args)
    target_dir = args.download_dir or Path(settings.store_path).parent / "downloads"
    path = fetch.download(args.url, target_dir, progress=args.progress)
    print(f"downloaded {path}")
    return _finish(args, [ucdp.read(path, encoding=args.encoding, progress=args.progress)])
