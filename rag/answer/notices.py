"""The loaded notices as the answer steps read them, and what an answer must say about the notices it
cites, from their data: a notice that is no longer (or not yet) in force says so in the answer's first line
and in its notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rag.answer.extractive import EnglishNames, english_names
from rag.corpus.collection import Corpus
from rag.corpus.model import Document, Measure


class LoadedNotices:
    """The corpus by document id, its units' English names, and the validity warnings for cited measures
    on the day `today` gives (Settings.current_date)."""

    def __init__(self, corpus: Corpus, today: Callable[[], date]):
        self.corpus, self.today = corpus, today
        self.documents = {d.id: d for d in corpus.documents}
        self.english_names: EnglishNames = english_names(corpus.units)

    def warnings(self, measures: list[Measure], english: bool) -> list[str]:
        return validity_warnings([m.doc for m in measures], self.today(), self.documents, english=english)

    def title(self, doc: str | None) -> str:
        """What a refusal names as the source of answers: the notice asked about, or the only one."""
        d = (self.documents.get(doc) if doc else None) or next(iter(self.documents.values()))
        return d.header.title if len(self.documents) == 1 or doc else "已收录的通知"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def validity_warning(
    doc: Document, today: date, documents: dict[str, Document], *, name_it: bool, english: bool = False
) -> str | None:
    """One line for a cited notice that is not in force on `today`; None when it is."""
    v = doc.validity
    status = v.status(today)
    if status == "in_force":
        return None
    which = f"《{doc.header.title or doc.id}》" if name_it else ("this notice" if english else "该通知")
    if status == "superseded":
        newer = documents.get(v.superseded_by or "")
        by = f"《{newer.header.title}》{newer.header.doc_number}" if newer else (v.superseded_by or "")
        if english:
            return f"Note: {which} has been replaced by {by} and is no longer in force."
        return f"注意：{which}已被{by}替代，已废止。"
    if status == "expired":
        until = v.effective_until
        assert until is not None  # expired means a date has passed
        if english:
            return f"Note: {which} was valid until {until.isoformat()} and has expired."
        return f"注意：{which}有效期至{_cn_date(until)}，已失效。"
    start = v.effective_from
    assert start is not None  # not yet in force means a start date lies ahead
    if english:
        return f"Note: {which} takes effect on {start.isoformat()} and is not yet in force."
    return f"注意：{which}自{_cn_date(start)}起施行，目前尚未生效。"


def validity_warnings(
    doc_ids: list[str], today: date, documents: dict[str, Document], *, english: bool = False
) -> list[str]:
    """A warning for each cited notice that is not in force, each notice once, in citation order."""
    name_it = len(documents) > 1
    out = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = documents.get(doc_id)
        warning = validity_warning(doc, today, documents, name_it=name_it, english=english) if doc else None
        if warning:
            out.append(warning)
    return out
