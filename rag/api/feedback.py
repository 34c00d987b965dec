"""POST /api/feedback: a thumbs up or down, with an optional comment, on one answer."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import AfterValidator, BaseModel, Field

from rag.api.deps import services
from rag.feedback.store import MAX_COMMENT_CHARS, Feedback, FeedbackStore, open_store
from rag.schemas.fields import VISIBLE, Text, clean_text
from rag.services import Services

router = APIRouter(tags=["feedback"])


def feedback_store(svc: Annotated[Services, Depends(services)]) -> FeedbackStore:
    return open_store(svc.settings.data_dir)


class CitationIn(BaseModel):
    id: str = Field(..., max_length=100)
    doc: str = Field("", max_length=200)
    units: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)
    text: str = Field("", max_length=5000)
    section: str = Field("", max_length=500)


class FeedbackRequest(BaseModel):
    question: Text = Field(..., description="the question as asked")
    # the schema says what clean_text enforces: at least one visible character (a fuzzer found the gap)
    answer: Annotated[
        str,
        Field(min_length=1, max_length=20000, json_schema_extra={"pattern": VISIBLE.pattern}),
        AfterValidator(clean_text),
    ] = Field(..., description="the answer as shown, with at least one visible character")
    citations: list[CitationIn] = Field(default_factory=list, max_length=50, description="the citations of the answer")
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="optional, what was good or wrong")
    mode: str | None = Field(None, max_length=20, description="the answer's mode, as /api/ask returned it")


class FeedbackCreated(BaseModel):
    id: int


@router.post("/api/feedback", status_code=201, response_model=FeedbackCreated)
def add_feedback(req: FeedbackRequest, store: Annotated[FeedbackStore, Depends(feedback_store)]) -> FeedbackCreated:
    fid = store.add(
        Feedback(
            rating=req.rating,
            question=req.question,
            answer=req.answer,
            citations=[c.model_dump() for c in req.citations],
            comment=req.comment or "",
            mode=req.mode or "",
            source="api",
        )
    )
    return FeedbackCreated(id=fid)
