"""The answer given when a question matches a saved standard answer: the staff's text, then the cited
measures quoted with their units from the corpus (never from the saved text), marked source "standard"."""

from __future__ import annotations

from rag.answer import extractive
from rag.answer.model import StandardRef
from rag.answer.turn import Reply
from rag.corpus.model import Document
from rag.standard.matcher import StandardMatch


def standard_reply(
    matched: StandardMatch,
    documents: dict[str, Document],
    names: extractive.EnglishNames,
    english: bool,
    warnings: list[str],
) -> Reply:
    """`warnings` (a cited notice out of force) open the answer and join its notes."""
    saved, measures = matched.answer, matched.measures
    lead = "".join(w + "\n" for w in warnings) + saved.answer.strip()
    quoted = extractive.compose(measures, documents, english=english, names=names).quoted if measures else ""
    return Reply(
        lead=lead,
        quoted=quoted,
        text=f"{lead}\n{quoted}".rstrip(),
        cited=measures,
        retrieved=[m.id for m in measures],
        notes=warnings,  # which saved answer, and how close: in `standard`
        source="standard",
        standard=StandardRef(
            id=saved.id, question=saved.question, similarity=round(matched.similarity, 4), version=saved.version
        ),
    )
