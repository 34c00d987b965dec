"""Parse a notice into a Document, in the layouts real notices use (../shared/notice-formats.md).

Before the first part: an optional header table (`key: | value | key: | value |`), the recipients line
ending in a colon, a cover letter, the signature and its date, the plan's title and preamble. Then parts
`一、…`, holding either sections `(一)…` with items `1.…`, or items directly (numbered inside each part or
straight through the document; their ids are `二4`). A section without items is a measure itself. Sub-items
`（1）` belong to their item; a lead paragraph may follow a part or section title. Each measure ends with
its unit clause (rag/corpus/responsibility.py), unless the notice names no units at all. Closing lines
(validity, repeal, interpretation, attachments) end the body. Anything else is an error that names its
line: a half-parsed corpus would answer wrongly without anyone noticing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rag.corpus.deadlines import find_deadlines
from rag.corpus.ids import cn_to_int
from rag.corpus.layout import ATTACHMENTS_RE, DATE_LINE_RE, ITEM_RE, PART_RE, SECTION_RE, SUBITEM_RE, is_closing
from rag.corpus.model import Document, Header, Measure
from rag.corpus.responsibility import Roles, parse_roles, split_responsibility
from rag.corpus.validity import from_closing, parse_date

_HEADER_KEYS = {"名称": "title", "文号": "doc_number", "发文日期": "date", "发布机构": "publisher"}
_DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号$")
_NO_CLAUSE = "no (责任单位:…) clause at its end"


class NoticeFormatError(ValueError):
    """The file does not follow the notice format; the message names the line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line = source, line


def _parse_header(lines: list[tuple[int, str]]) -> Header:
    fields: dict[str, str] = {}
    rest: list[str] = []
    for _, line in lines:
        if "|" in line:
            cells = [c.strip() for c in line.split("|")]
            for key, value in zip(cells[0::2], cells[1::2], strict=False):
                key = re.sub(r"\s+", "", key).rstrip(":：")
                if key:
                    fields[key] = value
        else:
            rest.append(line)
    known = {attr: fields.get(key, "") for key, attr in _HEADER_KEYS.items()}
    recipients: tuple[str, ...] = ()
    issuer = signed_date = plan_title = ""
    letter: list[str] = []
    recipients_at = -1
    basis: tuple[str, ...] = ()
    for i, line in enumerate(rest):
        if not recipients and line.endswith((":", "：")) and i < 3:
            recipients = tuple(p.strip() for p in re.split(r"[,，]", line.rstrip(":：")) if p.strip())
            recipients_at = i
        if DATE_LINE_RE.match(line):
            signed_date = line
            issuer = rest[i - 1] if i else ""
            plan_title = rest[i + 1] if i + 1 < len(rest) else ""
            letter = rest[recipients_at + 1 : i - 1] if recipients_at >= 0 else []
        m = re.search(r"依据(.+?)(?:[,，。]|制定|制订)", line)
        if m and not basis:
            basis = tuple(re.findall(r"《([^》]+)》", m.group(1)))
    title = known["title"] or (rest[0] if rest else "")
    if not known["doc_number"]:  # a page saved from another site: a title line and a 文号 line
        known["doc_number"] = next((line for line in rest[:4] if _DOC_NUMBER_RE.match(line)), "")
    cover = "\n".join(letter)
    drafted = re.match(r"^(.{2,20}?)拟定", cover)
    return Header(
        title=title,
        doc_number=known["doc_number"],
        date=known["date"],
        signed_date=signed_date,
        publisher=known["publisher"],
        issuer=issuer,
        recipients=recipients,
        basis=basis,
        plan_title=plan_title,
        cover_letter=cover,
        drafter=drafted.group(1) if drafted else "",
        fields=fields,
    )


@dataclass
class _Draft:
    """A measure being read: its lines until the next numbered line closes it."""

    id: str
    part: tuple[int, str, str]
    section: tuple[int, str, str] | None
    item: int | None
    lines: list[tuple[int, str]]
    where: str  # how an error names it: item 3 in section (一)

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


