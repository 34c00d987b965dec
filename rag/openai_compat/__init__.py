"""The OpenAI chat API over the same verified answers as /api/ask: /v1/models and /v1/chat/completions."""
