"""The keyword indexes of a build: BM25 over the measures' jieba words and over their pinyin syllable pairs,
made with the build (rag/indexing/store.py is handed a KeywordBuilder: indexing does not import retrieval)
and stored in its directory (rag/retrieval/keyword.py saves and maps them), so a search process loads them
in seconds instead of tokenizing every measure (a million measures took 28 minutes).

A build whose measures (keys, texts, order) and tokenizer are those of the build it replaces takes that
build's keyword files as they are (hard links where the file system allows); any other build tokenizes
every measure again: jieba's dictionary holds the corpus's unit names, so a notice added or removed can
change how any other measure splits, and BM25's document frequencies are corpus-wide.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from rag.corpus.collection import Corpus
from rag.indexing.chunks import chunk_text
from rag.language.dictionary import Lexicon
from rag.retrieval.keyword import KEYWORD_DIRS, build_keyword_indexes, keyword_spec, unusable
from rag.retrieval.tokenize import Segmenter

log = logging.getLogger(__name__)


def _reusable(donor_path: Path | None, donor_manifest: dict | None, keys: list[str], hashes: list[str], spec: dict):
    if donor_path is None or donor_manifest is None:
        return None
    if unusable(donor_manifest, spec):
        return None
    if donor_manifest.get("keys") != keys or donor_manifest.get("chunk_hashes") != hashes:
        return None
    files = [name for name in donor_manifest.get("files", {}) if name.split("/", 1)[0] in KEYWORD_DIRS.values()]
    if not files or not all((donor_path / name).is_file() for name in files):
        return None
    return files


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # the files are never written again once a build is live: sharing them is safe
    except OSError:
        shutil.copy2(src, dst)


class KeywordBuilder:
    """Makes a build's keyword indexes (rag/indexing/store.py's KeywordMaker): `workers` processes tokenize
    a large corpus (RetrievalSettings.index_workers)."""

    def __init__(self, workers: int = 1):
        self.workers = workers

    def store(
        self,
        corpus: Corpus,
        build: Path,
        keys: list[str],
        hashes: list[str],
        donor_path: Path | None = None,
        donor_manifest: dict | None = None,
    ) -> tuple[list[str], dict]:
        """Write the build's keyword indexes into `build`: the files written (relative to it, for the
        manifest's checksums) and the manifest's "keywords" entry."""
        segmenter = Segmenter.for_units(corpus.units)
        spec = keyword_spec(segmenter)
        started = time.perf_counter()
        reused = _reusable(donor_path, donor_manifest, keys, hashes, spec)
        if reused is not None and donor_path is not None:
            for name in reused:
                _link_or_copy(donor_path / name, build / name)
            log.info("keyword indexes reused from %s (measures unchanged)", donor_path.name)
            return reused, {"spec": spec, "reused": True}
        measures = [corpus.by_key[k] for k in keys]  # in the build's order, which the retriever's rows follow
        texts = [chunk_text(m) for m in measures]
        indexes = build_keyword_indexes(texts, segmenter, [m.doc for m in measures], self.workers)
        files = [
            f"{KEYWORD_DIRS[name]}/{file}"
            for name, index in indexes.items()
            for file in index.save(build / KEYWORD_DIRS[name])
        ]
        log.info("keyword indexes of %d measures built in %.1fs", len(measures), time.perf_counter() - started)
        # the English lexicon over this vocabulary, cached where the retriever looks for it (index/cache): made
        # here, the first search process after a build does not spend 20 s on it (100k measures)
        Lexicon.cached(indexes["words"].idf, build.parent / "cache")
        return files, {"spec": spec, "reused": False}


def keywords_missing(corpus: Corpus, manifest: dict) -> str:
    """Why a build's stored keyword indexes would not be loaded for this corpus; empty when they would be.
    Such a build still serves (the retriever tokenizes at start-up); `rag index build` rebuilds it."""
    return unusable(manifest, keyword_spec(Segmenter.for_units(corpus.units)))
