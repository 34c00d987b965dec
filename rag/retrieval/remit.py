"""Does a question that names a unit ask for that unit's whole remit ("区司法局要牵头或者配合哪些工作？",
"What does the tax bureau have to do under this plan?"), or for one topic it handles ("税务局怎么办退税")?

Learned, not listed: the question with its unit names replaced by a placeholder is embedded by the same
multilingual model as every question, and a logistic regression on that vector (plus how much of the
question the unit names take up) decides. Masking keeps the model about the asking, not about which unit,
so it carries to any notice's units; `rag calibrate` fits it on labelled questions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from rag.classifiers.base import Classifier
from rag.classifiers.logistic import LogisticModel
from rag.embeddings.base import Embedder
from rag.provenance import fits
from rag.retrieval.query import QueryPlan

log = logging.getLogger(__name__)
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "remit_model.json"


def remit_features(plan: QueryPlan, embedder: Embedder) -> np.ndarray:
    named = sum(b - a for a, b in plan.unit_spans)
    share = named / max(len(plan.text), 1)
    vector = embedder.embed_query(plan.masked)
    return np.concatenate([vector.astype(np.float64), [share]])


def feature_names(dim: int) -> list[str]:
    return [f"e{i}" for i in range(dim)] + ["unit_share"]


class RemitIntent:
    def __init__(self, embedder: Embedder, model: Classifier | None):
        self.embedder, self.model = embedder, model

    @classmethod
    def load(cls, embedder: Embedder, path: Path | None = None) -> RemitIntent:
        path = path or DEFAULT_MODEL
        if not path.is_file():
            log.warning(
                "no remit model at %s: questions naming a unit are searched by topic (run `rag calibrate`)", path
            )
            return cls(embedder, None)
        if not fits(path, embedder.name, embedder.dim):  # rag/data/manifest.json: another model's, or changed
            return cls(embedder, None)
        model = LogisticModel.load(path)
        if len(model.features) != embedder.dim + 1:  # fitted on another embedding model's vectors
            log.warning(
                "remit model %s was fitted for %d-dim vectors, not %d: not used",
                path,
                len(model.features) - 1,
                embedder.dim,
            )
            return cls(embedder, None)
        return cls(embedder, model)

    def probability(self, plan: QueryPlan) -> float:
        if not plan.unit_names or self.model is None:
            return 0.0
        return self.model.probability(remit_features(plan, self.embedder))

    def asks_remit(self, plan: QueryPlan) -> bool:
        return self.model is not None and bool(plan.unit_names) and self.probability(plan) >= self.model.threshold