@dataclass
class _Body:
    """The parts of a notice, line by line."""

    doc_id: str
    source: str
    drafts: list[_Draft] = field(default_factory=list)
    part: tuple[int, str, str] | None = None  # (number, numeral, title)
    section: tuple[int, str, str] | None = None
    section_lines: list[tuple[int, str]] = field(default_factory=list)  # heading and lead paragraph
    part_lead: list[tuple[int, str]] = field(default_factory=list)  # paragraphs after the part title
    items_here: int = 0  # items read in the current section (or part, where it has no sections)
    last_item: int = 0  # the last item number in the document, for items numbered straight through
    part_has_sections: bool = False
    part_has_items: bool = False
    current: _Draft | None = None
    closing: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)

    @property
    def here(self) -> tuple[int, str, str]:
        """The open part: body lines start at the first part heading, so there always is one."""
        assert self.part is not None
        return self.part

    def error(self, n: int, message: str) -> NoticeFormatError:
        return NoticeFormatError(self.source, n, message)

    def feed(self, n: int, line: str) -> None:
        if self.closing:
            return self._closing_line(n, line)
        if is_closing(line) and split_responsibility(line)[1] is None:
            self._close_section()
            self.closing.append(line)
            if ATTACHMENTS_RE.match(line):
                self.attachments.append(line)
            return None
        if m := PART_RE.match(line):
            self._close_section()
            self._close_part()
            number = cn_to_int(m.group(1))
            if self.part and number != self.part[0] + 1:
                raise self.error(n, f"part {m.group(1)} follows part {self.part[1]}: parts must be numbered in order")
            self.part, self.section, self.current = (number, m.group(1), m.group(2).strip()), None, None
            self.items_here, self.part_has_sections, self.part_has_items, self.part_lead = 0, False, False, []
        elif m := SECTION_RE.match(line):
            self._section(n, m)
        elif m := ITEM_RE.match(line):
            self._item(n, int(m.group(1)), line)
        elif SUBITEM_RE.match(line) and self.current is not None:
            self.current.lines.append((n, line))
        elif self.current is None and self.section is not None:
            self.section_lines.append((n, line))  # a lead paragraph, or the text of a section-level measure
        elif self.current is None and self.section is None and not self.part_has_items:
            self.part_lead.append((n, line))
        else:
            where = f"in section ({self.section[1]})" if self.section else f"in part {self.here[1]}"
            raise self.error(
                n,
                f"unexpected line {where}: expected a part (一、), a section ((一)), an item (1.) "
                f"or a sub-item ((1)): {line[:40]!r}",
            )
        return None

    def _closing_line(self, n: int, line: str) -> None:
        """After the validity or attachment lines: more of them, the attachment list, a signature and date."""
        listed = bool(self.attachments) and (ITEM_RE.match(line) or len(line) <= 60)
        numbered = PART_RE.match(line) or SECTION_RE.match(line) or ITEM_RE.match(line)
        signature = len(line) <= 30 and "。" not in line and not numbered
        if is_closing(line) or listed or DATE_LINE_RE.match(line) or signature:
            self.closing.append(line)
            if listed or ATTACHMENTS_RE.match(line):
                self.attachments.append(line)
            return
        raise self.error(n, f"unexpected line after the closing lines (validity, attachments): {line[:40]!r}")

    def _section(self, n: int, m: re.Match[str]) -> None:
        self._close_section()
        if self.part_has_items:
            raise self.error(
                n,
                f"section ({m.group(1)}) in part {self.here[1]} after its items: a part holds either sections or items",
            )
        number = cn_to_int(m.group(1))
        expected = self.section[0] + 1 if self.section else 1
        if number != expected:
            raise self.error(
                n, f"section ({m.group(1)}) out of order in part {self.here[1]}: expected section {expected}"
            )
        heading = split_responsibility(m.group(2))[0]
        title = re.split(r"[。；;]", heading, maxsplit=1)[0].strip()
        self.section, self.section_lines, self.items_here, self.current = (
            (number, m.group(1), title),
            [(n, m.group(0))],
            0,
            None,
        )
        self.part_has_sections = True

    def _item(self, n: int, number: int, line: str) -> None:
        part, section = self.here, self.section
        if section is None and self.part_has_sections:
            raise self.error(n, f"item {number} outside any section in part {part[1]}, which has sections")
        where = f"section ({section[1]})" if section else f"part {part[1]}"
        # numbered inside the section or part, or straight through the document
        allowed = {self.items_here + 1} if self.items_here else {1, self.last_item + 1}
        if number not in allowed:
            raise self.error(
                n,
                f"item {number} in {where} out of order: expected item {' or '.join(map(str, sorted(allowed)))}",
            )
        self.items_here, self.last_item = number, number
        self.part_has_items |= section is None
        mid = f"{part[1]}({section[1]}){number}" if section else f"{part[1]}{number}"
        self.current = _Draft(mid, part, section, number, [(n, line)], f"item {number} in {where}")
        self.drafts.append(self.current)

    def _close_section(self) -> None:
        """A section that had no items is a measure: its heading line (and paragraphs) carry text and units."""
        if self.section is not None and self.items_here == 0 and self.current is None:
            sec = self.section
            self.drafts.append(
                _Draft(
                    f"{self.here[1]}({sec[1]})", self.here, sec, None, list(self.section_lines), f"section ({sec[1]})"
                )
            )
            self.section_lines = []
            self.items_here = -1  # closed; a second call must not add it again
        self.current = None

    def _close_part(self) -> None:
        if self.part and self.part_lead and not self.part_has_sections and not self.part_has_items:
            n, line = self.part_lead[0]
            raise self.error(
                n,
                f"unexpected line in part {self.here[1]}: expected a part (一、), a section ((一)) "
                f"or an item (1.): {line[:40]!r}",
            )

    def finish(self) -> None:
        self._close_section()
        self._close_part()


