"""WSGI entry for production servers: ``gunicorn atlas.wsgi:application``.

The Dash app is built on the first request each worker serves, not at import: gunicorn imports this
module in every worker (and, with --preload, once in the master before forking), and a DuckDB
connection must not be carried across a fork. Each worker then opens the store read-only, which
DuckDB allows for any number of processes at once. Settings come from NEXUS_* variables.
"""
from __future__ import annotations

import threading

_lock = threading.Lock()
_server = None


def _build():
    from app import create_app
    from atlas.settings import load_settings
    return create_app(load_settings()).server


def application(environ, start_response):
    global _server
    if _server is None:
        with _lock:
            if _server is None:
                _server = _build()
    return _server(environ, start_response)
