"""A quality floor on the development set (not a timing): retrieval must not silently get worse."""
from rag.corpus.ids import normalize_id


def test_dev_set_retrieval_floor(services, qa_rows):
    rows = [r for r in qa_rows if r["gold_ids"]]
    assert len(rows) >= 100
    hit1 = recall = 0.0
    for r in rows:
        gold = {normalize_id(g) for g in r["gold_ids"]}
        k = max(5, len(gold))
        ids = [h.measure.id for h in services.retriever.retrieve(r["question"], max(20, k))]
        hit1 += ids[0] in gold
        recall += len(gold & set(ids[:k])) / len(gold)
    assert hit1 / len(rows) >= 0.88
    assert recall / len(rows) >= 0.97
