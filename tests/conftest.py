"""Shared fixtures: a store built from the bundled data (once per session) and real-data paths."""
from __future__ import annotations

import pytest

from atlas.paths import SHARED_REALDATA
from atlas.settings import load_settings


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store built exactly as the first `nexus-atlas serve` builds it (smaller synthetic set)."""
    from ingest.build import build_store
    path = tmp_path_factory.mktemp("store") / "nexus.duckdb"
    settings = load_settings({}, store_path=path, synthetic_events=3000)
    build_store(settings, progress=False)
    return settings


@pytest.fixture
def realdata():
    """Path to ../shared/realdata; skips the test cleanly when it is absent."""
    if not SHARED_REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent (licensed test data is never bundled)")
    return SHARED_REALDATA


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """Read-only connection to a store holding tests/fixtures/events_small.csv."""
    import duckdb

    import queries
    from tests.store_fixtures import build_small_store
    path = build_small_store(tmp_path_factory.mktemp("small") / "small.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    queries.install_macros(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def built_cursor(built_store):
    """A cursor of the server's read-only store (queries.ReadOnlyStore) on built_store."""
    import queries
    store = queries.ReadOnlyStore(built_store.store_path)
    with store.cursor() as cursor:
        yield cursor
    store.close()
