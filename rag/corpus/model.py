"""The structured form of a notice: a document header and its measures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from rag.corpus.deadlines import Deadline
from rag.corpus.layout import ITEM_RE
from rag.corpus.responsibility import Roles, split_responsibility
from rag.corpus.validity import Validity


@dataclass(frozen=True)
class Measure:
    """One measure: a numbered item (with its sub-items), or a section that has no numbered items."""

    doc: str  # document id, unique across the corpus (the file stem)
    id: str  # canonical id within the document: 二(四)4, 二(七), or 二4 where parts have no sections
    part: str  # 二
    part_title: str  # 全面提升企业全生命周期管理服务
    section: str  # 四, or "" where the part has no sections
    section_title: str  # 获得用电用气用水
    item: int | None  # 4, or None for a section-level measure
    text: str  # verbatim, responsibility clause included; sub-items on their own lines
    units: tuple[str, ...]  # every unit the clause names, the lead first (roles.flat)
    units_open: bool = False  # the list ended with 等 ("and others")
    line: int = 0  # 1-based line in the source file
    roles: Roles = field(default_factory=Roles)  # the same units by role: lead, responsible, cooperating
    deadlines: tuple[Deadline, ...] = ()  # time limits as written, in order
    after_clause: int = 0  # the text's last lines that follow its unit clause: note lines the parser joined to it

    @cached_property  # one string per measure, not one per read: a million keys sit in several maps
    def key(self) -> str:
        """Corpus-wide key: document id and measure id."""
        return f"{self.doc}:{self.id}"

    @property
    def section_path(self) -> str:
        part = f"{self.part}、{self.part_title}"
        return f"{part} > ({self.section}){self.section_title}" if self.section else part

    @property
    def heading(self) -> str:
        """The nearest title above the measure: its section's, or its part's where there are no sections."""
        return self.section_title if self.section else self.part_title

    @cached_property  # read several times per answer (clause choice, quoting, highlights); the text never changes
    def body(self) -> str:
        """The text without its leading number and its responsibility clause."""
        numbered = ITEM_RE.match(self.text)
        text = numbered.group(2) if numbered else self.text
        if not self.after_clause:
            return split_responsibility(text)[0]
        lines = text.split("\n")  # the clause closes an earlier line; the joined notes stay part of the body
        head, notes = lines[: -self.after_clause], lines[-self.after_clause :]
        return "\n".join([split_responsibility("\n".join(head))[0], *notes])

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "id": self.id,
            "part": self.part,
            "part_title": self.part_title,
            "section": self.section,
            "section_title": self.section_title,
            "item": self.item,
            "section_path": self.section_path,
            "text": self.text,
            "units": list(self.units),
            "units_open": self.units_open,
            "roles": self.roles.to_dict(),
            "deadlines": [d.text for d in self.deadlines],
            "deadline_dates": [d.to_dict() for d in self.deadlines],
        }


@dataclass(frozen=True)
class Header:
    """What a notice says about itself, before its measures."""

    title: str = ""
    doc_number: str = ""  # 文号
    date: str = ""  # 发文日期 as the header writes it (2021-04-28)
    signed_date: str = ""  # the date under the signature (2021年4月28日)
    publisher: str = ""  # 发布机构
    issuer: str = ""  # the signing body (东海市临江区人民政府)
    recipients: tuple[str, ...] = ()  # 主送
    basis: tuple[str, ...] = ()  # documents it is based on (依据《…》)
    plan_title: str = ""  # the attached plan's own title
    cover_letter: str = ""  # the letter between the recipients and the signature
    drafter: str = ""  # who drafted the plan (区发展改革委拟定的…)
    fields: dict[str, str] = field(default_factory=dict)  # every key of the header table

    @property
    def places(self) -> list[str]:
        """The places the issuer governs, widest first, each also without its 省/市/区/县:
        东海市临江区人民政府 → [东海市, 东海, 临江区, 临江]."""
        out: list[str] = []
        for name in re.findall(r"[\u4e00-\u9fff]{2,}?(?:省|市|区|县)", self.issuer or ""):
            out += [name, name[:-1]] if len(name) > 2 else [name]
        return list(dict.fromkeys(out))

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "doc_number": self.doc_number,
            "date": self.date,
            "signed_date": self.signed_date,
            "publisher": self.publisher,
            "issuer": self.issuer,
            "recipients": list(self.recipients),
            "basis": list(self.basis),
            "plan_title": self.plan_title,
            "cover_letter": self.cover_letter,
            "drafter": self.drafter,
            "fields": dict(self.fields),
        }


Placement = Literal["measure", "lead", "closing"]


@dataclass(frozen=True)
class ParseWarning:
    """A line the parser did not recognise (not a part, section, item, sub-item or closing line of a known
    form), and where it put it. Real notices carry such lines (notes, definitions, exhortations); they are
    kept, never dropped and never made measures of their own, and each is reported so a person can check."""

    line: int  # 1-based, in the text the parser read (for .docx/.html: what `rag ingest --show-text` prints)
    text: str  # the line as written
    placed: Placement  # joined to a measure, to a part's or section's lead text, or to the closing text
    target: str = ""  # the measure id (二(四)4) or the part or section (二, 二(四)); "" for the closing text

    @property
    def message(self) -> str:
        where = {
            "measure": f"read as part of measure {self.target}",
            "lead": f"kept as lead text of {self.target} (not a measure)",
            "closing": "kept as closing text (not a measure)",
        }[self.placed]
        shown = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        return f"line {self.line}: not a part, section, item or closing line; {where}: {shown!r}"

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "text": self.text,
            "placed": self.placed,
            "target": self.target,
            "message": self.message,
        }


@dataclass(frozen=True)
class Lead:
    """Text between a part's or section's heading and its first measure (具体措施如下：, a short paragraph),
    or the whole text of a part that holds no measure (总体要求): the notice's text, never a measure."""

    at: str  # the part (二) or section (二(四)) it introduces
    title: str  # that part's or section's title
    text: str
    line: int

    def to_dict(self) -> dict:
        return {"at": self.at, "title": self.title, "text": self.text, "line": self.line}


@dataclass(frozen=True)
class Document:
    id: str
    header: Header
    measures: tuple[Measure, ...]
    source: str = ""  # file name it was read from
    sha256: str = ""  # of the source bytes
    validity: Validity = field(default_factory=Validity)  # from the closing lines; the sidecar fills gaps
    closing: tuple[str, ...] = ()  # the lines after the last measure: validity, repeal, interpretation,
    # definitions, funding rules, exhortations; the notice's text, shown by /api/documents, never a measure
    attachments: tuple[str, ...] = ()  # 附件：1.…… as listed
    leads: tuple[Lead, ...] = ()  # text before a part's or section's first measure, and parts without measures
    warnings: tuple[ParseWarning, ...] = ()  # each line the parser placed by its own choice, in line order

    def measure(self, measure_id: str) -> Measure | None:
        for m in self.measures:
            if m.id == measure_id:
                return m
        return None
