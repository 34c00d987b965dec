"""Parse a notice in the common format of district policy notices into a Document.

Format: an optional header table (`key: | value | key: | value |`), the recipients line ending in a colon,
a cover letter, the signature and its date, the plan's title and preamble, then parts `一、…`, sections
`(一)…` and items `1.…` or `1、…`, each measure ending with `(责任单位:…)`. A section without numbered
items carries that clause itself and is a measure. Anything else inside the parts is an error that names
its line: a half-parsed corpus would answer wrongly without anyone noticing.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rag.corpus.ids import CN_NUM, cn_to_int
from rag.corpus.model import Document, Header, Measure

PART_RE = re.compile(rf"^({CN_NUM})、\s*(.+)$")
SECTION_RE = re.compile(rf"^[(（]({CN_NUM})[)）]\s*(.+)$")
ITEM_RE = re.compile(r"^(\d+)\s*[.、．]\s*(.+)$")
DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
CLAUSE_RE = re.compile(r"[(（]\s*责任单位\s*[:：]")
_HEADER_KEYS = {"名称": "title", "文号": "doc_number", "发文日期": "date", "发布机构": "publisher"}


class NoticeFormatError(ValueError):
    """The file does not follow the notice format; the message names the line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line = source, line


def strip_item_number(text: str) -> str:
    m = ITEM_RE.match(text)
    return m.group(2) if m else text


def split_responsibility(text: str) -> tuple[str, str | None]:
    """Split `body(责任单位:A、B(C))` into body and `A、B(C)`; the clause must close the text."""
    starts = list(CLAUSE_RE.finditer(text))
    if not starts:
        return text, None
    start = starts[-1]
    inner = text[start.end():].rstrip()
    if not inner.endswith((")", "）")):
        return text, None
    inner = inner[:-1]
    depth = 0
    for ch in inner:  # the closing parenthesis we dropped must be the one that matches the clause's opening
        depth += ch in "(（"
        depth -= ch in ")）"
        if depth < 0:
            return text, None
    if depth != 0:
        return text, None
    return text[: start.start()].rstrip(), inner.strip()


def split_units(clause: str) -> tuple[tuple[str, ...], bool]:
    """Split on 、，, at parenthesis depth 0; a trailing 等 marks an open list and is dropped from the name."""
    units, buf, depth = [], [], 0
    for ch in clause:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        if depth == 0 and ch in "、，,;；":
            units.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    units.append("".join(buf).strip())
    units = [u for u in units if u]
    open_list = False
    if units and units[-1].endswith("等") and len(units[-1]) > 1:
        units[-1] = units[-1][:-1]
        open_list = True
    return tuple(units), open_list


def _parse_header(lines: list[tuple[int, str]]) -> Header:
    fields: dict[str, str] = {}
    rest: list[str] = []
    for _, line in lines:
        if "|" in line:
            cells = [c.strip() for c in line.split("|")]
            for key, value in zip(cells[0::2], cells[1::2]):
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


def parse_notice(text: str, doc_id: str, source: str = "<text>") -> Document:
    lines = [(n, line.strip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    first_part = next((i for i, (_, line) in enumerate(lines) if PART_RE.match(line)), None)
    if first_part is None:
        raise NoticeFormatError(source, lines[-1][0] if lines else 1, "no part heading (一、…) found: not a notice in the expected format")
    header = _parse_header(lines[:first_part])

    measures: list[Measure] = []
    part = section = None  # (number, numeral, title)
    section_line = (0, "")
    items_in_section: list[Measure] = []

    def close_section() -> None:
        if section is None or items_in_section:
            return
        n, line = section_line
        body, clause = split_responsibility(line)
        if clause is None:
            raise NoticeFormatError(source, n, f"section ({section[1]}) has neither numbered items nor a (责任单位:…) clause")
        units, open_list = split_units(clause)
        measures.append(Measure(doc_id, f"{part[1]}({section[1]})", part[1], part[2], section[1], section[2], None, line, units, open_list, n))

    for n, line in lines[first_part:]:
        if m := PART_RE.match(line):
            close_section()
            number = cn_to_int(m.group(1))
            if part and number != part[0] + 1:
                raise NoticeFormatError(source, n, f"part {m.group(1)} follows part {part[1]}: parts must be numbered in order")
            part, section, items_in_section = (number, m.group(1), m.group(2).strip()), None, []
        elif m := SECTION_RE.match(line):
            close_section()
            number = cn_to_int(m.group(1))
            expected = section[0] + 1 if section else 1
            if number != expected:
                raise NoticeFormatError(source, n, f"section ({m.group(1)}) out of order in part {part[1]}: expected section {expected}")
            heading = split_responsibility(m.group(2))[0]
            title = re.split(r"[。；;]", heading, maxsplit=1)[0].strip()
            section, section_line, items_in_section = (number, m.group(1), title), (n, line), []
        elif m := ITEM_RE.match(line):
            if section is None:
                raise NoticeFormatError(source, n, f"item {m.group(1)} outside any section")
            number = int(m.group(1))
            if number != len(items_in_section) + 1:
                raise NoticeFormatError(source, n, f"item {number} in section ({section[1]}) out of order: expected item {len(items_in_section) + 1}")
            _, clause = split_responsibility(line)
            if clause is None:
                raise NoticeFormatError(source, n, f"item {number} in section ({section[1]}) has no (责任单位:…) clause at its end")
            units, open_list = split_units(clause)
            measure = Measure(doc_id, f"{part[1]}({section[1]}){number}", part[1], part[2], section[1], section[2], number, line, units, open_list, n)
            items_in_section.append(measure)
            measures.append(measure)
        else:
            where = f"in section ({section[1]})" if section else f"in part {part[1]}"
            raise NoticeFormatError(source, n, f"unexpected line {where}: expected a part (一、), a section ((一)) or an item (1.): {line[:40]!r}")
    close_section()
    return Document(doc_id, header, tuple(measures), source, hashlib.sha256(text.encode("utf-8")).hexdigest())


def parse_file(path: Path, doc_id: str | None = None) -> Document:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NoticeFormatError(path.name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    doc = parse_notice(text, doc_id or path.stem, source=path.name)
    return Document(doc.id, doc.header, doc.measures, doc.source, hashlib.sha256(raw).hexdigest())
