"""Bearer keys for the routes other programs call: the OpenAI-compatible /v1/ and the MCP endpoint /mcp.

An ASGI middleware rather than a route dependency because /mcp is an ASGI app of the MCP SDK's own, with
no FastAPI dependencies, and both must answer 401 the same way. With no keys configured it lets everything
through (the default: a fresh install listens on 127.0.0.1 only).
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from rag.schemas.error_body import send_error

PROTECTED = ("/v1/", "/mcp")


class ApiKeys:
    def __init__(self, app: ASGIApp, keys: list[str], prefixes: tuple[str, ...] = PROTECTED):
        self.app, self.prefixes = app, prefixes
        self.keys = [k.encode("utf-8") for k in keys]

    def allowed(self, authorization: str | None) -> bool:
        scheme, _, key = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return False
        given = key.strip().encode("utf-8")
        # compare with every key, so the time taken does not tell which one came close
        return sum(hmac.compare_digest(given, k) for k in self.keys) > 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.keys or scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.allowed(headers.get("authorization")):
            await self.app(scope, receive, send)
            return
        detail = (
            "send an API key as 'Authorization: Bearer <key>' (one of RAG_SERVER__API_KEYS)"
            if "authorization" not in headers
            else "wrong API key"
        )
        await send_error(send, scope["path"], 401, detail, [(b"www-authenticate", b"Bearer")])
