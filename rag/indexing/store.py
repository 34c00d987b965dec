"""Build, persist and load the index.

Layout: `index/CURRENT` names the live build directory `index/build-…/`, which holds manifest.json,
vectors.npy, the vector store's files and the keyword (BM25) indexes (rag/retrieval/keyword_store.py). A build is
written to a fresh directory and made live by an atomic rename of CURRENT, so a crash mid-build leaves the
old build serving. On load every file is checked
against the manifest's checksums; a stale build (corpus, model or store changed) or a corrupt one is
rebuilt, never served. Vectors of unchanged chunks are reused, so adding a notice embeds only that notice;
the keyword indexes are reused when no measure changed.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.checksums import sha256_file
from rag.corpus.collection import Corpus
from rag.embeddings.base import Embedder
from rag.indexing.chunks import chunk_hash, chunk_text
from rag.settings import VectorStoreSettings
from rag.vectorstores import VectorStore, make_vector_store

log = logging.getLogger(__name__)
FORMAT = 1


class IndexError_(RuntimeError):
    """The index on disk cannot be served (missing, stale or corrupt)."""


class KeywordMaker(Protocol):
    """Writes a build's keyword indexes into its directory (rag.retrieval.keyword_store.KeywordBuilder); may
    take a donor build's files when its measures are the same. Returns the files written, relative to the
    build, and the manifest's "keywords" entry."""

    def store(
        self,
        corpus: Corpus,
        build: Path,
        keys: list[str],
        hashes: list[str],
        donor_path: Path | None = None,
        donor_manifest: dict | None = None,
    ) -> tuple[list[str], dict]: ...


@dataclass
class Donor:
    """A build's keys, vectors and manifest: what a rebuild may reuse (no store is opened for it)."""

    keys: list[str]
    vectors: np.ndarray
    manifest: dict
    path: Path | None = None  # its build directory, whose keyword files a rebuild may take


@dataclass
class LoadedIndex:
    store: VectorStore
    keys: list[str]
    vectors: np.ndarray
    manifest: dict
    path: Path
    rebuilt: str = ""  # why it was (re)built on this load; empty when loaded as it was


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not name.startswith("build-") or "/" in name or not (index_dir / name).is_dir():
        return None
    return index_dir / name


def _read_verified(build: Path) -> dict:
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"unreadable manifest in {build}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise IndexError_(f"unreadable manifest in {build}: not a JSON object")
    if manifest.get("format") != FORMAT:
        raise IndexError_(f"index format {manifest.get('format')} is not {FORMAT}")
    for name, digest in manifest.get("files", {}).items():
        path = build / name
        if not path.is_file() or sha256_file(path) != digest:
            raise IndexError_(f"{path} is missing or does not match its checksum: the index is corrupt")
    return manifest


def _expected(corpus: Corpus, embedder: Embedder, store_cfg: VectorStoreSettings, store_kind: str) -> dict:
    return {
        "corpus_fingerprint": corpus.fingerprint,
        "embedding_model": embedder.name,
        "dim": embedder.dim,
        "store": store_kind,
    }


