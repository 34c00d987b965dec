"""Reading a QA regression file (../shared/eval-format.md): one JSON object a line, unknown fields ignored.

Files come from evaluators, not from code, so every problem is reported with its line number as a
DatasetError; the command turns that into a message and exit status 2 rather than a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

NO_CATEGORY = "uncategorised"
OUT_OF_SCOPE = "out_of_scope"
NOT_A_QUESTION = "not_a_question"  # the note of an out-of-scope request that asks for a task, not information
LIST = "list"  # questions that ask for every measure on a topic: scored by list_recall
NEAR = "near"  # oos_kind of a question on a detail no measure states, about a topic a measure touches
ROLES = ("user", "assistant")


class DatasetError(ValueError):
    """A QA file that cannot be evaluated; the message names the file and the line."""


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    question: str
    gold_ids: tuple[str, ...] = ()
    gold_units: tuple[str, ...] = ()
    answer_facts: tuple[str, ...] = ()
    line: int = 0
    note: str = ""  # the writer's note; for out-of-scope questions its kind (everyday, not_a_question, ...)
    doc: str = ""  # the document the question is about: hits and citations count only when of it
    history: tuple[tuple[str, str], ...] = ()  # earlier turns (role, content), oldest first: a follow-up
    oos_kind: str = ""  # out-of-scope questions: near; far, "" or any other kind must be refused

    @property
    def answerable(self) -> bool:
        return self.category != OUT_OF_SCOPE

    @property
    def near(self) -> bool:
        """Asks for a detail the notice does not state, on a topic it touches: a refusal or an answer that says
        the detail is not stated are both right."""
        return self.category == OUT_OF_SCOPE and self.oos_kind == NEAR

    @property
    def turns(self) -> list[dict]:
        """The history as the answerer and POST /api/ask take it."""
        return [{"role": role, "content": content} for role, content in self.history]

    @property
    def asks_task(self) -> bool:
        """A request that is not a question about policy (write a poem, translate, chit-chat): an out-of-scope
        question whose note starts with not_a_question ("not_a_question: poem")."""
        kind = self.note.split(":")[0].split(",")[0].strip()
        return self.category == OUT_OF_SCOPE and kind == NOT_A_QUESTION

    def gold_dict(self) -> dict:
        return {
            "gold_ids": list(self.gold_ids),
            "gold_units": list(self.gold_units),
            "answer_facts": list(self.answer_facts),
        }


@dataclass
class Dataset:
    path: Path
    questions: list[Question] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        return sorted({q.category for q in self.questions})


def _string_list(row: dict, key: str, where: str) -> tuple[str, ...]:
    value = row.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(
            f"{where}: {key!r} must be a list of strings, got {json.dumps(value, ensure_ascii=False)[:80]}"
        )
    return tuple(v.strip() for v in value if v.strip())


def _history(row: dict, where: str) -> tuple[tuple[str, str], ...]:
    value = row.get("history")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DatasetError(f'{where}: \'history\' must be a list of {{"role", "content"}} objects')
    turns = []
    for n, turn in enumerate(value, 1):
        if not isinstance(turn, dict) or turn.get("role") not in ROLES or not isinstance(turn.get("content"), str):
            raise DatasetError(
                f'{where}: history turn {n} must be {{"role": "user"|"assistant", "content": string}}, '
                f"got {json.dumps(turn, ensure_ascii=False)[:80]}"
            )
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)


def _optional_string(row: dict, key: str, where: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(
            f"{where}: {key!r} must be a non-empty string, got {json.dumps(value, ensure_ascii=False)[:80]}"
        )
    return value.strip()


def parse_row(row: object, where: str) -> Question:
    if not isinstance(row, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(row).__name__}")
    qid = row.get("id")
    if isinstance(qid, bool) or not isinstance(qid, (str, int)) or not str(qid).strip():
        raise DatasetError(f"{where}: 'id' is missing or empty")
    text = row.get("question")
    if not isinstance(text, str) or not text.strip():
        raise DatasetError(f"{where}: 'question' must be a non-empty string")
    category = row.get("category", NO_CATEGORY)
    if not isinstance(category, str):
        raise DatasetError(f"{where}: 'category' must be a string")
    return Question(
        id=str(qid).strip(),
        category=category.strip() or NO_CATEGORY,
        question=text.strip(),
        gold_ids=_string_list(row, "gold_ids", where),
        gold_units=_string_list(row, "gold_units", where),
        answer_facts=_string_list(row, "answer_facts", where),
        note=note.strip() if isinstance(note := row.get("note"), str) else "",
        doc=_optional_string(row, "doc", where),
        history=_history(row, where),
        oos_kind=_optional_string(row, "oos_kind", where).lower(),
    )


def parse_lines(lines: list[str], name: str = "<input>") -> list[Question]:
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = f"{name} line {number}"
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        q = parse_row(row, where)
        if q.id in first_line:
            raise DatasetError(f"{where}: id {q.id!r} already used on line {first_line[q.id]}")
        first_line[q.id] = number
        questions.append(Question(**{**q.__dict__, "line": number}))
    if not questions:
        raise DatasetError(f"{name}: no questions (expected one JSON object a line)")
    return questions


def load_dataset(path: str | Path) -> Dataset:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        # utf-8-sig: files saved from Windows editors start with a byte-order mark
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path} line {line}: not UTF-8 text") from None
    # split on \n only: str.splitlines would also cut at U+2028, which JSON allows inside strings
    return Dataset(path, parse_lines(text.split("\n"), str(path)))
