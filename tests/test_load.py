"""Many users at once: `nexus-atlas serve-prod` with 2 workers sharing one read-only store answers 20
concurrent simulated users (the page's own Dash requests) without a single error. Bounded: a few
seconds and a request budget, on 127.0.0.1 only. No timing is asserted (benchmarks/ measures that)."""
from __future__ import annotations

import pytest

from benchmarks.load_test import HOST, production_server, simulate_users, user_plans

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from benchmarks.generate_events import build_store
    return build_store(tmp_path_factory.mktemp("load") / "small.duckdb", 300, seed=5, progress=False)


def test_twenty_users_two_workers_no_errors(small_store):
    assert HOST == "127.0.0.1"
    with production_server(small_store, workers=2) as port:
        plans = user_plans(small_store, port, users=20)
        logs, _ = simulate_users(port, plans, users=20, seconds=4, max_requests=2_000)
    errors = [e for log in logs for e in log.errors]
    requests = sum(len(log.latencies) for log in logs)
    assert errors == []
    assert requests >= 20, "every user should have been answered at least once"
    assert all(log.latencies for log in logs), "a user got no answer at all"
    assert sum(log.bytes for log in logs) > 0
