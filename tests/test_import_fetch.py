"""fetch-ucdp against a local http.server on 127.0.0.1 serving a zip the test builds (no internet)."""
from __future__ import annotations

import functools
import http.server
import threading
import zipfile

import pytest

from tests.import_helpers import FIXTURES, empty_store, query, run_cli, sha256


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    with zipfile.ZipFile(served / "ged-test-csv.zip", "w") as z:
        z.write(FIXTURES / "ucdp_small.csv", "GEDEvent_test.csv")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=served))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_ucdp_downloads_and_imports(server, tmp_path, capsys):
    store = empty_store(tmp_path / "s.duckdb")
    downloads = tmp_path / "downloads"
    assert run_cli("fetch-ucdp", "--url", f"{server}/ged-test-csv.zip", "--download-dir", downloads,
                   "--store", store, "--no-progress") == 0
    assert (downloads / "ged-test-csv.zip").exists() and not list(downloads.glob("*.part"))
    assert query(store, "select count(*) from events where source = 'ucdp'") == [(3,)]
    assert "downloaded" in capsys.readouterr().out


def test_fetch_ucdp_missing_file_is_a_clear_error(server, tmp_path, capsys):
    store = empty_store(tmp_path / "s.duckdb")
    before = sha256(store)
    assert run_cli("fetch-ucdp", "--url", f"{server}/nope.zip", "--download-dir", tmp_path / "dl",
                   "--store", store, "--no-progress") == 2
    err = capsys.readouterr().err
    assert "404" in err and "--url" in err
    assert sha256(store) == before and not list((tmp_path / "dl").glob("*"))


def test_fetch_ucdp_refuses_non_http_urls(tmp_path, capsys):
    assert run_cli("fetch-ucdp", "--url", "file:///etc/passwd", "--store", tmp_path / "s.duckdb",
                   "--no-progress") == 2
    assert "http://" in capsys.readouterr().err
