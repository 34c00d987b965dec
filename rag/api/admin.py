"""Admin operations over HTTP, behind `Authorization: Bearer <server.admin_token>`: re-index, and the feedback
export. With no token in the settings (the default) they are disabled, so a fresh install exposes none."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.admin_token import token_matches
from rag.api.deps import services
from rag.indexing.reindex import Reindexer, ReindexRunning
from rag.services import Services

bearer = HTTPBearer(auto_error=False, description="the server's admin token (RAG_SERVER__ADMIN_TOKEN)")


def require_admin(
    svc: Annotated[Services, Depends(services)], creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    token = svc.settings.server.admin_token
    if not token:
        raise HTTPException(403, "admin endpoints are disabled: set RAG_SERVER__ADMIN_TOKEN to enable them")
    if creds is None or creds.scheme.lower() != "bearer":
        raise HTTPException(
            401, "send the admin token as 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"}
        )
    if not token_matches(token, creds.credentials):
        raise HTTPException(401, "wrong admin token", headers={"WWW-Authenticate": "Bearer"})


router = APIRouter(
    prefix="/api/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={401: {"description": "missing or wrong token"}, 403: {"description": "admin endpoints disabled"}},
)


def reindexer(svc: Annotated[Services, Depends(services)]) -> Reindexer:
    return svc.reindexer  # one job per process: the admin tab's notice upload starts the same one


@router.post(
    "/reindex",
    status_code=202,
    responses={
        200: {"description": "finished (with wait=true)"},
        409: {"description": "a re-index is already running"},
    },
)
def start_reindex(
    job: Annotated[Reindexer, Depends(reindexer)],
    full: Annotated[bool, Query(description="embed every measure again, not only new or changed ones")] = False,
    wait: Annotated[bool, Query(description="answer when the re-index has finished")] = False,
) -> JSONResponse:
    """Re-read the corpus directory and rebuild the index aside; searches keep using the old index until the
    new one is complete, then switch to it in one step."""
    try:
        state = job.start(full=full)
    except ReindexRunning as exc:
        raise HTTPException(409, f"{exc}; GET /api/admin/reindex shows its progress") from None
    if not wait:
        return JSONResponse(status_code=202, content=state)
    state = job.wait(timeout_s=900)
    if state["status"] == "failed":
        raise HTTPException(500, f"re-index failed, the previous index keeps serving: {state.get('error')}")
    return JSONResponse(status_code=200, content=state)


@router.get("/reindex")
def reindex_status(job: Annotated[Reindexer, Depends(reindexer)]) -> dict:
    """The last re-index: idle, running, done (with its build and counts) or failed (with the error)."""
    return dict(job.state)


@router.get(
    "/feedback/export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/x-ndjson": {}}, "description": "one feedback object per line, oldest first"}
    },
)
def export_feedback(svc: Annotated[Services, Depends(services)]) -> StreamingResponse:
    from rag.feedback import export_jsonl, open_store

    store = open_store(svc.settings.data_dir)
    return StreamingResponse(
        (line + "\n" for line in export_jsonl(store)),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="feedback.jsonl"'},
    )
