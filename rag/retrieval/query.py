"""What a question asks for, before any search: measure ids it names, units it names (in Chinese or by an
English rendering from the notice's unit data), and the Chinese words an English question maps to.

Nothing here knows a notice's topics: units and their names come from the corpus, English words from the
dictionary filtered to the corpus's vocabulary (rag/language/dictionary.py). Whether a question naming a unit
asks for that unit's whole remit is decided by a learned model (rag/retrieval/remit.py), not a verb list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from rag.corpus.collection import Corpus
from rag.corpus.model import Measure
from rag.language.dictionary import Lexicon
from rag.language.script import to_simplified
from rag.retrieval.tokenize import latin_share


@dataclass
class QueryPlan:
    text: str  # the question in simplified characters
    referenced: list[Measure] = field(default_factory=list)
    unit_names: set[str] = field(default_factory=set)  # directory entries the question names
    unit_spans: list[tuple[int, int]] = field(default_factory=list)  # where in `text` they are named
    unit_intent: bool = False  # asks for everything those units do
    expansion: str = ""  # notice words for an English question's words
    latin: bool = False
    # share of an English question's content words the notices' vocabulary knows; 1.0 for Chinese questions
    english_coverage: float = 1.0

    @property
    def masked(self) -> str:
        """The question with each unit it names replaced by one placeholder: what it asks, not of whom."""
        out, last = [], 0
        for a, b in self.unit_spans:
            out += [self.text[last:a], "该单位" if not self.latin else "the agency"]
            last = b
        return "".join(out) + self.text[last:]


class EnglishUnitNames:
    """English renderings of the corpus's units (from its unit data), matched as whole words."""

    def __init__(self, corpus: Corpus):
        pairs = [(e.lower(), u.name) for u in corpus.units for e in u.english]
        self._names: dict[str, set[str]] = {}
        for english, name in pairs:
            self._names.setdefault(english, set()).add(name)
        alternatives = "|".join(re.escape(e) for e in sorted(self._names, key=len, reverse=True))
        self._pattern = re.compile(rf"\b(?:{alternatives})\b") if alternatives else None

    def mentions(self, text: str) -> list[tuple[int, int, set[str]]]:
        if self._pattern is None or not re.search("[A-Za-z]", text):
            return []
        return [(m.start(), m.end(), self._names[m.group(0)]) for m in self._pattern.finditer(text.lower())]


class QueryPlanner:
    """Plans questions for one corpus; the English lexicon and unit names are built once."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon):
        self.corpus, self.lexicon = corpus, lexicon

    @cached_property
    def english_units(self) -> EnglishUnitNames:
        return EnglishUnitNames(self.corpus)

    def plan(self, question: str, doc: str | None = None) -> QueryPlan:
        text = to_simplified(question)
        plan = QueryPlan(text=text, latin=latin_share(text) > 0.5)
        plan.referenced = self.corpus.referenced(text, doc)
        spans: list[tuple[int, int]] = []
        folded = text.replace("（", "(").replace("）", ")")  # same length: spans stay valid
        for m, names in self.corpus.units.mentions_at(folded):
            plan.unit_names |= names
            spans.append(m)
        for a, b, names in self.english_units.mentions(text):
            plan.unit_names |= {n for n in names if self.corpus.units.get(n)}
            spans.append((a, b))
        plan.unit_spans = sorted(spans)
        if plan.latin:
            words, plan.english_coverage = self.lexicon.read(text)
            plan.expansion = " ".join(words)
        return plan
