from __future__ import annotations

from dataclasses import dataclass, field

from rag.corpus.citation import Citation
from rag.corpus.model import Measure


@dataclass
class Hit:
    measure: Measure
    score: float
    dense: float = 0.0  # raw cosine similarity
    bm25: float = 0.0  # raw BM25 score
    via: list[str] = field(default_factory=list)  # why it was retrieved: id, unit, dense, bm25

    def to_dict(self) -> dict:
        return Citation.of(self.measure).model_dump() | {"score": round(float(self.score), 6)}
