"""Browser tests: the real app served on 127.0.0.1 and driven in Debian's Chromium via pytest-playwright.

Every page records page errors and any request to a host other than 127.0.0.1; tests assert both
lists are empty and save a screenshot under tests/artifacts/ for a person to look at.
"""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run the README's test command (it installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "accept_downloads": True}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def dashboard_process(store_path: Path, log: Path):
    """The dashboard as a user runs it: `nexus-atlas serve` in its own process (with its own export
    renderer), on 127.0.0.1 and a free port. Yields the base URL."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "atlas.cli", "serve", "--store", str(store_path),
                                 "--host", "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the dashboard did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server(built_store, tmp_path_factory):
    with dashboard_process(built_store.store_path, tmp_path_factory.mktemp("server") / "server.log") as url:
        yield url


class PageWatch:
    """What a user would notice: script errors, and anything fetched from outside this machine."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._on_request)

    def _on_request(self, request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")):
            return
        if host != "127.0.0.1":
            self.foreign_requests.append(request.url)

    def assert_clean(self):
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.foreign_requests == [], f"requests left 127.0.0.1: {self.foreign_requests}"


@pytest.fixture
def watched_page(page):
    watch = PageWatch(page)
    yield page, watch


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
