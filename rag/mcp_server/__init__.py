"""The notices as MCP tools (Model Context Protocol), on the official `mcp` SDK: `rag mcp` over stdio, and
streamable HTTP at /mcp in `rag serve`."""
