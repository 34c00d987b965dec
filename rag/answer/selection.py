"""Which retrieved measures the answer rests on. Retrieval decides, never the chat model: ids written in
the question, a unit's whole remit, or the best hit plus those scoring close to it."""

from __future__ import annotations

from rag.retrieval.hit import Hit


def select(hits: list[Hit], max_measures: int = 3, margin: float = 0.35) -> list[Hit]:
    if not hits:
        return []
    for kind in ("id", "unit"):
        if kind in hits[0].via:
            return [h for h in hits if kind in h.via]
    top = hits[0].score
    return [h for h in hits[:max_measures] if h.score >= top - margin]