def _measure(draft: _Draft, text: str, doc_id: str, clause: str | None, year: int | None) -> Measure:
    roles, open_list = parse_roles(clause) if clause else (Roles(), False)
    part, section = draft.part, draft.section
    measure = Measure(
        doc_id,
        draft.id,
        part[1],
        part[2],
        section[1] if section else "",
        section[2] if section else "",
        draft.item,
        text,
        roles.flat,
        open_list,
        draft.lines[0][0],
        roles,
    )
    return dataclasses.replace(measure, deadlines=find_deadlines(measure.body, year))


def parse_notice(text: str, doc_id: str, source: str = "<text>") -> Document:
    lines = [(n, line.strip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    first_part = next((i for i, (_, line) in enumerate(lines) if PART_RE.match(line)), None)
    if first_part is None:
        raise NoticeFormatError(
            source, lines[-1][0] if lines else 1, "no part heading (一、…) found: not a notice in the expected format"
        )
    header = _parse_header(lines[:first_part])
    body = _Body(doc_id, source)
    for n, line in lines[first_part:]:
        body.feed(n, line)
    body.finish()

    texts = [d.text for d in body.drafts]
    clauses = [split_responsibility(t)[1] for t in texts]
    if any(c is not None for c in clauses):  # a notice that names units names them for every measure
        for draft, clause in zip(body.drafts, clauses, strict=False):
            if clause is None:
                problem = (
                    f"section ({draft.section[1]}) has neither numbered items nor a (责任单位:…) clause"
                    if draft.item is None and draft.section is not None
                    else f"{draft.where} has {_NO_CLAUSE}"
                )
                raise NoticeFormatError(
                    source, draft.lines[-1][0] if draft.item is None else draft.lines[0][0], problem
                )
    issued = parse_date(header.date) or parse_date(header.signed_date)
    year = issued.year if issued else None  # dates 年底前, 年内
    measures = tuple(_measure(d, t, doc_id, c, year) for d, t, c in zip(body.drafts, texts, clauses, strict=True))
    return Document(
        doc_id,
        header,
        measures,
        source,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        from_closing(body.closing, issued),
        tuple(body.closing),
        tuple(body.attachments),
    )


def parse_file(path: Path, doc_id: str | None = None) -> Document:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NoticeFormatError(path.name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    doc = parse_notice(text, doc_id or path.stem, source=path.name)
    return dataclasses.replace(doc, sha256=hashlib.sha256(raw).hexdigest())
