"""What an answer is: text, the measures it cites, whether it refused, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.corpus.citation import Citation

__all__ = ["Answer", "Citation"]


@dataclass
class Answer:
    answer: str
    citations: list[Citation]
    refused: bool
    mode: str  # what was actually used: extractive | llm | header
    retrieved: list[str] = field(default_factory=list)  # measure ids retrieved, best first
    notes: list[str] = field(default_factory=list)  # repairs and fallbacks, said to the user in the response
    timings: dict[str, float] = field(default_factory=dict)  # seconds: search, answer

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "refused": self.refused,
            "mode": self.mode,
            "retrieved": self.retrieved,
            "notes": self.notes,
            "timings": self.timings,
        }
