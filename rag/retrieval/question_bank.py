"""Labelled questions as evidence: questions people asked, each with the measures that answer it, or marked
as one no notice answers. Two decisions read it:
- retrieval (rag/retrieval/hybrid.py): the measures that answer the most similar labelled questions get a
  share of the fused score, since people describe the same situation in similar words, words the notice
  does not use ("装修队包工头不给工钱" for 拖欠农民工工资);
- scope (rag/answer/scope.py): how near a question comes to answerable questions and to out-of-scope ones.
Both gains were measured with whole writers held out (`rag calibrate`, bench/question_bank.py), never on
questions the bank holds.

It is data, not code: `rag calibrate` embeds the labelled questions it is given and stores them
(rag/data/scope_questions.npz) with the embedding model that made the vectors, the measures' keys and each
question's writer. Answerable questions count only while their notice is loaded, and only for a notice with
enough of them (`covered`); out-of-scope questions count for every notice, also where no loaded notice has
labelled questions (rag/answer/scope.py: everyday matters are out of scope for any notice). Loading a notice
without labelled questions beside labelled ones switches nothing off for the labelled ones: a question is
routed to the notice its corpus evidence points to, and only a labelled notice's questions get the bank's vote
and the scope model fitted with the bank (rag/retrieval/routing.py).

The nearest neighbours are found by one matrix product: the vote and the scope similarities together take
p50 0.23 ms over 1,435 rows (bench/question_bank.py; the packaged bank now holds about 1,700), so an index
library would add nothing but a dependency."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from rag.provenance import fits

log = logging.getLogger(__name__)
DEFAULT_BANK = Path(__file__).resolve().parent.parent / "data" / "scope_questions.npz"
NEIGHBOURS = 3  # the scope features average the k best similarities; fixed when the model is fitted


@dataclass
class Vote:
    shares: dict[str, float]  # measure key → share of the vote; empty when the bank holds no answerable question
    closeness: float  # mean cosine of the voting questions: how near people came to asking this before


@dataclass
class QuestionBank:
    vectors: np.ndarray  # [n, dim] float32, L2-normalised question vectors
    answerable: np.ndarray  # [n] bool
    gold: np.ndarray  # [n] str: the answering measures' keys ("doc:id"), "|"-joined; "" when out of scope
    writers: np.ndarray  # [n] str: who wrote each question (an id prefix such as w3)
    embedding_model: str
    neighbours: int = NEIGHBOURS

    def __len__(self) -> int:
        return len(self.answerable)

    @cached_property
    def docs(self) -> np.ndarray:
        """The document of each question's first answering measure; "" when out of scope."""
        return np.asarray([g.split("|")[0].split(":")[0] if g else "" for g in self.gold.tolist()])

    @cached_property
    def answered_docs(self) -> set[str]:
        """The documents some answerable question of the bank is about."""
        return set(self.docs[self.answerable].tolist())

    def answerable_count(self, doc: str) -> int:
        """How many answerable labelled questions the bank holds about the document."""
        return int(np.sum(self.answerable & (self.docs == doc)))

    def covers(self, docs: set[str], minimum: int = 20) -> bool:
        """Whether every loaded document has enough answerable questions of its own for the bank to speak."""
        return bool(docs) and self.covered(docs, minimum) == set(docs)

    def covered(self, docs: set[str], minimum: int = 20) -> set[str]:
        """The documents of `docs` that have enough answerable questions of their own for the bank to speak."""
        return {d for d in docs if self.answerable_count(d) >= minimum}

    def subset(self, keep: np.ndarray) -> QuestionBank:
        return QuestionBank(
            self.vectors[keep],
            self.answerable[keep],
            self.gold[keep],
            self.writers[keep],
            self.embedding_model,
            self.neighbours,
        )

    def restricted(self, docs: set[str], exclude_writers: frozenset[str] = frozenset()) -> QuestionBank:
        """The out-of-scope questions and the answerable questions of `docs`, without `exclude_writers`'."""
        keep = (~self.answerable | np.isin(self.docs, sorted(docs))) & ~np.isin(self.writers, sorted(exclude_writers))
        return self.subset(keep)

    def similarity(self, query: np.ndarray) -> tuple[float, float]:
        """Mean cosine of the k nearest answerable questions, and of the k nearest out-of-scope ones."""
        s = self.vectors @ np.asarray(query, dtype=np.float32)
        return self._top(s[self.answerable]), self._top(s[~self.answerable])

    def votes(self, query: np.ndarray, k: int, temperature: float) -> Vote:
        """The k nearest answerable questions' vote: measure key → share (shares sum to 1), each question
        weighted by exp((cosine − 1) / temperature), so the nearest speaks loudest; and how near they are."""
        rows = np.flatnonzero(self.answerable)
        if not len(rows) or k <= 0:
            return Vote({}, 0.0)
        s = self.vectors[rows] @ np.asarray(query, dtype=np.float32)
        k = min(k, len(rows))
        top = np.argpartition(-s, k - 1)[:k]
        out: dict[str, float] = {}
        for j in top:
            weight = float(np.exp((s[j] - 1.0) / temperature))
            for key in str(self.gold[rows[j]]).split("|"):
                out[key] = out.get(key, 0.0) + weight
        total = sum(out.values()) or 1.0
        return Vote({key: w / total for key, w in out.items()}, float(s[top].mean()))

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
                gold=self.gold.astype(str),
                writers=self.writers.astype(str),
                embedding_model=np.array(self.embedding_model),
                neighbours=np.array(self.neighbours),
            )

    @classmethod
    def load(cls, path: Path) -> QuestionBank:
        with np.load(path, allow_pickle=False) as z:
            vectors = z["vectors"].astype(np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            return cls(
                vectors,
                z["answerable"].astype(bool),
                z["gold"],
                z["writers"],
                str(z["embedding_model"]),
                int(z["neighbours"]),
            )

    @classmethod
    def for_corpus(
        cls, path: Path | None, docs: set[str], embedding_model: str, exclude_writers: frozenset[str] = frozenset()
    ) -> QuestionBank | None:
        """The bank at `path` (default: the packaged one) as the loaded notices may use it, or None when it is
        missing or its vectors come from another embedding model."""
        path = path or DEFAULT_BANK
        if not path.is_file() or not fits(path, embedding_model):  # rag/data/manifest.json (rag/provenance)
            return None
        try:
            bank = cls.load(path)
        except (KeyError, ValueError) as exc:  # a file of another layout: re-run `rag calibrate`
            log.warning("question bank %s cannot be read (%s): not used", path, exc)
            return None
        if bank.embedding_model != embedding_model:
            log.warning(
                "question bank %s embedded by %s, not %s: not used", path, bank.embedding_model, embedding_model
            )
            return None
        covered = bank.restricted(docs, exclude_writers).covered(docs)
        if not covered:  # its out-of-scope questions still speak: everyday matters are out of scope for any notice
            log.info("question bank %s has no labelled questions for the loaded notices: out-of-scope ones only", path)
            return bank.restricted(set(), exclude_writers)
        if covered != docs:  # each notice keeps what is known of it; the others are served on corpus evidence
            log.info(
                "question bank %s: labelled questions for %s; %s served on corpus evidence alone",
                path,
                ", ".join(sorted(covered)),
                ", ".join(sorted(docs - covered)),
            )
        return bank.restricted(covered, exclude_writers)
