import pytest
import numpy as np


@pytest.mark.parametrize("query", ["二(四)4", "二（四）4说了什么", "二.4.4", "第二部分第四节第4条", "二、（四）4"])
def test_id_in_any_form_goes_straight_to_the_measure(services, query):
    hits = services.retriever.retrieve(query, 5)
    assert hits[0].measure.id == "二(四)4" and "id" in hits[0].via


def test_section_id_returns_that_section(services):
    assert services.retriever.retrieve("第二部分第七节", 3)[0].measure.id == "二(七)"


@pytest.mark.parametrize("query, unit, count", [("区税务局负责哪些措施?", "区税务局", 15), ("房管局有哪些任务", "区房管局", 4),
                                                ("海关负责什么", "嘉定海关", 5)])
def test_unit_question_returns_all_of_its_measures(services, query, unit, count):
    hits = services.retriever.retrieve(query, 20)
    own = [h for h in hits if unit in h.measure.units]
    assert len(own) == count
    assert all(unit in h.measure.units for h in hits[:count])


@pytest.mark.parametrize("query, expected", [
    ("我们厂要接自来水，找哪个单位？", {"二(四)4", "二(四)2"}),
    ("Can customs inspections be done without us being present?", {"二(六)2"}),
    ("公司不想干了咋注消", {"二(一)6", "二(一)1", "二(一)5"}),
    ("有没有帮半服务", {"四(二)2", "四(二)1"}),
])
def test_questions_in_users_words(services, query, expected):
    ids = [h.measure.id for h in services.retriever.retrieve(query, 5)]
    assert set(ids[:3]) & expected, ids


def test_document_filter(services):
    assert services.retriever.retrieve("接水", 5, doc="no-such-doc") == []
    assert all(h.measure.doc == "jiading-2021-7" for h in services.retriever.retrieve("接水", 5, doc="jiading-2021-7"))


def test_top_k_up_to_fifty(services):
    assert len(services.retriever.retrieve("企业", 50)) == 50


def test_llama_index_retriever_carries_metadata(services):
    from rag.retrieval.llama_index import MeasureRetriever

    nodes = MeasureRetriever(services.retriever, top_k=3).retrieve("海关查验能不能不用人陪")
    meta = nodes[0].node.metadata
    assert meta["id"] == "二(六)2" and meta["units"] == ["嘉定海关"] and meta["doc"] == "jiading-2021-7"
    assert "获得" not in meta["section"] and "跨境贸易" in meta["section"]
    assert nodes[0].node.id_ == "jiading-2021-7:二(六)2"


def test_the_notices_own_place_is_not_searched_for(services):
    # every Jiading measure is in Jiading: the district's name tells which notice, not which measure
    r = services.retriever
    doc = r.measures[0].doc
    assert "嘉定" not in r.topic_text("我在嘉定区开了家饭馆，能招失业人员吗", doc)
    assert "饭馆" in r.topic_text("我在嘉定区开了家饭馆，能招失业人员吗", doc)
    assert r.topic_text("昆山的企业能来办吗", doc) == "昆山的企业能来办吗"  # another place stays


def test_a_search_within_one_notice_is_exact(services):
    # a notice's own rows are scored from the build's vectors: the same ranking as the exact store, no probe
    r = services.retriever
    doc = r.measures[0].doc
    q = r.embedder.embed_query("企业开办要跑几个部门")
    dense = r._dense(q, 10, doc)
    truth = np.argsort(-(r.index.vectors @ q), kind="stable")[:10]
    assert list(dense.rows) == list(truth) and np.all(np.diff(dense.scores) <= 0)
