"""The last steps: which retrieved measures the answer rests on, and its text: extractive, or the chat
model's phrasing checked as it streams (rag/answer/steps/model_answer.py) with the extractive text as
fallback. Either way the measures and their units come from retrieval and the data, never from the model."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace

from rag.answer import extractive
from rag.answer.events import Replace, Token
from rag.answer.notices import LoadedNotices
from rag.answer.selection import select
from rag.answer.steps.model_answer import ModelAnswer
from rag.answer.turn import Outcome, Reply, Streamed, Turn
from rag.settings import AnswerSettings

NO_MODEL = "没有可用的对话模型，已改为摘录式回答"


class Select:
    """The best hit and those scoring close to it, or every hit an id or a unit's remit brought
    (rag/answer/selection.py)."""

    def __init__(self, cfg: AnswerSettings):
        self.max_measures, self.margin = cfg.max_measures, cfg.select_margin

    def __call__(self, turn: Turn) -> Outcome | None:
        turn.chosen = [h.measure for h in select(turn.hits, self.max_measures, self.margin)]
        return None


class Compose:
    """The answer's text. A unit's whole remit is listed extractively (the model would only reword a list);
    otherwise `auto` and `llm` modes ask the chat model, where there is one."""

    def __init__(self, notices: LoadedNotices, model: ModelAnswer | None):
        self.notices, self.model = notices, model

    def __call__(self, turn: Turn) -> Outcome | None:
        hits, plan, chosen, english = turn.hits, turn.found().plan, turn.chosen, turn.english
        unit_query = None
        if hits[0].via and hits[0].via[0] == "unit":
            unit_query = "、".join(sorted(plan.unit_names & {u for m in chosen for u in m.units}, key=len)) or None
        names = self.notices.english_names
        documents = self.notices.documents
        fallback = extractive.compose(chosen, documents, english=english, unit_query=unit_query, names=names)
        notes = [NO_MODEL] if turn.mode == "llm" and self.model is None else []
        warnings = self.notices.warnings(chosen, english)  # a notice out of force says so first
        opening = "".join(w + "\n" for w in warnings)
        reply = Reply(
            lead=opening + fallback.lead,
            quoted=fallback.quoted,
            cited=chosen,
            retrieved=[h.measure.id for h in hits],
            notes=[*notes, *warnings],
        )
        if self.model is None or turn.mode not in ("auto", "llm") or unit_query is not None:
            return reply
        return Streamed(self._phrased(turn, fallback, opening, reply))

    def _phrased(
        self, turn: Turn, fallback: extractive.Composed, opening: str, reply: Reply
    ) -> Generator[Token | Replace, None, Reply]:
        assert self.model is not None
        phrased = yield from self.model.stream(
            turn.query, turn.chosen, turn.history, turn.english, fallback, strict=turn.mode == "llm", opening=opening
        )
        return replace(reply, lead=phrased.lead, mode=phrased.mode, notes=[*reply.notes, *phrased.notes])
