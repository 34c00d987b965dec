"""Per-client rate limiting of /api/ask: a token bucket per client address, 429 with Retry-After when empty,
searches never limited, other clients unaffected."""
from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from rag.api.ratelimit import TokenBuckets


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    clock = Clock()
    b = TokenBuckets(6, clock=clock)  # 6 a minute: one every 10 s
    assert [b.take("a") for _ in range(6)] == [0.0] * 6
    wait = b.take("a")
    assert wait == pytest.approx(10.0)
    clock.now += 5
    assert b.take("a") == pytest.approx(5.0)
    clock.now += 5
    assert b.take("a") == 0.0
    assert b.take("b") == 0.0  # another client has its own bucket


def test_bucket_never_holds_more_than_its_capacity():
    clock = Clock()
    b = TokenBuckets(3, clock=clock)
    clock.now += 3600
    assert [b.take("a") for _ in range(4)][-1] > 0


def test_bucket_is_thread_safe():
    b = TokenBuckets(100, clock=Clock())  # the clock stands still: exactly 100 tokens to hand out
    granted = []

    def worker():
        granted.extend(1 for _ in range(50) if b.take("a") == 0.0)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 100


def test_bucket_memory_stays_bounded():
    clock = Clock()
    b = TokenBuckets(60, clock=clock, max_clients=100)
    for i in range(1000):
        clock.now += 1.0  # each earlier client's bucket has refilled by the time the table is pruned
        b.take(f"10.0.{i // 256}.{i % 256}")
    assert len(b._buckets) <= 101


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
def test_ask_gets_429_with_retry_after_once_the_bucket_is_empty(app_with, path):
    # the bodies are invalid on purpose: limiting happens before anything else, so no answer is computed
    app = app_with(ask_rate_per_minute=3)
    with TestClient(app, client=("10.1.1.1", 5000)) as c:
        codes = [c.post(path, json={}).status_code for _ in range(3)]
        assert 429 not in codes
        r = c.post(path, json={})
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        assert "3 a minute" in r.json()["detail"]
        # search is not limited
        assert all(c.post("/api/search", json={"query": "企业开办"}).status_code == 200 for _ in range(5))
    with TestClient(app, client=("10.2.2.2", 5000)) as other:
        assert other.post(path, json={}).status_code == 422  # another client's bucket: validated, not limited


def test_rate_zero_disables_the_limit(app_with):
    with TestClient(app_with(ask_rate_per_minute=0)) as c:
        assert all(c.post("/api/ask", json={}).status_code == 422 for _ in range(20))


def test_by_default_a_client_may_ask_30_times_a_minute(app_with):
    from rag.settings import ServerSettings

    default = ServerSettings().ask_rate_per_minute
    with TestClient(app_with(ask_rate_per_minute=default), client=("10.3.3.3", 5000)) as c:
        started = time.monotonic()
        responses = [c.post("/api/ask", json={}) for _ in range(40)]
        refilled = int((time.monotonic() - started) / 2)  # a token comes back every 2 s at 30 a minute
    codes = [r.status_code for r in responses]
    assert codes[:30] == [422] * 30 and 30 <= codes.index(429) <= 30 + refilled
    assert "30 a minute" in responses[codes.index(429)].json()["detail"]
