"""Feedback as JSON Lines for evaluators: one object per line, oldest first, UTF-8 kept readable."""

from __future__ import annotations

import json
from collections.abc import Iterator

from rag.feedback.store import FeedbackStore


def export_jsonl(store: FeedbackStore) -> Iterator[str]:
    """Lines without their newline; `"\\n".join` them or write each with one."""
    for fb in store:
        yield json.dumps(fb.to_dict(), ensure_ascii=False)
