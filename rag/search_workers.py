"""Searches run in worker processes, each with its own copy of the retriever.

One Python process searches at about 125 questions a second on 2 cores, however many threads it has: the
question encoder runs outside the interpreter lock, but tokenising, BM25 and the HTTP layer do not, and 16
clients queue on that lock (bench/load_test.py, questions never seen before, while the chat model
generates: p95 ≈ 220 ms). Two worker processes take that work off the serving process and run it on both
cores: p95 120–150 ms, about 165 searches a second. The serving
process keeps everything that must exist once (the chat model and its one-at-a-time gate, rate limits,
the UI, admin), so only searching is spread out.

Each request carries the serving process's index build; a worker that holds another build (after an admin
re-index) reloads from disk before answering. A worker that dies is replaced, and the search that found
it dead is answered in the serving process, as is any search while the workers are (re)starting.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from rag.corpus.collection import Corpus
from rag.indexing.store import LoadedIndex
from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever
from rag.settings import Settings

log = logging.getLogger(__name__)
RELOAD_TIMEOUT_S = 60.0


class SearchServices(Protocol):
    """What searching needs of the services (rag.services.Services, which starts the workers and so is not
    imported here): the serving process's, and each worker's own, made by the `build` SearchWorkers is given."""

    @property
    def settings(self) -> Settings: ...

    @property
    def corpus(self) -> Corpus: ...

    @property
    def index(self) -> LoadedIndex: ...

    @property
    def retriever(self) -> HybridRetriever: ...

    def reload(self) -> None: ...


_worker_services: SearchServices | None = None  # in a worker process: its own services
_reloaded_for: str | None = None  # the serving process's build this worker last reloaded for


def _exit_with_parent(parent: int, every_s: float = 1.0) -> None:
    """A worker blocks on its task queue, whose pipe it holds both ends of: when the serving process is
    killed (kill -9, OOM) nothing wakes it. So it watches its parent, and goes when the parent has gone."""
    while True:
        time.sleep(every_s)
        if os.getppid() != parent:
            os._exit(0)


def _start_worker(build: Callable[[Settings], SearchServices], settings_json: str) -> None:
    global _worker_services
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()

    settings = Settings.model_validate_json(settings_json)
    settings.server.search_workers = 0  # a worker searches itself
    _worker_services = build(settings)
    _worker_services.retriever.retrieve("预热", 1)


def _search(build: str, query: str, top_k: int, doc: str | None) -> list[tuple]:
    global _reloaded_for
    svc = _worker()
    if str(svc.index.path) != build and _reloaded_for != build:
        # the serving process moved to another build: read CURRENT again, once per build, since CURRENT
        # may name yet another one (`rag index build` run beside the server) and reloading on every
        # search would not change that
        _reloaded_for = build
        svc.reload()
    return [(h.measure.key, h.score, h.dense, h.bm25, h.via) for h in svc.retriever.retrieve(query, top_k, doc=doc)]


def _worker() -> SearchServices:
    assert _worker_services is not None, "called outside a worker process"
    return _worker_services


def _ready() -> str:
    return str(_worker().index.path)


class SearchWorkers:
    """The retriever's `retrieve` with the work done in `processes` worker processes."""

    def __init__(
        self,
        svc: SearchServices,
        processes: int = 2,
        timeout_s: float = 10.0,
        *,
        build: Callable[[Settings], SearchServices],
    ):
        """`build` makes a worker's own services from the serving process's settings; it is pickled by
        reference into each spawned worker, so it must be importable there (a module-level class or function)."""
        self.svc, self.processes, self.timeout_s, self.build = svc, max(1, processes), timeout_s, build
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self.fallbacks = 0  # searches answered in this process instead
        self._answered_for: str | None = None  # the build a worker last answered a search for

    def start(self, wait: bool = True) -> None:
        """Start the workers and serve through them once each has loaded its index; until then (or
        at once, without wait) searches are answered in this process."""
        if not wait:
            threading.Thread(target=self._start_logged, name="search-workers", daemon=True).start()
            return
        # spawn, not fork: this process already runs threads (ONNX Runtime, uvicorn), and a forked child
        # would inherit their locks mid-use
        pool = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.build, self.svc.settings.model_dump_json()),
        )
        try:
            for f in [pool.submit(_ready) for _ in range(self.processes)]:  # one per process: each spawns one
                f.result(timeout=300)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        with self._lock:
            installed = not self._closed
            if installed:
                self._pool = pool
        if not installed:  # closed meanwhile
            pool.shutdown(wait=False, cancel_futures=True)

    def _start_logged(self) -> None:
        try:
            self.start()
        except Exception:  # searches go on in this process; the log says why the workers are missing
            log.exception("search workers did not start")

    @property
    def running(self) -> int:
        """Worker processes serving searches now (0 while starting, after close, or before start)."""
        pool = self._pool
        return len(pool._processes or {}) if pool is not None else 0

    def retrieve(self, query: str, top_k: int = 5, doc: str | None = None) -> list[Hit]:
        pool = self._pool
        if pool is None:
            return self._here(query, top_k, doc)
        svc = self.svc
        corpus, index = svc.corpus, svc.index
        # the first search after a re-index makes a worker load the new build (corpus, index, dictionary and
        # clause caches): seconds, more on a busy machine, so it gets longer than a search would
        timeout = self.timeout_s if self._answered_for == str(index.path) else max(self.timeout_s, RELOAD_TIMEOUT_S)
        try:
            rows = pool.submit(_search, str(index.path), query, top_k, doc).result(timeout=timeout)
            self._answered_for = str(index.path)
        except BrokenProcessPool:
            log.warning("a search worker died; starting new ones")
            self._replace(pool)
            return self._here(query, top_k, doc)
        except FutureTimeout:
            log.warning("a search worker took over %.0f s; answering here", self.timeout_s)
            return self._here(query, top_k, doc)
        try:
            return [Hit(corpus.by_key[key], score, dense, bm25, via) for key, score, dense, bm25, via in rows]
        except KeyError:  # the worker read a build this process has not installed yet
            return self._here(query, top_k, doc)

    def _here(self, query: str, top_k: int, doc: str | None) -> list[Hit]:
        self.fallbacks += 1
        return self.svc.retriever.retrieve(query, top_k, doc=doc)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is not broken:
                return  # another request already replaced it
            self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)
        self.start(wait=False)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
