"""A measure as clients see it — an answer's citation, a search hit, a measure card, an MCP result. One
typed shape, so the API, SSE, the CLI, MCP and the UI cannot drift apart."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rag.corpus.model import Measure


class RolesOut(BaseModel):
    lead: list[str] = Field(default_factory=list, description="牵头: the units that lead")
    responsible: list[str] = Field(default_factory=list, description="责任/负责: the units responsible")
    cooperating: list[str] = Field(default_factory=list, description="配合: the units that cooperate")


class Citation(BaseModel):
    id: str = Field(description="the measure id within its document: 二(四)4, 二(七) or 二4")
    doc: str = Field(description="the document id (GET /api/documents)")
    units: list[str] = Field(description="every unit the measure names, the lead first")
    text: str = Field(description="the measure verbatim, its unit clause included")
    section: str = Field(description="where it sits: part > section")
    roles: RolesOut = Field(default_factory=RolesOut, description="the same units by role")
    deadlines: list[str] = Field(default_factory=list, description="time limits as written: 2021年6月前, 5个工作日内")
    highlights: list[tuple[int, int]] = Field(
        default_factory=list,
        description="(start, end) character offsets in text of the sentences the answer quotes, or of the one "
        "that best matches the question",
    )

    @classmethod
    def of(cls, m: Measure) -> Citation:
        return cls(
            id=m.id,
            doc=m.doc,
            units=list(m.units),
            text=m.text,
            section=m.section_path,
            roles=RolesOut(**m.roles.to_dict()),
            deadlines=[d.text for d in m.deadlines],
        )

    def to_dict(self) -> dict:
        return self.model_dump()
