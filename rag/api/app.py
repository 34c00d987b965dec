"""The FastAPI application: health, search, measures, units (and the routers later features add)."""
from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from rag import __version__
from rag.api import measures, search, units
from rag.services import Services, get_services

log = logging.getLogger(__name__)


def create_app(svc: Services | None = None, *, ui: bool | None = None) -> FastAPI:
    svc = svc or get_services()
    app = FastAPI(title="Policy notice QA", version=__version__,
                  description="Search and answers over government policy notices, citing measure ids and responsible units.")
    app.state.services = svc

    from rag.api import deps

    app.dependency_overrides[deps.services] = lambda: svc

    @app.exception_handler(RequestValidationError)
    async def invalid(_, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors)
        return JSONResponse(status_code=422, content={"detail": detail or "invalid request", "errors": errors})

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"status": "ok", "version": __version__, "documents": len(svc.corpus.documents),
                "measures": len(svc.corpus.measures), "index": svc.index.manifest.get("built_at", "")}

    for module in (search, measures, units):
        app.include_router(module.router)
    return app
