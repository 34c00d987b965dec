"""File checksums, for the index manifest and the assembled chat model."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path, block: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(block), b""):
            h.update(chunk)
    return h.hexdigest()
