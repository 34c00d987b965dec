"""The steps that search and judge: the search on the question as asked, the scope judgement on its
evidence (a refusal ends the question there), and in llm/auto modes a second search with the chat model's
restatement when the first ranking is unsure."""

from __future__ import annotations

import dataclasses
import time

from rag.answer import extractive
from rag.answer.followup import last_exchange
from rag.answer.highlight import Highlighter
from rag.answer.listing import heads_a_group
from rag.answer.notices import LoadedNotices
from rag.answer.rewrite import QueryRewriter
from rag.answer.scope import ScopeJudge, ScopeVerdict
from rag.answer.turn import Outcome, Reply, Turn
from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever
from rag.settings import AnswerSettings, Settings


class Search:
    """Retrieval on the question as asked (the plan the deadline step made, where it made one): as deep as a
    unit's whole remit or a whole section where the question asks for one."""

    def __init__(self, retriever: HybridRetriever, settings: Settings):
        self.retriever = retriever
        self.max_top_k, self.depth = settings.retrieval.max_top_k, settings.answer.search_depth
        self.context_weight = settings.answer.followup_context_weight

    def __call__(self, turn: Turn) -> Outcome | None:
        follow_up = turn.query != turn.cleaned  # completed from the conversation
        # a conversation stays in the notice it is about, where several are loaded and the question names
        # none: "另外专利费有没有资助？" after a turn on one notice is not a question for another notice on science
        doc = turn.doc
        if doc is None and turn.history:
            doc = self.retriever.conversation_notice(turn.cleaned, last_exchange(turn.history))
        plan = turn.plan or self.retriever.plan(turn.query, doc)
        wide = plan.unit_intent or len(plan.referenced) > 8  # a unit's whole remit, a whole section
        turn.plan = plan
        depth = self.max_top_k if wide else self.depth
        turn.evidence = self.retriever.search(plan, top_k=depth, doc=doc)
        turn.hits = turn.evidence.hits
        if follow_up and not wide:
            # searched in the notice the conversation is about (where several are loaded and none was named)
            doc = doc or (turn.hits[0].measure.doc if turn.hits else None)
            alone = self.retriever.search(self.retriever.plan(turn.cleaned, doc), top_k=depth, doc=doc)
            turn.hits = follow_up_hits(alone.hits, turn.hits, self.context_weight, depth)
        return None


def follow_up_hits(alone: list[Hit], completed: list[Hit], context_weight: float, depth: int) -> list[Hit]:
    """A follow-up's ranking: each measure's score on what it newly asks, plus `context_weight` of its score
    on the question completed from the conversation. "那盖的过程中各部门来检查，会来几回？" after two turns about
    permits should find the measure on joint inspections, which the question alone names, while "这个要多久"
    after the same turns stays on the permits, which only the conversation names. An id the follow-up writes
    (via "id") keeps its place first. The scope judgement still reads the completed question's evidence."""
    scores: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for weight, hits in ((1.0, alone), (context_weight, completed)):
        for h in hits:
            scores[h.measure.key] = scores.get(h.measure.key, 0.0) + weight * h.score
            first.setdefault(h.measure.key, h)
    ranked = sorted(scores, key=lambda k: (-("id" in first[k].via), -scores[k]))
    return [dataclasses.replace(first[k], score=scores[k]) for k in ranked[:depth]]


class Scope:
    """Whether the loaded notices answer the question at all (rag/answer/scope.py); where they do not, or
    nothing was found, a refusal that still names a weakly related measure and the hotline."""

    def __init__(
        self, judge: ScopeJudge, notices: LoadedNotices, hotline: str, highlighter: Highlighter, cfg: AnswerSettings
    ):
        self.judge, self.notices, self.hotline, self.cfg = judge, notices, hotline, cfg
        self.highlighter = highlighter  # its corpus idf, made on first use

    def __call__(self, turn: Turn) -> Outcome | None:
        found = turn.found()
        if heads_a_group(
            turn.cleaned,
            found.hits,
            self.highlighter.idf,
            title_share=self.cfg.list_title_share,
            gathered=self.cfg.list_gathered,
        ):
            verdict = turn.verdict = ScopeVerdict(True, 1.0, "asks for the measures under a heading", by="structure")
        else:
            verdict = turn.verdict = self.judge.judge(found)
        turn.searched = time.perf_counter()
        if verdict.in_scope and turn.hits:
            return None
        related = [h.measure for h in verdict.related]
        names = self.notices.english_names
        title = self.notices.title(turn.doc)
        text = extractive.refusal(title, verdict.reason, related, self.hotline, english=turn.english, names=names)
        return Reply(lead=text, refused=True, retrieved=[h.measure.id for h in turn.hits])


class Rewrite:
    """A second search on the question plus the chat model's restatement in the notice's terms
    (rag/answer/rewrite.py), for a Chinese question the learned scope model admitted whose top two hits lie
    within `rewrite_margin`; its hits replace the first search's. Scope stays judged on the question as asked."""

    def __init__(self, retriever: HybridRetriever, rewriter: QueryRewriter | None, settings: Settings):
        self.retriever, self.rewriter = retriever, rewriter
        self.margin, self.depth = settings.answer.rewrite_margin, settings.answer.search_depth

    def __call__(self, turn: Turn) -> Outcome | None:
        verdict, hits = turn.judged(), turn.hits
        unsure = len(hits) > 1 and hits[0].score - hits[1].score < self.margin
        if (
            self.rewriter is not None
            and turn.mode in ("auto", "llm")
            and verdict.in_scope
            and verdict.by == "model"
            and not turn.english
            and unsure
        ):
            rewritten = self.rewriter.rewrite(turn.query, tally=turn.tally)
            if rewritten:
                second = self.retriever.search(
                    self.retriever.plan(f"{turn.query} {rewritten}", turn.doc), top_k=self.depth, doc=turn.doc
                )
                turn.hits = second.hits or hits
                turn.rewritten = rewritten
                turn.notes.append(f"检索时参考了对话模型的改写：{rewritten}")
        turn.searched = time.perf_counter()
        return None
