"""`nexus-atlas serve` and `nexus-atlas build`."""
from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("serve", help="start the dashboard (builds the store on first start)",
                       description="Start the dashboard at http://HOST:PORT on the store; if the store "
                                   "does not exist yet it is built from the bundled data first.")
    p.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")
    p.add_argument("--host", help="address to listen on (default: NEXUS_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: NEXUS_PORT, 8050)")
    p.add_argument("--debug", dest="dash_debug", action="store_true", help="Dash debug mode (development only)")
    p.set_defaults(handler=serve)

    b = sub.add_parser("build", help="(re)build the store from the bundled data",
                       description="Build the DuckDB store from the bundled reference data and the synthetic "
                                   "demonstration events. Refuses to overwrite an existing store unless --force.")
    b.add_argument("--store", type=Path, help="store file (default: NEXUS_STORE_PATH)")
    b.add_argument("--force", action="store_true", help="replace an existing store (imports are lost)")
    b.set_defaults(handler=build)


def _settings(args):
    from atlas.settings import load_settings
    overrides = {k: v for k, v in {"store_path": getattr(args, "store", None), "host": getattr(args, "host", None),
                                   "port": getattr(args, "port", None)}.items() if v is not None}
    if getattr(args, "dash_debug", False):
        overrides["debug"] = True
    return load_settings(**overrides)


def serve(args) -> int:
    from app import create_app
    from ingest.build import ensure_store
    settings = _settings(args)
    ensure_store(settings)
    app = create_app(settings)
    print(f"Nexus Atlas is running at http://{settings.host}:{settings.port}/  (Ctrl+C to stop)")
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


def build(args) -> int:
    from atlas.errors import StoreError
    from ingest.build import build_store
    settings = _settings(args)
    if Path(settings.store_path).exists() and not args.force:
        raise StoreError(f"{settings.store_path} exists. Use --force to rebuild it (imported data will be lost).")
    path = build_store(settings)
    print(f"Store built: {path}")
    return 0
