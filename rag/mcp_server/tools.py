"""What each MCP tool does, as plain methods over the services: typed results for the structured content,
and a text rendering of each for clients that show text only. Nothing here knows about the protocol, so
the tests call it directly too."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rag.answer.extractive import roles_text
from rag.answer.model import Answer
from rag.corpus.citation import Citation
from rag.corpus.model import Measure
from rag.schemas.conversation import Turn
from rag.schemas.fields import MAX_TOP_K, clean_text
from rag.schemas.search_hit import SearchHit
from rag.services import Services


class ToolFailed(ValueError):
    """A call that names something that is not there, or text with nothing in it: said to the caller."""


class Measures(BaseModel):
    measures: list[Citation] = Field(description="measures with their section path and responsible units")


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]


class UnitOut(BaseModel):
    name: str
    aliases: list[str] = Field(description="short or colloquial names people use")
    english: list[str] = Field(description="English renderings")
    measure_ids: list[str] = Field(description="the measures that name the unit")
    roles: dict[str, str] = Field(default_factory=dict, description="measure id → lead | responsible | cooperating")


class Units(BaseModel):
    units: list[UnitOut]


class UnitMeasures(BaseModel):
    query: str
    units: list[str] = Field(description="the unit matched, then the variants a search for it also finds")
    measures: list[Citation]


def _measure(m: Measure) -> Citation:
    return Citation.of(m)


def measure_text(m: Citation | SearchHit) -> str:
    return f"【{m.id}】{m.section}\n{m.text}\n{roles_text(m.roles)}"


class PolicyTools:
    def __init__(self, svc: Services):
        self.svc = svc

    def _check_doc(self, doc: str | None) -> None:
        if doc is not None and self.svc.corpus.document(doc) is None:
            raise ToolFailed(
                f"unknown document {doc!r}; documents: {', '.join(d.id for d in self.svc.corpus.documents)}"
            )

    def _text(self, text: str, name: str) -> str:
        try:
            text = clean_text(text)
        except ValueError as exc:
            raise ToolFailed(f"{name} {exc}") from None
        limit = self.svc.settings.server.max_query_chars
        if len(text) > limit:
            raise ToolFailed(f"{name} has {len(text)} characters; at most {limit}")
        return text

    def search_measures(self, query: str, top_k: int = 5, doc: str | None = None) -> SearchResult:
        query = self._text(query, "query")
        self._check_doc(doc)
        hits = self.svc.searcher.retrieve(query, max(1, min(top_k, MAX_TOP_K)), doc=doc)
        return SearchResult(query=query, hits=[SearchHit(**h.to_dict()) for h in hits])

    def get_measure(self, id: str, doc: str | None = None) -> Measures:
        self._check_doc(doc)
        found = self.svc.corpus.lookup(id, doc)
        if not found:
            raise ToolFailed(f"no measure {id!r}: write an id such as 二(四)4, 二.4.4 or 第二部分第四节第4条")
        return Measures(measures=[_measure(m) for m in found])

    def list_units(self) -> Units:
        return Units(
            units=[
                UnitOut(**{k: v for k, v in u.to_dict().items() if k in UnitOut.model_fields})
                for u in self.svc.corpus.units
            ]
        )

    def unit_measures(self, name: str) -> UnitMeasures:
        found = self.svc.corpus.units.find(name)
        if not found:
            raise ToolFailed(f"no unit {name!r}; list_units lists them")
        return UnitMeasures(
            query=name,
            units=[u.name for u in found],
            measures=[_measure(self.svc.corpus.by_key[k]) for u in found for k in u.measure_ids],
        )

    def ask(self, question: str, history: list[Turn] | None = None) -> Answer:
        question = self._text(question, "question")
        answer = self.svc.answerer.ask(question, [t.model_dump() for t in history or []], "auto", channel="mcp")
        return answer


def search_text(r: SearchResult) -> str:
    if not r.hits:
        return f"没有找到与“{r.query}”相关的措施 / no measure found"
    return "\n\n".join(f"{i}. ({h.score:.3f}) {measure_text(h)}" for i, h in enumerate(r.hits, 1))


def measures_text(r: Measures | UnitMeasures) -> str:
    head = f"{'、'.join(r.units)}：{len(r.measures)} 项措施\n\n" if isinstance(r, UnitMeasures) else ""
    return head + "\n\n".join(measure_text(m) for m in r.measures)


def units_text(r: Units) -> str:
    return "\n".join(
        f"{u.name}" + (f" ({'; '.join(u.english)})" if u.english else "") + f"：{', '.join(u.measure_ids)}"
        for u in r.units
    )


def answer_text(r: Answer) -> str:
    """The answer as written, which quotes each measure it rests on once, then what it cites by id, section
    and units. Not the citations' text: that would show every measure twice (the structured citations
    carry it, for programs)."""
    if not r.citations:
        return r.answer
    cited = "\n".join(f"- 【{c.id}】{c.doc} · {c.section}；{roles_text(c.roles)}" for c in r.citations)
    return f"{r.answer}\n\n依据 / Sources:\n{cited}"
