"""Request and response shapes that more than one front end shares (the HTTP API, the OpenAI-compatible
routes, the MCP tools, the UI). They sit below every front end so that none of them imports another; a shape
only one front end uses stays with it (AskRequest in rag/api/ask.py, ChatCompletion in rag/openai_compat)."""
