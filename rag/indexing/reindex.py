"""A re-index run from the admin API or the admin tab: one at a time, in a worker thread, while the old
index keeps serving.

The new corpus, index and retriever are built aside and installed in one step, so a search sees either
the old trio or the new one, never a half-built index; a failed build installs nothing (and on disk the
old build stays live: rag.indexing.store only repoints CURRENT once the new build is complete).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

import numpy as np

from rag.corpus.collection import Corpus
from rag.embeddings import make_embedder
from rag.embeddings.base import Embedder
from rag.indexing.store import KeywordMaker, LoadedIndex, rebuild
from rag.settings import Settings

log = logging.getLogger(__name__)


class ReindexRunning(RuntimeError):
    pass


class LiveServices(Protocol):
    """What a re-index reads and replaces in the serving process (rag.services.Services). The retriever is
    only handed on from one call to the other: retrieval sits above indexing, so its type is not named here."""

    @property
    def settings(self) -> Settings: ...

    @property
    def embedder(self) -> Embedder: ...

    def keyword_builder(self) -> KeywordMaker: ...

    def build_retriever(self, corpus: Corpus, index: LoadedIndex) -> Any: ...

    def install(self, corpus: Corpus, index: LoadedIndex, retriever: Any) -> None: ...


class _AsideEmbedder:
    """The live embedder's name and size, with its own model handle made only if something must be
    embedded: the live handle serialises calls, and searches must not queue behind a whole rebuild."""

    def __init__(self, svc: LiveServices):
        self._svc = svc
        self.name, self.dim = svc.embedder.name, svc.embedder.dim
        self._own: Embedder | None = None

    def embed_query(self, text: str) -> np.ndarray:
        return self._svc.embedder.embed_query(text)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self._own is None:
            self._own = make_embedder(self._svc.settings.embedding)
        return self._own.embed_passages(texts)


class Reindexer:
    def __init__(self, svc: LiveServices):
        self.svc = svc
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.state: dict = {"status": "idle"}

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, full: bool = False) -> dict:
        with self._lock:
            if self.running:
                raise ReindexRunning(f"a re-index has been running since {self.state.get('started_at')}")
            self.state = {"status": "running", "full": full, "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            self._thread = threading.Thread(target=self._run, args=(full,), name="reindex", daemon=True)
            self._thread.start()
            return dict(self.state)

    def wait(self, timeout_s: float) -> dict:
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
        return dict(self.state)

    def _run(self, full: bool) -> None:
        started = time.perf_counter()
        svc, cfg = self.svc, self.svc.settings
        try:
            corpus = Corpus.load(cfg.corpus_dir)
            index = rebuild(
                corpus,
                _AsideEmbedder(svc),
                cfg.index_dir,
                cfg.vector_store,
                full=full,
                reason="admin re-index",
                keywords=svc.keyword_builder(),
            )
            retriever = svc.build_retriever(corpus, index)
            svc.install(corpus, index, retriever)
            self.state = {
                **self.state,
                "status": "done",
                "seconds": round(time.perf_counter() - started, 2),
                "build": index.path.name,
                "measures": index.manifest["count"],
                "embedded": index.manifest["embedded"],
                "documents": len(corpus.documents),
                # lines the parser placed by its own choice, in every notice: the upload's caller shows them
                "warnings": [{"doc": d.id, **w.to_dict()} for d in corpus.documents for w in d.warnings],
            }
            log.info("re-index done: %s", self.state)
        except Exception as exc:  # reported through the API; the old index keeps serving
            log.exception("re-index failed")
            self.state = {
                **self.state,
                "status": "failed",
                "seconds": round(time.perf_counter() - started, 2),
                "error": f"{type(exc).__name__}: {exc}",
            }
