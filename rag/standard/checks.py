"""What a standard answer must satisfy before it is saved: every citation names one measure of the corpus,
and the text names no measure it does not cite and no unit that none of its measures names. Staff write
the text; which measures and which units are responsible still come from the notice."""

from __future__ import annotations

from rag.corpus.collection import Corpus
from rag.corpus.model import Measure
from rag.standard.model import CitedMeasure


class StandardAnswerError(ValueError):
    """The answer cannot be saved; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def resolve_citations(corpus: Corpus, ids: list[str], doc: str | None) -> list[Measure]:
    """The measures the ids name, in order, without repeats; StandardAnswerError lists every id that names
    none, a whole section, or measures of two notices (then `doc` must say which). No ids is allowed: a
    standard answer may say where to go for what no notice covers (户口迁移 → 派出所), and then the text
    check lets it name no unit of any notice."""
    problems: list[str] = []
    out: list[Measure] = []
    for raw in ids:
        found = corpus.lookup(raw, doc)
        docs = {m.doc for m in found}
        if found and doc and docs != {doc}:
            problems.append(f"{raw!r} names a measure of {', '.join(sorted(docs))}, not of document {doc}")
        elif not found:
            where = f" in document {doc}" if doc else ""
            problems.append(f"{raw!r} names no measure{where}")
        elif len(docs) > 1:
            problems.append(f"{raw!r} names measures of {len(docs)} notices ({', '.join(sorted(docs))}): give doc")
        elif len(found) > 1:
            problems.append(f"{raw!r} names a section of {len(found)} measures: cite the measures themselves")
        elif found[0] not in out:
            out.append(found[0])
    if problems:
        raise StandardAnswerError(problems)
    return out


def check_text(corpus: Corpus, text: str, measures: list[Measure]) -> None:
    """Raise StandardAnswerError if the text cites a measure or names a unit its citations do not hold."""
    problems: list[str] = []
    cited_ids = {m.id for m in measures}
    for m in corpus.referenced(text):  # an id written in the text names a measure of every notice that has it
        if m.id not in cited_ids:
            problems.append(f"the answer mentions {m.id}, which is not among its citations")
    units = {u for m in measures for u in m.units}
    for name, entries in corpus.units.mentions(text):
        if not entries & units:
            problems.append(f"the answer names {name}, which none of its cited measures names")
    if problems:
        raise StandardAnswerError(list(dict.fromkeys(problems)))


def cited(measures: list[Measure]) -> list[CitedMeasure]:
    return [CitedMeasure(doc=m.doc, id=m.id) for m in measures]
