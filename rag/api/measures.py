from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from rag.api.deps import services
from rag.services import Services

router = APIRouter(tags=["measures"])


@router.get("/api/measures")
def list_measures(svc: Annotated[Services, Depends(services)], doc: Annotated[str | None, Query(max_length=200)] = None) -> list[dict]:
    return [m.to_dict() for m in svc.corpus.measures if doc is None or m.doc == doc]


@router.get("/api/measures/{measure_id}")
def get_measure(measure_id: str, svc: Annotated[Services, Depends(services)], doc: Annotated[str | None, Query(max_length=200)] = None) -> dict:
    if len(measure_id) > 100:
        raise HTTPException(400, "measure id is too long (100 characters at most)")
    found = svc.corpus.lookup(measure_id, doc)
    if not found:
        raise HTTPException(404, f"no measure {measure_id!r}: write an id such as 二(四)4, 二（四）4, 二.4.4 or 第二部分第四节第4条")
    if len(found) > 1 and found[0].id != found[-1].id and all(m.item is not None for m in found):
        # a section id with numbered items: the section's measures
        return {"id": found[0].id.split(")")[0] + ")", "section": found[0].section_path, "measures": [m.to_dict() for m in found]}
    return found[0].to_dict()


@router.get("/api/documents")
def list_documents(svc: Annotated[Services, Depends(services)]) -> list[dict]:
    return [{"id": d.id, "source": d.source, "measures": len(d.measures), **d.header.to_dict()} for d in svc.corpus.documents]
