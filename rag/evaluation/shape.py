"""The shape of an answered question's text, as the answer-shape metrics judge it.

opening_clause: an answer opens with the words of a cited measure that answer the question, not with a
generic "请联系…" line. Its opening (Answer.opening, else the first line that is not a validity warning)
must hold, verbatim after folding, a clause of a cited measure's text: the text cut at ，,。；; into clauses
of at least six characters, leaving out the measure's own number and its trailing responsibility clause in
parentheses ("(责任单位:区法院)"), which answer no question.

clean_shape: no line that is only a bracketed id ("【二(十一)9】" alone, a heading without its measure) and no
measure body quoted twice in the same answer.

Pure functions over strings; text is compared after fold_text, as every other text metric is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rag.corpus.ids import parse_ref

MIN_CLAUSE = 6  # characters (folded): a shorter clause (推进改革, 加强监管) is common to many measures
WARNING_PREFIXES = ("注意", "Note:")  # validity warnings (rag/answer/notices.py) come before the opening
_BREAK = re.compile(r"[，,。；;]")
_ITEM_NUMBER = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(][一二三四五六七八九十]+[)）]\s*)")
_BRACKETED = re.compile(r"^[【\[〔]\s*([^【】\[\]〔〕]+?)\s*[】\]〕]$")


def fold_text(text: str) -> str:
    """Answer text and gold strings alike: full-width forms folded (NFKC, so （）→()), white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def body(text: str) -> str:
    """A measure's text without its leading number and its trailing parenthesised clause (the responsible
    units), which may hold parentheses of its own: (责任单位:区行政服务中心(区大数据中心)、区府办)."""
    text = text.strip()
    if text.endswith((")", "）")):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += text[i] in ")）"
            depth -= text[i] in "(（"
            if depth == 0:
                text = text[:i].rstrip()
                break
    return _ITEM_NUMBER.sub("", text, count=1).strip()


def clauses(text: str) -> list[str]:
    """The measure's clauses of MIN_CLAUSE characters or more, folded."""
    return [c for c in (fold_text(part) for part in _BREAK.split(body(text))) if len(c) >= MIN_CLAUSE]


def opening_of(text: str, opening: str = "") -> str:
    if opening.strip():
        return opening
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(WARNING_PREFIXES):
            return line
    return ""


def opening_clause(text: str, opening: str, cited_texts: Sequence[str]) -> float | None:
    """1 when the opening holds a clause of a cited measure; None when no cited text has a clause to hold."""
    candidates = [c for t in cited_texts for c in clauses(t)]
    if not candidates:
        return None
    first = fold_text(opening_of(text, opening))
    return float(any(c in first for c in candidates))


def bare_id_lines(text: str) -> list[str]:
    """Lines that are nothing but a bracketed measure id."""
    out = []
    for line in text.splitlines():
        m = _BRACKETED.match(line.strip())
        if m and parse_ref(m.group(1)) is not None:
            out.append(line.strip())
    return out


def repeated_bodies(text: str, cited_texts: Sequence[str]) -> list[str]:
    """Cited measures whose body the text holds more than once."""
    hay = fold_text(text)
    return [t for t in cited_texts if len(b := fold_text(body(t))) >= MIN_CLAUSE and hay.count(b) > 1]


def clean_shape(text: str, cited_texts: Sequence[str]) -> float:
    return float(not bare_id_lines(text) and not repeated_bodies(text, cited_texts))
