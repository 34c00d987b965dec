"""Services over another corpus and index for one evaluation run (`rag eval --corpus-dir DIR --index-dir DIR`):
a notice alone, or several notices loaded together, scored without touching the project's corpus/ and index/.

The settings are a copy of the given ones with the two folders replaced; nothing global (environment,
get_settings(), get_services()) is changed, so the run's services are only the ones it is handed. A missing or
stale index is built in its folder the way `rag index build` builds one, reusing every vector whose measure
and embedding model are unchanged: from that folder's live build, else from the project's index, read only,
so that a notice already indexed there is not embedded again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rag.settings import Settings

log = logging.getLogger(__name__)


class SetupError(ValueError):
    """The folders asked for cannot be used; the message says why (exit 2)."""


def settings_for(base: Settings, corpus_dir: str | Path | None, index_dir: str | Path | None) -> Settings:
    if corpus_dir is None and index_dir is None:
        return base
    update: dict = {}
    if corpus_dir is not None:
        corpus = Path(corpus_dir)
        if not corpus.is_dir():
            raise SetupError(f"--corpus-dir {corpus}: no such folder")
        if index_dir is None and corpus.resolve() != base.corpus_dir.resolve():
            # the default index would then be rebuilt for this corpus, and the project's index with it
            raise SetupError("--corpus-dir needs --index-dir: an index folder for that corpus")
        update["corpus_dir"] = corpus
    if index_dir is not None:
        index = Path(index_dir)
        if index.exists() and not index.is_dir():
            raise SetupError(f"--index-dir {index}: not a folder")
        update["index_dir"] = index
    return base.model_copy(update=update)


def prepare_index(svc: Any, donor_dir: Path | None = None) -> str:
    """Load the services' index, or build it in its folder; says which it did."""
    from rag.indexing.store import build_index, live_donor, load_index

    cfg = svc.settings
    try:
        corpus = svc.corpus
        if not corpus.measures:
            raise SetupError(f"{cfg.corpus_dir}: no notices with measures in this folder")
        current = load_index(corpus, svc.embedder, cfg.index_dir, cfg.vector_store)
        return f"index {current.path}: {current.manifest['count']} measures"
    except SetupError:
        raise
    except Exception as exc:  # missing, stale or corrupt: built below, as `rag index build` does
        reason = str(exc)
    donor = live_donor(cfg.index_dir)
    if donor is None and donor_dir is not None and donor_dir.resolve() != cfg.index_dir.resolve():
        donor = live_donor(donor_dir)
    log.info("building the index in %s: %s", cfg.index_dir, reason)
    built = build_index(
        svc.corpus,
        svc.embedder,
        cfg.index_dir,
        cfg.vector_store,
        reuse=donor,
        reason="rag eval",
        keywords=svc.keyword_builder(),
    )
    return f"built {built.path}: {built.manifest['count']} measures, {built.manifest['embedded']} embedded ({reason})"


def services_for(base: Any, corpus_dir: str | Path | None, index_dir: str | Path | None) -> tuple[Any, str]:
    """Services of their own over the given folders, of the same kind as `base` (the composition root's
    services, rag/services.py, handed in so that evaluation does not import the root), their index ready, and
    what was done to make it so."""
    settings = base.settings
    svc = type(base)(settings_for(settings, corpus_dir, index_dir))
    try:
        note = prepare_index(svc, donor_dir=settings.index_dir)
    except SetupError:
        raise
    except Exception as exc:  # an unreadable notice, a folder that cannot be written
        raise SetupError(f"cannot prepare {svc.settings.corpus_dir} / {svc.settings.index_dir}: {exc}") from None
    return svc, note
