"""Nexus Atlas dashboard: create_app(settings) -> Dash, and main(). Wiring only: no SQL, no geometry."""
from __future__ import annotations

import hashlib
import json
import sys

from dash import Dash

import queries
from atlas.paths import ASSETS_DIR
from atlas.settings import Settings, load_settings
from layers.admin_units import list_boundary_sets
from ui import callbacks
from ui.cache import ResultCache
from ui.export_panel import register_export_callbacks
from ui.exports import Renderer
from ui.views import load_base_layers
from ui.layout import build_layout


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app on an existing store (see ingest.build.ensure_store)."""
    settings = settings or load_settings()
    store = open_store(settings.store_path)
    with store.cursor() as con:
        extent = queries.run(con, "store_extent").iloc[0]
        boundary_sets = list_boundary_sets(con)["boundary_set"].tolist()
        with_events = queries.as_list(extent["sources"])
        titles = queries.run(con, "sources_used", {"source_ids": with_events})
        source_titles = dict(zip(titles["source_id"], titles["title"]))
        base = load_base_layers(con, countries_url=COUNTRIES_URL)
    first_year = extent["first_date"].year if extent["events"] else 2012
    last_year = extent["last_date"].year if extent["events"] else 2024
    # compress: map responses are JSON that gzip shrinks 4-10x (the largest, 1.3 MB, to ~0.2 MB)
    app = Dash(__name__, title="Nexus Atlas", assets_folder=str(ASSETS_DIR), serve_locally=True, compress=True,
               update_title=None)
    # gzip level 1, not 6: 3.7 instead of 14 ms for a 0.5 MB map at 13 % more bytes (benchmarks/results.md)
    app.server.config["COMPRESS_LEVEL"] = 1
    app.layout = build_layout(first_year=first_year, last_year=last_year,
                              sources=source_titles, boundary_sets=boundary_sets,
                              zones=base.zones, corridors=base.corridors)
    callbacks.register(app, store, base, (first_year, last_year), ResultCache(settings.cache_size))
    register_export_callbacks(app, store, base, (first_year, last_year), Renderer())  # Chromium starts at first export
    serve_static_json(app, COUNTRIES_URL, base.countries_geojson)
    return app


def open_store(path):
    """The store file, or a Parquet export folder (nexus-atlas export-parquet; docs/scaling.md)."""
    from queries.parquet import ParquetStore, is_parquet_export
    return ParquetStore(path) if is_parquet_export(path) else queries.ReadOnlyStore(path)


# The country outlines are the same for every view: the page fetches them once from here (the browser
# keeps them) instead of receiving them again with every map update.
COUNTRIES_URL = "/_nexus/countries.geojson"


def serve_static_json(app: Dash, url: str, value) -> None:
    body = json.dumps(value, separators=(",", ":")).encode()
    etag = hashlib.sha1(body).hexdigest()[:16]

    def send():
        from flask import Response, request
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304)
        return Response(body, mimetype="application/geo+json",
                        headers={"Cache-Control": "public, max-age=3600", "ETag": etag})
    app.server.add_url_rule(url, endpoint=url, view_func=send)


def main(argv: list[str] | None = None) -> int:
    from atlas.cli import main as cli_main
    return cli_main(["serve", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    sys.exit(main())
