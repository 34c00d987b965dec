"""A live `rag serve` on a free port with its own data dir, and headless Debian Chromium driven by Playwright."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "ui"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`rag serve` in a subprocess, as the README runs it; kill() is a kill -9, start() brings it back."""

    def __init__(self, env: dict[str, str], data_dir: Path, log: Path):
        self.env, self.data_dir, self.log = env, data_dir, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                         cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        self.stop()
        pytest.fail(f"rag serve did not come up on {self.url}:\n{tail}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def rag(self, *args: str) -> subprocess.CompletedProcess:
        """Another `rag` command against the same settings (the export evaluators run)."""
        return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=120)


@pytest.fixture(scope="module")
def live_server(services, tmp_path_factory):
    """Shares the session's index (already built), with extractive answers so they are fast and deterministic."""
    OUT.mkdir(parents=True, exist_ok=True)
    cfg = services.settings
    data_dir = tmp_path_factory.mktemp("ui-data")
    env = os.environ | {
        "RAG_CORPUS_DIR": str(cfg.corpus_dir), "RAG_INDEX_DIR": str(cfg.index_dir), "RAG_DATA_DIR": str(data_dir),
        "RAG_LLM__BACKEND": "none", "RAG_SERVER__UI": "true", "GRADIO_ANALYTICS_ENABLED": "False",
    }
    server = LiveServer(env, data_dir, OUT / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, locale="zh-CN", viewport={"width": 1280, "height": 1000})
        ctx.set_default_timeout(30_000)
        yield ctx
        ctx.close()


@pytest.fixture
def page(browser_context, live_server, request):
    """A fresh tab on the UI; a screenshot of where it ended is kept even when the test fails."""
    pg = browser_context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(live_server.url + "/")
    pg.wait_for_selector("#rag-question textarea")
    yield pg
    pg.screenshot(path=str(OUT / f"{request.node.name}-end.png"), full_page=True)
    pg.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
