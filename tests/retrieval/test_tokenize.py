"""Each index splits words with a jieba dictionary of its own: the unit names one index adds are never seen by
another, nor by jieba's process-wide dictionary (after a re-index that drops a notice, the serving process
and a fresh worker must split alike)."""
from __future__ import annotations

import jieba
import jieba.posseg

from rag.retrieval import keyword
from rag.retrieval.tokenize import Segmenter, tokenize

UNIT = "区稀土冶炼协调办"  # no notice's unit: jieba alone splits it
QUESTION = f"{UNIT}负责哪些工作"


def test_an_index_s_unit_names_stay_in_its_own_dictionary():
    with_unit, without = Segmenter([UNIT]), Segmenter()
    assert UNIT in with_unit.tokenize(QUESTION)
    assert UNIT not in without.tokenize(QUESTION) and UNIT not in tokenize(QUESTION)
    assert UNIT not in jieba.lcut(QUESTION)  # the process-wide dictionary never gains it
    assert with_unit.tagged(QUESTION)[0][0] == UNIT
    assert UNIT not in [w for w, _ in without.tagged(QUESTION)]
    assert without.tagged("区税务局负责退税") == [(p.word, p.flag) for p in jieba.posseg.lcut("区税务局负责退税")]


def test_a_later_index_without_the_unit_splits_as_a_fresh_process_does():
    first = Segmenter([UNIT])
    assert UNIT in first.tokenize(QUESTION)
    again = Segmenter()  # the re-index that dropped the notice naming it
    assert again.tokenize(QUESTION) == Segmenter().tokenize(QUESTION) and UNIT not in again.tokenize(QUESTION)


def test_forked_tokenizing_uses_the_index_s_own_dictionary(monkeypatch):
    monkeypatch.setattr(keyword, "PARALLEL_FROM", 4)  # fork a pool for a handful of texts
    seg = Segmenter([UNIT])
    texts = [QUESTION, "工厂接自来水找谁", f"请{UNIT}答复", "税务"]
    assert list(keyword.tokenized(texts, seg.tokenize, workers=2)) == [seg.tokenize(t) for t in texts]