def build_index(
    corpus: Corpus,
    embedder: Embedder,
    index_dir: Path,
    store_cfg: VectorStoreSettings,
    reuse: LoadedIndex | Donor | None = None,
    reason: str = "build",
    keywords: KeywordMaker | None = None,
) -> LoadedIndex:
    """A new build made live, with the keyword indexes `keywords` makes (rag.retrieval.keyword_store's
    KeywordBuilder); without it the build holds none, and each search process makes them at start-up."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; readers never need the lock
        measures = corpus.measures
        keys = [m.key for m in measures]
        hashes = [chunk_hash(m) for m in measures]
        vectors = np.zeros((len(measures), embedder.dim), dtype=np.float32)
        old: dict[tuple[str, str], int] = {}
        # same name and size: two sentence-transformers folders of the same name can hold different models
        if (
            reuse is not None
            and reuse.manifest.get("embedding_model") == embedder.name
            and reuse.manifest.get("dim") == embedder.dim
        ):
            old = {(k, h): i for i, (k, h) in enumerate(zip(reuse.keys, reuse.manifest["chunk_hashes"], strict=False))}
        todo = [i for i, kh in enumerate(zip(keys, hashes, strict=False)) if kh not in old]
        for i, kh in enumerate(zip(keys, hashes, strict=False)):
            if kh in old and reuse is not None:
                vectors[i] = reuse.vectors[old[kh]]
        if todo:
            started = time.perf_counter()
            vectors[todo] = embedder.embed_passages([chunk_text(measures[i]) for i in todo])
            log.info("embedded %d chunks in %.1fs", len(todo), time.perf_counter() - started)

        store = make_vector_store(store_cfg, embedder.dim, len(keys))
        build = index_dir / f"build-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        build.mkdir()
        np.save(build / "vectors.npy", vectors)
        if hasattr(store, "bind"):
            store.bind(build)  # stores that persist as they go (Milvus Lite) write inside the build
        store.add(keys, vectors)
        files = ["vectors.npy", *store.save(build)]
        stored_keywords: dict | None = None
        if keywords is not None:
            keyword_files, stored_keywords = keywords.store(
                corpus,
                build,
                keys,
                hashes,
                reuse.path if reuse is not None else None,
                reuse.manifest if reuse is not None else None,
            )
            files += keyword_files
        manifest = {
            "format": FORMAT,
            **_expected(corpus, embedder, store_cfg, store.kind),
            "count": len(keys),
            "documents": {
                d.id: {"sha256": d.sha256, "source": d.source, "measures": len(d.measures)} for d in corpus.documents
            },
            "keys": keys,
            "chunk_hashes": hashes,
            "embedded": len(todo),
            **({"keywords": stored_keywords} if stored_keywords is not None else {}),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": {name: sha256_file(build / name) for name in files},
        }
        (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for name in [*files, "manifest.json"]:
            with (build / name).open("rb") as f:
                os.fsync(f.fileno())
        for sub in {(build / name).parent for name in files}:
            _fsync_dir(sub)
        pointer_tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:8]}"
        pointer_tmp.write_text(build.name, encoding="utf-8")
        with pointer_tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(pointer_tmp, index_dir / "CURRENT")  # the one atomic step that makes the build live
        _fsync_dir(index_dir)
        for other in index_dir.iterdir():
            if other.is_dir() and other.name.startswith("build-") and other != build:
                shutil.rmtree(other, ignore_errors=True)
        return LoadedIndex(store, keys, vectors, manifest, build, rebuilt=reason)


def load_index(corpus: Corpus, embedder: Embedder, index_dir: Path, store_cfg: VectorStoreSettings) -> LoadedIndex:
    """Load the live build, or raise IndexError_ saying why it cannot be served."""
    build = current_build(index_dir)
    if build is None:
        raise IndexError_(f"no index in {index_dir}")
    manifest = _read_verified(build)
    store = make_vector_store(store_cfg, embedder.dim, len(corpus.measures))
    expected = _expected(corpus, embedder, store_cfg, store.kind)
    stale = {k: (manifest.get(k), v) for k, v in expected.items() if manifest.get(k) != v}
    # mapped, not read: searches gather their candidates' rows, and a million vectors need not be resident
    vectors = np.load(build / "vectors.npy", mmap_mode="r")
    # one string per key in the process: the corpus's own (Measure.key, made once), which every map keyed on
    # measures holds too. The chunk hashes only a rebuild reads, and it reads them from the build (live_donor):
    # at a million measures the copies and hashes were 300 MB of small strings in every search process
    keys = [m.key for m in corpus.measures]
    if keys != manifest["keys"]:
        keys = manifest["keys"]
    manifest = {**manifest, "keys": keys}
    manifest.pop("chunk_hashes", None)
    loaded = LoadedIndex(store, keys, vectors, manifest, build)
    if stale:
        raise IndexError_(
            f"index is stale: {', '.join(stale)} changed",
        ) from None
    if hasattr(store, "bind"):
        store.bind(build)
    store.load(build, keys)
    if len(store) != manifest["count"] or vectors.shape != (manifest["count"], embedder.dim):
        raise IndexError_("index sizes disagree with the manifest: the index is corrupt")
    return loaded


def live_donor(index_dir: Path) -> Donor | None:
    """The live build's keys, chunk hashes and vectors, when it verifies: what a rebuild may reuse. A corrupt
    build donates nothing (its vectors cannot be trusted)."""
    build = current_build(index_dir)
    if build is None:
        return None
    try:
        manifest = _read_verified(build)
        return Donor(manifest["keys"], np.load(build / "vectors.npy", mmap_mode="r"), manifest, build)
    except Exception:
        return None


def rebuild(
    corpus: Corpus,
    embedder: Embedder,
    index_dir: Path,
    store_cfg: VectorStoreSettings,
    *,
    full: bool = False,
    reason: str = "build",
    keywords: KeywordMaker | None = None,
) -> LoadedIndex:
    """The one way an index is rebuilt: `rag index build`, `rag ingest`, the admin re-index and a load that
    finds the index stale or corrupt all come here. Unless `full`, every chunk whose key, text and embedding
    model are unchanged keeps the live build's vector (build_index checks the model), so adding a notice
    embeds only that notice. Whatever serves searches must then be rebuilt on the result: Services.reload()
    or Services.install() in this process; search workers reload when CURRENT moves."""
    reuse = None if full else live_donor(index_dir)
    return build_index(corpus, embedder, index_dir, store_cfg, reuse=reuse, reason=reason, keywords=keywords)


def load_or_build(
    corpus: Corpus,
    embedder: Embedder,
    index_dir: Path,
    store_cfg: VectorStoreSettings,
    keywords: KeywordMaker | None = None,
) -> LoadedIndex:
    try:
        return load_index(corpus, embedder, index_dir, store_cfg)
    except IndexError_ as exc:
        reason = str(exc)
    except Exception as exc:  # a damaged file can fail inside numpy or faiss: rebuild rather than serve it
        reason = f"index unreadable ({type(exc).__name__}: {exc})"
    log.warning("rebuilding the index: %s", reason)
    return rebuild(corpus, embedder, index_dir, store_cfg, reason=reason, keywords=keywords)
