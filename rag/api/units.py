from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException

from rag.api.deps import services
from rag.services import Services

router = APIRouter(tags=["units"])


@router.get("/api/units")
def list_units(svc: Annotated[Services, Depends(services)]) -> list[dict]:
    return [u.to_dict() for u in svc.corpus.units]


@router.get("/api/units/{name}/measures")
def unit_measures(name: str, svc: Annotated[Services, Depends(services)]) -> dict:
    if len(name) > 100:
        raise HTTPException(400, "unit name is too long (100 characters at most)")
    found = svc.corpus.units.find(name)
    if not found:
        raise HTTPException(404, f"no unit {name!r}; GET /api/units lists them")
    units = found  # the entry itself first, then the variants a search for it should also find
    return {
        "query": name,
        "units": [u.name for u in units],
        "measures": [svc.corpus.by_key[k].to_dict() | {"matched_unit": u.name} for u in units for k in u.measure_ids],
    }
