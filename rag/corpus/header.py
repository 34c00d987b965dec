"""The part of a notice before its first part heading: an optional header table (`key: | value | key: |
value |`), the recipients line ending in a colon, a cover letter, the signature and its date, the plan's
title and preamble; or, for a page saved from another site, only a title line and a 文号 line."""

from __future__ import annotations

import re

from rag.corpus.layout import DATE_LINE_RE
from rag.corpus.model import Header

_HEADER_KEYS = {"名称": "title", "文号": "doc_number", "发文日期": "date", "发布机构": "publisher"}
_DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号$")


def parse_header(lines: list[tuple[int, str]]) -> Header:
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
