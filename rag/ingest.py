"""Add one notice to the corpus without re-embedding the others.

`ingest(path, settings)` parses the file first (a malformed notice is refused with the parser's
line-numbered error and nothing is copied), copies it into the corpus directory under a safe name (its
document id), then rebuilds the index reusing the vectors of every unchanged measure: only the new notice's
measures are embedded. If anything after the copy fails (the corpus no longer loads, the index build fails,
the process is interrupted), the copy is taken back out and a replaced notice put back, so the corpus and
the index never disagree and nothing already ingested is lost. A running server picks the notice up on its
next reload (`Services.reload()`).

The lines the parser placed by its own choice (rag.corpus.model.ParseWarning) come back on the result, for
`rag ingest` and the admin upload to show.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from rag.corpus.collection import Corpus
from rag.corpus.model import Document, ParseWarning
from rag.corpus.readers import READERS
from rag.settings import Settings

_UNSAFE = re.compile(r"[^\w.\-]+")  # \w keeps CJK letters: 临江区-2021-12 is a fine id


class IngestError(ValueError):
    """The notice cannot be added; the message says why."""


@dataclass
class IngestResult:
    doc_id: str
    path: Path  # where it now lies in the corpus directory
    measures: int
    embedded: int  # chunks embedded by this ingest (the new notice's)
    reused: int  # chunks whose vectors were reused
    index_path: Path | None
    replaced: bool = False
    warnings: tuple[ParseWarning, ...] = ()  # lines the parser placed by its own choice

    def summary(self) -> str:
        verb = "replaced" if self.replaced else "added"
        text = f"{verb} {self.doc_id} ({self.path.name}): {self.measures} measures"
        if self.index_path is not None:
            text += f"; index rebuilt: {self.embedded} embedded, {self.reused} reused ({self.index_path.name})"
        if self.warnings:
            text += f"; {len(self.warnings)} {'line' if len(self.warnings) == 1 else 'lines'} placed by the parser"
        return text


def warning_lines(source: str, warnings: tuple[ParseWarning, ...]) -> list[str]:
    """A heading and one line per warning, for a terminal or a status box; for a .docx or a page the line
    numbers are those of the extracted text (`rag ingest --show-text FILE`)."""
    if not warnings:
        return []
    head = f"{source}: {len(warnings)} {'line' if len(warnings) == 1 else 'lines'} placed by the parser"
    head += ":" if source.lower().endswith(".txt") else " (line numbers of the text `rag ingest --show-text` prints):"
    return [head, *(f"  warning: {w.message}" for w in warnings)]


def labelled_count(doc_id: str, settings: Settings) -> int:
    """How many labelled questions speak for the notice, counted as serving counts them (the bank restricted
    as `QuestionBank.for_corpus` restricts it: writers left out, at least `covered`'s minimum); 0 without a bank."""
    from rag.retrieval.question_bank import DEFAULT_BANK, QuestionBank

    path = settings.retrieval.question_bank or DEFAULT_BANK
    try:
        bank = QuestionBank.load(path) if path.is_file() else None
    except (KeyError, ValueError, OSError):
        return 0
    if bank is None:
        return 0
    held = bank.restricted({doc_id}, frozenset(settings.retrieval.bank_exclude_writers))
    return held.answerable_count(doc_id) if held.covered({doc_id}) else 0


def knowledge_line(doc_id: str, n: int, english: bool = True) -> str:
    """What is known of the notice beyond its text: whether `n` labelled questions speak for it (the question
    bank, rag/retrieval/question_bank.py), and what that means for its answers."""
    if english:
        if n:
            return f"{doc_id}: {n} labelled questions speak for it (question bank and scope model fitted with them)"
        return (
            f"{doc_id}: no labelled questions; its questions are routed to it and answered from its own text, "
            "and the other notices are served as before (run `rag calibrate` with questions about it to add them)"
        )
    if n:
        return f"{doc_id}：有{n}条已标注的问题（检索投票与范围判断都会参考）"
    return f"{doc_id}：没有已标注的问题；关于它的问题按其原文检索和判断，其他通知的回答不受影响"


def safe_doc_id(name: str) -> str:
    """A document id from a file stem or a user's choice: letters (any script), digits, '.', '-', '_'."""
    stem = unicodedata.normalize("NFKC", name).strip()
    stem = _UNSAFE.sub("-", stem).strip(".-_")
    stem = re.sub(r"[.\-]{2,}", "-", stem)[:100]
    if not stem:
        raise IngestError(f"cannot make a document id from {name!r}: give one with --id")
    return stem


def _reader(path: Path):
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(READERS))}"
        )
    return reader


