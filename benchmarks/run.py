"""The recorded benchmark: import throughput, 20 dashboard interactions against the naive way, peak memory,
one warm image export. Writes benchmarks/results.md.

    .venv/bin/python -m benchmarks.run --events 1000000 --events 5000000 --out benchmarks/results.md

Stores and the ACLED CSV are generated once into --work-dir (default /tmp/nexus-atlas-bench) and reused.
Each measurement runs in its own process, so peak memory (VmHWM) is that of one server process.

Interactions go through the real app: Dash's test client POSTs the /_dash-update-component requests
the page sends (benchmarks/interactions.py), so server time covers the callbacks, the queries, the
layers, the figures and Dash's JSON encoding, and response sizes are the bytes the browser receives.
The result cache is off (cache_size=0) so every request computes; a second table shows cache hits.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import (RESULTS_MD, busy_processes, command_line, machine_description, peak_rss_mb,
                               percentile, update_section)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_WORK = Path("/tmp/nexus-atlas-bench")
TARGETS = {"p95_ms": 250, "response_mb": 1.5, "speedup": 10, "import_rows_s": 100_000, "peak_gb_5m": 2.0}


# --- children: each runs in its own process and prints one JSON object --------------------------

def child_server(store: Path, repeat: int) -> dict:
    import queries
    from app import create_app
    from atlas.settings import load_settings
    from benchmarks.interactions import dashboard_interactions, requests_for

    started = time.perf_counter()
    app = create_app(load_settings({}, store_path=store, cache_size=0))
    startup = time.perf_counter() - started
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    store_ro = queries.ReadOnlyStore(store)
    with store_ro.cursor() as con:
        interactions = dashboard_interactions(con)
    store_ro.close()

    def play(c, it):
        total, size, zipped, slowest, errors = 0.0, 0, 0, ("", 0.0), 0
        for label, body in requests_for(it, deps):
            t = time.perf_counter()
            response = c.post("/_dash-update-component", json=body)
            dt = time.perf_counter() - t
            errors += response.status_code not in (200, 204)
            total += dt
            size += len(response.data)
            zipped += len(gzip.compress(response.data, 1))  # the app's own level (app.py)
            slowest = max(slowest, (label, dt), key=lambda x: x[1])
        return total, size, zipped, slowest, errors

    for it in interactions:  # warm-up: first queries read the file from disk
        play(client, it)
    out = {}
    for it in interactions:
        out[it.name] = {"times": [], "bytes": 0, "gzip": 0, "slowest": "", "errors": 0}
    for _ in range(repeat):
        for it in interactions:
            total, size, zipped, slowest, errors = play(client, it)
            r = out[it.name]
            r["times"].append(total)
            r["bytes"], r["gzip"], r["errors"] = size, zipped, r["errors"] + errors
            r["slowest"] = f"{slowest[0]} {slowest[1] * 1000:.0f} ms"
    # The same view asked again, with the per-process result cache on (what a second user gets).
    cached_app = create_app(load_settings({}, store_path=store))
    cached_client = cached_app.server.test_client()
    hits = {}
    for it in interactions:
        play(cached_client, it)
        hits[it.name] = play(cached_client, it)[0]
    return {"startup_s": startup, "interactions": out, "cached": hits, "peak_rss_mb": peak_rss_mb()}


def child_naive(store: Path, repeat: int) -> dict:
    import duckdb

    from benchmarks.interactions import dashboard_interactions
    from benchmarks.naive import NaiveDashboard
    import queries

    con = duckdb.connect(str(store), read_only=True)
    queries.install_macros(con)
    interactions = dashboard_interactions(con)
    started = time.perf_counter()
    naive = NaiveDashboard(con)
    load = time.perf_counter() - started
    out = {it.name: {"times": [], "bytes": 0} for it in interactions}
    # No warm-up pass: the frame is already in memory, and at 1 M events a pass takes minutes.
    for _ in range(repeat):
        for it in interactions:
            t = time.perf_counter()
            parts = naive.respond(it.query, it.relayout, it.moves_map)
            out[it.name]["times"].append(time.perf_counter() - t)
            out[it.name]["bytes"] = sum(len(p) for p in parts)
    return {"load_s": load, "interactions": out, "peak_rss_mb": peak_rss_mb()}


def child_export(store: Path) -> dict:
    try:
        from ui.exports import ExportSize, Renderer, base_layers, export_view
    except ImportError as exc:
        return {"pending": f"ui.exports is not available ({exc})"}
    import queries
    from ui.state import ViewState

    state = ViewState.from_query("?region=sahel")
    ro = queries.ReadOnlyStore(store)
    with ro.cursor() as con, Renderer() as renderer:
        base = base_layers(con)
        t = time.perf_counter()
        first = export_view(con, base, state, fmt="png", size=ExportSize.preset("slide"), renderer=renderer)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        warm = export_view(con, base, state, fmt="png", size=ExportSize.preset("slide"), renderer=renderer)
        warm_s = time.perf_counter() - t
    return {"cold_s": cold, "warm_s": warm_s, "bytes": len(warm.content), "file": warm.filename,
            "first_bytes": len(first.content)}


def _run_child(kind: str, *args: str, timeout: float = 3600, keep: Path | None = None) -> dict:
    """Run one measurement in its own process; with ``keep``, its JSON is saved there and reused by --reuse."""
    if keep is not None and REUSE and keep.exists():
        REUSED.append(f"{keep.name} ({time.strftime('%H:%M', time.localtime(keep.stat().st_mtime))})")
        return json.loads(keep.read_text())
    cmd = [PYTHON, "-m", "benchmarks.run", "--child", kind, *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {kind} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if keep is not None:
        keep.write_text(json.dumps(result))
    return result


REUSE = False
REUSED: list[str] = []  # measurements taken from an earlier run (--reuse), named in the report


# --- the parent: data, import, each scale, the report -------------------------------------------

def ensure_store(work: Path, events: int) -> tuple[Path, float | None]:
    path = work / f"events_{events}.duckdb"
    if path.exists():
        return path, None
    from benchmarks.generate_events import build_store
    t = time.perf_counter()
    build_store(path, events, progress=False)
    return path, time.perf_counter() - t


def import_throughput(work: Path, rows: int) -> dict:
    """Time `nexus-atlas import-acled` on an ACLED-format CSV into a freshly built store."""
    from benchmarks.generate_events import write_acled_csv
    csv = work / f"acled_{rows}.csv"
    if not csv.exists():
        write_acled_csv(csv, rows)
    store = work / "import_target.duckdb"
    store.unlink(missing_ok=True)
    cli = [PYTHON, "-m", "atlas.cli"]
    subprocess.run([*cli, "build", "--store", str(store), "--force"], cwd=ROOT, check=True, capture_output=True)
    t = time.perf_counter()
    done = subprocess.run([*cli, "import-acled", str(csv), "--store", str(store), "--no-progress",
                           "--rejects", str(work / "import_rejects.csv")], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout)[-800:], "rows": rows}
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "summary": done.stdout.splitlines()[:2],
            "csv_mb": csv.stat().st_size / 1e6}


def _fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def scale_section(events: int, server: dict, naive: dict | None, built_s: float | None) -> tuple[str, dict]:
    lines = [f"### {events:,} events", ""]
    if built_s is not None:
        lines.append(f"Store generated in {built_s:.0f} s. ")
    lines += [f"App start-up (store open, base layers): {server['startup_s']:.2f} s. "
              f"Peak memory of the server process: **{server['peak_rss_mb']:,.0f} MB**"
              + (f"; naive process (all events in one pandas frame): {naive['peak_rss_mb']:,.0f} MB, "
                 f"frame loaded in {naive['load_s']:.1f} s." if naive else "."), "",
              "| # | interaction | p50 ms | p95 ms | slowest callback | response KB (gzip) | naive p95 ms | naive KB | "
              "faster than naive (p95) | cache hit ms |",
              "|---|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    all_times, all_naive, ratios, worst_bytes, errors = [], [], [], 0, 0
    for k, (name, r) in enumerate(server["interactions"].items(), start=1):
        p50, p95 = percentile(r["times"], 50), percentile(r["times"], 95)
        all_times += r["times"]
        worst_bytes = max(worst_bytes, r["bytes"])
        errors += r["errors"]
        n = naive["interactions"][name] if naive else None
        n95 = percentile(n["times"], 95) if n else float("nan")
        if n:
            all_naive += n["times"]
            ratios.append(n95 / p95)
        lines.append(f"| {k} | {name} | {_fmt_ms(p50)} | {_fmt_ms(p95)} | {r['slowest']} | "
                     f"{r['bytes'] / 1024:,.0f} ({r['gzip'] / 1024:,.0f}) | "
                     + (f"{_fmt_ms(n95)} | {n['bytes'] / 1024:,.0f} | {n95 / p95:,.1f}x" if n else "– | – | –")
                     + f" | {server['cached'][name] * 1000:,.1f} |")
    summary = {"events": events, "p95_ms": percentile(all_times, 95) * 1000, "p50_ms": percentile(all_times, 50) * 1000,
               "max_response_mb": worst_bytes / 1e6, "peak_rss_mb": server["peak_rss_mb"], "errors": errors,
               "naive_p95_ms": percentile(all_naive, 95) * 1000 if naive else None,
               "min_ratio": min(ratios) if ratios else None}
    if naive:
        summary["ratio_p95"] = summary["naive_p95_ms"] / summary["p95_ms"]
    lines += ["", f"All interactions: p50 {summary['p50_ms']:,.0f} ms, p95 {summary['p95_ms']:,.0f} ms; "
              f"largest response {summary['max_response_mb']:.2f} MB; errors {errors}"
              + (f"; naive p95 {summary['naive_p95_ms']:,.0f} ms (**{summary['ratio_p95']:.1f}x**), "
                 f"smallest per-interaction ratio {summary['min_ratio']:.1f}x" if naive else "") + "."]
    return "\n".join(lines), summary


def targets_section(summaries: list[dict], imp: dict | None) -> str:
    def verdict(ok):
        return "met" if ok else "**missed**"
    lines = ["| target | measured | |", "|---|---|---|"]
    one_m = next((s for s in summaries if s["events"] == 1_000_000), summaries[0] if summaries else None)
    if one_m:
        lines.append(f"| p95 server time per interaction at {one_m['events']:,} events ≤ {TARGETS['p95_ms']} ms | "
                     f"{one_m['p95_ms']:,.0f} ms | {verdict(one_m['p95_ms'] <= TARGETS['p95_ms'])} |")
        lines.append(f"| response ≤ {TARGETS['response_mb']} MB | largest {one_m['max_response_mb']:.2f} MB | "
                     f"{verdict(one_m['max_response_mb'] <= TARGETS['response_mb'])} |")
        if one_m.get("ratio_p95"):
            lines.append(f"| ≥ {TARGETS['speedup']}x faster than naive at p95 | {one_m['ratio_p95']:.1f}x | "
                         f"{verdict(one_m['ratio_p95'] >= TARGETS['speedup'])} |")
    if imp and "rows_per_s" in imp:
        lines.append(f"| import ≥ {TARGETS['import_rows_s']:,} rows/s | {imp['rows_per_s']:,.0f} rows/s | "
                     f"{verdict(imp['rows_per_s'] >= TARGETS['import_rows_s'])} |")
    five = next((s for s in summaries if s["events"] == 5_000_000), None)
    if five:
        lines.append(f"| peak server memory at 5 M events ≤ {TARGETS['peak_gb_5m']} GB | "
                     f"{five['peak_rss_mb'] / 1024:.2f} GB | {verdict(five['peak_rss_mb'] / 1024 <= TARGETS['peak_gb_5m'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, action="append", help="store size; repeat for several (default 1,000,000)")
    parser.add_argument("--out", type=Path, default=RESULTS_MD, help="results file (default benchmarks/results.md)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK, help="where stores and CSVs are generated")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions of every interaction (default 5)")
    parser.add_argument("--acled-rows", type=int, default=1_000_000, help="rows of the import-throughput CSV")
    parser.add_argument("--skip-import", action="store_true", help="do not measure import throughput")
    parser.add_argument("--skip-naive", action="store_true", help="do not measure the naive way")
    parser.add_argument("--skip-export", action="store_true", help="do not measure the image export")
    parser.add_argument("--naive-max-events", type=int, default=1_000_000,
                        help="measure the naive way only up to this store size (default 1,000,000: at 5 M it "
                             "takes most of an hour)")
    parser.add_argument("--naive-repeat", type=int, default=1,
                        help="timed repetitions for the naive way (default 1: each is slow by design)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse measurements saved in --work-dir by an earlier run (to add a scale)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    if args.child:
        fn = {"server": lambda: child_server(args.store, args.repeat),
              "naive": lambda: child_naive(args.store, args.repeat),
              "export": lambda: child_export(args.store)}[args.child]
        print(json.dumps(fn()))
        return 0

    global REUSE
    REUSE = args.reuse
    events = args.events or [1_000_000]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    header = ["## Run", "", f"Command: `{command_line('benchmarks.run')}`", "",
              f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}", "", *machine_description()]
    busy = busy_processes()
    if busy:
        header.append("- **the machine was shared during this run**; busy processes at the start: "
                      + "; ".join(busy))
    sections, summaries = [], []
    imp = None
    if not args.skip_import:
        print("import throughput ...", file=sys.stderr)
        saved = args.work_dir / "import.json"
        if args.reuse and saved.exists():
            imp = json.loads(saved.read_text())
            REUSED.append(f"{saved.name} ({time.strftime('%H:%M', time.localtime(saved.stat().st_mtime))})")
        else:
            imp = import_throughput(args.work_dir, args.acled_rows)
            saved.write_text(json.dumps(imp))
    for n in events:
        print(f"{n:,} events: store ...", file=sys.stderr)
        store, built = ensure_store(args.work_dir, n)
        print(f"{n:,} events: server ...", file=sys.stderr)
        server = _run_child("server", "--store", str(store), "--repeat", str(args.repeat),
                            keep=args.work_dir / f"server_{n}.json")
        naive = None
        if not args.skip_naive and n <= args.naive_max_events:
            print(f"{n:,} events: naive ...", file=sys.stderr)
            naive = _run_child("naive", "--store", str(store), "--repeat", str(args.naive_repeat),
                               keep=args.work_dir / f"naive_{n}.json")
        text, summary = scale_section(n, server, naive, built)
        sections.append(text)
        summaries.append(summary)
    export = None
    if not args.skip_export:
        print("image export ...", file=sys.stderr)
        try:
            export = _run_child("export", "--store", str(args.work_dir / f"events_{events[0]}.duckdb"), timeout=600,
                                keep=args.work_dir / "export.json")
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            export = {"pending": str(exc)[-300:]}

    if REUSED:
        header.append("- measurements reused from the previous run of this command (saved in --work-dir at the "
                      "time shown; everything else measured now): " + ", ".join(REUSED))
    body = [*header, "", "## Targets", "", targets_section(summaries, imp), "", "## Import throughput", ""]
    if imp is None:
        body.append("Not measured in this run (--skip-import).")
    elif "error" in imp:
        body.append(f"`nexus-atlas import-acled` failed on {imp['rows']:,} rows: `{imp['error']}`")
    else:
        body.append(f"`nexus-atlas import-acled` on a {imp['rows']:,}-row ACLED-format CSV ({imp['csv_mb']:.0f} MB, "
                    f"31 columns, benchmarks/generate_events.py) into a freshly built store: {imp['seconds']:.1f} s, "
                    f"**{imp['rows_per_s']:,.0f} rows/s** (reading, checking, classifying, H3/PRIO-GRID cells, "
                    f"one transaction).")
    body += ["", "## Dashboard interactions", "",
             "Server time = sum of the callbacks one interaction fires (the browser sends them together; the "
             "controls callback, which counts the crime-type options, included), measured over the repetitions "
             "after one warm-up pass; result cache off. Response = bytes of the Dash JSON responses (gzip: "
             "what the app sends a browser, level 1). Naive = benchmarks/naive.py "
             "(pandas masks over all events, every point to a Scattermap; no analysis statistics). "
             "Cache hit = the same view asked again with the per-process cache on.", "", *sections,
             "", "## Image export", ""]
    if export is None:
        body.append("Not measured in this run (--skip-export).")
    elif "pending" in export:
        body.append(f"Pending: {export['pending']}")
    else:
        body.append(f"Sahel map as a 'slide' PNG through ui.exports (kaleido + Chromium kept running): "
                    f"first export {export['cold_s']:.2f} s, **warm export {export['warm_s']:.2f} s**, "
                    f"{export['bytes'] / 1024:,.0f} KB ({export['file']}).")
    update_section("run", "\n".join(body), path=args.out)
    print(f"results written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
