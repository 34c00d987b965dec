"""Load test: concurrent clients searching and asking, against a server on this machine only.

    python bench/load_test.py                              # starts `rag serve` on a free port: 400 searches, 16 clients
    python bench/load_test.py --ask-share 0.1              # one request in ten is POST /api/ask (extractive)
    python bench/load_test.py --during-generation          # the same searches while the chat model generates
    python bench/load_test.py --url http://127.0.0.1:8000  # against a server already running

Bounded in both count (--requests, at most 10,000) and time (--max-seconds, at most 600): when time runs
out, no new request starts. Only loopback URLs are accepted: this is a tool for measuring your own server,
not for loading someone else's. Prints throughput, p50/p95/p99 latency and errors per endpoint; --json
writes the same figures to a file.

Status codes the server uses on purpose under load (429 rate limited, 503 model busy) are counted as
"shed", apart from errors (5xx, time-outs, connection failures, any other 4xx). Every client comes from
127.0.0.1, so asks beyond the per-client rate (30 a minute by default) are shed: set
RAG_SERVER__ASK_RATE_PER_MINUTE=0 for the server this script starts to measure asking unthrottled.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS, MAX_SECONDS = 10_000, 600
SHED = {429, 503}
FALLBACK_QUESTIONS = [
    "企业开办需要多长时间？",
    "接自来水找哪个单位？",
    "区税务局负责哪些措施？",
    "How do I register a company online?",
    "不动产登记能不能网上办？",
    "二(四)4",
    "工程建设项目审批",
    "外国人工作许可怎么办？",
]


def loopback_only(url: str) -> str:
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        raise SystemExit(f"load_test: cannot resolve {host!r}: {exc}") from None
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"load_test: refusing {url}: only loopback addresses (127.0.0.0/8, ::1) may be loaded")
    return url.rstrip("/")


def questions() -> list[str]:
    from rag.evaluation.dataset import DatasetError, load_dataset

    try:
        return [q.question for q in load_dataset(ROOT / "eval" / "qa.jsonl").questions]
    except DatasetError:
        return FALLBACK_QUESTIONS


def percentile(sorted_values: list[float], p: float) -> float:
    from rag.evaluation.aggregate import percentile as interpolated

    return interpolated(sorted_values, p) if sorted_values else float("nan")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.started = self.finished = 0.0

    def add(self, endpoint: str, seconds: float, outcome: str) -> None:
        with self.lock:
            if outcome == "ok":
                self.latency[endpoint].append(seconds)
            self.outcomes[endpoint][outcome] += 1

    def summary(self) -> dict:
        wall = max(self.finished - self.started, 1e-9)
        out = {}
        for endpoint in sorted(self.outcomes):
            lat = sorted(self.latency[endpoint])
            counts = self.outcomes[endpoint]
            errors = {k: v for k, v in counts.items() if k != "ok" and not k.startswith("shed")}
            out[endpoint] = {
                "requests": sum(counts.values()),
                "ok": counts["ok"],
                "shed": sum(v for k, v in counts.items() if k.startswith("shed")),
                "errors": sum(errors.values()),
                "error_kinds": errors,
                "throughput_rps": round(sum(counts.values()) / wall, 2),
                **{f"p{p}_ms": round(percentile(lat, p) * 1000, 1) for p in (50, 95, 99)},
                "max_ms": round(lat[-1] * 1000, 1) if lat else float("nan"),
            }
        return {"wall_s": round(wall, 2), "endpoints": out}


class Connection:
    """One keep-alive HTTP/1.1 connection per client thread, on the standard library: httpx costs the
    client about 2.5 ms of CPU a request, and on a 2-core machine that CPU is taken from the server
    being measured (the client's own CPU time is printed with the results)."""

    def __init__(self, base: str, timeout_s: float):
        parts = urlsplit(base)
        self.host, self.port, self.timeout_s = parts.hostname, parts.port or 80, timeout_s
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: dict) -> int:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
            try:
                self.conn.request("POST", path, payload, {"Content-Type": "application/json"})
                response = self.conn.getresponse()
                response.read()
                if response.will_close:
                    self.close()
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def one_request(conn: Connection, endpoint: str, body: dict, rec: Recorder) -> None:
    started = time.perf_counter()
    try:
        status = conn.post(endpoint, body)
        seconds = time.perf_counter() - started
        if status == 200:
            outcome = "ok"
        elif status in SHED:
            outcome = f"shed {status}"
        else:
            outcome = f"HTTP {status}"
    except TimeoutError:
        seconds, outcome = time.perf_counter() - started, "timeout"
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        seconds, outcome = time.perf_counter() - started, type(exc).__name__
        conn.close()
    rec.add(endpoint, seconds, outcome)


