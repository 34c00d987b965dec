"""GET /api/deadlines: the time limits the measures set, as written, for window staff who are asked what is
due and by whom."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from rag.api.deps import services
from rag.corpus.schedule import UnknownUnit, due
from rag.schemas.fields import MAX_ID_CHARS, DocId, require_document
from rag.services import Services

router = APIRouter(tags=["measures"])


@router.get("/api/deadlines", responses={404: {"description": "unknown document or unit"}})
def list_deadlines(
    svc: Annotated[Services, Depends(services)],
    before: Annotated[
        date | None,
        Query(
            description="only limits with a date on or before this day (2022-06-30); "
            "durations and recurring limits have none"
        ),
    ] = None,
    unit: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_ID_CHARS,
            description="only measures this unit leads, is responsible for or cooperates on",
        ),
    ] = None,
    doc: Annotated[DocId | None, Query(description="limit to one document id (GET /api/documents)")] = None,
) -> list[dict]:
    """One row per time limit: the limit as written, its kind (date, duration, recurring), the last day it
    allows where the text fixes one, and its measure with the units by role."""
    require_document(svc, doc)
    try:
        return [item.to_dict() for item in due(svc.corpus, unit=unit, before=before, doc=doc)]
    except UnknownUnit:
        raise HTTPException(404, f"no unit {unit!r}; GET /api/units lists them") from None
