"""Run the aggregates in queries/*.sql with checked `$named` parameters.

Each .sql file holds one query that opens with a comment listing its parameters and output
columns. Values travel only as DuckDB parameters; the runner refuses a call whose keys do not
match the `$names` the file uses, naming the missing and the unexpected ones.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pandas as pd

from atlas.errors import QueryParameterError
from atlas.paths import EVENT_CUBE_SQL

QUERY_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_STRING = re.compile(r"'(?:[^']|'')*'")


def available() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in QUERY_DIR.glob("*.sql")))


@lru_cache(maxsize=None)
def load(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise QueryParameterError(f"'{name}' is not a query name (lower-case letters, digits, _)")
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryParameterError(f"No query '{name}'. Known queries: {', '.join(available())}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parameters(name: str) -> frozenset[str]:
    """The `$names` a query uses, ignoring comments and string literals."""
    sql = _STRING.sub("''", _COMMENT.sub(" ", load(name)))
    return frozenset(_PARAM.findall(sql))


def check(name: str, params: Mapping[str, Any]) -> None:
    expected, given = parameters(name), set(params)
    missing, extra = sorted(expected - given), sorted(given - expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"${m}" for m in missing))
        if extra:
            parts.append("unexpected " + ", ".join(f"${e}" for e in extra))
        raise QueryParameterError(f"Query '{name}': {'; '.join(parts)}. "
                                  f"It takes: {', '.join('$' + p for p in sorted(expected)) or 'nothing'}.")


def as_list(value) -> list:
    """A DuckDB list value as a Python list; NULL (an aggregate over no rows) becomes []."""
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return list(value)


CUBE_SIGNATURE_KEY = "event_cube_signature"  # store_meta: the events the cube was built from


def events_signature(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever events are added, replaced or removed (a replaced row gets a new imported_at)."""
    count, newest, oldest = con.execute("select count(*), max(imported_at), min(imported_at) from events").fetchone()
    return f"{count}|{newest}|{oldest}"


def cube_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's event_cube was built from its current events (ingest/cube.py rebuilds it)."""
    try:
        row = con.execute("select value from store_meta where key = ?", [CUBE_SIGNATURE_KEY]).fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == events_signature(con)


def _macro_files() -> list[Path]:
    return sorted((QUERY_DIR / "macros").glob("*.sql"))  # each file defines the macro it is named after


@lru_cache(maxsize=1)
def _macro_script() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in _macro_files())


@lru_cache(maxsize=1)
def _macro_names() -> frozenset[str]:
    return frozenset(p.stem for p in _macro_files())


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the shared table macros (temporary, so read-only connections can have them). Every request's
    cursor does this, so the files are read once and sent as one script."""
    con.execute(_macro_script())


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run queries/<name>.sql with ``params`` and return a DataFrame."""
    params = dict(params or {})
    check(name, params)
    sql = load(name)
    try:
        return con.execute(sql, params).df()
    except duckdb.CatalogException as exc:
        if not any(name in str(exc) for name in _macro_names()):
            raise
        install_macros(con)  # first query on this connection
        return con.execute(sql, params).df()


class ReadOnlyStore:
    """A read-only DuckDB store shared by a server process; each request takes its own cursor.

    DuckDB connections are not safe to share across threads, cursors are: so callbacks do
    ``with store.cursor() as con: ...`` and never keep a connection of their own.
    """

    def __init__(self, path):
        from pathlib import Path

        from atlas.errors import StoreError
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"No store at {self.path}. Run 'nexus-atlas build' or start the dashboard "
                             f"with 'nexus-atlas serve', which builds it.")
        self._con = duckdb.connect(str(self.path), read_only=True)
        self._cube_current = cube_is_current(self._con)
        install_macros(self._con)

    def cursor(self):
        import contextlib

        @contextlib.contextmanager
        def _cursor():
            cur = self._con.cursor()
            try:
                if not self._cube_current:  # written before the cube existed: same answers, computed each time
                    cur.execute("create or replace temp view event_cube as " + EVENT_CUBE_SQL.read_text(encoding="utf-8"))
                install_macros(cur)
                yield cur
            finally:
                cur.close()
        return _cursor()

    def close(self) -> None:
        self._con.close()
