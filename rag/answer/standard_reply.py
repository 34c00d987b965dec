"""The answer given when a question matches a saved standard answer: the staff's text, then the cited
measures quoted with their units from the corpus (never from the saved text), marked source "standard"."""

from __future__ import annotations

import time
from collections.abc import Iterator

from rag.answer import extractive
from rag.answer.events import AnswerEvent, Done, tokens
from rag.answer.model import Answer, Citation, StandardRef
from rag.corpus.model import Document
from rag.standard.matcher import StandardMatch


def standard_reply(
    matched: StandardMatch,
    documents: dict[str, Document],
    names: extractive.EnglishNames,
    english: bool,
    notes: list[str],
    warnings: list[str],
    started: float,
) -> Iterator[AnswerEvent]:
    """`warnings` (a cited notice out of force) open the answer and join `notes`."""
    saved, measures = matched.answer, matched.measures
    lead = "".join(w + "\n" for w in warnings) + saved.answer.strip()
    quoted = extractive.compose(measures, documents, english=english, names=names).quoted if measures else ""
    yield from tokens(lead + "\n")
    if quoted:
        yield from tokens(quoted, "quoted")
    yield Done(
        answer=Answer(
            answer=f"{lead}\n{quoted}".rstrip(),
            citations=[Citation.of(m) for m in measures],
            refused=False,
            mode="extractive",
            retrieved=[m.id for m in measures],
            notes=[*notes, *warnings],  # which saved answer, and how close: in `standard`
            timings={"search": 0.0, "answer": time.perf_counter() - started},
            lead=lead,
            source="standard",
            standard=StandardRef(
                id=saved.id, question=saved.question, similarity=round(matched.similarity, 4), version=saved.version
            ),
        )
    )
