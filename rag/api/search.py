from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from rag.api.deps import services
from rag.schemas.fields import MAX_TEXT_CHARS, DocId, Text, TopK, check_text_limit, require_document
from rag.schemas.search_hit import SearchHit
from rag.services import Services

router = APIRouter(tags=["search"])


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field ("topk") is an error, not silently ignored

    query: Text = Field(
        ..., description=f"the question or keywords, in any language ({MAX_TEXT_CHARS} characters at most)"
    )
    top_k: TopK = 5
    doc: DocId | None = Field(None, description="limit to one document id; all documents when absent")


class SearchResponse(BaseModel):
    hits: list[SearchHit]


@router.post("/api/search", response_model=SearchResponse, responses={404: {"description": "unknown document"}})
def search(req: SearchRequest, svc: Annotated[Services, Depends(services)]) -> SearchResponse:
    check_text_limit(req.query, svc.settings.server.max_query_chars)
    require_document(svc, req.doc)
    hits = svc.searcher.retrieve(req.query, req.top_k, doc=req.doc)
    return SearchResponse(hits=[SearchHit(**h.to_dict()) for h in hits])
