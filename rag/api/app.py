"""The FastAPI application: health, search, measures, units (and the routers later features add)."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from starlette.routing import Route

from rag import __version__
from rag.api import admin, ask, deadlines, errors, feedback, measures, question_log, search, standard_answers, units
from rag.api.api_keys import ApiKeys
from rag.api.ratelimit import AskRateLimit
from rag.mcp_server.http import McpEndpoint
from rag.openai_compat.router import router as openai_router
from rag.services import Services, get_services

log = logging.getLogger(__name__)


def create_app(svc: Services | None = None, *, ui: bool | None = None) -> FastAPI:
    svc = svc or get_services()
    mcp = McpEndpoint(svc) if svc.settings.server.mcp else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        async with AsyncExitStack() as stack:
            if mcp is not None:
                await stack.enter_async_context(mcp.running())  # the MCP SDK's task group
            yield
        svc.close()  # search worker processes end with the server

    app = FastAPI(
        title="Policy notice QA",
        version=__version__,
        lifespan=lifespan,
        description="Search and answers over government policy notices, citing measure ids and responsible units.",
    )
    app.state.services = svc  # what the routes' `services` dependency hands them (rag/api/deps.py)

    errors.install(app)
    app.add_middleware(AskRateLimit, rate_per_minute=svc.settings.server.ask_rate_per_minute)
    app.add_middleware(ApiKeys, keys=svc.settings.server.api_keys)  # outermost: no key, nothing else runs

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {
            "status": "ok",
            "version": __version__,
            "documents": len(svc.corpus.documents),
            "measures": len(svc.corpus.measures),
            "index": svc.index.manifest.get("built_at", ""),
            "search_workers": getattr(svc.searcher, "running", 0),
            # per notice: how many labelled questions speak for it (0: served on its own text alone)
            "labelled_questions": {
                d.id: svc.retriever.knowledge(d.id)["labelled_questions"] for d in svc.corpus.documents
            },
        }

    for module in (search, ask, measures, deadlines, units, admin, standard_answers, question_log, feedback):
        app.include_router(module.router)
    app.include_router(openai_router)
    if mcp is not None:
        app.router.routes.append(Route("/mcp", mcp, methods=["GET", "POST", "DELETE"]))
    if svc.settings.server.ui if ui is None else ui:
        from fastapi.responses import RedirectResponse

        from ui.app import PATH, mount

        app.add_api_route("/", lambda: RedirectResponse(PATH + "/"), include_in_schema=False)
        mount(app, svc)
    return app


def create_warm_app() -> FastAPI:
    """The app with its index loaded (built if needed) and its embedder ready, so that the first request,
    in every worker process, is not the one that pays for loading."""
    svc = get_services()
    svc.retriever.retrieve("预热", 1)  # loads (or builds) the index before any worker reads it
    start = getattr(svc.searcher, "start", None)
    if start is not None:
        start()
        log.info("search workers ready: %d processes", svc.settings.server.search_workers)
    return create_app(svc)
