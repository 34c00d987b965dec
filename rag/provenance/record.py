"""Writing the learned data's manifest: after a fit (`rag calibrate`), and for files fitted before manifests
existed (`rag data manifest`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rag.provenance.manifest import committed_in, write_manifest
from rag.settings import Settings

# the files `rag calibrate` writes into rag/data
LEARNED = ("scope_model.json", "scope_model_bank.json", "scope_questions.npz", "remit_model.json", "task_model.json")
# the labelled files of the documented calibrate command (README, Makefile)
FITTED_ON = ("eval/qa.jsonl", "eval/users-dev.jsonl", "eval/users-train.jsonl")
BANK_ONLY = ("eval/users-coverage.jsonl",)


def record_fit(
    services, directory: Path, files: list[Path], labelled: list[Path], bank_only: list[Path], max_false_refusal: float
) -> Path:
    """The manifest of one `rag calibrate`: what it wrote, from what, with which model and settings."""
    embedder = services.retriever.embedder
    return write_manifest(
        directory,
        files,
        labelled=labelled,
        bank_only=bank_only,
        embedding_model=embedder.name,
        dim=embedder.dim,
        settings=services.settings,
        fit={"max_false_refusal": max_false_refusal},
        corpus=corpus_of(services.corpus),
    )


def corpus_of(corpus) -> dict[str, str]:
    """The notices a fit saw (their features and the bank's answers are relative to them): id → sha256."""
    return {d.id: d.sha256 for d in corpus.documents}


def embedding_of(directory: Path) -> tuple[str, int]:
    """The embedding model the learned files say they were fitted with, read from the files themselves (the
    question bank's vectors and the remit model's info): they must agree, or no manifest can be written."""
    with np.load(directory / "scope_questions.npz") as z:
        bank_model, dim = str(z["embedding_model"]), int(z["vectors"].shape[1])
    remit = json.loads((directory / "remit_model.json").read_text(encoding="utf-8"))
    remit_model, remit_dim = remit.get("info", {}).get("embedding_model"), len(remit["features"]) - 1
    if (remit_model, remit_dim) != (bank_model, dim):
        raise ValueError(
            f"the question bank ({bank_model}, {dim}-dim) and the remit model ({remit_model}, {remit_dim}-dim) in "
            f"{directory} disagree on the embedding model: re-run `rag calibrate`"
        )
    return bank_model, dim


def record_after_the_fact(
    directory: Path,
    settings: Settings,
    labelled: list[Path],
    bank_only: list[Path],
    max_false_refusal: float,
    command: list[str],
) -> Path:
    """A manifest for learned files already in `directory`, without refitting them. What the files cannot
    say is taken on trust and the manifest says so: that `labelled` (hashed as they are now) are the files
    they were fitted on, and that the running settings are those of the fit."""
    from rag.corpus.collection import Corpus

    model, dim = embedding_of(directory)
    files = [directory / name for name in LEARNED if (directory / name).is_file()]
    commits = {f.name: committed_in(f) for f in files}
    fit_command = ["rag", "calibrate", *map(str, labelled)]
    if bank_only:
        fit_command += ["--bank-only", *map(str, bank_only)]
    fit_command += ["--max-false-refusal", str(max_false_refusal)]
    return write_manifest(
        directory,
        files,
        labelled=labelled,
        bank_only=bank_only,
        embedding_model=model,
        dim=dim,
        settings=settings,
        fit={"max_false_refusal": max_false_refusal, "command": fit_command, "files_committed_in": commits},
        corpus=corpus_of(Corpus.load(settings.corpus_dir)),
        command=command,
        written_by="rag data manifest",
        note=(
            "written after the fact for files `rag calibrate` had written before manifests existed: the "
            "embedding model is read from the files; the labelled files were hashed when this manifest was "
            "written, and the settings and corpus are those in force then, all assumed to be the fit's; git is "
            "the commit checked out then, fit.files_committed_in the last commit that changed each file"
        ),
    )
