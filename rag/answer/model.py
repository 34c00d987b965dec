"""What an answer is: text, the measures it cites, whether it refused, and how it was made. One typed model
for the API's response, the SSE `done` event, the CLI, MCP, the OpenAI-compatible endpoint and the UI."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from rag.corpus.citation import Citation
from rag.llm.usage import Usage

__all__ = ["Answer", "Citation", "StandardRef"]


class StandardRef(BaseModel):
    id: int = Field(description="GET /api/admin/answers/{id}")
    question: str = Field(description="the question it was saved for")
    similarity: float = Field(description="cosine of the two questions (reused at standard.threshold and above)")
    version: int


class Answer(BaseModel):
    answer: str = Field(description="the whole answer text")
    citations: list[Citation] = Field(description="the measures the answer rests on, with their units by role")
    refused: bool
    mode: str = Field(description="what was actually used: extractive | llm")
    retrieved: list[str] = Field(default_factory=list, description="measure ids retrieved, best first")
    notes: list[str] = Field(default_factory=list, description="repairs, fallbacks and validity warnings")
    timings: dict[str, float] = Field(default_factory=dict, description="seconds: search, answer")
    # the answer up to its quoted measures (warnings, who to contact, the model's sentences): what a page
    # shows above the citation cards, which show the quoted measures themselves. The whole text otherwise.
    lead: str = Field("", description="the answer before the quoted measures")
    status: Literal["answered", "partial", "refused"] = Field(
        default="answered",
        description="answered; partial: the question asks for a detail (a figure, a date, a contact …) that the cited "
        "measures do not state, and the answer says so; refused: the notices do not cover the question",
    )
    unstated: str | None = Field(default=None, description="the kind of detail the notice does not state (partial)")
    opening: str = Field(
        default="", description="the answer's first sentence: the words of the cited measure that answer the question"
    )
    phrasing: dict[str, int] | None = Field(
        default=None,
        description="where the chat model ran: its sentences kept, and those dropped as adding nothing "
        "(bare_id, copy, repeat)",
    )
    source: Literal["retrieval", "standard"] = Field(
        default="retrieval", description="standard: a 标准答复 staff saved for a question of the same meaning"
    )
    standard: StandardRef | None = Field(default=None, description="the standard answer used, when source is standard")
    usage: Usage | None = Field(
        default=None,
        description="the chat model's tokens for this answer (its restatement of the question and its phrasing), "
        "as its back-end counted them; null when it did not run or a run went uncounted (stopped early)",
    )

    def to_dict(self) -> dict:
        return self.model_dump()
