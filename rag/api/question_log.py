"""GET /api/admin/log: the question log for evaluators, newest first, behind the admin token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from rag.api.admin import require_admin
from rag.api.deps import services
from rag.questionlog.store import LogEntry, utc
from rag.services import Services

router = APIRouter(
    prefix="/api/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={401: {"description": "missing or wrong token"}, 403: {"description": "admin endpoints disabled"}},
)


class LogPage(BaseModel):
    entries: list[LogEntry]
    total: int


@router.get("/log", response_model=LogPage, responses={404: {"description": "the log is off"}})
def read_log(
    svc: Annotated[Services, Depends(services)],
    refused: Annotated[bool | None, Query(description="only refused (true) or only answered (false)")] = None,
    since: Annotated[datetime | None, Query(description="ISO date or time: 2026-12-01 or 2026-12-01T08:00:00Z")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> LogPage:
    log = svc.question_log
    if log is None:
        raise HTTPException(404, "the question log is off (RAG_QUESTION_LOG__ENABLED=false)")
    if since is not None:
        try:
            utc(since)
        except OverflowError:  # 0001-01-01T00:00+05:00 has no UTC time
            raise HTTPException(422, "since is out of range once converted to UTC") from None
    entries = list(log.entries(refused=refused, since=since, limit=limit, newest_first=True))
    return LogPage(entries=entries, total=len(log))
