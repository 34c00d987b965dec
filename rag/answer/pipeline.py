"""The answer pipeline, in order. Its order is its policy: what is settled early never reaches the search.

1. sanitise and resolve (Turn.start, rag/answer/turn.py): the question in simplified characters, instructions
   and citation markers taken out, a follow-up completed from the conversation;
2. standard answer: a 标准答复 staff saved for a question of the same meaning ends it;
3. header question: a question about a notice itself (文号, 发文日期) is answered from its header;
4. deadline listing: a list of time-limited tasks is answered from the deadline data, whole;
5. search: retrieval on the question as asked;
6. scope: the learned judgement on the search's evidence; a refusal ends the question here;
7. rewrite: in llm/auto modes, a second search with the chat model's restatement when the ranking is unsure;
8. select: the measures the answer rests on;
9. compose: the extractive answer, or the chat model's checked sentence by sentence as it streams, with the
   extractive answer as fallback.
Steps 2–8 pass the question on (None) or end it (an Outcome); step 9 always ends it. Every ending streams
as events (rag/answer/events.py): token (text to append), replace (discard what was streamed, when the
model's text is withdrawn), then done with the full Answer, which is made here and nowhere else.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer.events import AnswerEvent, Done
from rag.answer.highlight import Highlighter
from rag.answer.model import Answer, Citation
from rag.answer.notices import LoadedNotices
from rag.answer.rewrite import QueryRewriter
from rag.answer.scope import ScopeJudge
from rag.answer.steps.compose import Compose, Select
from rag.answer.steps.early import DeadlineListing, HeaderQuestion, StandardAnswer
from rag.answer.steps.model_answer import ModelAnswer
from rag.answer.steps.search import Rewrite, Scope, Search
from rag.answer.turn import Reply, Step, Turn
from rag.retrieval.hybrid import HybridRetriever
from rag.settings import Settings
from rag.standard.matcher import StandardMatcher


@dataclass(frozen=True)
class Parts:
    """What the steps are built from (rag/answer/service.py puts it together)."""

    notices: LoadedNotices
    highlighter: Highlighter  # its gram weights (idf over the measures) also pick the answering clause
    retriever: HybridRetriever
    scope: ScopeJudge
    settings: Settings
    model: ModelAnswer | None = None  # None: no chat model
    rewriter: QueryRewriter | None = None
    standard: StandardMatcher | None = None


def answer_steps(p: Parts) -> list[Step]:
    """Steps 2–9, in order."""
    hotline = p.settings.answer.hotline
    return [
        StandardAnswer(p.standard, p.notices),
        HeaderQuestion(p.notices, p.retriever, hotline),
        DeadlineListing(p.notices, p.retriever, p.settings.retrieval.max_top_k),
        Search(p.retriever, p.settings),
        Scope(p.scope, p.notices, hotline, p.highlighter, p.settings.answer),
        Rewrite(p.retriever, p.rewriter, p.settings),
        Select(p.settings.answer, p.notices.corpus, p.highlighter),
        Compose(p.notices, p.highlighter, p.model, p.settings.answer.detail_topic_share),
    ]


class Pipeline:
    def __init__(self, steps: list[Step]):
        self.steps = steps

    def run(self, question: str, history: list[dict] | None, mode: str, doc: str | None) -> Iterator[AnswerEvent]:
        """The question's events; the last is done, with the Answer."""
        turn = Turn.start(question, history, mode, doc)
        for step in self.steps:
            outcome = step(turn)
            if outcome is not None:
                reply = yield from outcome.stream()
                yield Done(answer=final_answer(reply, turn))
                return
        raise RuntimeError("no step ended the question")  # the last step always does


def final_answer(reply: Reply, turn: Turn) -> Answer:
    """The one place an Answer is made: the reply, the turn's notes before its own, and the timings (search:
    until the search and scope were done, 0 where the question was settled without one)."""
    ended = time.perf_counter()
    searched = turn.searched - turn.started if turn.searched is not None else 0.0
    return Answer(
        answer=reply.whole,
        citations=[Citation.of(m) for m in reply.cited],
        refused=reply.refused,
        mode=reply.mode,
        retrieved=reply.retrieved,
        notes=[*turn.notes, *reply.notes],
        timings={"search": searched, "answer": ended - turn.started},
        lead=reply.lead,
        status="refused" if reply.refused else reply.status,
        unstated=reply.unstated,
        opening=reply.opening,
        phrasing=reply.phrasing,
        usage=turn.tally.usage,
        source=reply.source,
        standard=reply.standard,
    )
