"""The last steps: which retrieved measures the answer rests on, and its text: extractive, or the chat
model's phrasing checked as it streams (rag/answer/steps/model_answer.py) with the extractive text as
fallback. Either way the measures and their units come from retrieval and the data, never from the model."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace

from rag.answer import extractive
from rag.answer.events import Replace, Token
from rag.answer.highlight import Highlighter
from rag.answer.listing import asks_list, group_of, list_measures
from rag.answer.notices import LoadedNotices
from rag.answer.selection import select
from rag.answer.steps.model_answer import ModelAnswer
from rag.answer.turn import Outcome, Reply, Streamed, Turn
from rag.corpus.collection import Corpus
from rag.corpus.model import Measure
from rag.settings import AnswerSettings

NO_MODEL = "没有可用的对话模型，已改为摘录式回答"


class Select:
    """The best hit and those scoring close to it, or every hit an id or a unit's remit brought
    (rag/answer/selection.py); for a question that asks for every measure on a topic, all of them
    (rag/answer/listing.py)."""

    def __init__(self, cfg: AnswerSettings, corpus: Corpus, highlighter: Highlighter):
        self.cfg, self.highlighter = cfg, highlighter
        self.groups: dict[tuple[str, str, str], list[Measure]] = {}
        for m in corpus.measures:
            self.groups.setdefault(group_of(m), []).append(m)

    def __call__(self, turn: Turn) -> Outcome | None:
        cfg, hits = self.cfg, turn.hits
        structural = bool(hits) and hits[0].via[:1] in (["id"], ["unit"])  # retrieval listed them already
        if hits and not structural and asks_list(turn.cleaned):
            found = list_measures(
                turn.cleaned,
                hits,
                self.groups,
                self.highlighter.idf,
                title_share=cfg.list_title_share,
                gathered=cfg.list_gathered,
                margin=cfg.list_margin,
                limit=cfg.list_max,
            )
            if len(found.measures) > 1:
                turn.chosen, turn.listing = found.measures, found.heading
                return None
        turn.chosen = [h.measure for h in select(hits, cfg.max_measures, cfg.select_margin)]
        return None


class Compose:
    """The answer's text. A unit's whole remit is listed extractively (the model would only reword a list);
    otherwise `auto` and `llm` modes ask the chat model, where there is one."""

    def __init__(
        self, notices: LoadedNotices, highlighter: Highlighter, model: ModelAnswer | None, detail_topic_share: float
    ):
        self.notices, self.highlighter, self.model = notices, highlighter, model
        self.detail_topic_share = detail_topic_share

    def __call__(self, turn: Turn) -> Outcome | None:
        hits, plan, chosen, english = turn.hits, turn.found().plan, turn.chosen, turn.english
        unit_query = None
        if hits[0].via and hits[0].via[0] == "unit":
            unit_query = "、".join(sorted(plan.unit_names & {u for m in chosen for u in m.units}, key=len)) or None
        names = self.notices.english_names
        documents = self.notices.documents
        fallback = extractive.compose(
            chosen,
            documents,
            english=english,
            unit_query=unit_query,
            names=names,
            question=turn.cleaned,
            idf=self.highlighter.idf,
            listing=turn.listing,
            detail_topic_share=self.detail_topic_share,
        )
        notes = [NO_MODEL] if turn.mode == "llm" and self.model is None else []
        warnings = self.notices.warnings(chosen, english)  # a notice out of force says so first
        opening = "".join(w + "\n" for w in warnings)
        reply = Reply(
            lead=opening + fallback.lead,
            quoted=fallback.quoted or None,
            cited=chosen,
            # a list's group counts as retrieved: the listing step found it from the hits
            retrieved=list(dict.fromkeys([*(h.measure.id for h in hits), *(m.id for m in chosen)])),
            notes=[*notes, *warnings],
            status=fallback.status,
            unstated=fallback.unstated,
            opening=fallback.opening,
        )
        # a list, a unit's remit or a detail the notice does not give is said by the data: the model would
        # only reword it, or fill the gap
        plain = unit_query is not None or turn.listing is not None or fallback.status == "partial"
        if self.model is None or turn.mode not in ("auto", "llm") or plain:
            return reply
        return Streamed(self._phrased(turn, fallback, opening, reply))

    def _phrased(
        self, turn: Turn, fallback: extractive.Composed, opening: str, reply: Reply
    ) -> Generator[Token | Replace, None, Reply]:
        assert self.model is not None
        phrased = yield from self.model.stream(
            turn.query,
            turn.chosen,
            turn.history,
            turn.english,
            fallback,
            strict=turn.mode == "llm",
            opening=opening,
            tally=turn.tally,
        )
        phrasing = {"kept": phrased.kept, **(phrased.dropped or {})} if phrased.dropped is not None else None
        return replace(
            reply, lead=phrased.lead, mode=phrased.mode, notes=[*reply.notes, *phrased.notes], phrasing=phrasing
        )
