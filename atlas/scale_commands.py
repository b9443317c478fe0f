"""`nexus-atlas serve-prod` (several worker processes on one read-only store) and `nexus-atlas export-parquet`."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "serve-prod", help="serve the dashboard with several worker processes (gunicorn)",
        description="Serve the dashboard under gunicorn with several worker processes that share one store, "
                    "each opening it read-only. Builds the store first if it is missing. For many users: put a "
                    "reverse proxy (nginx, a load balancer) in front; see docs/scaling.md.")
    p.add_argument("--store", type=Path,
                   help="store file, or a folder made by export-parquet (default: NEXUS_STORE_PATH)")
    p.add_argument("--host", help="address to listen on (default: NEXUS_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: NEXUS_PORT, 8050)")
    p.add_argument("--workers", type=int, default=2,
                   help="worker processes (default 2; about one per CPU core: each callback is CPU work)")
    p.add_argument("--threads", type=int, default=4,
                   help="threads per worker (default 4): a slow callback does not block the others")
    p.add_argument("--timeout", type=int, default=120, help="seconds before a stuck worker is restarted (default 120)")
    p.set_defaults(handler=serve_prod)

    e = sub.add_parser(
        "export-parquet", help="export the store as Parquet (events partitioned by region and year)",
        description="Write the store's events as Parquet partitioned by region and year (hive layout: "
                    "events/region=sahel/year=2023/...) and every other table as one Parquet file, for "
                    "several servers reading shared storage. queries/parquet.py runs the same queries over it.")
    e.add_argument("--out", type=Path, required=True, help="folder to write (must be empty unless --overwrite)")
    e.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")
    e.add_argument("--overwrite", action="store_true", help="replace the folder's contents")
    e.set_defaults(handler=export_parquet)


def gunicorn_command(*, host: str, port: int, workers: int, threads: int, timeout: int) -> list[str]:
    if workers < 1 or threads < 1:
        from atlas.errors import InputError
        raise InputError("--workers and --threads must be 1 or more")
    return [sys.executable, "-m", "gunicorn", "atlas.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--timeout", str(timeout), "--graceful-timeout", "10", "--access-logfile", "-"]


def serve_prod(args) -> int:
    from atlas.commands import _settings
    from ingest.build import ensure_store
    from queries.parquet import is_parquet_export
    settings = _settings(args)
    if not is_parquet_export(settings.store_path):  # a Parquet export folder is served as it is
        ensure_store(settings)  # built once here, never by several workers at the same time
    env = {**os.environ, "NEXUS_STORE_PATH": str(Path(settings.store_path).resolve()), "NEXUS_DEBUG": "0"}
    cmd = gunicorn_command(host=settings.host, port=settings.port, workers=args.workers, threads=args.threads,
                           timeout=args.timeout)
    print(f"Nexus Atlas (production, {args.workers} workers) at http://{settings.host}:{settings.port}/  "
          f"(Ctrl+C to stop)", flush=True)
    os.chdir(Path(__file__).resolve().parent.parent)  # gunicorn imports atlas.wsgi and app from the project
    os.execve(sys.executable, cmd, env)  # gunicorn takes over this process: signals reach it directly


def export_parquet(args) -> int:
    from atlas.commands import _settings
    from ingest.parquet_export import export_parquet as run_export
    settings = _settings(args)
    manifest = run_export(settings.store_path, args.out, overwrite=args.overwrite)
    counts = manifest["row_counts"]
    print(f"Exported {counts['events']:,} events in {len(manifest['partitions'])} region/year partitions "
          f"and {len(counts) - 1} other tables to {args.out}")
    return 0
