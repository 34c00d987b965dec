"""Parsed notices kept beside the corpus, so that a process that starts does not parse them again.

A city-wide corpus is a hundred thousand measures or more; parsing them (units and roles, deadlines, the body
without its unit clause) took 11 s of a search process's start at 100k, every start and every worker. The
parse of a file depends only on its bytes, its name (the document id) and the parser's code, so each parsed
Document is stored under a key of the three, in `<corpus>/.parsed/` (the corpus loader skips dot entries), and
read back with pickle (1.9 s at 100k). A changed file, a renamed one or a changed parser gives a new key: the
stale entry is parsed anew and replaced. The cache is only an aid: where it cannot be written (a read-only
volume) or read (a truncated file), the notice is parsed as before.

pickle runs code from what it loads, so the directory must be writable only by whoever writes the corpus, as
the corpus itself is: the same trust, in the same place.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import uuid
from collections.abc import Callable
from pathlib import Path

from rag.corpus.model import Document

log = logging.getLogger(__name__)

CACHE_DIR = ".parsed"


@functools.cache
def code_version() -> str:
    """A digest of the corpus package's source: what the parse of a file depends on besides the file."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def read(path: Path, reader: Callable[[Path], Document]) -> Document:
    """The document `reader` makes of `path`, from the cache when this file, under this name, was parsed
    by this code before."""
    key = hashlib.sha256(path.read_bytes() + path.name.encode() + code_version().encode()).hexdigest()[:24]
    cache = path.parent / CACHE_DIR
    entry = cache / f"{path.name}.{key}.pickle"
    if entry.is_file():
        try:
            doc = pickle.loads(entry.read_bytes())
            if isinstance(doc, Document):
                return doc
        except Exception as exc:  # noqa: BLE001 - any unreadable entry is parsed anew
            log.warning("parsed cache %s unreadable (%s): parsing %s", entry, exc, path.name)
    doc = reader(path)
    try:
        cache.mkdir(exist_ok=True)
        tmp = cache / f".{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, entry)  # never half an entry
        for old in cache.glob(f"{path.name}.*.pickle"):  # this file's earlier versions
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("parsed cache not written for %s (%s)", path.name, exc)
    return doc
