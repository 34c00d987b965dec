"""Which loaded notice a question is about, when it does not say.

With several notices loaded, one question is about one of them: a question about one district's lift subsidies is
not answered better by a near-repeat in another district's notice, and the knowledge kept for one notice (its labelled
questions' vote, the scope model fitted with them) must speak only for questions about that notice. So a
question that names no notice, no measure id and no unit's whole remit is routed first: the notice of the
measure that the corpus evidence alone ranks best (dense, keyword and pinyin fused, without the bank's vote,
which only labelled notices have and which would pull every question towards them), unless labelled questions
came very near (RetrievalSettings.route_bank_closeness): then people asked this before, about their notice, and
their vote counts. The search then runs on that notice as if the asker had named it, so every notice is served
as it is when loaded alone. Versions of one policy (a notice and the one that superseded it) are searched
together, as before: the older one's answer names its successor, and the in-force factor prefers the newer.

A question that names the place of some loaded notices' issuer and not of the others' (for notices of 东海市临江区:
"我在临江开了家面馆", "How much does Linjiang subsidize…") is routed among those notices only: the places are read
from each notice's header at start (Header.places), in characters and spelled in pinyin, leaving out those every
loaded notice shares (东海市, 东海).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pypinyin import lazy_pinyin

from rag.retrieval.query import QueryPlan


def needs_routing(plan: QueryPlan, doc: str | None, notices: int) -> bool:
    """A question routes when several notices are loaded and it names none, nor a measure or a unit's remit
    (those are found across every notice, by structure)."""
    return doc is None and notices > 1 and not plan.referenced and not plan.unit_intent


class PlaceNames:
    """Each notice's own places (its issuer's district: 临江区, 临江), as written and spelled in pinyin (linjiang),
    without those every notice shares (东海市, 东海): what says which notice a question is about."""

    def __init__(self, places: Mapping[str, Sequence[str]]):
        shared = set.intersection(*(set(p) for p in places.values())) if places else set()
        self._names = {
            doc: [(p, "".join(lazy_pinyin(p)).lower()) for p in dict.fromkeys(ps) if p not in shared and len(p) >= 2]
            for doc, ps in places.items()
        }

    def named(self, text: str) -> set[str]:
        """The notices whose places `text` names; an empty set when it names none."""
        latin = "".join(text.lower().split())
        # a spelled name of four letters or more: shorter syllables ("an", "hui") turn up inside English words
        return {
            doc
            for doc, names in self._names.items()
            if any(p in text or (spelled.isascii() and len(spelled) >= 4 and spelled in latin) for p, spelled in names)
        }


def best_notice(
    rows: np.ndarray, fused: np.ndarray, doc_of_row: np.ndarray, names: list[str], among: set[str] | None = None
) -> str | None:
    """The notice of the best-scoring candidate (`rows` aligned with `fused`), of the notices `among` where it
    is given and one of them has a candidate; None without candidates."""
    if not len(rows):
        return None
    if among:
        keep = np.isin(doc_of_row[rows], [i for i, n in enumerate(names) if n in among])
        if keep.any():
            rows, fused = rows[keep], fused[keep]
    return names[int(doc_of_row[rows[int(np.argmax(fused))]])]
