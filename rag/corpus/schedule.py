"""The corpus's time limits as a list to filter: what is due, by when, and who does it. GET /api/deadlines,
the UI's 时限 view, `rag deadlines` and answers about a unit's time-limited tasks all read it from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rag.corpus.collection import Corpus
from rag.corpus.deadlines import Deadline
from rag.corpus.model import Measure


@dataclass(frozen=True)
class Due:
    measure: Measure
    deadline: Deadline
    role: str | None = None  # the asked unit's role in the measure, when a unit was asked about

    def to_dict(self) -> dict:
        m = self.measure
        row = {
            "doc": m.doc,
            "id": m.id,
            **self.deadline.to_dict(),
            "measure": m.body,
            "section": m.section_path,
            "units": list(m.units),
            "roles": m.roles.to_dict(),
        }
        if self.role is not None:
            row["role"] = self.role
        return row


class UnknownUnit(LookupError):
    pass


def due(corpus: Corpus, *, unit: str | None = None, before: date | None = None, doc: str | None = None) -> list[Due]:
    """Every time limit in corpus order; with `unit`, of the measures that unit (or a variant of its name)
    leads, is responsible for or cooperates on; with `before`, the dated limits on or before that day."""
    roles: dict[str, str] | None = None
    if unit is not None:
        found = corpus.units.find(unit)
        if not found:
            raise UnknownUnit(unit)
        roles = {}
        for u in found:
            for key in u.measure_ids:
                roles.setdefault(key, u.roles.get(key, "responsible"))
    out = []
    for m in corpus.measures:
        if (doc is not None and m.doc != doc) or (roles is not None and m.key not in roles):
            continue
        for d in m.deadlines:
            if before is None or (d.by is not None and d.by <= before):
                out.append(Due(m, d, roles.get(m.key) if roles is not None else None))
    return out


def by_measure(items: list[Due]) -> list[tuple[Measure, list[Deadline]]]:
    """The same items grouped by measure, in order."""
    grouped: dict[str, tuple[Measure, list[Deadline]]] = {}
    for item in items:
        grouped.setdefault(item.measure.key, (item.measure, []))[1].append(item.deadline)
    return list(grouped.values())
