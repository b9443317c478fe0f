"""`nexus-atlas export` (one view) and `nexus-atlas export-batch` (many views, one browser)."""
from __future__ import annotations

import argparse
import itertools
import re
import sys
from datetime import date
from pathlib import Path

SIZE_HELP = "slide (1920x1080), a4-portrait, a4-landscape (both 300 dpi in PNG), or custom with --width/--height"


def _add_image_options(p) -> None:
    p.add_argument("--format", choices=("png", "svg", "pdf"),
                   help="image format (default: from --out's extension, else png)")
    p.add_argument("--size", default=None, metavar="NAME", help=f"{SIZE_HELP} (default: slide)")
    p.add_argument("--width", type=int, help="custom width in pixels (with --height; implies --size custom)")
    p.add_argument("--height", type=int, help="custom height in pixels")
    p.add_argument("--scale", type=float, help="PNG sharpness multiplier (A4 presets default to 3, about 300 dpi)")
    p.add_argument("--with-data", action="store_true",
                   help="also write the numbers behind each image as CSV and GeoJSON next to it")
    p.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")


def register(sub) -> None:
    one = sub.add_parser(
        "export", help="save one map view as a print-quality PNG, SVG or PDF",
        description="Render one view of the map, as the dashboard would show it, to an image laid out for "
                    "print: title, legend, period and filters in words, sources, scale bar, north arrow and, "
                    "for synthetic data, a watermark. The view is the query part of a dashboard link.",
        epilog="example: nexus-atlas export --url '?region=sahel&crime_types=kidnapping_for_ransom' "
               "--size a4-landscape --format pdf --out sahel-kfr.pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    one.add_argument("--url", "--query", dest="url", default="",
                     help="a dashboard link or just its query, e.g. '?region=sahel&date_from=2018-01-01' "
                          "(default: the opening view)")
    one.add_argument("--title", help="title printed on the image (default: a description of the view)")
    one.add_argument("--out", type=Path, help="file to write (default: a descriptive name in the current folder)")
    _add_image_options(one)
    one.set_defaults(handler=export_one)

    many = sub.add_parser(
        "export-batch", help="save many map views at once (a cross product, or a file of links)",
        description="Render one image per view, reusing one browser. Views are either every combination of "
                    "--regions x --crime-types x --periods, or the links listed in --urls (one per line; "
                    "blank lines and lines starting with # are skipped).",
        epilog="example: nexus-atlas export-batch --regions sahel,horn,central_asia "
               "--crime-types all,kidnapping_for_ransom+armed_attack --periods 2015-2019,2020-2024 "
               "--size a4-landscape --format png --out-dir briefing/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    many.add_argument("--regions", help="comma-separated region ids (all, sahel, horn, central_asia)")
    many.add_argument("--crime-types", help="comma-separated crime-type sets; join types of one set with '+'; "
                                            "'all' means no crime-type filter")
    many.add_argument("--periods", help="comma-separated periods: YEAR or FIRST-LAST, e.g. 2015-2019,2020-2024")
    many.add_argument("--query", default="", help="settings applied to every view, e.g. '?lang=fr&unit=priogrid'")
    many.add_argument("--urls", type=Path, help="file with one dashboard link or query per line")
    many.add_argument("--out-dir", type=Path, default=Path("exports"), help="folder for the images (default: exports)")
    _add_image_options(many)
    many.set_defaults(handler=export_batch)


# ---------------------------------------------------------------------------------------------


def _query_of(url: str) -> str:
    """'http://host/?a=1' or '?a=1' or 'a=1' -> '?a=1'."""
    url = url.strip()
    if "?" in url:
        return "?" + url.split("?", 1)[1].split("#", 1)[0]
    return ("?" + url) if url and "=" in url else ""


def _size(args):
    from ui.exports import ExportSize
    if args.width is not None or args.height is not None:
        return ExportSize.parse("custom" if args.size in (None, "custom") else args.size,
                                width=args.width, height=args.height, scale=args.scale)
    return ExportSize.parse(args.size or "slide", scale=args.scale)


def _format(args, out: Path | None) -> str:
    from atlas.errors import InputError
    if args.format:
        return args.format
    if out is not None and out.suffix:
        ext = out.suffix.lower().lstrip(".")
        if ext not in ("png", "svg", "pdf"):
            raise InputError(f"{out}: cannot tell the format from '.{ext}'; use .png, .svg or .pdf or give --format")
        return ext
    return "png"


def parse_period(text: str) -> tuple[date, date]:
    from atlas.errors import InputError
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not m:
        raise InputError(f"period '{text}' is not YEAR or FIRST-LAST (e.g. 2015-2019)")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise InputError(f"period '{text}' ends before it starts; write it as {last}-{first}")
    return date(first, 1, 1), date(last, 12, 31)


def batch_views(*, regions: str | None, crime_types: str | None, periods: str | None, query: str = ""):
    """The cross product of regions x crime-type sets x periods as ViewStates (in that order)."""
    from atlas.errors import InputError
    from atlas.filters import region_presets
    from atlas.taxonomy import crime_type_codes
    from ui.state import ViewState
    base = ViewState.from_query(_query_of(query))
    region_list = [r.strip() for r in (regions or base.filters.region).split(",") if r.strip()]
    unknown = [r for r in region_list if r not in region_presets()]
    if unknown:
        raise InputError(f"unknown region(s) {', '.join(unknown)}; choose from {', '.join(region_presets())}")
    sets = []
    for item in (crime_types or "all").split(","):
        item = item.strip()
        codes = () if item in ("", "all") else tuple(sorted(c.strip() for c in item.split("+") if c.strip()))
        bad = [c for c in codes if c not in crime_type_codes()]
        if bad:
            raise InputError(f"unknown crime type(s) {', '.join(bad)}; see data/taxonomy.csv for the codes")
        sets.append(codes)
    period_list = [parse_period(p) for p in periods.split(",")] if periods else [(None, None)]
    views = []
    for region, codes, (start, end) in itertools.product(region_list, sets, period_list):
        f = base.filters.replace(region=region, crime_types=codes)
        if start is not None:
            f = f.replace(date_from=start, date_to=end)
        views.append(base.replace(filters=f))
    return views


def views_from_file(path: Path):
    from atlas.errors import InputError
    from ui.state import ViewState
    if not path.is_file():
        raise InputError(f"{path}: no such file (one dashboard link or query per line)")
    views = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            views.append(ViewState.from_query(_query_of(line)))
    if not views:
        raise InputError(f"{path}: no links found (one dashboard link or query per line; # starts a comment)")
    return views


def _open_store(args):
    import queries
    from atlas.settings import load_settings
    settings = load_settings(store_path=args.store) if args.store else load_settings()
    return queries.ReadOnlyStore(settings.store_path)


def _write_data(con, state, image_path: Path) -> None:
    from ui.exports import export_data
    csv_text, geojson_text = export_data(con, state)
    image_path.with_suffix(".csv").write_text(csv_text, encoding="utf-8")
    image_path.with_suffix(".geojson").write_text(geojson_text, encoding="utf-8")


def export_one(args) -> int:
    from ui.exports import Renderer, base_layers, export_view, store_years
    from ui.state import ViewState
    state = ViewState.from_query(_query_of(args.url))
    fmt, size = _format(args, args.out), _size(args)
    store = _open_store(args)
    try:
        with store.cursor() as con, Renderer() as renderer:
            result = export_view(con, base_layers(con), state, fmt=fmt, size=size, title=args.title,
                                 renderer=renderer, extent_years=store_years(con))
            out = args.out or Path(result.filename)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(result.content)
            if args.with_data:
                _write_data(con, state, out)
    finally:
        store.close()
    print(f"wrote {out} ({len(result.content) / 1024:.0f} KiB)")
    return 0


def export_batch(args) -> int:
    from tqdm import tqdm

    from atlas.errors import InputError
    from ui.exports import Renderer, base_layers, export_view, store_years
    if args.urls and (args.regions or args.crime_types or args.periods):
        raise InputError("give either --urls or --regions/--crime-types/--periods, not both")
    views = (views_from_file(args.urls) if args.urls else
             batch_views(regions=args.regions, crime_types=args.crime_types, periods=args.periods, query=args.query))
    fmt, size = _format(args, None), _size(args)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    store = _open_store(args)
    written: list[Path] = []
    try:
        with store.cursor() as con, Renderer() as renderer:
            base, years = base_layers(con), store_years(con)
            for state in tqdm(views, desc="Exporting views", unit="view", file=sys.stderr):
                result = export_view(con, base, state, fmt=fmt, size=size, renderer=renderer, extent_years=years)
                out = args.out_dir / result.filename
                if out in written:  # two lines of --urls with the same view
                    out = out.with_name(f"{out.stem}-{len(written) + 1}{out.suffix}")
                out.write_bytes(result.content)
                written.append(out)
                if args.with_data:
                    _write_data(con, state, out)
    finally:
        store.close()
    print(f"wrote {len(written)} images to {args.out_dir}")
    return 0
