"""A regression run in the background: checked before it starts, one at a time, progress as it goes, the
HTML report when done."""
from __future__ import annotations

import json

import pytest

from rag.evaluation.dataset import DatasetError
from rag.evaluation.job import EvalJob, EvalRunning
from tests.conftest import QA_FILE


def test_runs_in_the_background_with_progress_and_a_report(services, tmp_path):
    rows = QA_FILE.read_text(encoding="utf-8").splitlines()[:5]
    f = tmp_path / "reg.jsonl"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    job = EvalJob(services)
    seen = []
    state = job.start(f, "retrieval")
    assert state.status == "running" and state.total == 5
    with pytest.raises(EvalRunning):
        if job.running:
            job.start(f, "retrieval")
        else:
            raise EvalRunning("finished already")
    seen.append(job.wait(120).done)
    assert job.state.status == "done" and seen == [5]
    assert "<html" in job.state.html and job.state.summary["n_retrieval"] == 5


def test_a_bad_file_is_refused_before_it_starts(services, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"question": ""}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError):
        EvalJob(services).start(f, "extractive")
    with pytest.raises(ValueError):
        EvalJob(services).start(f, "nonsense")