def check_notice(path: Path, doc_id: str | None = None) -> Document:
    """Parse the file as it would be read from the corpus; raise NoticeFormatError (line-numbered) or IngestError."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    doc_id = safe_doc_id(doc_id or path.stem)
    doc = _reader(path)(path, doc_id=doc_id)
    if not doc.measures:  # the parser refuses such a notice itself, saying why; a reader that did not
        raise IngestError(f"{path.name}: no measures found")
    return doc


def ingest(
    path: Path,
    settings: Settings,
    doc_id: str | None = None,
    replace: bool = False,
    build_index: bool = True,
    embedder=None,
) -> IngestResult:
    path = Path(path)
    doc = check_notice(path, doc_id)  # refuse before touching the corpus
    corpus_dir = Path(settings.corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / f"{doc.id}{path.suffix.lower()}"
    if path.resolve() == target.resolve():
        raise IngestError(f"{path} is already in the corpus directory as {doc.id}")

    existing = [
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in READERS and p.stem == doc.id
    ]
    if existing and not replace:
        raise IngestError(
            f"the corpus already holds a notice with id {doc.id!r} ({existing[0].name}); "
            f"choose another id with --id, or --replace it"
        )
    # the same notice under another name or in another format would answer every question twice
    texts = tuple(m.text for m in doc.measures)
    for p in corpus_dir.iterdir():
        if p.is_file() and p.suffix.lower() in READERS and p not in existing and not p.name.startswith("."):
            try:
                other = _reader(p)(p)
            except ValueError:
                continue  # a broken file already there is the corpus loader's to report
            if tuple(m.text for m in other.measures) == texts:
                raise IngestError(
                    f"{path.name} is already in the corpus as {p.name} (document {other.id}): same measures"
                )

    # copy under a hidden name first (the corpus loader skips dot files), then rename: never half a file
    tmp = corpus_dir / f".ingest-{uuid.uuid4().hex[:8]}{path.suffix.lower()}"
    backups: list[tuple[Path, Path]] = []
    installed = False  # whether `target` is the new file: only then may a failure remove it
    try:
        shutil.copyfile(path, tmp)
        for old in existing:
            backup = corpus_dir / f".replaced-{uuid.uuid4().hex[:8]}-{old.name}"
            os.replace(old, backup)
            backups.append((backup, old))
        os.replace(tmp, target)
        installed = True
        corpus = Corpus.load(corpus_dir)  # the whole corpus must still load (unique ids, every file parses)
        result = IngestResult(
            doc.id, target, len(doc.measures), 0, 0, None, replaced=bool(existing), warnings=doc.warnings
        )
        if build_index:
            built = _rebuild(corpus, settings, embedder, reason=f"rag ingest {target.name}")
            result.embedded = built.manifest["embedded"]
            result.reused = built.manifest["count"] - built.manifest["embedded"]
            result.index_path = built.path
    except BaseException:
        if installed:
            target.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
        for backup, old in backups:
            os.replace(backup, old)
        raise
    for backup, _ in backups:
        backup.unlink(missing_ok=True)
    return result


def _rebuild(corpus: Corpus, settings: Settings, embedder, reason: str):
    from rag.embeddings import make_embedder
    from rag.indexing import rebuild
    from rag.retrieval.keyword_store import KeywordBuilder

    return rebuild(
        corpus,
        embedder or make_embedder(settings.embedding),
        settings.index_dir,
        settings.vector_store,
        reason=reason,
        keywords=KeywordBuilder(settings.retrieval.index_workers),
    )
