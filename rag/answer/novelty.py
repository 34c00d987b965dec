"""Whether a sentence of the chat model's says something the answer does not already say.

The extractive answer already opens with the answering clause, names the units and quotes the measures. A
model sentence that is only a bracketed id ("【二(十一)9】"), or that copies a measure's text, repeats what
sits right below it; such sentences are dropped (the rest of the model's answer stays). The guard
(rag/answer/guard.py) decides whether a sentence is true to the measures; this decides whether it is worth
showing. Both read characters, not word lists, so any notice and any wording works.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from rag.corpus.ids import find_refs

_MARKERS = re.compile(r"[【\[〔][^】\]〕]{0,24}[】\]〕]")
_WORDLESS = re.compile(r"[\W_]+")


class Dropped(StrEnum):
    BARE_ID = "bare_id"  # nothing but an id, a bracket or punctuation
    COPY = "copy"  # mostly a measure's own text, which the answer quotes anyway
    REPEAT = "repeat"  # mostly what the answer already said above it (or an earlier model sentence)


def _bigrams(text: str) -> list[str]:
    t = _WORDLESS.sub("", text.lower())
    return [t[i : i + 2] for i in range(len(t) - 1)]


@dataclass
class Novelty:
    """Judges a model's sentences one by one against the measures it was given and the answer so far."""

    measures_text: str
    said: str  # the answer's template part: answering clause, units, ids
    copy_share: float = 0.8  # of a sentence's bigrams found in the measures' text: a copy
    repeat_share: float = 0.7  # of its bigrams found in what the answer already says: a repeat
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._source = set(_bigrams(self.measures_text))
        self._said = set(_bigrams(self.said))

    def judge(self, sentence: str) -> Dropped | None:
        """Why the sentence adds nothing, or None when it adds something (and is then counted as said)."""
        reason = self._why(sentence)
        if reason is None:
            self.kept += 1
            self._said |= set(_bigrams(sentence))
        else:
            self.dropped[reason] += 1
        return reason

    def _why(self, sentence: str) -> Dropped | None:
        rest = _MARKERS.sub("", sentence)
        for ref in find_refs(rest):
            if ref.canonical:
                rest = rest.replace(ref.canonical, "")
        words = _WORDLESS.sub("", rest)
        if len(words) < 4:
            return Dropped.BARE_ID
        pairs = _bigrams(rest)
        if not pairs:
            return Dropped.BARE_ID
        if sum(p in self._source for p in pairs) / len(pairs) >= self.copy_share and len(pairs) >= 8:
            return Dropped.COPY
        if sum(p in self._said for p in pairs) / len(pairs) >= self.repeat_share:
            return Dropped.REPEAT
        return None
