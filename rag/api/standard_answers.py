"""/api/admin/answers: standard answers (标准答复) behind the admin token. Every citation must name a measure
of the corpus (else 422, saying which); every change is kept with its time and editor (`editor` in the body, else
the X-Editor header, percent-encoded when not ASCII, else ?editor=; "admin" when none is given)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from rag.api.admin import require_admin
from rag.api.deps import services
from rag.services import Services
from rag.standard.checks import StandardAnswerError
from rag.standard.model import Revision, StandardAnswer
from rag.standard.service import StandardAnswerIn, StandardAnswers

router = APIRouter(
    prefix="/api/admin/answers",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={401: {"description": "missing or wrong token"}, 403: {"description": "admin endpoints disabled"}},
)


def editor_name(
    header: Annotated[
        str | None,
        Header(
            alias="X-Editor",
            max_length=300,
            description="who makes the change; HTTP headers are ASCII, so percent-encode other names (%E7%8E%8B)",
        ),
    ] = None,
    query: Annotated[str | None, Query(alias="editor", max_length=100, description="or give it here")] = None,
) -> str | None:
    return unquote(header) if header else query


Editor = Annotated[str | None, Depends(editor_name)]
AnswerId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="the standard answer's id")]  # SQLite's range


def answers(svc: Annotated[Services, Depends(services)]) -> StandardAnswers:
    return svc.standard_answers


Answers = Annotated[StandardAnswers, Depends(answers)]


class ImportRequest(BaseModel):
    answers: list[dict] = Field(..., max_length=500, description="rows as GET /api/admin/answers/export writes them")
    editor: str | None = Field(None, max_length=100)


class ImportResult(BaseModel):
    created: int
    replaced: int


def _unprocessable(exc: StandardAnswerError) -> HTTPException:
    return HTTPException(422, "; ".join(exc.problems))


@router.post("", status_code=201, response_model=StandardAnswer, responses={422: {"description": "unknown citation"}})
def create(given: StandardAnswerIn, svc: Answers, editor: Editor) -> StandardAnswer:
    try:
        return svc.create(given, editor)
    except StandardAnswerError as exc:
        raise _unprocessable(exc) from None


@router.get("", response_model=list[StandardAnswer])
def list_all(svc: Answers) -> list[StandardAnswer]:
    return svc.store.all()


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "one standard answer per line"}},
)
def export(svc: Answers) -> StreamingResponse:
    return StreamingResponse(
        (line + "\n" for line in svc.export_jsonl()),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="standard-answers.jsonl"'},
    )


@router.post("/import", response_model=ImportResult, responses={422: {"description": "rows that fail, none saved"}})
def import_rows(req: ImportRequest, svc: Answers, editor: Editor) -> ImportResult:
    try:
        return ImportResult(**svc.import_rows(req.answers, req.editor or editor))
    except StandardAnswerError as exc:
        raise _unprocessable(exc) from None


@router.get("/{answer_id}", response_model=StandardAnswer, responses={404: {"description": "no such answer"}})
def get(answer_id: AnswerId, svc: Answers) -> StandardAnswer:
    found = svc.store.get(answer_id)
    if found is None:
        raise HTTPException(404, f"no standard answer {answer_id}")
    return found


@router.get("/{answer_id}/history", response_model=list[Revision])
def history(answer_id: AnswerId, svc: Answers) -> list[Revision]:
    """Every change, oldest first; a deleted answer keeps its history."""
    revisions = svc.store.history(answer_id)
    if not revisions:
        raise HTTPException(404, f"no standard answer {answer_id}, now or before")
    return revisions


@router.put("/{answer_id}", response_model=StandardAnswer, responses={404: {}, 422: {}})
def update(answer_id: AnswerId, given: StandardAnswerIn, svc: Answers, editor: Editor) -> StandardAnswer:
    try:
        saved = svc.update(answer_id, given, editor)
    except StandardAnswerError as exc:
        raise _unprocessable(exc) from None
    if saved is None:
        raise HTTPException(404, f"no standard answer {answer_id}")
    return saved


@router.delete("/{answer_id}", response_model=StandardAnswer, responses={404: {}})
def delete(answer_id: AnswerId, svc: Answers, editor: Editor) -> StandardAnswer:
    """Removes it from use; its history stays (GET …/history)."""
    gone = svc.delete(answer_id, editor)
    if gone is None:
        raise HTTPException(404, f"no standard answer {answer_id}")
    return gone
