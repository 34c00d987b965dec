from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from rag.api.deps import services
from rag.schemas.fields import MAX_ID_CHARS, DocId, require_document
from rag.services import Services

router = APIRouter(tags=["measures"])
DocFilter = Annotated[DocId | None, Query(description="limit to one document id (GET /api/documents)")]


@router.get("/api/measures", responses={404: {"description": "unknown document"}})
def list_measures(svc: Annotated[Services, Depends(services)], doc: DocFilter = None) -> list[dict]:
    require_document(svc, doc)
    return [m.to_dict() for m in svc.corpus.measures if doc is None or m.doc == doc]


@router.get("/api/measures/{measure_id}", responses={404: {"description": "no such measure or document"}})
def get_measure(
    measure_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=MAX_ID_CHARS,
            description="二(四)4, 二（四）4, 二.4.4, 第二部分第四节第4条, 二4, 第4条 (when unique), or doc:id",
        ),
    ],
    svc: Annotated[Services, Depends(services)],
    doc: DocFilter = None,
) -> dict:
    require_document(svc, doc)
    found = svc.corpus.lookup(measure_id, doc)
    if not found:
        raise HTTPException(
            404, f"no measure {measure_id!r}: write an id such as 二(四)4, 二（四）4, 二.4.4 or 第二部分第四节第4条"
        )
    if len(found) > 1 and found[0].id != found[-1].id and all(m.item is not None for m in found):
        # a section id with numbered items: the section's measures
        return {
            "id": found[0].id.split(")")[0] + ")",
            "section": found[0].section_path,
            "measures": [m.to_dict() for m in found],
        }
    return found[0].to_dict()


@router.get("/api/documents")
def list_documents(svc: Annotated[Services, Depends(services)]) -> list[dict]:
    """Each notice: its header, and its validity on today's date (effective_from, effective_until,
    superseded_by; status: in_force, expired, superseded or not_yet), its closing lines (validity, definitions,
    funding rules: the notice's text after its last measure, never a measure) and attachments, the lead text
    of its parts and sections, the lines the parser placed by its own choice (warnings, with line numbers), and
    what is known of it beyond its text (`knowledge`: its labelled questions, and what they change)."""
    today = svc.settings.current_date()
    return [
        {
            "id": d.id,
            "source": d.source,
            "measures": len(d.measures),
            **d.header.to_dict(),
            **d.validity.to_dict(today),
            "closing": list(d.closing),
            "attachments": list(d.attachments),
            "leads": [lead.to_dict() for lead in d.leads],
            "warnings": [w.to_dict() for w in d.warnings],
            # labelled questions for it, and what they change for its answers (rag/retrieval/routing.py)
            "knowledge": svc.retriever.knowledge(d.id),
        }
        for d in svc.corpus.documents
    ]
