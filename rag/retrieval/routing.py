"""Which loaded notice a question is about, when it does not say.

With several notices loaded, one question is about one of them: a question about Putuo's lift subsidies is not
answered better by a near-repeat in Jiading's notice, and the knowledge kept for one notice (its labelled
questions' vote, the scope model fitted with them) must speak only for questions about that notice. So a
question that names no notice, no measure id and no unit's whole remit is routed first: the notice of the
measure that the corpus evidence alone ranks best (dense, keyword and pinyin fused, without the bank's vote,
which only labelled notices have and which would pull every question towards them), unless labelled questions
came very near (RetrievalSettings.route_bank_closeness): then people asked this before, about their notice, and
their vote counts. The search then runs on that notice as if the asker had named it, so every notice is served
as it is when loaded alone. Versions of one policy (a notice and the one that superseded it) are searched
together, as before: the older one's answer names its successor, and the in-force factor prefers the newer.
"""

from __future__ import annotations

import numpy as np

from rag.retrieval.query import QueryPlan


def needs_routing(plan: QueryPlan, doc: str | None, notices: int) -> bool:
    """A question routes when several notices are loaded and it names none, nor a measure or a unit's remit
    (those are found across every notice, by structure)."""
    return doc is None and notices > 1 and not plan.referenced and not plan.unit_intent


def best_notice(rows: np.ndarray, fused: np.ndarray, doc_of_row: np.ndarray, names: list[str]) -> str | None:
    """The notice of the best-scoring candidate (`rows` aligned with `fused`); None without candidates."""
    if not len(rows):
        return None
    return names[int(doc_of_row[rows[int(np.argmax(fused))]])]
