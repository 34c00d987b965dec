"""Parse a notice into a Document, in the layouts real notices use (../shared/notice-formats.md).

Before the first part: the header (rag/corpus/header.py). Then parts `一、…`, holding either sections
`(一)…` with items `1.…`, or items directly (numbered inside each part or straight through the document;
their ids are `二4`). A section without items is a measure itself. Sub-items `（1）` belong to their item; a
lead paragraph may follow a part or section title. Each measure ends with its unit clause
(rag/corpus/responsibility.py), unless the notice names no units at all. Closing lines (validity, repeal,
interpretation, attachments, or a part titled 附则) end the body.

Real notices hold lines none of these forms foresee: a note under a measure, a definition or a funding rule
after the last one, a part with only a paragraph (总体要求). Such a line is kept and placed: after the last
measure (after its unit clause) it is closing text; inside the body it joins the measure before it; in a part
without any measure it is the part's lead text. Each placement is a ParseWarning with its line, carried on
the Document for `rag ingest` and the admin upload to show. A notice is refused when no measure can be found,
and when its numbered lines contradict each other (a part, section or item out of order, a unit clause
missing from one measure of a notice that names units for the others): taking those would give measures
the wrong id or the wrong units, which is worse than asking a person to look.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rag.corpus.deadlines import find_deadlines
from rag.corpus.header import parse_header
from rag.corpus.ids import cn_to_int
from rag.corpus.layout import (
    APPENDIX_TITLE_RE,
    ATTACHMENTS_RE,
    DATE_LINE_RE,
    ITEM_RE,
    PART_RE,
    SECTION_RE,
    SUBITEM_RE,
    is_closing,
)
from rag.corpus.model import Document, Lead, Measure, ParseWarning
from rag.corpus.responsibility import ROLE_NAMES, Roles, parse_roles, split_responsibility
from rag.corpus.validity import from_closing, parse_date

_NO_CLAUSE = "no (责任单位:…) clause at its end"


class NoticeFormatError(ValueError):
    """The file does not follow the notice format; the message names the line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line = source, line


@dataclass
class _Draft:
    """A measure being read: its lines until the next numbered line closes it."""

    id: str
    part: tuple[int, str, str]
    section: tuple[int, str, str] | None
    item: int | None
    lines: list[tuple[int, str]]
    where: str  # how an error names it: item 3 in section (一)
    loose: set[int] = field(default_factory=set)  # numbers of the lines joined to it that the parser did not know

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def clause(self) -> tuple[str | None, int]:
        """The unit clause and the index of the line it closes: the last line, or an earlier one when only
        joined lines (notes) follow it; (None, -1) without one."""
        clause = split_responsibility(self.text)[1]
        if clause is not None:
            return clause, len(self.lines) - 1
        for k in range(len(self.lines) - 1, 0, -1):
            if self.lines[k][0] not in self.loose:
                break
            clause = split_responsibility("\n".join(line for _, line in self.lines[:k]))[1]
            if clause is not None:
                return clause, k - 1
        return None, -1


