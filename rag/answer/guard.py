"""Checks on what the chat model writes, sentence by sentence, before the user sees it: every id it cites
was selected by retrieval, every figure occurs in the cited text (or the question), every unit it names is
responsible for a selected measure. A sentence that fails stops the model's answer."""

from __future__ import annotations

import re

from rag.corpus.collection import Corpus
from rag.corpus.ids import find_refs
from rag.corpus.model import Measure

_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|‰)?")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|(?<=[a-z\)）])\.\s")


def split_sentences(buffer: str) -> tuple[list[str], str]:
    """Complete sentences in the buffer, and the unfinished rest."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(buffer):
        out.append(buffer[start : m.end()])
        start = m.end()
    return out, buffer[start:]


class Guard:
    def __init__(
        self,
        corpus: Corpus,
        selection: list[Measure],
        question: str,
        min_pairs: int = 4,
        wording_share: float = 0.5,
    ):
        self.corpus = corpus
        self.min_pairs, self.wording_share = min_pairs, wording_share
        self.ids = {m.id for m in selection}
        self.source = ("\n".join(m.text for m in selection) + "\n" + question).replace("％", "%")
        self.units = {u for m in selection for u in m.units}
        for u in list(self.units):  # variants of a selected unit are the same office
            self.units |= {x.name for x in corpus.units.find(u)}
        self._bigrams = {self.source[i : i + 2] for i in range(len(self.source) - 1)}
        self.cited: list[str] = []
        self.grounded = False  # cited a selected measure or named a responsible unit

    def check(self, sentence: str) -> list[str]:
        problems = []
        for ref in find_refs(sentence):
            if ref.part is None and not any(m.id in self.ids for m in self.corpus.resolve(ref)):
                continue  # 第四十二条 alone: a law's article as likely as a measure; only a selected one counts
            # 二(四)4 as written, or what the corpus reads it as (二.4 is item 二4 where parts have no sections)
            named = [ref.canonical] if ref.canonical in self.ids else [m.id for m in self.corpus.resolve(ref)]
            if not named or any(mid not in self.ids for mid in named):
                problems.append(f"cites {ref.canonical or named or ref}, which retrieval did not select")
                continue
            for mid in named:
                if mid not in self.cited:
                    self.cited.append(mid)
                    self.grounded = True
        for fig in _FIGURE.findall(sentence):
            fig = fig.replace(" ", "").replace("％", "%")
            if fig and fig.rstrip("%") not in self.source:
                problems.append(f"states {fig}, which the cited measures do not contain")
            elif fig:
                self.grounded = True
        cjk = re.findall(r"[\u4e00-\u9fff]{2,}", sentence)
        pairs = [w[i : i + 2] for w in cjk for i in range(len(w) - 1)]
        if len(pairs) >= self.min_pairs and sum(p in self._bigrams for p in pairs) / len(pairs) >= self.wording_share:
            self.grounded = True  # mostly the measure's own wording
        for surface, names in self.corpus.units.mentions(sentence):
            if surface in self.source:  # quoting the measure (电子税务局) is not naming a unit
                continue
            if not names & self.units:
                problems.append(f"names {surface}, which is not responsible for the selected measures")
            else:
                self.grounded = True
        return problems
