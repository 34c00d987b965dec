"""The load test's own safety and arithmetic: loopback only, bounded, percentiles right."""
from __future__ import annotations

import pytest

from tests.bench.scripts import bench

load_test = bench("load_test")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:9000", "http://127.3.4.5"])
def test_loopback_urls_are_accepted(url):
    assert load_test.loopback_only(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://10.0.0.1:8000", "http://192.168.1.10", "http://0.0.0.0:8000", "http://8.8.8.8"])
def test_other_hosts_are_refused(url):
    with pytest.raises(SystemExit, match="refusing|cannot resolve"):
        load_test.loopback_only(url)


def test_percentiles():
    values = [float(i) for i in range(1, 101)]
    assert load_test.percentile(values, 50) == pytest.approx(50.5)
    assert load_test.percentile(values, 99) == pytest.approx(99.01)
    assert load_test.percentile([3.0], 95) == 3.0


def test_counts_time_and_clients_are_capped():
    args = load_test.parse_args(["--url", "http://127.0.0.1:1", "--requests", "999999", "--max-seconds", "99999",
                                 "--clients", "500", "--timeout", "99999"])
    assert (args.requests, args.max_seconds, args.clients, args.timeout) == (10_000, 600, 64, 600)


def test_a_non_loopback_url_is_refused_before_anything_is_sent():
    with pytest.raises(SystemExit, match="refusing"):
        load_test.parse_args(["--url", "http://93.184.216.34:80"])


def test_requests_are_counted_by_outcome_over_kept_alive_connections():
    """A loopback server that answers by path: 200, 429 (shed) and 500 (an error); it closes the
    connection now and then, which the client must survive by reconnecting."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    served = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            served.append(body)
            status = {"/ok": 200, "/busy": 429}.get(self.path, 500)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            if len(served) % 3 == 0:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        conn = load_test.Connection(f"http://127.0.0.1:{server.server_port}", timeout_s=5)
        rec = load_test.Recorder()
        for path in ["/ok"] * 5 + ["/busy", "/broken"]:
            load_test.one_request(conn, path, {"query": "接水找谁"}, rec)
        conn.close()
    finally:
        server.shutdown()
    assert rec.outcomes["/ok"]["ok"] == 5 and rec.outcomes["/busy"]["shed 429"] == 1
    assert rec.outcomes["/broken"]["HTTP 500"] == 1
    assert len(served) == 7 and served[0] == {"query": "接水找谁"}
    rec.started, rec.finished = 0.0, 1.0
    summary = rec.summary()["endpoints"]
    assert summary["/ok"]["errors"] == 0 and summary["/busy"]["shed"] == 1 and summary["/broken"]["errors"] == 1
