"""Labelled questions as evidence for the scope decision: how close a new question comes to questions people
asked that a loaded notice answers, and to questions they asked that no notice answers.

Measured on questions by writers left out of the fit (`rag calibrate`, README, Scope), this is the strongest
evidence there is: an everyday question (户口, 医保, 天气) lies near other everyday questions, however its
words happen to overlap the notice's, and a situation told in a user's words lies near other users'
descriptions of it. It is data, not code: `rag calibrate` embeds the labelled questions it is given and
stores them (rag/data/scope_questions.npz) with the embedding model that made the vectors.

Answerable questions are kept with the document their gold measures belong to, and count only while that
document is loaded: a question the Jiading notice answers says nothing about another notice. A notice with
no labelled questions of its own leaves the bank out, and the scope decision falls back to the model fitted
on corpus evidence alone (rag/answer/scope.py).

The nearest neighbours are found by one matrix product: a bank of a few thousand rows takes well under a
millisecond, so an index library would add nothing but a dependency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_BANK = Path(__file__).resolve().parent.parent / "data" / "scope_questions.npz"
NEIGHBOURS = 3  # the features average the k best similarities; fixed when the model is fitted


@dataclass
class QuestionBank:
    vectors: np.ndarray  # [n, dim] float32, L2-normalised question vectors
    answerable: np.ndarray  # [n] bool
    docs: np.ndarray  # [n] str: the document an answerable question's gold measures are in; "" for the rest
    embedding_model: str
    neighbours: int = NEIGHBOURS

    def __len__(self) -> int:
        return len(self.answerable)

    def covers(self, docs: set[str], minimum: int = 20) -> bool:
        """Whether every loaded document has enough answerable questions of its own for the bank to speak."""
        return bool(docs) and all(int(np.sum(self.answerable & (self.docs == d))) >= minimum for d in docs)

    def restricted(self, docs: set[str]) -> QuestionBank:
        """The out-of-scope questions and the answerable questions of `docs`."""
        keep = ~self.answerable | np.isin(self.docs, sorted(docs))
        return QuestionBank(
            self.vectors[keep], self.answerable[keep], self.docs[keep], self.embedding_model, self.neighbours
        )

    def similarity(self, query: np.ndarray) -> tuple[float, float]:
        """Mean cosine of the k nearest answerable questions, and of the k nearest out-of-scope ones."""
        s = self.vectors @ np.asarray(query, dtype=np.float32)
        return self._top(s[self.answerable]), self._top(s[~self.answerable])

    def _top(self, s: np.ndarray) -> float:
        if not len(s):
            return 0.0
        k = min(self.neighbours, len(s))
        return float(np.partition(s, len(s) - k)[-k:].mean())

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            np.savez_compressed(
                f,
                vectors=self.vectors.astype(np.float16),  # half the size; cosines move by < 1e-3
                answerable=self.answerable,
                docs=self.docs.astype(str),
                embedding_model=np.array(self.embedding_model),
                neighbours=np.array(self.neighbours),
            )

    @classmethod
    def load(cls, path: Path) -> QuestionBank:
        with np.load(path, allow_pickle=False) as z:
            vectors = z["vectors"].astype(np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            return cls(
                vectors, z["answerable"].astype(bool), z["docs"], str(z["embedding_model"]), int(z["neighbours"])
            )
