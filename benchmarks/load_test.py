"""Load test: `nexus-atlas serve-prod` on 127.0.0.1 with N workers, and simulated users replaying the page's
Dash requests for the 20 dashboard interactions (benchmarks/interactions.py).

    .venv/bin/python -m benchmarks.load_test --store /tmp/nexus-atlas-bench/events_1000000.duckdb \
        --workers 2 --users 20 --seconds 60 --record

Bounded in time (--seconds) and in requests (--max-requests); talks only to 127.0.0.1. Each user
adds its own period filter to the views it asks for, so users mostly ask for views no one asked for
before (the per-worker result cache helps only with repeats, as in real use).
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from benchmarks.report import busy_processes, command_line, machine_description, percentile, update_section

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: the test must not leave the machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def production_server(store: Path, *, workers: int, port: int | None = None, startup_timeout: float = 90):
    """`nexus-atlas serve-prod` in its own process group; yields the port once the page answers."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "atlas.cli", "serve-prod", "--store", str(store), "--host", HOST,
           "--port", str(port), "--workers", str(workers)]
    log = open(os.devnull, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"serve-prod exited with {proc.returncode}: "
                                   f"{proc.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                status, _ = _get(port, "/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve-prod did not answer on {HOST}:{port} within {startup_timeout:.0f} s")
            time.sleep(0.3)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the gunicorn master and its workers, nothing else
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class UserLog:
    latencies: list[float] = field(default_factory=list)     # per request, seconds
    interactions: list[float] = field(default_factory=list)  # per interaction (its requests in turn)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0


def _with_period(query: str, user: int) -> str:
    """The user's own period filter (years differ by user) unless the interaction sets one."""
    values = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if "date_from" not in values:
        pairs += [("date_from", f"{2012 + user % 7}-01-01"), ("date_to", f"{2020 + user % 5}-12-31")]
    return "?" + urlencode(pairs)


def simulate_users(port: int, plans: list[list[tuple[str, dict]]], *, users: int, seconds: float,
                   max_requests: int, think: float = 0.0) -> tuple[list[UserLog], float]:
    """``users`` threads, each replaying its interactions in turn until time or the request budget runs out."""
    budget = threading.Semaphore(max_requests)
    stop_at = time.monotonic() + seconds
    logs = [UserLog() for _ in range(users)]

    def run(u: int) -> None:
        log = logs[u]
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        k = u  # users start at different interactions
        while time.monotonic() < stop_at:
            requests = plans[u][k % len(plans[u])]
            k += 1
            started = time.perf_counter()
            for _label, body in requests:
                if time.monotonic() >= stop_at or not budget.acquire(blocking=False):
                    conn.close()
                    return
                t = time.perf_counter()
                for attempt in (1, 2):
                    try:
                        # as a browser does: the server compresses, and that is part of its work
                        conn.request("POST", "/_dash-update-component", body=json.dumps(body),
                                     headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
                        response = conn.getresponse()
                        data = response.read()
                        if response.status not in (200, 204):
                            log.errors.append(f"HTTP {response.status}: {data[:200]!r}")
                        log.bytes += len(data)
                        break
                    except (OSError, http.client.HTTPException) as exc:
                        conn.close()
                        conn = http.client.HTTPConnection(HOST, port, timeout=60)
                        # The server closes idle keep-alive connections (after a user's pause); a browser
                        # then simply reconnects, and so does this user, once. A second failure is an error.
                        if attempt == 2:
                            log.errors.append(f"{type(exc).__name__}: {exc}")
                log.latencies.append(time.perf_counter() - t)
            log.interactions.append(time.perf_counter() - started)
            if think:  # a person reads the map before the next click
                time.sleep(min(think, max(0.0, stop_at - time.monotonic())))
        conn.close()

    threads = [threading.Thread(target=run, args=(u,), daemon=True) for u in range(users)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 120)
    return logs, time.perf_counter() - started


def user_plans(store: Path, port: int, users: int) -> list[list[tuple[str, dict]]]:
    """Each user's request bodies, built from the running app's callback map."""
    import dataclasses

    import queries
    from benchmarks.interactions import dashboard_interactions, requests_for
    status, raw = _get(port, "/_dash-dependencies")
    if status != 200:
        raise RuntimeError(f"/_dash-dependencies answered HTTP {status}")
    deps = json.loads(raw)
    ro = queries.ReadOnlyStore(store)
    with ro.cursor() as con:
        interactions = dashboard_interactions(con)
    ro.close()
    return [[requests_for(dataclasses.replace(it, query=_with_period(it.query, u)), deps) for it in interactions]
            for u in range(users)]


def run_load_test(store: Path, *, workers: int = 2, users: int = 20, seconds: float = 60,
                  max_requests: int = 50_000, think: float = 0.0) -> dict:
    with production_server(store, workers=workers) as port:
        plans = user_plans(store, port, users)
        logs, wall = simulate_users(port, plans, users=users, seconds=seconds, max_requests=max_requests,
                                    think=think)
    latencies = [x for log in logs for x in log.latencies]
    interactions = [x for log in logs for x in log.interactions]
    errors = [e for log in logs for e in log.errors]
    return {"workers": workers, "users": users, "seconds": wall, "think": think, "requests": len(latencies),
            "interactions": len(interactions), "throughput_rps": len(latencies) / wall if wall else 0.0,
            "p50_s": percentile(latencies, 50), "p95_s": percentile(latencies, 95), "p99_s": percentile(latencies, 99),
            "interaction_p95_s": percentile(interactions, 95), "errors": len(errors), "error_examples": errors[:5],
            "mb_received": sum(log.bytes for log in logs) / 1e6}


def report_text(result: dict, store: Path) -> str:
    ok = result["errors"] == 0 and result["p95_s"] <= 1.0
    return "\n".join([
        "## Load test (many users)", "",
        f"Command: `{command_line('benchmarks.load_test')}`", "",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; store {store.name}.", "", *machine_description(), "",
        f"`nexus-atlas serve-prod --workers {result['workers']}` (gunicorn, gthread, 4 threads per worker, each "
        f"worker with its own read-only DuckDB connection to the one store) on 127.0.0.1; {result['users']} "
        f"simulated users for {result['seconds']:.0f} s, each replaying the page's /_dash-update-component requests "
        f"for the 20 interactions (gzip accepted, as a browser does) with its own period filter, "
        + (f"pausing {result['think']:g} s after each interaction (reading the map)." if result["think"] else
           "with no pause between interactions (every user clicks again as soon as the page is updated: a "
           "worst case).") + "", "",
        "| requests | interactions | throughput | p50 | p95 | p99 | interaction p95 | errors | received (on the wire) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['requests']:,} | {result['interactions']:,} | {result['throughput_rps']:.1f} req/s | "
        f"{result['p50_s'] * 1000:,.0f} ms | {result['p95_s'] * 1000:,.0f} ms | {result['p99_s'] * 1000:,.0f} ms | "
        f"{result['interaction_p95_s'] * 1000:,.0f} ms | {result['errors']} | {result['mb_received']:,.1f} MB |", "",
        f"Target (no errors, p95 ≤ 1 s per request): {'met' if ok else '**missed**'}."
        + (f" Errors seen: {result['error_examples']}" if result["errors"] else "")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_test", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="store to serve (read-only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user pauses after an interaction (default 0: a worst case)")
    parser.add_argument("--section", default="load", help="results.md section to write (default 'load')")
    parser.add_argument("--record", action="store_true", help="write the result into benchmarks/results.md")
    args = parser.parse_args(argv)
    busy = busy_processes()
    result = run_load_test(args.store, workers=args.workers, users=args.users, seconds=args.seconds,
                           max_requests=args.max_requests, think=args.think)
    text = report_text(result, args.store)
    if busy:
        text += "\n\nThe machine was shared during this run; busy processes at the start: " + "; ".join(busy)
    print(text)
    if args.record:
        update_section(args.section, text)
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
