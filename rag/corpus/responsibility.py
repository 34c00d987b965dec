"""The unit clause that closes a measure, and the roles it gives: `(责任单位:A、B)`, `(A牵头，B、C配合)`,
`〔牵头单位：A；责任单位：B〕`, `(A、B负责)`, `(A牵头，各相关部门按职责分工负责)` (../shared/notice-formats.md).

A clause is the last bracketed group of a measure when it closes the text, its brackets balance (unit names
nest them: 区行政服务中心(区大数据中心)) and it says who does the work: a role label (责任单位：) or a unit
ending in a role word (牵头, 配合, 负责). A closing bracket like `(以下简称“一网通办”)` says neither, so it
stays part of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENERS, _CLOSERS = "(（〔", ")）〕"
# 责任单位：, 牵头部门:, 配合单位： — the label of a role-list; 主办/协办 are the older words for lead/cooperating
_LABEL = re.compile(r"^(牵头|主办|责任|承办|配合|协办|协同|参与)?(?:单位|部门)\s*[:：]\s*")
_LABEL_BREAK = re.compile(r"[，,](?=\s*(?:牵头|主办|责任|承办|配合|协办|协同|参与)?(?:单位|部门)\s*[:：])")
_LABEL_ROLE = {
    None: "responsible",
    "牵头": "lead",
    "主办": "lead",
    "责任": "responsible",
    "承办": "responsible",
    "配合": "cooperating",
    "协办": "cooperating",
    "协同": "cooperating",
    "参与": "cooperating",
}
# a unit (or a run of them) with its role after it: 区A牵头 · 区B配合 · 各相关部门按职责分工负责
_SUFFIX = re.compile(r"^(.+?)(?:按职责分工|按照职责分工|按职责)?(牵头|负责|配合|协办|协助|参与)(?:落实|实施|推进)?$")
_SUFFIX_ROLE = {
    "牵头": "lead",
    "负责": "responsible",
    "配合": "cooperating",
    "协办": "cooperating",
    "协助": "cooperating",
    "参与": "cooperating",
}
ROLE_NAMES = ("lead", "responsible", "cooperating")


@dataclass(frozen=True, slots=True)  # slots: one per measure, a million of them at city scale
class Roles:
    """Who does a measure's work, by role, each list in the order the clause names it."""

    lead: tuple[str, ...] = ()  # 牵头
    responsible: tuple[str, ...] = ()  # 责任 / 负责
    cooperating: tuple[str, ...] = ()  # 配合

    @property
    def flat(self) -> tuple[str, ...]:
        """Every unit once, the lead first, then the responsible units, then those that cooperate."""
        return tuple(dict.fromkeys((*self.lead, *self.responsible, *self.cooperating)))

    @property
    def only_responsible(self) -> bool:
        """True when the clause names no lead and no cooperating unit (the Jiading layout)."""
        return not self.lead and not self.cooperating

    def role_of(self, unit: str) -> str | None:
        for role in ROLE_NAMES:
            if unit in getattr(self, role):
                return role
        return None

    def to_dict(self) -> dict[str, list[str]]:
        return {role: list(getattr(self, role)) for role in ROLE_NAMES}


def _split_depth0(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text:
        depth += ch in _OPENERS
        depth -= ch in _CLOSERS
        if depth == 0 and ch in separators:
            parts.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf).strip())
    return [p for p in parts if p]


def split_units(clause: str) -> tuple[tuple[str, ...], bool]:
    """Split on 、，,；; at parenthesis depth 0; a trailing 等 marks an open list and is dropped from the name."""
    units = _split_depth0(clause, "、，,;；")
    open_list = False
    if units and units[-1].endswith("等") and len(units[-1]) > 1:
        units[-1] = units[-1][:-1]
        open_list = True
    return tuple(units), open_list


def parse_roles(clause: str) -> tuple[Roles, bool]:
    """The roles a clause gives, and whether a list ended with 等. Segments split on ；; each either opens with
    a label (牵头单位：A) that covers its units, or is a run of units where a role word after a unit covers it
    and the unmarked units before it (区A、区B牵头，区C配合). Units with no role word are responsible."""
    found: dict[str, list[str]] = {role: [] for role in ROLE_NAMES}
    open_list = False
    # 牵头单位：A；配合单位：B — or the same with a comma before the next label
    segments = [part for seg in _split_depth0(clause, "；;") for part in _LABEL_BREAK.split(seg) if part.strip()]
    for segment in segments:
        label = _LABEL.match(segment)
        if label:
            found[_LABEL_ROLE[label.group(1)]] += _split_depth0(segment[label.end() :], "、，,")
            continue
        pending: list[str] = []
        for token in _split_depth0(segment, "、，,"):
            marked = _SUFFIX.match(token)
            if marked and _balanced(marked.group(1)):
                pending.append(marked.group(1))
                found[_SUFFIX_ROLE[marked.group(2)]] += pending
                pending = []
            else:
                pending.append(token)
        found["responsible"] += pending
    final: dict[str, tuple[str, ...]] = {}
    for role, names in found.items():
        if names and names[-1].endswith("等") and len(names[-1]) > 1:
            names[-1] = names[-1][:-1]
            open_list = True
        final[role] = tuple(dict.fromkeys(u for u in names if u))
    return Roles(final["lead"], final["responsible"], final["cooperating"]), open_list


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in _OPENERS
        depth -= ch in _CLOSERS
        if depth < 0:
            return False
    return depth == 0


def _is_clause(inner: str) -> bool:
    """Whether a bracketed group names who does the work, rather than being part of the sentence."""
    if any(_LABEL.match(seg) for seg in _split_depth0(inner, "；;")):
        return True
    tokens = _split_depth0(inner, "、，,；;")
    # every token a plausible name (no sentence punctuation) and at least one carrying a role word
    plausible = all(len(t) <= 40 and not re.search(r"[。“”\"：:]", t) for t in tokens)
    return plausible and any(_SUFFIX.match(t) for t in tokens)


def split_responsibility(text: str) -> tuple[str, str | None]:
    """Split `body(责任单位:A、B(C))` into body and `责任单位:A、B(C)` — the clause's content, label included;
    (text, None) when the text does not end with a unit clause."""
    stripped = text.rstrip().rstrip("。.；;")
    if not stripped or stripped[-1] not in _CLOSERS:
        return text, None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):  # walk back to the bracket that opens the final group
        ch = stripped[i]
        depth += ch in _CLOSERS
        depth -= ch in _OPENERS
        if depth == 0:
            inner = stripped[i + 1 : -1].strip()
            return (stripped[:i].rstrip(), inner) if _is_clause(inner) else (text, None)
    return text, None
