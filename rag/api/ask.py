"""POST /api/ask and its streamed twin /api/ask/stream (server-sent events)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse

from rag.answer.events import sse_frame
from rag.answer.model import Answer
from rag.api.deps import services
from rag.schemas.conversation import Turn
from rag.schemas.fields import MAX_TEXT_CHARS, DocId, Text, check_text_limit, require_document
from rag.services import Services

router = APIRouter(tags=["ask"])


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Text = Field(..., description=f"the question, in any language ({MAX_TEXT_CHARS} characters at most)")
    # 10 turns of 2,000 characters stay inside the 64 KiB body limit even in 3-byte UTF-8
    history: list[Turn] = Field(
        default_factory=list, max_length=10, description="earlier turns, oldest first (10 at most)"
    )
    mode: Literal["auto", "llm", "extractive"] = Field(
        "auto", description="auto: the chat model when available, else extractive"
    )
    doc: DocId | None = Field(None, description="limit to one document id")


def _check_doc(req: AskRequest, svc: Services) -> None:
    check_text_limit(req.question, svc.settings.server.max_query_chars, "question")
    require_document(svc, req.doc)


# the answer model itself (rag/answer/model.py): one shape for the API, SSE, MCP, UI
@router.post("/api/ask", response_model=Answer)
def ask(req: AskRequest, request: Request, svc: Annotated[Services, Depends(services)]) -> Answer:
    _check_doc(req, svc)
    answer = svc.answerer.ask(
        req.question, [t.model_dump() for t in req.history], req.mode, req.doc, channel="api", client=_client(request)
    )
    return answer


@router.post(
    "/api/ask/stream",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "token … replace? … done events"}},
)
def ask_stream(req: AskRequest, request: Request, svc: Annotated[Services, Depends(services)]) -> EventSourceResponse:
    _check_doc(req, svc)
    events = svc.answerer.stream(
        req.question, [t.model_dump() for t in req.history], req.mode, req.doc, channel="api", client=_client(request)
    )
    first = next(events)  # fail before the 200 goes out (e.g. ModelBusy → 503), not inside the stream

    def frames():
        for event in _chain(first, events):
            yield sse_frame(event)

    # sse-starlette: the framing, keep-alive comments while the model thinks, and disconnect handling
    return EventSourceResponse(frames(), sep="\n", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _chain(first, rest):
    yield first
    yield from rest
