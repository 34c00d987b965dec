"""The matcher reuses a saved answer only at or above the threshold, sees a save or a delete at once (even
one made through another connection to the file), skips answers for another notice or whose measures are
gone, and the checks refuse unknown ids, sections, and units or ids the citations do not hold."""
from __future__ import annotations

import numpy as np
import pytest

from rag.standard.checks import StandardAnswerError, check_text, cited, resolve_citations
from rag.standard.matcher import StandardMatcher, question_text
from rag.standard.model import CitedMeasure
from rag.standard.store import StandardStore


class TableEmbedder:
    """Vectors by hand: each known text a fixed unit vector, anything else orthogonal to all of them."""

    dim = 3
    name = "table"

    def __init__(self, table):
        self.table = table

    def embed_query(self, text):
        v = np.asarray(self.table.get(text, [0.0, 0.0, 1.0]), dtype=np.float32)
        return v / np.linalg.norm(v)


@pytest.fixture
def store(tmp_path):
    return StandardStore(tmp_path / "s.sqlite3")


def water(corpus):
    return cited(resolve_citations(corpus, ["二(四)4"], None))


def test_threshold_decides(store, corpus):
    store.create("接自来水找谁", "找区自来水公司。", water(corpus), None, "t")
    emb = TableEmbedder({"接自来水找谁": [1, 0, 0], "自来水找哪个单位": [0.96, 0.28, 0], "自来水费多少": [0.9, 0.44, 0]})
    m = StandardMatcher(store, emb, corpus, threshold=0.94)
    hit = m.match("自来水找哪个单位？")  # the trailing ？ is not part of what is compared
    assert hit is not None and hit.answer.question == "接自来水找谁" and hit.similarity == pytest.approx(0.96, 1e-3)
    assert [x.id for x in hit.measures] == ["二(四)4"]
    assert m.match("自来水费多少") is None and m.match("天气") is None


def test_a_change_through_another_connection_is_seen_at_once(store, corpus, tmp_path):
    emb = TableEmbedder({"接自来水找谁": [1, 0, 0]})
    m = StandardMatcher(store, emb, corpus, threshold=0.9)
    assert m.match("接自来水找谁") is None
    other = StandardStore(tmp_path / "s.sqlite3")  # another process's connection
    a = other.create("接自来水找谁", "找区自来水公司。", water(corpus), None, "t")
    assert m.match("接自来水找谁") is not None
    other.delete(a.id, "t")
    assert m.match("接自来水找谁") is None


def test_answers_for_another_notice_or_with_measures_gone_are_skipped(store, corpus):
    emb = TableEmbedder({"接自来水找谁": [1, 0, 0]})
    store.create("接自来水找谁", "找区自来水公司。", water(corpus), "another-notice", "t")
    m = StandardMatcher(store, emb, corpus, threshold=0.9)
    assert m.match("接自来水找谁", doc=corpus.documents[0].id) is None
    store.create("接自来水找谁", "x", [CitedMeasure(doc=corpus.documents[0].id, id="九(九)9")], None, "t")
    assert m.match("接自来水找谁", doc=corpus.documents[0].id) is None  # its measure is not in the corpus


def test_question_text_folds_script_width_and_outer_punctuation():
    assert question_text("  營業執照ＡＢ怎么办？？ ", 512) == "营业执照AB怎么办"
    assert question_text("很长的问题" * 200, 512) == ("很长的问题" * 200)[:512]


def test_checks(corpus):
    with pytest.raises(StandardAnswerError, match="names no measure"):
        resolve_citations(corpus, ["九(九)9"], None)
    with pytest.raises(StandardAnswerError, match="section"):
        resolve_citations(corpus, ["二(四)"], None)
    assert resolve_citations(corpus, [], None) == []
    measures = resolve_citations(corpus, ["二(四)4", "二（四）4"], None)
    assert len(measures) == 1  # the same measure written twice
    check_text(corpus, "请联系区自来水公司。", measures)
    with pytest.raises(StandardAnswerError) as exc:
        check_text(corpus, "请联系区税务局，详见二(五)1。", measures)
    assert len(exc.value.problems) == 2
    with pytest.raises(StandardAnswerError, match="派出所"):
        check_text(corpus, "请到派出所办理。", [])  # no citations: no unit of the notice may be named


def test_an_answer_saved_for_one_notice_is_not_given_for_another_or_for_several(store, corpus):
    emb = TableEmbedder({"接自来水找谁": [1, 0, 0]})
    jiading = corpus.documents[0].id
    store.create("接自来水找谁", "找区自来水公司。", water(corpus), jiading, "t")
    m = StandardMatcher(store, emb, corpus, threshold=0.9)
    assert m.match("接自来水找谁") is not None  # one notice loaded: a question is about it
    assert m.match("接自来水找谁", doc=jiading) is not None
    assert m.match("接自来水找谁", doc="other") is None
    store.create("户口迁移", "请拨打12345咨询。", [], None, "t")
    emb.table["户口迁移"] = [0, 1, 0]
    assert m.match("户口迁移", doc=jiading) is not None  # citing nothing: for any notice


def test_a_measure_named_in_an_answer_that_cites_nothing_is_refused(corpus):
    with pytest.raises(StandardAnswerError, match="一\\(一\\)1"):
        check_text(corpus, "请参见一(一)1的规定。", [])
    with pytest.raises(StandardAnswerError, match="not of document"):
        resolve_citations(corpus, [f"{corpus.documents[0].id}:二(四)4"], "other-doc")
