"""Feedback on answers: stored in SQLite under the data directory, exported as JSON Lines for evaluators."""

from rag.feedback.export import export_jsonl
from rag.feedback.store import FeedbackStore, open_store

__all__ = ["FeedbackStore", "open_store", "export_jsonl"]