def run_load(base: str, args, rec: Recorder) -> None:
    qs = questions()
    rng = random.Random(args.seed)
    plan = []
    for i in range(args.requests):
        q = qs[i % len(qs)]
        if rng.random() < args.ask_share:
            plan.append(("/api/ask", {"question": q, "mode": args.ask_mode}))
        else:
            plan.append(("/api/search", {"query": q, "top_k": 5}))
    deadline = time.monotonic() + args.max_seconds
    jobs = iter(plan)
    jobs_lock = threading.Lock()
    local = threading.local()

    def worker() -> None:
        local.conn = Connection(base, args.timeout)
        try:
            while time.monotonic() < deadline:
                with jobs_lock:
                    job = next(jobs, None)
                if job is None:
                    return
                one_request(local.conn, job[0], job[1], rec)
        finally:
            local.conn.close()

    rec.started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        for f in [pool.submit(worker) for _ in range(args.clients)]:
            f.result()
    rec.finished = time.perf_counter()


class Generator(threading.Thread):
    """Keeps the chat model generating: one streamed /api/ask (mode llm) after another until stopped."""

    def __init__(self, base: str, timeout_s: float):
        super().__init__(name="generation", daemon=True)
        self.base, self.timeout_s = base, timeout_s
        self.stop = threading.Event()
        self.generating = threading.Event()  # set once the model has produced something
        self.runs: list[dict] = []

    def run(self) -> None:
        questions_ = itertools.cycle(
            ["企业开办需要多长时间，要准备哪些材料？", "接水接电接气分别找哪些单位，各需要多久？"]
        )
        with httpx.Client() as client:
            while not self.stop.is_set():
                started, mode, events, status = time.perf_counter(), "", 0, 0
                try:
                    with client.stream(
                        "POST",
                        self.base + "/api/ask/stream",
                        json={"question": next(questions_), "mode": "llm"},
                        timeout=self.timeout_s,
                    ) as r:
                        status = r.status_code
                        for line in r.iter_lines():
                            if line.startswith("event:"):
                                events += 1
                                if events >= 2:  # the first event is the preface from the data, before the model runs
                                    self.generating.set()
                            if line.startswith("data:") and '"mode"' in line and '"citations"' in line:
                                mode = json.loads(line[5:]).get("mode", "")
                except httpx.HTTPError as exc:
                    mode = type(exc).__name__
                self.generating.set()  # the ask ended: searching need not wait any longer
                self.runs.append(
                    {
                        "status": status,
                        "mode": mode,
                        "events": events,
                        "seconds": round(time.perf_counter() - started, 2),
                        "ended": time.perf_counter(),
                    }
                )
                seconds = self.runs[-1]["seconds"]
                if mode != "llm" and seconds < 5:  # no chat model behind the server: asking again only adds load
                    print(
                        f"load_test: the background ask answered in {seconds} s with mode {mode!r} (HTTP {status}): "
                        "no chat model generated; these figures are without generation",
                        file=sys.stderr,
                    )
                    return
                if mode != "llm":
                    print(
                        f"load_test: the chat model worked {seconds} s, then the answer fell back to {mode!r} "
                        "(time limit reached)",
                        file=sys.stderr,
                    )


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # a first start may build the index
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"load_test: the server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"load_test: the server did not answer /healthz within 300 s; see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def group_cpu_s(pgid: int) -> float:
    """CPU seconds used so far by the live processes of a process group (the server this script started,
    its search workers and, in the same process, the chat model), from /proc; 0 where /proc is missing."""
    total, tick = 0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …, utime (11), stime (12)
            total += int(fields[11]) + int(fields[12])
    return total / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(result: dict) -> None:
    server = f", the server it started {result['server_cpu_s']} s" if "server_cpu_s" in result else ""
    print(
        f"\n{result['label']}: {result['clients']} clients, {result['wall_s']} s "
        f"(CPU: this client used {result['client_cpu_s']} s{server})"
    )
    print(
        f"{'endpoint':<14}{'requests':>9}{'ok':>6}{'shed':>6}{'errors':>7}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for endpoint, s in result["endpoints"].items():
        print(
            f"{endpoint:<14}{s['requests']:>9}{s['ok']:>6}{s['shed']:>6}{s['errors']:>7}{s['throughput_rps']:>8}"
            f"{s['p50_ms']:>9}{s['p95_ms']:>9}{s['p99_ms']:>9}{s['max_ms']:>9}"
        )
        if s["error_kinds"]:
            print(f"{'':<14}errors: {s['error_kinds']}")
    if "generation" in result:
        g = result["generation"]
        print(
            f"generation: {g['runs']} answers (modes {g['modes']}), "
            f"busy during {g['overlap_share']:.0%} of the searches' time"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server (loopback only); default: start `rag serve` on a free port")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--max-seconds", type=float, default=300)
    p.add_argument("--ask-share", type=float, default=0.0, help="share of requests that are POST /api/ask")
    p.add_argument("--ask-mode", default="extractive", choices=["auto", "llm", "extractive"])
    p.add_argument("--during-generation", action="store_true", help="keep the chat model generating while searching")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    args.requests = max(1, min(args.requests, MAX_REQUESTS))
    args.max_seconds = max(1.0, min(args.max_seconds, MAX_SECONDS))
    args.clients = max(1, min(args.clients, 64))
    args.timeout = max(1.0, min(args.timeout, MAX_SECONDS))
    if args.url:
        args.url = loopback_only(args.url)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = None
    if args.url:
        base = args.url
    else:
        port = free_port()
        server = start_server(port, Path(os.environ.get("TMPDIR", "/tmp")) / f"rag-load-test-{port}.log")
        base = f"http://127.0.0.1:{port}"
    try:
        health = httpx.get(base + "/healthz", timeout=10).json()
        print(f"server {base}: {health.get('measures')} measures, index built {health.get('index')}")
        httpx.post(base + "/api/search", json={"query": "预热"}, timeout=60)  # first query loads lazily built parts
        gen = None
        if args.during_generation:
            gen = Generator(base, timeout_s=max(args.timeout, 300))
            gen.start()
            # the model is loaded, has read its prompt and is producing sentences (or the ask already ended)
            gen.generating.wait(timeout=120)
        rec = Recorder()
        cpu_before, server_before = time.process_time(), group_cpu_s(server.pid) if server else 0.0
        run_load(base, args, rec)
        result = {
            "label": "searches while the chat model generates" if gen else "load",
            "clients": args.clients,
            "requests": args.requests,
            **rec.summary(),
            "client_cpu_s": round(time.process_time() - cpu_before, 2),
        }
        if server is not None:
            result["server_cpu_s"] = round(group_cpu_s(server.pid) - server_before, 2)
        if gen:
            gen.stop.set()
            gen.join(timeout=max(args.timeout, 300) + 10)
            busy_until = max((r["ended"] for r in gen.runs), default=rec.started)
            overlap = max(0.0, min(busy_until, rec.finished) - rec.started) / max(rec.finished - rec.started, 1e-9)
            result["generation"] = {
                "runs": len(gen.runs),
                "modes": sorted({r["mode"] for r in gen.runs}),
                "statuses": sorted({r["status"] for r in gen.runs}),
                "seconds": [r["seconds"] for r in gen.runs],
                "overlap_share": round(overlap, 3),
            }
        report(result)
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        errors = sum(s["errors"] for s in result["endpoints"].values())
        return 1 if errors else 0
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
