"""Answering a question: the pipeline (rag/answer/pipeline.py, its stages in order) put together from the
corpus, the retriever, the scope judgement and the chat model, and what every finished answer gets before it
is handed out: its citations' highlights, and its line in the question log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer.events import AnswerEvent, Done
from rag.answer.highlight import Highlighter
from rag.answer.model import Answer
from rag.answer.notices import LoadedNotices
from rag.answer.pipeline import Parts, Pipeline, answer_steps
from rag.answer.rewrite import QueryRewriter
from rag.answer.scope import DEFAULT_MODEL as SCOPE_MODEL
from rag.answer.scope import ScopeJudge, ScopeVerdict
from rag.answer.steps.model_answer import ModelAnswer
from rag.answer.steps.search import Rewrite, Scope, Search
from rag.answer.turn import MODES, Turn
from rag.corpus.collection import Corpus
from rag.language.script import to_simplified
from rag.llm.base import ChatModel
from rag.provenance import advise_on_settings
from rag.questionlog.store import LogEntry, QuestionLog
from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever
from rag.retrieval.query import QueryPlan
from rag.settings import Settings
from rag.standard.matcher import StandardMatcher

__all__ = ["MODES", "Answerer", "Context"]


@dataclass
class Context:
    plan: QueryPlan
    hits: list[Hit]
    verdict: ScopeVerdict
    rewritten: str | None = None  # the chat model's restatement, when a second search used it


class Answerer:
    def __init__(
        self,
        corpus: Corpus,
        retriever: HybridRetriever,
        chat: ChatModel | None,
        settings: Settings,
        *,
        standard: StandardMatcher | None = None,
        question_log: QuestionLog | None = None,
        scope: ScopeJudge | None = None,
    ):
        """`scope`: the composition root's (rag/services.py); without one, loaded as settings say."""
        self.corpus, self.retriever, self.chat, self.settings = corpus, retriever, chat, settings
        self.standard, self.question_log = standard, question_log
        self.highlighter = Highlighter(corpus)
        cfg = settings.answer
        self.scope = scope or ScopeJudge.load(
            corpus,
            retriever.facts(),
            cfg.scope_model,
            cfg.related_floor,
            everyday=cfg.everyday_closeness,
        )
        advise_on_settings((cfg.scope_model or SCOPE_MODEL).parent, settings)
        self.notices = LoadedNotices(corpus, settings.current_date)
        self.rewriter = QueryRewriter(chat) if chat is not None and cfg.rewrite else None
        model = ModelAnswer(chat, corpus, settings) if chat is not None else None
        self.parts = Parts(
            self.notices, self.highlighter, retriever, self.scope, settings, model, self.rewriter, standard
        )
        self.pipeline = Pipeline(answer_steps(self.parts))

    def ask(
        self,
        question: str,
        history: list[dict] | None = None,
        mode: str = "auto",
        doc: str | None = None,
        *,
        channel: str | None = None,
        client: str | None = None,
    ) -> Answer:
        for event in self.stream(question, history, mode, doc, channel=channel, client=client):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("answer stream ended without a result")

    def stream(
        self,
        question: str,
        history: list[dict] | None = None,
        mode: str = "auto",
        doc: str | None = None,
        *,
        channel: str | None = None,
        client: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """The answer's events. The final answer's citations carry their highlights; with a `channel` (api, ui,
        openai, mcp) it is written to the question log before it is handed out, so nothing shown goes unlogged."""
        for event in self.pipeline.run(question, history, mode, doc):
            if isinstance(event, Done):
                event = Done(answer=self._finish(event.answer, question, doc, channel, client))
            yield event

    def _finish(self, answer: Answer, question: str, doc: str | None, channel: str | None, client: str | None):
        # the card marks what the answer's own words quote: the answering clause it opens with, the model's
        # sentences, a standard answer's text
        own_words = "" if answer.refused else answer.lead
        answer = answer.model_copy(
            update={"citations": self.highlighter.mark(answer.citations, to_simplified(question), own_words)}
        )
        if channel is not None and self.question_log is not None:
            keep = self.settings.question_log.keep_client_address
            self.question_log.add(LogEntry.of(answer, question, doc, channel, client if keep else None))
        return answer

    def context(
        self,
        query: str,
        mode: str = "auto",
        doc: str | None = None,
        english: bool = False,
        plan: QueryPlan | None = None,
    ) -> Context:
        """What an answer rests on, by the pipeline's own search, scope and rewrite steps: the search, the
        scope verdict on the question as asked, and in llm/auto modes a second search with the chat model's
        restatement when the first ranking is unsure (bench/rewrite.py compares the two)."""
        p = self.parts
        turn = Turn(
            question=query,
            history=[],
            mode=mode,
            doc=doc,
            english=english,
            cleaned=query,
            query=query,
            started=time.perf_counter(),
            plan=plan,
        )
        Search(p.retriever, p.settings)(turn)
        # its refusal, if any, is not needed here
        Scope(p.scope, p.notices, p.settings.answer.hotline, p.highlighter, p.settings.answer)(turn)
        Rewrite(p.retriever, p.rewriter, p.settings)(turn)
        return Context(turn.found().plan, turn.hits, turn.judged(), turn.rewritten)
