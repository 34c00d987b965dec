"""The question log: what people asked and what they were told, for evaluators (GET /api/admin/log,
`rag log export`)."""

from rag.questionlog.store import LogEntry, QuestionLog, open_log

__all__ = ["LogEntry", "QuestionLog", "open_log"]
