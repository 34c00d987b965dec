"""Which sentences (clauses) of a cited measure a card should mark: those the answer's own words quote (a
model's phrasing, a standard answer), or else the one that best matches the question and those words.
Character bigrams weighted by how rare they are among the corpus's measures: no word lists, so any notice
and any wording works."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Mapping

from rag.corpus.citation import Citation
from rag.corpus.collection import Corpus
from rag.language.script import to_simplified

# sentences, and within them clauses: a notice's measure is often one long sentence of comma-joined clauses,
# and marking the whole of it would mark nothing
_SENTENCE = re.compile(r"[^。；;！!？?，,\n]+[。；;！!？?，,]?")
_TEXTLESS = re.compile(r"[^\w]+")
_NUMBER = re.compile(r"\s*\d+\s*[.．、]\s*")  # the item number a measure's text opens with
QUOTED_SHARE = 0.5  # of a sentence's bigrams found in the answer's words: it is quoted


def bigrams(text: str) -> set[str]:
    return {g for g in grams(text) if len(g) == 2}


def grams(text: str) -> set[str]:
    """Bigrams and single characters: a question that shares no word with a clause may share a character
    (自来水 and 供水), and rare characters weigh in through their idf."""
    t = _TEXTLESS.sub("", to_simplified(text).lower())
    return set(t) | {t[i : i + 2] for i in range(len(t) - 1)}


def sentence_spans(text: str, body_end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the measure's body (the unit clause after `body_end` is never marked)."""
    spans = []
    number = _NUMBER.match(text)
    for m in _SENTENCE.finditer(text[:body_end], number.end() if number else 0):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        if len(bigrams(text[start:end])) >= 2:
            spans.append((start, end))
    return spans


class Highlighter:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._idf: dict[str, float] | None = None
        self._lock = threading.Lock()

    @property
    def idf(self) -> dict[str, float]:
        with self._lock:  # counted once, on the first answer
            if self._idf is None:
                df = Counter(g for m in self.corpus.measures for g in grams(m.text))
                n = max(1, len(self.corpus.measures))
                self._idf = {g: math.log(1 + n / c) for g, c in df.items()}
            return self._idf

    def mark(self, citations: list[Citation], question: str, own_words: str = "") -> list[Citation]:
        """The citations with `highlights` set; `own_words` is the answer text not quoted from the measures."""
        said = bigrams(own_words) if own_words else set()
        asked = grams(question)
        out = []
        for c in citations:
            m = self.corpus.by_key.get(f"{c.doc}:{c.id}")
            at = c.text.find(m.body) if m is not None and m.body else -1
            body_end = at + len(m.body) if m is not None and at >= 0 else len(c.text)
            spans = sentence_spans(c.text, body_end)
            quoted = [s for s in spans if _share(bigrams(c.text[s[0] : s[1]]), said) >= QUOTED_SHARE]
            wanted = asked | (grams(own_words) if own_words else set())
            out.append(c.model_copy(update={"highlights": quoted or self._best(c.text, spans, wanted)}))
        return out

    def _best(self, text: str, spans: list[tuple[int, int]], asked: set[str]) -> list[tuple[int, int]]:
        idf = self.idf
        scored = [(sum(gram_weight(g, idf) for g in grams(text[a:b]) & asked), (a, b)) for a, b in spans]
        best = max(scored, default=(0.0, (0, 0)), key=lambda x: x[0])
        return [best[1]] if best[0] > 0 else []


def gram_weight(gram: str, idf: Mapping[str, float]) -> float:
    """What a shared gram says: a bigram its idf, a single character half of it."""
    return idf.get(gram, 0.0) * (1.0 if len(gram) == 2 else 0.5)


def _share(grams: set[str], said: set[str]) -> float:
    return len(grams & said) / len(grams) if grams else 0.0
