"""The MCP tools over streamable HTTP, as one ASGI endpoint that `rag serve` routes at /mcp."""

from __future__ import annotations

from contextlib import asynccontextmanager

from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse

from rag.mcp_server.server import build_server
from rag.services import Services

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class McpEndpoint:
    """The MCP tools over streamable HTTP as one ASGI endpoint of this app, at /mcp itself (a sub-mount would
    redirect POST /mcp to /mcp/, which MCP clients do not follow). The SDK's session manager runs once per
    instance, and an app's lifespan may run more than once (test clients do), so each run makes its own.
    Stateless: every request stands alone, so it works the same with `rag serve --workers N`."""

    def __init__(self, svc: Services):
        host = svc.settings.server.host
        # DNS-rebinding protection (the SDK's own) while the server listens on loopback only; on a network
        # address requests come with that address as Host, and the API keys are the guard
        self.security = TransportSecuritySettings(
            enable_dns_rebinding_protection=host in LOOPBACK,
            allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        )
        self.server = build_server(svc)
        self.endpoint = None

    @asynccontextmanager
    async def running(self):
        http = self.server.streamable_http_app(
            streamable_http_path="/mcp", stateless_http=True, transport_security=self.security
        )
        async with self.server.session_manager.run():
            self.endpoint = next(r.app for r in http.routes if getattr(r, "path", "") == "/mcp")
            try:
                yield
            finally:
                self.endpoint = None

    async def __call__(self, scope, receive, send) -> None:
        if self.endpoint is None:
            response = JSONResponse({"detail": "the MCP endpoint starts with the server's lifespan"}, status_code=503)
            await response(scope, receive, send)
            return
        await self.endpoint(scope, receive, send)
