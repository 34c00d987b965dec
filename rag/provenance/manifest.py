"""The learned data's manifest: rag/data/manifest.json (or manifest.json beside a scope model written
elsewhere) records, for the files one `rag calibrate` wrote, each file's sha256, the labelled files it was
fitted on with theirs, the embedding model (name and vector size), the settings the fit depends on, the
command line and the git commit.

At load, as the index manifest is (rag/indexing/store.py), a learned file listed in a manifest is checked
against it and against the running configuration: a file that does not match its checksum, or that was
fitted on another embedding model's vectors, is not used, with a warning saying which and why. (An index
can be rebuilt at load; a learned model cannot be refitted there, so the component goes without it, as it
does when the file is missing.) Retrieval settings that differ from the fit's are reported, not refused: the
features shift, and `rag calibrate` should be re-run, but the model still describes the same evidence.
A file no manifest lists (a trial written before manifests, a test's) is used unchecked.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from rag.checksums import sha256_file
from rag.settings import Settings

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
FORMAT = 1
ROOT = Path(__file__).resolve().parents[2]
# settings a serving process may change without the learned data going stale: paths of the data itself,
# which writers' questions an evaluation leaves out, tokenizing processes and the largest list asked for
_NOT_LEARNED = {"remit_model", "question_bank", "bank_exclude_writers", "index_workers", "max_top_k"}


def learned_settings(settings: Settings) -> dict[str, Any]:
    """The settings the learned files depend on: retrieval (the scope model reads search evidence; the bank
    votes in it) and how questions are embedded."""
    emb = settings.embedding
    return {
        "retrieval": settings.retrieval.model_dump(mode="json", exclude=_NOT_LEARNED),
        "embedding": {
            "backend": emb.backend,
            "model_path": emb.model_path,
            "query_prefix": emb.query_prefix,
            "max_query_chars": emb.max_query_chars,
        },
    }


def _git(*args: str, root: Path = ROOT) -> str | None:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def git_commit() -> dict[str, Any] | None:
    """The checked-out commit, and whether tracked files differ from it; None outside a git checkout."""
    head = _git("rev-parse", "HEAD")
    changed = _git("status", "--porcelain", "--untracked-files=no")
    return None if head is None else {"commit": head, "modified": bool(changed)}


def committed_in(path: Path) -> str | None:
    """The last commit that changed `path`; None outside git or where it was never committed."""
    return _git("log", "-1", "--format=%H", "--", str(path.resolve())) or None


def _key(path: Path, directory: Path) -> str:
    """A file's name in the manifest: relative to the manifest's directory where it lies inside it."""
    try:
        return path.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _shown(path: Path) -> str:
    """A labelled file as recorded: relative to the repository where it lies inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path.resolve())


def write_manifest(
    directory: Path,
    files: list[Path],
    *,
    labelled: list[Path],
    bank_only: list[Path],
    embedding_model: str,
    dim: int,
    settings: Settings,
    fit: dict[str, Any],
    corpus: dict[str, str] | None = None,
    command: list[str] | None = None,
    written_by: str = "rag calibrate",
    note: str = "",
) -> Path:
    """Write `directory`/manifest.json for `files` (written together by one fit), atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "written_by": written_by,
        "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": command if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]],
        "git": git_commit(),
        "embedding_model": embedding_model,
        "dim": dim,
        "settings": learned_settings(settings),
        "fit": fit,
        "corpus": corpus or {},
        "labelled": {_shown(p): sha256_file(p) for p in labelled},
        "bank_only": {_shown(p): sha256_file(p) for p in bank_only},
        "files": {_key(p, directory): sha256_file(p) for p in files},
    }
    if note:
        manifest["note"] = note
    path = directory / MANIFEST
    tmp = directory / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    _checked.clear()
    return path


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest in `directory`, or None where there is none; an unreadable one raises ValueError."""
    path = directory / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"unreadable learned-data manifest {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"learned-data manifest {path} is not of format {FORMAT}")
    return manifest


def problems(path: Path, embedding_model: str, dim: int | None) -> list[str]:
    """Why the learned file at `path` does not fit the manifest beside it and the running embedding model;
    empty where it fits or no manifest lists it."""
    try:
        manifest = read_manifest(path.parent)
    except ValueError as exc:
        return [str(exc)]
    if manifest is None:
        return []
    digest = manifest.get("files", {}).get(_key(path, path.parent))
    if digest is None:
        return []
    found: list[str] = []
    if sha256_file(path) != digest:
        found.append(
            f"{path} does not match the checksum in {path.parent / MANIFEST}: it was changed after "
            "`rag calibrate` wrote it; re-run `rag calibrate` (or `rag data manifest` for files fitted elsewhere)"
        )
    if manifest.get("embedding_model") != embedding_model or (dim is not None and manifest.get("dim") != dim):
        found.append(
            f"{path} was fitted on {manifest.get('embedding_model')} ({manifest.get('dim')}-dim) vectors, "
            f"this configuration embeds with {embedding_model} ({dim}-dim): run `rag calibrate` with it"
        )
    return found


def setting_changes(directory: Path, settings: Settings) -> list[str]:
    """The learned settings that differ from the fit's, as `section.name: fitted → running`."""
    try:
        manifest = read_manifest(directory)
    except ValueError:
        return []
    if manifest is None:
        return []
    fitted, running = manifest.get("settings", {}), learned_settings(settings)
    out = []
    for section, values in running.items():
        for name, value in values.items():
            before = fitted.get(section, {}).get(name, value)
            if before != value:
                out.append(f"{section}.{name}: {before} → {value}")
    return out


def labelled_changes(manifest: dict[str, Any]) -> list[str]:
    """The labelled files the manifest names that are missing or differ now (paths as recorded)."""
    out = []
    for name, digest in {**manifest.get("labelled", {}), **manifest.get("bank_only", {})}.items():
        path = Path(name) if Path(name).is_absolute() else ROOT / name
        if not path.is_file() or sha256_file(path) != digest:
            out.append(name)
    return out


_checked: dict[tuple[str, int, int, str, int | None], bool] = {}
_advised: set[tuple[str, str]] = set()


def fits(path: Path, embedding_model: str, dim: int | None = None) -> bool:
    """Whether the learned file at `path` may be used (see the module's docstring), warning once per file
    and configuration where it may not."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, embedding_model, dim)
    except OSError:
        return True  # no file: its loader says so
    if key not in _checked:
        found = problems(path, embedding_model, dim)
        for message in found:
            log.warning("%s: not used", message)
        _checked[key] = not found
    return _checked[key]


def advise_on_settings(directory: Path, settings: Settings) -> list[str]:
    """Warn (once per directory and difference) where the running settings differ from those the learned
    files in `directory` were fitted with; the differences, for callers that report them."""
    changed = setting_changes(directory, settings)
    fresh = [c for c in changed if (str(directory), c) not in _advised]
    if fresh:
        _advised.update((str(directory), c) for c in fresh)
        log.warning(
            "the learned models in %s were fitted with other settings (%s): re-run `rag calibrate` with these",
            directory,
            "; ".join(fresh),
        )
    return changed