@dataclass
class _Body:
    """The parts of a notice, line by line."""

    doc_id: str
    source: str
    drafts: list[_Draft] = field(default_factory=list)
    part: tuple[int, str, str] | None = None  # (number, numeral, title)
    section: tuple[int, str, str] | None = None
    section_lines: list[tuple[int, str]] = field(default_factory=list)  # heading and lead paragraph
    section_loose: set[int] = field(default_factory=set)  # of those, the lines that are not sub-items
    part_lead: list[tuple[int, str]] = field(default_factory=list)  # paragraphs after the part title
    items_here: int = 0  # items read in the current section (or part, where it has no sections)
    last_item: int = 0  # the last item number in the document, for items numbered straight through
    part_has_sections: bool = False
    part_has_items: bool = False
    current: _Draft | None = None
    closing: list[tuple[int, str]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    appendix: bool = False  # the closing text is a part titled 附则: every line in it is closing text
    leads: list[Lead] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    parts: list[tuple[int, str]] = field(default_factory=list)  # (line, numeral) of every part heading
    previous: tuple[int, str, bool] | None = None  # the line before this one, and whether it was unrecognised

    @property
    def here(self) -> tuple[int, str, str]:
        """The open part: body lines start at the first part heading, so there always is one."""
        assert self.part is not None
        return self.part

    def error(self, n: int, message: str) -> NoticeFormatError:
        return NoticeFormatError(self.source, n, message)

    def order_error(self, n: int, message: str) -> NoticeFormatError:
        """A numbered line out of order; when an unrecognised line came just before it, that line is most
        likely a heading that lost its number (融资服务。… for （二）融资服务。…), so the error names it."""
        if self.previous and self.previous[2]:
            at, line, _ = self.previous
            return self.error(
                at,
                f"unexpected line {line[:40]!r}: not a part, section or item, and the numbered line after it "
                f"(line {n}) is out of order ({message}); is it a heading whose number is missing?",
            )
        return self.error(n, message)

    def feed(self, n: int, line: str) -> None:
        loose = False
        if self.closing:
            self._closing_line(n, line)
        elif is_closing(line) and split_responsibility(line)[1] is None:
            self._close_section()
            self.closing.append((n, line))
            if ATTACHMENTS_RE.match(line):
                self.attachments.append(line)
        elif m := PART_RE.match(line):
            self._part(n, m)
        elif m := SECTION_RE.match(line):
            self._section(n, m)
        elif m := ITEM_RE.match(line):
            self._item(n, int(m.group(1)), line)
        elif SUBITEM_RE.match(line) and self.current is not None:
            self.current.lines.append((n, line))
        elif self.current is None and self.section is not None:
            self.section_lines.append((n, line))  # a lead paragraph, or the text of a section-level measure
            if not SUBITEM_RE.match(line):
                self.section_loose.add(n)
        elif self.current is None:
            self.part_lead.append((n, line))
        else:  # a line the layouts do not know, inside the body: it joins the measure before it
            self.current.lines.append((n, line))
            self.current.loose.add(n)
            loose = True
        self.previous = (n, line, loose)

    def _closing_line(self, n: int, line: str) -> None:
        """After the validity or attachment lines: more of them, the attachment list, a signature and date,
        and any other sentence (a definition, a funding rule), which is kept with a warning."""
        listed = bool(self.attachments) and (ITEM_RE.match(line) or len(line) <= 60)
        numbered = PART_RE.match(line) or SECTION_RE.match(line) or ITEM_RE.match(line)
        signature = len(line) <= 30 and "。" not in line and not numbered
        if numbered and not (self.appendix or listed or is_closing(line)):
            # a measure after the validity line would be lost in the closing text: the order is wrong
            raise self.error(
                n, f"numbered line after the closing lines (validity, attachments): {line[:40]!r}; move them after it"
            )
        self.closing.append((n, line))
        if listed or ATTACHMENTS_RE.match(line):
            self.attachments.append(line)
        elif not (self.appendix or is_closing(line) or DATE_LINE_RE.match(line) or signature):
            self.warnings.append(ParseWarning(n, line, "closing"))

    def _part(self, n: int, m: re.Match[str]) -> None:
        self._close_section()
        self._close_part()
        number = cn_to_int(m.group(1))
        if self.part and number != self.part[0] + 1:
            raise self.order_error(n, f"part {m.group(1)} follows part {self.here[1]}: parts must be numbered in order")
        self.parts.append((n, m.group(1)))
        self.part, self.section, self.current = (number, m.group(1), m.group(2).strip()), None, None
        self.items_here, self.part_has_sections, self.part_has_items, self.part_lead = 0, False, False, []
        if APPENDIX_TITLE_RE.match(self.here[2]):  # 附则: definitions, interpretation, validity
            self.appendix = True
            self.closing.append((n, m.group(0)))

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
            raise self.order_error(
                n, f"section ({m.group(1)}) out of order in part {self.here[1]}: expected section {expected}"
            )
        self._lead(self.here[1], self.here[2], self.part_lead)
        self.part_lead = []
        heading = split_responsibility(m.group(2))[0]
        title = re.split(r"[。；;]", heading, maxsplit=1)[0].strip()
        self.section, self.section_lines, self.section_loose, self.items_here, self.current = (
            (number, m.group(1), title),
            [(n, m.group(0))],
            set(),
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
            raise self.order_error(
                n,
                f"item {number} in {where} out of order: expected item {' or '.join(map(str, sorted(allowed)))}",
            )
        if not self.items_here:  # what came between the heading and the first item is its lead text
            if section is not None:
                self._lead(f"{part[1]}({section[1]})", section[2], self.section_lines[1:])
            else:
                self._lead(part[1], part[2], self.part_lead)
                self.part_lead = []
        self.items_here, self.last_item = number, number
        self.part_has_items |= section is None
        mid = f"{part[1]}({section[1]}){number}" if section else f"{part[1]}{number}"
        self.current = _Draft(mid, part, section, number, [(n, line)], f"item {number} in {where}")
        self.drafts.append(self.current)

    def _lead(self, at: str, title: str, lines: list[tuple[int, str]]) -> None:
        if lines:
            self.leads.append(Lead(at, title, "\n".join(line for _, line in lines), lines[0][0]))

    def _close_section(self) -> None:
        """A section that had no items is a measure: its heading line (and paragraphs) carry text and units."""
        if self.section is not None and self.items_here == 0 and self.current is None:
            sec = self.section
            self.drafts.append(
                _Draft(
                    f"{self.here[1]}({sec[1]})",
                    self.here,
                    sec,
                    None,
                    list(self.section_lines),
                    f"section ({sec[1]})",
                    set(self.section_loose),
                )
            )
            self.section_lines = []
            self.items_here = -1  # closed; a second call must not add it again
        self.current = None

    def _close_part(self) -> None:
        """A part with text but no section or item (总体要求, 保障措施 as a paragraph): its lead text."""
        if self.part and self.part_lead and not self.part_has_sections and not self.part_has_items:
            self._lead(self.here[1], self.here[2], self.part_lead)
            self.warnings += [ParseWarning(n, line, "lead", self.here[1]) for n, line in self.part_lead]
            self.part_lead = []

    def finish(self, last_line: int) -> list[tuple[_Draft, str | None, int]]:
        """Close the body; each draft with its unit clause and how many joined lines follow that clause."""
        self._close_section()
        self._close_part()
        if not self.drafts:
            parts = "、".join(numeral for _, numeral in self.parts)
            raise self.error(
                self.parts[0][0] if self.parts else last_line,
                f"no measure found: the parts ({parts}) hold no section ((一)…) or numbered item (1.…), only text",
            )
        found = [d.clause() for d in self.drafts]
        names_units = any(clause is not None for clause, _ in found)
        last, (clause, at) = self.drafts[-1], found[-1]
        if clause is not None or not names_units:  # the lines after the last measure are the closing text
            known = max(i for i, (n, _) in enumerate(last.lines) if n not in last.loose)
            keep = max(at, known) + 1
            self.closing[:0] = last.lines[keep:]
            self.warnings += [ParseWarning(n, line, "closing") for n, line in last.lines[keep:]]
            del last.lines[keep:]
        out = []
        for draft, (clause, at) in zip(self.drafts, found, strict=True):
            self.warnings += [ParseWarning(n, line, "measure", draft.id) for n, line in draft.lines if n in draft.loose]
            if clause is None and names_units:  # a notice that names units names them for every measure
                problem = (
                    f"section ({draft.section[1]}) has neither numbered items nor a (责任单位:…) clause"
                    if draft.item is None and draft.section is not None
                    else f"{draft.where} has {_NO_CLAUSE}"
                )
                raise self.error(draft.lines[-1][0] if draft.item is None else draft.lines[0][0], problem)
            out.append((draft, clause, len(draft.lines) - 1 - at if clause is not None else 0))
        self.warnings.sort(key=lambda w: w.line)
        return out


def _measure(draft: _Draft, doc_id: str, clause: str | None, after_clause: int, year: int | None) -> Measure:
    roles, open_list = parse_roles(clause) if clause else (Roles(), False)
    # one string per unit name, not one per mention: a notice names its twenty units in every measure, and a
    # parsed notice is pickled (rag/corpus/parsed_cache.py), which keeps one object shared as one
    roles = Roles(*(tuple(sys.intern(u) for u in getattr(roles, r)) for r in ROLE_NAMES))
    part, section = draft.part, draft.section
    measure = Measure(
        doc_id,
        draft.id,
        part[1],
        part[2],
        section[1] if section else "",
        section[2] if section else "",
        draft.item,
        draft.text,
        roles.flat,
        open_list,
        draft.lines[0][0],
        roles,
        after_clause=after_clause,
    )
    return dataclasses.replace(measure, deadlines=find_deadlines(measure.body, year))


def parse_notice(text: str, doc_id: str, source: str = "<text>") -> Document:
    lines = [(n, line.strip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    first_part = next((i for i, (_, line) in enumerate(lines) if PART_RE.match(line)), None)
    if first_part is None:
        raise NoticeFormatError(
            source,
            lines[-1][0] if lines else 1,
            f"no measure found: no part heading (一、…) in {len(lines)} lines of text; a notice's measures are "
            "numbered under parts (一、), sections ((一)) and items (1.)",
        )
    header = parse_header(lines[:first_part])
    body = _Body(doc_id, source)
    for n, line in lines[first_part:]:
        body.feed(n, line)
    settled = body.finish(lines[-1][0])

    issued = parse_date(header.date) or parse_date(header.signed_date)
    year = issued.year if issued else None  # dates 年底前, 年内
    measures = tuple(_measure(d, doc_id, clause, after, year) for d, clause, after in settled)
    placed = {w.line for w in body.warnings}
    closing = tuple(line for _, line in body.closing)
    return Document(
        doc_id,
        header,
        measures,
        source,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        # validity from the lines of a known form only: a definition may well hold 自…起
        from_closing([line for n, line in body.closing if n not in placed], issued),
        closing,
        tuple(body.attachments),
        tuple(body.leads),
        tuple(body.warnings),
    )


def parse_file(path: Path, doc_id: str | None = None) -> Document:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NoticeFormatError(path.name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    doc = parse_notice(text, doc_id or path.stem, source=path.name)
    return dataclasses.replace(doc, sha256=hashlib.sha256(raw).hexdigest())
