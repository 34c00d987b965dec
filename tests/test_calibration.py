"""`rag calibrate` fits both models on labelled questions and writes files the pipeline loads."""
from __future__ import annotations

import json

from rag.calibration import calibrate
from rag.checksums import sha256_file
from rag.classifiers import BoostedTrees, LogisticModel, load_classifier
from rag.provenance import read_manifest
from rag.services import Services
from tests.conftest import ROOT, make_settings


def own_services(services) -> Services:
    """Services with a retriever of their own on the session's corpus, model and index: calibrate puts the
    remit model it fits into the retriever it is given, and the session's must keep the packaged one."""
    svc = Services(services.settings)
    for name in ("corpus", "embedder", "index"):
        svc.__dict__[name] = getattr(services, name)
    return svc


def test_calibrate_writes_models_that_load(tmp_path, services):
    serving_remit = services.retriever.remit
    small = tmp_path / "small.jsonl"
    lines = (ROOT / "eval" / "users-dev.jsonl").read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[:60] + lines[-60:]) + "\n", encoding="utf-8")
    extra = tmp_path / "coverage.jsonl"  # bank-only questions: in the bank, not in the fit
    extra.write_text("\n".join((ROOT / "eval" / "users-coverage.jsonl").read_text(encoding="utf-8").splitlines()[:9]) + "\n",
                     encoding="utf-8")
    report = calibrate(own_services(services), [ROOT / "eval" / "qa.jsonl", small], 0.02, tmp_path / "scope.json",
                       tmp_path / "remit.json", bank_only=[extra])
    assert services.retriever.remit is serving_remit  # nothing fitted here reaches the session's services
    fitted_writers = {"_"} | {json.loads(line)["id"].rsplit("-", 1)[0] for line in lines[:60] + lines[-60:]}
    assert report["scope_with_question_bank"]["writers"] == len(fitted_writers)  # the bank-only writer is not fitted
    assert report["bank"]["bank_only"] == 9
    assert 0 <= report["scope"]["cv_answerable_refused"] <= 0.05 and report["scope"]["out_of_scope"] > 20
    assert report["remit"]["remit"] > 10
    scope, remit = load_classifier(tmp_path / "scope.json"), load_classifier(tmp_path / "remit.json")
    assert isinstance(scope, BoostedTrees) and isinstance(remit, LogisticModel)
    svc = Services(make_settings(tmp_path, index_dir=services.settings.index_dir,
                                 answer={"scope_model": str(tmp_path / "scope.json")},
                                 retrieval={"remit_model": str(tmp_path / "remit.json"),
                                            "question_bank": str(tmp_path / "scope_questions.npz")}))
    assert svc.answerer.scope.model.info == scope.info
    # the bank of labelled questions and the model fitted with it are written beside the scope model
    assert (tmp_path / "scope_model_bank.json").is_file() and (tmp_path / "scope_questions.npz").is_file()
    assert report["scope_with_question_bank"]["writers"] >= 2
    assert svc.retriever.bank is not None
    assert int((svc.retriever.bank.writers == "w26").sum()) == 9  # ... but it is in the bank
    assert svc.answerer.scope.bank_model is not None
    # the task-request model, a scope feature, is written beside the scope model and loaded from there
    assert report["task_request"]["requests"] > 0 and (tmp_path / "task_model.json").is_file()
    assert svc.answerer.scope.task.model is not None
    assert svc.answerer.scope.task.model.info == report["task_request"]
    # and what was written, from what, with which model, beside the scope model (rag/provenance)
    manifest = read_manifest(tmp_path)
    written = ["scope.json", "scope_model_bank.json", "scope_questions.npz", "remit.json", "task_model.json"]
    assert manifest["files"] == {name: sha256_file(tmp_path / name) for name in written}
    assert manifest["labelled"] == {"eval/qa.jsonl": sha256_file(ROOT / "eval" / "qa.jsonl"),
                                    str(small): sha256_file(small)}
    assert manifest["bank_only"] == {str(extra): sha256_file(extra)}
    assert (manifest["embedding_model"], manifest["dim"]) == (services.embedder.name, services.embedder.dim)
    assert manifest["fit"] == {"max_false_refusal": 0.02} and manifest["corpus"] == {"jiading-2021-7": ANY_SHA}
    assert manifest["written_by"] == "rag calibrate" and manifest["git"]["commit"]
    assert scope.info["embedding_model"] == services.embedder.name


class _Sha:
    def __eq__(self, other) -> bool:
        return isinstance(other, str) and len(other) == 64


ANY_SHA = _Sha()


class _Fixed:
    def __init__(self, p: float):
        self.p = p

    def probability(self, x) -> float:
        return self.p


def test_each_writers_scope_features_read_the_task_model_fitted_without_them(services):
    from rag.answer.scope import FEATURES
    from rag.answer.task_request import TaskRequest
    from rag.calibration import question_bank, scope_rows
    from rag.evaluation.dataset import Question

    qs = [Question(id="wa-1", category="out_of_scope", question="帮我写一首关于春天的诗"),
          Question(id="wb-1", category="who_handles", question="工厂接自来水找哪个单位", gold_ids=("二(四)4",))]
    judge, retriever = services.answerer.scope, services.retriever
    kept_task, kept_bank = judge.task, retriever.bank
    rows = scope_rows(retriever, judge, qs, question_bank(retriever, qs),
                      {"wa": TaskRequest(_Fixed(0.11)), "wb": TaskRequest(_Fixed(0.77))})
    column = rows.x[:, FEATURES.index("task_request")]
    assert dict(zip(rows.groups.tolist(), column.tolist(), strict=True)) == {"wa": 0.11, "wb": 0.77}
    assert judge.task is kept_task and retriever.bank is kept_bank  # the serving objects are left alone
