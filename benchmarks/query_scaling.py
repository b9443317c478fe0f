"""How query time grows with the store: the dashboard's aggregates on the DuckDB file and on its Parquet
export, at each size given. Writes the 'query-scaling' section of benchmarks/results.md.

    .venv/bin/python -m benchmarks.query_scaling --events 1000000 --events 5000000

Uses the stores benchmarks/run.py generates (--work-dir); exports them to Parquet next to them once.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import queries
from atlas.filters import FilterState
from benchmarks.report import command_line, machine_description, percentile, update_section
from benchmarks.run import DEFAULT_WORK, ensure_store

# (label, query, filter state, extra parameters): the queries behind a region view, its side panels
# and a drill-down.
CASES = [
    ("hexagon counts (map), all regions, r4", "unit_totals", FilterState(), {"unit": "h3", "resolution": 4}),
    ("hexagon counts (map), Sahel, r6", "unit_totals", FilterState(region="sahel"), {"unit": "h3", "resolution": 6}),
    ("hexagon counts with categories (download), all regions, r4", "unit_counts", FilterState(),
     {"unit": "h3", "resolution": 4}),
    ("PRIO-GRID counts (map), Horn, 2020-2022", "unit_totals",
     FilterState.parse({"region": "horn", "date_from": "2020-01-01", "date_to": "2022-12-31"}),
     {"unit": "priogrid", "resolution": 4}),
    ("summary (from event_cube), Sahel, kidnapping", "filter_summary", FilterState(region="sahel", crime_types=("kidnapping_for_ransom",)),
     {"sel_kind": "", "sel_res": 0, "sel_id": ""}),
    ("time series by year (event_cube), all regions", "time_series", FilterState(), {"sel_kind": "", "sel_res": 0, "sel_id": "",
                                                                      "step": "year"}),
    ("crime-type breakdown (event_cube), Central Asia", "crime_type_breakdown", FilterState(region="central_asia"),
     {"sel_kind": "", "sel_res": 0, "sel_id": ""}),
    ("actor search 'armed', all regions", "actor_counts", FilterState(), {"sel_kind": "", "sel_res": 0, "sel_id": "",
                                                                          "search": "armed", "limit": 50}),
    ("points in a zoomed box (5,000 max)", "events_in_view", FilterState(region="sahel"),
     {"min_lon": 1.2, "min_lat": 15.1, "max_lon": 3.6, "max_lat": 16.7, "limit": 5000}),
    ("unit x year cube (hot-spot input), Sahel r4", "unit_period_counts", FilterState(region="sahel"),
     {"unit": "h3", "resolution": 4, "period_months": 12, "half_life_years": 2.0}),
]


def time_cases(con, repeat: int) -> dict[str, float]:
    out = {}
    for label, name, state, extra in CASES:
        params = {**(state.to_selected_params() if "sel_kind" in extra else state.to_params()), **extra}
        params = {k: v for k, v in params.items() if k in queries.parameters(name)}
        queries.run(con, name, params)  # warm
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            queries.run(con, name, params)
            times.append(time.perf_counter() - t)
        out[label] = percentile(times, 50)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.query_scaling", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, action="append")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="write the table into benchmarks/results.md")
    args = parser.parse_args(argv)
    from ingest.parquet_export import export_parquet
    from queries.parquet import connect_parquet
    sizes = args.events or [1_000_000, 5_000_000]
    results = {}
    for n in sizes:
        store, _ = ensure_store(args.work_dir, n)
        folder = args.work_dir / f"parquet_{n}"
        if not (folder / "manifest.json").exists():
            export_parquet(store, folder, overwrite=True)
        ro = queries.ReadOnlyStore(store)
        with ro.cursor() as con:
            results[(n, "duckdb")] = time_cases(con, args.repeat)
        ro.close()
        pq = connect_parquet(folder)
        results[(n, "parquet")] = time_cases(pq, args.repeat)
        pq.close()
    head = " | ".join(f"{n / 1e6:g} M {kind} ms" for n in sizes for kind in ("DuckDB", "Parquet"))
    lines = ["## Query time from 1 M to 5 M events", "", f"Command: `{command_line('benchmarks.query_scaling')}`", "",
             *machine_description(), "",
             "Median of the repetitions after one warm-up, per query, on the store file and on its Parquet export "
             "(queries/parquet.py, local disk).", "", f"| query | {head} |",
             "|---|" + "---:|" * (2 * len(sizes))]
    for label, *_ in CASES:
        cells = " | ".join(f"{results[(n, kind)][label] * 1000:,.0f}" for n in sizes for kind in ("duckdb", "parquet"))
        lines.append(f"| {label} | {cells} |")
    text = "\n".join(lines)
    print(text)
    if args.record:
        update_section("query-scaling", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
