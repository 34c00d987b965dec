"""What a standard answer is, and one revision of it (every change is kept, with its time and editor)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CitedMeasure(BaseModel):
    doc: str = Field(description="the document id")
    id: str = Field(description="the measure id within the document")

    @property
    def key(self) -> str:
        return f"{self.doc}:{self.id}"


class StandardAnswer(BaseModel):
    id: int
    question: str = Field(description="the question as staff saved it")
    answer: str = Field(description="the curated answer text")
    citations: list[CitedMeasure] = Field(description="the measures it rests on, resolved when it was saved")
    doc: str | None = Field(None, description="only questions about this document get it; none: any")
    created_at: str
    updated_at: str
    editor: str = Field(description="who made the last change")
    version: int = Field(description="1 when created, +1 per change")


class Revision(BaseModel):
    answer_id: int
    version: int
    action: Literal["create", "update", "delete", "import"]
    at: str
    editor: str
    snapshot: dict = Field(description="the answer as it was after the change (before it, for a delete)")
