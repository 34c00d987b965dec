"""The steps that answer a question before any search, from what staff saved or what the data says whole:
a standard answer, a question about a notice's header, a listing of time-limited tasks."""

from __future__ import annotations

from rag.answer import deadlines, extractive
from rag.answer.header import header_answer, header_field, other_year
from rag.answer.notices import LoadedNotices
from rag.answer.standard_reply import standard_reply
from rag.answer.turn import Outcome, Reply, Turn
from rag.corpus import schedule
from rag.corpus.deadlines import find_deadlines
from rag.corpus.model import Document, Measure
from rag.retrieval.hybrid import HybridRetriever
from rag.retrieval.query import QueryPlan
from rag.standard.matcher import StandardMatcher


class StandardAnswer:
    """A 标准答复 staff saved for a question of the same meaning (rag/standard/), with the measures it cites
    quoted from the corpus."""

    def __init__(self, matcher: StandardMatcher | None, notices: LoadedNotices):
        self.matcher, self.notices = matcher, notices

    def __call__(self, turn: Turn) -> Outcome | None:
        matched = self.matcher.match(turn.query, turn.doc) if self.matcher is not None else None
        if matched is None:
            return None
        warnings = self.notices.warnings(matched.measures, turn.english)
        n = self.notices
        return standard_reply(matched, n.documents, n.english_names, turn.english, warnings)


class HeaderQuestion:
    """A question about a notice itself (文号, 发文日期, 发布机构 ...), answered from its header; refused where
    it names a year no loaded notice was issued in (it asks about another document)."""

    def __init__(self, notices: LoadedNotices, retriever: HybridRetriever, hotline: str):
        self.notices, self.retriever, self.hotline = notices, retriever, hotline

    def __call__(self, turn: Turn) -> Outcome | None:
        field = header_field(turn.cleaned)
        if not field:
            return None
        documents, english = self.notices.documents, turn.english
        year = other_year(turn.cleaned, field, list(documents.values()), english)
        if year is None:
            document = (documents.get(turn.doc) if turn.doc else None) or self._document_for(turn.query)
            return Reply(lead=header_answer(document, field, english))
        reason = f"问的是{year}年的文件，不是已收录的通知"
        names = self.notices.english_names
        text = extractive.refusal(self.notices.title(turn.doc), reason, [], self.hotline, english=english, names=names)
        return Reply(lead=text, refused=True)

    def _document_for(self, query: str) -> Document:
        documents = self.notices.documents
        if len(documents) == 1:
            return next(iter(documents.values()))
        hits = self.retriever.retrieve(query, top_k=1)
        return documents[hits[0].measure.doc] if hits else next(iter(documents.values()))


class DeadlineListing:
    """A unit's time-limited tasks, or every task due by a date the question names, from the deadline data
    (rag/answer/deadlines.py): the list must be complete, and only the data knows every limit. A question
    about one measure's time limit passes on to search, which quotes the measure. The query planned here is
    the one the search step uses."""

    def __init__(self, notices: LoadedNotices, retriever: HybridRetriever, max_listed: int):
        self.notices, self.retriever, self.max_listed = notices, retriever, max_listed

    def __call__(self, turn: Turn) -> Outcome | None:
        if not deadlines.asks_deadlines(turn.query):
            return None
        turn.plan = self.retriever.plan(turn.query, turn.doc)
        listed = self._listing(turn.plan, turn.query, turn.doc, turn.english)
        if listed is None:
            return None
        text, measures = listed
        warnings = self.notices.warnings(measures, turn.english)
        text = "\n".join([*warnings, text])
        return Reply(lead=text, cited=measures, retrieved=[m.id for m in measures], notes=warnings)

    def _listing(self, plan: QueryPlan, query: str, doc: str | None, english: bool) -> tuple[str, list[Measure]] | None:
        """The listing's text and measures; None when the question names a measure, or no unit and no date."""
        if plan.referenced:
            return None
        asked = find_deadlines(query)
        before = max((d.by for d in asked if d.by is not None), default=None)
        if plan.unit_names:  # the shortest name the question wrote stands for the unit and its variants
            unit: str | None = min(plan.unit_names, key=len)
        elif before is not None:
            unit = None
        else:
            return None
        try:
            items = schedule.due(self.notices.corpus, unit=unit, before=before, doc=doc)
        except schedule.UnknownUnit:
            return None
        found = [m for m, _ in schedule.by_measure(items)][: self.max_listed]
        label = {m.key: extractive.doc_label(m, self.notices.documents) for m in found}
        names = self.notices.english_names
        roles = lambda m: extractive.roles_text(m.roles, m.units_open, english=english, names=names)  # noqa: E731
        return deadlines.compose(unit, found, label, roles, english=english), found
