"""The HTTP API: one router per feature, the app assembled in rag.api.app."""
