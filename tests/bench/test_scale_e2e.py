"""The end-to-end scale benchmark's corpus: generated notices the real parser reads back measure for
measure, and vectors clustered by topic."""
from __future__ import annotations

import numpy as np

from tests.bench.scripts import bench

scale_e2e = bench("scale_e2e")


def test_generated_notices_parse_back_as_written(tmp_path):
    from rag.corpus.collection import Corpus

    topics = scale_e2e.write_corpus(1500, tmp_path / "corpus")
    corpus = Corpus.load(tmp_path / "corpus")
    keys = [m.key for m in corpus.measures]
    assert len(keys) == 1500 and set(keys) == set(topics)
    generated = [m for m in corpus.measures if m.doc.startswith("gen-")]
    assert all(m.units for m in generated) and len({m.doc for m in generated}) == 2

    vectors = scale_e2e.vectors_for(keys, topics, scale_e2e.topic_count(1500))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    same = [i for i, k in enumerate(keys) if topics[k][0] == topics[keys[200]][0] and i != 200]
    other = [i for i, k in enumerate(keys) if topics[k][0] != topics[keys[200]][0]]
    assert (vectors[same] @ vectors[200]).mean() > (vectors[other] @ vectors[200]).mean() + 0.1
