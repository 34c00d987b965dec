"""The one place that wires settings into components; the API, the CLI and the UI all start here."""

from __future__ import annotations

import logging
import threading
from functools import cached_property

from rag.corpus.collection import Corpus
from rag.embeddings import make_embedder
from rag.indexing import load_or_build
from rag.retrieval import HybridRetriever
from rag.retrieval.keyword_store import KeywordBuilder
from rag.retrieval.question_bank import QuestionBank
from rag.retrieval.remit import RemitIntent
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)


class Services:
    """Lazily built components for one settings object (tests build their own with other settings)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self._lock = threading.RLock()

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus.load(self.settings.corpus_dir)

    @cached_property
    def embedder(self):
        return make_embedder(self.settings.embedding)

    @cached_property
    def index(self):
        with self._lock:
            cfg = self.settings
            return load_or_build(
                self.corpus, self.embedder, cfg.index_dir, cfg.vector_store, keywords=self.keyword_builder()
            )

    @cached_property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            return self.build_retriever(self.corpus, self.index)

    def keyword_builder(self) -> KeywordBuilder:
        """What makes a build's keyword indexes, with this object's settings: every build of the index
        (load_or_build, `rag index build`, ingest, the admin re-index) is handed one."""
        return KeywordBuilder(self.settings.retrieval.index_workers)

    def build_retriever(self, corpus: Corpus, index) -> HybridRetriever:
        """A retriever over the given corpus and index with this object's settings (the admin re-index builds
        its new one aside with this, then installs it)."""
        cfg = self.settings.retrieval
        return HybridRetriever(
            corpus,
            self.embedder,
            index,
            cfg,
            self.settings.embedding.max_query_chars,
            today=self.settings.current_date,
            remit=RemitIntent.load(self.embedder, cfg.remit_model),
            bank=QuestionBank.for_corpus(
                cfg.question_bank,
                {d.id for d in corpus.documents},
                self.embedder.name,
                frozenset(cfg.bank_exclude_writers),
            ),
        )

    @cached_property
    def searcher(self):
        """What searching calls (API, UI): worker processes when configured and started, else the retriever."""
        with self._lock:
            if self.settings.server.search_workers > 0:
                from rag.search_workers import SearchWorkers

                return SearchWorkers(self, self.settings.server.search_workers, build=Services)
            return self.retriever

    def close(self) -> None:
        """Stop what runs outside this process (search workers)."""
        close = getattr(self.__dict__.get("searcher"), "close", None)
        if callable(close):
            close()

    @cached_property
    def chat_model(self):
        from rag.llm import make_chat_model

        return make_chat_model(self.settings)

    @cached_property
    def token_counter(self):
        """Estimated token counts where the chat model gave none (the OpenAI API's usage)."""
        from rag.embeddings.token_count import E5TokenCounter

        return E5TokenCounter()

    @cached_property
    def reindexer(self):
        """The one re-index job of this process (the admin API and the admin tab's notice upload share it)."""
        from rag.indexing.reindex import Reindexer

        with self._lock:  # made once even when the API and the page ask at the same moment
            return Reindexer(self)

    @cached_property
    def standard_store(self):
        from rag.standard.store import open_store

        return open_store(self.settings.data_dir)

    @cached_property
    def standard_answers(self):
        """Saving and exchanging standard answers, checked against the corpus live at the time."""
        from rag.standard.service import StandardAnswers

        return StandardAnswers(self.standard_store, lambda: self.corpus)

    @cached_property
    def question_log(self):
        """None when `question_log.enabled` is off."""
        from rag.questionlog import open_log

        cfg = self.settings.question_log
        return open_log(self.settings.data_dir, cfg.retention_days) if cfg.enabled else None

    @cached_property
    def scope(self):
        """The scope judgement for the live corpus, given what the index knows of the notices' wording."""
        from rag.answer.scope import ScopeJudge

        with self._lock:
            cfg = self.settings.answer
            return ScopeJudge.load(
                self.corpus,
                self.retriever.facts(),
                cfg.scope_model,
                cfg.related_floor,
                everyday=cfg.everyday_closeness,
            )

    @cached_property
    def answerer(self):
        from rag.answer.service import Answerer
        from rag.standard.matcher import StandardMatcher

        with self._lock:
            retriever = self.retriever
            cfg = self.settings.standard
            standard = (
                StandardMatcher(
                    self.standard_store,
                    retriever.embedder,
                    retriever.corpus,
                    cfg.threshold,
                    self.settings.embedding.max_query_chars,
                )
                if cfg.enabled
                else None
            )
            return Answerer(
                retriever.corpus,
                retriever,
                self.chat_model,
                self.settings,
                standard=standard,
                question_log=self.question_log,
                scope=self.scope,
            )

    def install(self, corpus: Corpus, index, retriever: HybridRetriever) -> None:
        """Make components built aside (the admin re-index) live. Assigned over the cached values rather than
        dropped and rebuilt (reload), so no request ever finds them missing and builds them again itself."""
        with self._lock:
            self.__dict__.update(corpus=corpus, index=index, retriever=retriever)
            for name in ("scope", "answerer"):  # built on the retriever: rebuilt on next use around the new one
                self.__dict__.pop(name, None)
            if not hasattr(self.__dict__.get("searcher"), "close"):  # searching in this process: the retriever
                self.__dict__["searcher"] = retriever

    def reload(self) -> None:
        """Drop what depends on the corpus so the next use reads it again (after ingest or re-index)."""
        with self._lock:
            old = self.__dict__.get("index")
            if old is not None and hasattr(old.store, "close"):
                old.store.close()  # a Milvus Lite server must not outlive the build it serves
            for name in ("corpus", "index", "retriever", "scope", "answerer"):
                self.__dict__.pop(name, None)
            if not hasattr(self.__dict__.get("searcher"), "close"):
                # searching in this process: the searcher is the retriever just dropped (worker processes
                # reload on their own when they see the new build)
                self.__dict__.pop("searcher", None)


_default: Services | None = None


def get_services() -> Services:
    global _default
    if _default is None:
        _default = Services()
    return _default
