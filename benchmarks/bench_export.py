"""Time of one warm export and of a 12-view batch, written to benchmarks/results-export.md.

Run from the repository root:

    .venv/bin/python benchmarks/bench_export.py                 # on a fresh export fixture store
    .venv/bin/python benchmarks/bench_export.py --store PATH    # on an existing store

"Cold" includes starting Chromium; "warm" reuses the running browser, as the dashboard and
`nexus-atlas export-batch` do.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMAND = ".venv/bin/python benchmarks/bench_export.py"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem} GiB RAM, "
            f"Python {platform.python_version()}, {chromium or 'chromium (version unknown)'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="existing store (default: build the export fixture store)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results-export.md")
    args = parser.parse_args(argv)

    import queries
    from atlas.export_commands import batch_views
    from ui.exports import ExportSize, Renderer, base_layers, export_view, store_years
    from ui.state import ViewState

    store_path = args.store
    if store_path is None:
        from tests.export_fixtures import build_export_store
        store_path = build_export_store(Path(tempfile.mkdtemp()) / "bench.duckdb")
    store = queries.ReadOnlyStore(store_path)
    view = ViewState.from_query("?region=sahel&crime_types=kidnapping_for_ransom&crime_types=armed_attack")
    views = batch_views(regions="sahel,horn,central_asia", crime_types="all,kidnapping_for_ransom+armed_attack",
                        periods="2015-2019,2020-2024")
    rows = []
    with store.cursor() as con, Renderer() as renderer:
        base, years = base_layers(con), store_years(con)

        def one(state, fmt, size):
            start = time.perf_counter()
            export_view(con, base, state, fmt=fmt, size=size, renderer=renderer, extent_years=years,
                        export_date=date.today())
            return time.perf_counter() - start

        rows.append(("cold: first export (starts Chromium), PNG slide", one(view, "png", ExportSize.preset("slide"))))
        for fmt, size in [("png", ExportSize.preset("slide")), ("png", ExportSize.preset("a4-landscape")),
                          ("svg", ExportSize.preset("a4-landscape")), ("pdf", ExportSize.preset("a4-landscape"))]:
            times = [one(view, fmt, size) for _ in range(3)]
            rows.append((f"warm: one {fmt.upper()} {size.name} {size.label} (median of 3)", statistics.median(times)))
        start = time.perf_counter()
        for state in views:
            export_view(con, base, state, fmt="png", size=ExportSize.preset("a4-landscape"), renderer=renderer,
                        extent_years=years)
        rows.append((f"batch: {len(views)} views, PNG a4-landscape at 3x, one browser", time.perf_counter() - start))
    store.close()

    lines = ["# Export benchmark", "",
             f"Machine: {machine()}", "",
             f"Store: {'export fixture store (tests/export_fixtures.py, 1500 events)' if args.store is None else args.store}",
             f"Date: {date.today().isoformat()}", "",
             f"Reproduce: `{COMMAND}`" + (f" --store {args.store}" if args.store else ""), "",
             "| what | seconds |", "| --- | ---: |"]
    lines += [f"| {what} | {secs:.2f} |" for what, secs in rows]
    lines += ["", "Times include the store queries and the figure layout, not only rendering. The machine is "
                  "shared with other jobs, so expect some spread between runs."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
