"""The unit directory: every responsible unit as the text names it, the measures it is responsible for,
and the short names people type.

Variants the text distinguishes stay separate entries (区行政服务中心(大数据中心) beside
区行政服务中心(区大数据中心); 区市场局 beside 区市场监管局); `find` returns every entry a name could mean,
so a search for one finds the others.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rag.corpus.model import Measure

UNITS_SUFFIX = ".units.json"  # beside a notice: corpus/<doc>.units.json


def load_unit_data(corpus_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Every notice's unit data (`corpus/<doc>.units.json`), merged: official name → {"aliases": short or
    colloquial names people type, "english": English renderings}. The names are per notice, so they live
    beside the notice, never in code; `rag units draft` writes a first version and `rag units check`
    verifies that every name in it is a unit the notice names."""
    merged: dict[str, dict[str, list[str]]] = {}
    for path in sorted(corpus_dir.glob("*" + UNITS_SUFFIX)):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not readable as JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object of unit name → {{aliases, english}}")
        for name, entry in data.items():
            slot = merged.setdefault(name, {"aliases": [], "english": []})
            for key in ("aliases", "english"):
                values = entry.get(key, []) if isinstance(entry, dict) else []
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise ValueError(f"{path}: {name}.{key} must be a list of strings")
                slot[key] += [v for v in values if v not in slot[key]]
    return merged


def _components(name: str, known: set[str]) -> set[str]:
    """区行政服务中心(区大数据中心) → {itself, 区行政服务中心, 区大数据中心}; 区发改委及各相关部门 → {…, 区发改委}."""
    parts = {name}
    outer = re.sub(r"[(（][^()（）]*[)）]", "", name)
    parts.add(outer)
    parts.update(re.findall(r"[(（]([^()（）]+)[)）]", name))
    parts.update(p for p in re.split(r"及|和", outer) if len(p) > 1)
    expanded = set(parts)
    for p in parts:  # 大数据中心 written without 区 inside the parentheses still means 区大数据中心
        if not p.startswith("区") and "区" + p in known:
            expanded.add("区" + p)
    return {p for p in expanded if p}


@dataclass
class Unit:
    name: str
    aliases: list[str] = field(default_factory=list)
    measure_ids: list[str] = field(default_factory=list)  # measure keys (doc:id) in corpus order
    roles: dict[str, str] = field(default_factory=dict)  # measure key → lead | responsible | cooperating
    related: list[str] = field(default_factory=list)  # other entries a search for this one also finds
    english: list[str] = field(default_factory=list)  # English renderings, from the notice's unit data

    def to_dict(self, *, keys: bool = False) -> dict:
        ids = self.measure_ids if keys else [k.split(":", 1)[1] for k in self.measure_ids]
        roles = {(k if keys else k.split(":", 1)[1]): r for k, r in self.roles.items()}
        return {
            "name": self.name,
            "aliases": self.aliases,
            "english": self.english,
            "measure_ids": ids,
            "roles": roles,
            "related": self.related,
        }


class UnitDirectory:
    def __init__(
        self, measures: list[Measure] | tuple[Measure, ...], data: dict[str, dict[str, list[str]]] | None = None
    ):
        data = data or {}
        self.units: dict[str, Unit] = {}
        seen: set[tuple[str, str]] = set()  # (unit, measure): a list lookup per measure is quadratic at scale
        for m in measures:
            for name in m.units:
                unit = self.units.setdefault(name, Unit(name))
                if (name, m.key) not in seen:
                    seen.add((name, m.key))
                    unit.measure_ids.append(m.key)
                    unit.roles[m.key] = m.roles.role_of(name) or "responsible"
        known = set(self.units)
        self._aliases = {name: data.get(name, {}).get("aliases", []) for name in self.units}
        self._components = {name: _components(name, known) for name in self.units}
        for name, unit in self.units.items():
            unit.english = list(data.get(name, {}).get("english", []))
            aliases = set(self._aliases[name])
            if name.startswith("区") and len(name) > 3 and "(" not in name:
                aliases.add(name[1:])
            unit.aliases = sorted(a for a in aliases if a != name)
            unit.related = sorted(
                other
                for other, comps in self._components.items()
                if other != name and (self._components[name] & comps or self._alias_hit(name, other))
            )
        # every spelling a user might type, longest first so that 区市场监管局 wins over 市场局
        self._surface: dict[str, set[str]] = {}
        for name, unit in self.units.items():
            for s in {name, *unit.aliases, *self._components[name]}:
                self._surface.setdefault(s, set()).add(name)
        self._surface_re = re.compile(
            "|".join(re.escape(s) for s in sorted(self._surface, key=len, reverse=True) if len(s) >= 2)
        )

    def _alias_hit(self, a: str, b: str) -> bool:
        return b in self._aliases.get(a, []) or a in self._aliases.get(b, [])

    def __iter__(self):
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def get(self, name: str) -> Unit | None:
        return self.units.get(name)

    def find(self, name: str) -> list[Unit]:
        """Every entry the name could mean: exact first, then its variants and the entries sharing a component."""
        name = re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")
        direct = sorted(self._surface.get(name, set()), key=lambda n: (n != name, n))
        seen: list[str] = []
        for n in direct:
            for m in [n, *self.units[n].related]:
                if m not in seen:
                    seen.append(m)
        return [self.units[n] for n in seen]

    def mentions_at(self, text: str) -> list[tuple[tuple[int, int], set[str]]]:
        """Like `mentions`, with where each name stands in the text instead of the name."""
        return [((m.start(), m.end()), self._surface[m.group(0)]) for m in self._surface_re.finditer(text)]

    def mentions(self, text: str) -> list[tuple[str, set[str]]]:
        """The unit names written in a text, each with the entries it names (longest match wins)."""
        text = text.replace("（", "(").replace("）", ")")
        return [(m.group(0), self._surface[m.group(0)]) for m in self._surface_re.finditer(text)]
