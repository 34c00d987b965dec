"""The words of a measure that answer the question: what an answer opens with.

"法院还让我打印一套纸的送过去，这个还有必要吗？" is answered by "…已提交立案材料的,原则上无需重复提交纸质版本",
one clause of measure 二(十一)9, not by the measure's units or its first words. The answer opens with that
clause, verbatim, and the card marks the same words.

Candidates are the measure's sentences (。；), and where a sentence is long, runs of its comma clauses: a
clause that sets a condition ("…的", "…时", "对…") runs on into the next, which says what follows from it.
Each candidate is scored by the question's rare characters and bigrams it holds (idf over the corpus's
measures, as the highlighter weighs them), with a bonus when the question asks for a kind of detail
(rag/answer/detail.py) and the candidate gives one. No word lists: any notice, any wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.answer.detail import Asked
from rag.answer.highlight import gram_weight, grams
from rag.corpus.model import Measure

LONG_SENTENCE = 60  # characters; a shorter sentence is quoted whole
MAX_WINDOW = 90  # characters a run of clauses may reach before it stops growing
KEEP_SHARE = 0.85  # of the best score: the shortest candidate holding this much is chosen
DETAIL_BONUS = 0.5  # of the question's total weight: a candidate giving the asked kind of detail
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_CLAUSE = re.compile(r"[^，,：:]+[，,：:]?")
# a clause that only sets up what follows: a condition (…的, …时, 如…, 对…), or a lead-in ending in a colon
_OPENS = re.compile(r"(?:的|时|后|前|中|下|者)[，,]$|[：:]$|^(?:对|凡|如|若|对于|针对|在)")
_NUMBER = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(]\d+[)）])\s*")


@dataclass(frozen=True)
class Clause:
    text: str  # verbatim from the measure's body, its closing punctuation dropped


def candidates(body: str) -> list[str]:
    """The sentences of a measure's body; a long one also as runs of its comma clauses."""
    out: list[str] = []
    for line in body.splitlines():
        line = _NUMBER.sub("", line.strip())
        for s in _SENTENCE.findall(line):
            s = s.strip()
            if len(s) < 4:
                continue
            out.append(s)
            if len(s) <= LONG_SENTENCE:
                continue
            parts = [p for p in _CLAUSE.findall(s) if p.strip()]
            for i in range(len(parts)):
                window = parts[i]
                j = i
                while (_OPENS.search(parts[j].strip()) or len(window) < 12) and j + 1 < len(parts):
                    if len(window) + len(parts[j + 1]) > MAX_WINDOW:
                        break
                    j += 1
                    window += parts[j]
                if window.strip() != s:
                    out.append(window.strip())
    return list(dict.fromkeys(out))


def answering_clause(question: str, measure: Measure, idf: Mapping[str, float], asked: Asked | None) -> Clause:
    """The candidate that best answers the question; the first sentence when nothing in the text matches."""
    body = measure.body
    found = candidates(body) or [body.strip()]
    wanted = grams(question)
    total = sum(gram_weight(g, idf) for g in wanted) or 1.0
    scored = []
    for order, text in enumerate(found):
        held = sum(gram_weight(g, idf) for g in grams(text) & wanted) / total
        if asked is not None and asked.given_by(text):
            held += DETAIL_BONUS
        scored.append((held, order, text))
    # a whole sentence holds at least what each of its runs holds: the shortest text that keeps nearly all
    # of the best share is what answers, the rest of the sentence stays in the quoted measure
    top = max(h for h, _, _ in scored)
    if top <= 0:
        text = found[0]
    else:
        _, _, text = min((s for s in scored if s[0] >= KEEP_SHARE * top), key=lambda s: (len(s[2]), s[1]))
    return Clause(text.rstrip("，,。；;：: "))
