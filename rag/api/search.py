from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, field_validator

from rag.api.deps import services
from rag.services import Services

router = APIRouter(tags=["search"])
MAX_QUERY_CHARS = 2000


class SearchRequest(BaseModel):
    query: str = Field(..., description="the question or keywords, in any language", max_length=MAX_QUERY_CHARS)
    top_k: int = Field(5, ge=1, le=50, description="number of measures to return")
    doc: str | None = Field(None, description="limit to one document id; all documents when absent")

    @field_validator("query")
    @classmethod
    def not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("query is empty")
        return v


class SearchHit(BaseModel):
    id: str
    score: float
    text: str
    units: list[str]
    section: str
    doc: str


class SearchResponse(BaseModel):
    hits: list[SearchHit]


@router.post("/api/search", response_model=SearchResponse)
def search(req: SearchRequest, svc: Annotated[Services, Depends(services)]) -> SearchResponse:
    if req.doc is not None and svc.corpus.document(req.doc) is None:
        from fastapi import HTTPException

        raise HTTPException(404, f"unknown document {req.doc!r}; known: {[d.id for d in svc.corpus.documents]}")
    hits = svc.retriever.retrieve(req.query, req.top_k, doc=req.doc)
    return SearchResponse(hits=[SearchHit(**h.to_dict()) for h in hits])
