"""What gets embedded for a measure: its section path and its text, one chunk per measure."""

from __future__ import annotations

import hashlib

from rag.corpus.model import Measure


def chunk_text(m: Measure) -> str:
    if not m.section:  # a part's items directly: the part title once
        return f"{m.part_title}：{m.body}"
    return f"{m.part_title}；{m.section_title}：{m.body}"


def chunk_hash(m: Measure) -> str:
    return hashlib.sha256(chunk_text(m).encode("utf-8")).hexdigest()[:16]
