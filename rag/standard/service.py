"""Saving, changing and exchanging standard answers, for the admin API, the admin tab and the CLI alike:
each input is checked against the corpus as it is loaded now (rag/standard/checks.py) before the store
sees it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from pydantic import BaseModel, Field, ValidationError

from rag.corpus.collection import Corpus
from rag.standard.checks import StandardAnswerError, check_text, cited, resolve_citations
from rag.standard.model import StandardAnswer
from rag.standard.store import StandardStore

MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 8000
DEFAULT_EDITOR = "admin"


class StandardAnswerIn(BaseModel):
    question: str = Field(..., min_length=1, max_length=MAX_QUESTION_CHARS, description="the question people ask")
    answer: str = Field(..., min_length=1, max_length=MAX_ANSWER_CHARS, description="the answer to give")
    citations: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="measure ids it rests on: 二(四)4, or doc:id with two notices; none for a question no "
        "notice covers (then the answer may name no unit of any notice)",
    )
    doc: str | None = Field(default=None, max_length=200, description="only for questions about this document")
    editor: str | None = Field(default=None, max_length=100, description="who saves it (else the X-Editor header)")


class StandardAnswers:
    def __init__(self, store: StandardStore, corpus: Callable[[], Corpus]):
        self.store = store
        self._corpus = corpus  # a callable: after a re-index the live corpus is another object

    def create(self, given: StandardAnswerIn, editor: str | None = None) -> StandardAnswer:
        question, answer, measures, doc = self._checked(given)
        return self.store.create(question, answer, cited(measures), doc, _editor(given, editor))

    def update(self, answer_id: int, given: StandardAnswerIn, editor: str | None = None) -> StandardAnswer | None:
        question, answer, measures, doc = self._checked(given)
        return self.store.update(answer_id, question, answer, cited(measures), doc, _editor(given, editor))

    def delete(self, answer_id: int, editor: str | None = None) -> StandardAnswer | None:
        return self.store.delete(answer_id, (editor or "").strip() or DEFAULT_EDITOR)

    def export_jsonl(self) -> Iterator[str]:
        """One line per answer (without its newline), citations as doc:id so that import finds them again."""
        for a in self.store.all():
            row = {
                "question": a.question,
                "answer": a.answer,
                "citations": [c.key for c in a.citations],
                "doc": a.doc,
                "editor": a.editor,
                "id": a.id,
                "version": a.version,
                "updated_at": a.updated_at,
            }
            yield json.dumps(row, ensure_ascii=False)

    def import_rows(self, rows: Iterable[dict], editor: str | None = None) -> dict[str, int]:
        """Every row is checked first and nothing is saved unless all pass (StandardAnswerError names the
        rows). A row whose question (and document) is already saved replaces that answer: an export imported
        again changes nothing but the versions."""
        checked, problems = [], []
        for n, row in enumerate(rows, 1):
            try:
                given = StandardAnswerIn.model_validate({k: row[k] for k in StandardAnswerIn.model_fields if k in row})
                checked.append((given, self._checked(given)))
            except ValidationError as exc:
                problems.append(
                    f"row {n}: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                )
            except StandardAnswerError as exc:
                problems.append(f"row {n}: " + "; ".join(exc.problems))
        if problems:
            raise StandardAnswerError(problems)
        # who imports is the editor of the change; a row's own `editor` (an export's last editor) only when
        # the import names no one
        writes = [
            (question, answer, cited(measures), doc, (editor or given.editor or "").strip() or DEFAULT_EDITOR)
            for given, (question, answer, measures, doc) in checked
        ]
        return self.store.import_all(writes)

    def _checked(self, given: StandardAnswerIn):
        corpus = self._corpus()
        question, answer = given.question.strip(), given.answer.strip()
        if not question or not answer:
            raise StandardAnswerError(["question and answer must not be blank"])
        doc = (given.doc or "").strip() or None
        if doc is not None and corpus.document(doc) is None:
            raise StandardAnswerError([f"unknown document {doc!r}; GET /api/documents lists them"])
        measures = resolve_citations(corpus, [c.strip() for c in given.citations], doc)
        check_text(corpus, answer, measures)
        return question, answer, measures, doc


def parse_jsonl(text: str) -> list[dict]:
    """The rows of a JSON Lines text; StandardAnswerError names every line that is not a JSON object."""
    rows, problems = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"line {n}: not a JSON object")
        else:
            rows.append(row)
    if problems:
        raise StandardAnswerError(problems)
    return rows


def _editor(given: StandardAnswerIn, header: str | None) -> str:
    return (given.editor or header or "").strip() or DEFAULT_EDITOR
