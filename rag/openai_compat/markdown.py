"""An answer as markdown for chat front ends: the answer's own text, then its sources from the citations.

The sources come from the structured citations, not from the text, so every cited measure id and its
responsible units are written out even when the chat model phrased the answer.
"""

from __future__ import annotations

from rag.answer.extractive import roles_text
from rag.answer.model import Answer, Citation


def paragraphs(text: str) -> str:
    """Every line its own paragraph: markdown would run the answer's lines (a measure, then its units)
    together. Done character by character, so streamed pieces convert exactly as the whole text does."""
    return text.replace("\n", "\n\n")


def sources(citations: list[Citation], with_doc: bool = False) -> str:
    if not citations:
        return ""
    lines = ["", "", "---", "", "**依据 / Sources**", ""]
    for c in citations:
        where = f"{c.doc} · " if with_doc else ""
        lines.append(f"- **{c.id}**（{where}{c.section}）{roles_text(c.roles)}")
    return "\n".join(lines) + "\n"


def render(answer: Answer, with_doc: bool = False) -> str:
    return paragraphs(answer.answer) + sources(answer.citations, with_doc)
