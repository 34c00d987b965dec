from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from rag.api.deps import services
from rag.schemas.fields import MAX_ID_CHARS
from rag.services import Services

router = APIRouter(tags=["units"])


@router.get("/api/units")
def list_units(svc: Annotated[Services, Depends(services)]) -> list[dict]:
    return [u.to_dict() for u in svc.corpus.units]


@router.get("/api/units/{name}/measures", responses={404: {"description": "no such unit"}})
def unit_measures(
    name: Annotated[
        str,
        Path(
            min_length=1,
            max_length=MAX_ID_CHARS,
            description="a unit's name, or a short name from the notice's unit data",
        ),
    ],
    svc: Annotated[Services, Depends(services)],
) -> dict:
    found = svc.corpus.units.find(name)
    if not found:
        raise HTTPException(404, f"no unit {name!r}; GET /api/units lists them")
    # found: the entry itself first, then the variants a search for it should also find
    return {
        "query": name,
        "units": [u.name for u in found],
        "measures": [
            svc.corpus.by_key[k].to_dict() | {"matched_unit": u.name, "role": u.roles.get(k, "responsible")}
            for u in found
            for k in u.measure_ids
        ],
    }
