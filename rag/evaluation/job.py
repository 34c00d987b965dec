"""One regression run in the background (the admin tab's upload): the file is checked first, then every
question is put to the live services in a worker thread while the page polls `state`; the HTML report is
kept in memory when it is done. One run at a time per server."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from rag.evaluation.dataset import load_dataset
from rag.evaluation.evaluate import evaluate
from rag.evaluation.report_html import render_html
from rag.evaluation.report_json import build_report
from rag.evaluation.runners import EvalServices, InProcessRunner

log = logging.getLogger(__name__)
MODES = ("extractive", "auto", "retrieval")  # retrieval: search only, no answers


class EvalRunning(RuntimeError):
    pass


@dataclass
class EvalState:
    status: str = "idle"  # idle | running | done | failed
    file: str = ""
    done: int = 0
    total: int = 0
    started: float = 0.0
    seconds: float = 0.0
    error: str = ""
    summary: dict = field(default_factory=dict)  # overall metrics, when done
    html: str = ""  # the report, when done


class EvalJob:
    def __init__(self, services: EvalServices):
        self.svc = services
        self.state = EvalState()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, path: Path, mode: str = "extractive", name: str = "") -> EvalState:
        """Check the file (DatasetError says what is wrong, line by line) and start the run."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        with self._lock:
            if self.running:
                raise EvalRunning(
                    f"an evaluation of {self.state.file} is running ({self.state.done}/{self.state.total})"
                )
            dataset = load_dataset(path)
            self.state = EvalState(
                status="running", file=name or Path(path).name, total=len(dataset.questions), started=time.time()
            )
            self._thread = threading.Thread(target=self._run, args=(dataset, mode), name="eval", daemon=True)
            self._thread.start()
            return self.state

    def wait(self, timeout_s: float) -> EvalState:
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.state

    def _run(self, dataset, mode: str) -> None:
        state = self.state
        answers = mode != "retrieval"

        def progress(done: int, total: int) -> None:
            state.done, state.total = done, total

        try:
            runner = InProcessRunner(self.svc)
            results = evaluate(
                dataset.questions,
                runner,
                answers=answers,
                mode="extractive" if mode == "retrieval" else mode,
                progress=False,
                on_progress=progress,
            )
            meta = {
                "file": state.file,
                "questions": len(dataset.questions),
                "runner": "admin tab, in-process",
                "measured": "retrieval+answers" if answers else "retrieval",
                **({"mode": mode} if answers else {}),
                **runner.describe(),
            }
            report = build_report(results, meta)
            state.summary, state.html = report["overall"], render_html(report)
            state.status = "done"
        except Exception as exc:  # shown on the page; the server keeps serving
            log.exception("evaluation from the admin tab failed")
            state.error, state.status = f"{type(exc).__name__}: {exc}", "failed"
        state.seconds = round(time.time() - state.started, 1)
