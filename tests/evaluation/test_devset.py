"""The project's own development set and its saved retrieval baseline (CI gates on them)."""
import collections
import json
from pathlib import Path

from rag.corpus.collection import Corpus
from rag.corpus.ids import normalize_id
from rag.evaluation.dataset import load_dataset
from rag.evaluation.report_json import load_report
from rag.evaluation.scoring import ANSWER_METRICS

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "eval"
CATEGORIES = {"who_handles", "how_to", "fact", "unit_inverse", "id_lookup", "metadata", "multi", "english",
              "typo_colloquial", "out_of_scope"}


def test_dev_set_covers_every_category_with_gold_from_the_notice():
    corpus = Corpus.load(ROOT / "corpus")
    questions = load_dataset(EVAL / "qa.jsonl").questions
    assert len(questions) >= 100
    counts = collections.Counter(q.category for q in questions)
    assert set(counts) == CATEGORIES and min(counts.values()) >= 5
    ids = {normalize_id(m.id) for m in corpus.measures}
    units = {u for m in corpus.measures for u in m.units}
    for q in questions:
        assert all(normalize_id(g) in ids for g in q.gold_ids), q.id
        assert all(u in units for u in q.gold_units), q.id
        assert bool(q.gold_ids) or q.category in ("out_of_scope", "metadata", "english"), q.id
        if q.category == "out_of_scope":
            assert not (q.gold_ids or q.gold_units or q.answer_facts), q.id


def test_baseline_is_a_retrieval_only_run_of_the_dev_set():
    questions = load_dataset(EVAL / "qa.jsonl").questions
    base = load_report(EVAL / "baseline.json")
    assert base["meta"]["measured"] == "retrieval"
    assert [q["id"] for q in base["questions"]] == [q.id for q in questions]
    assert base["overall"]["n"] == len(questions)
    assert base["overall"]["n_retrieval"] == sum(1 for q in questions if q.gold_ids)
    assert not set(ANSWER_METRICS) & set(base["overall"])
    assert 0.0 < base["overall"]["hit@1"] <= base["overall"]["hit@5"] <= 1.0
    json.dumps(base)  # plain JSON all the way down
