"""Word .docx notices, read with the standard library (a .docx is a zip of XML; no python-docx needed).

Body paragraphs become lines in document order; a table row becomes `cell | cell | … |`, so a header
table (文号, 发文日期, 发布机构 …) parses like the plain-text header. Tracked deletions and field codes
are left out, tabs and line breaks kept. List numbering that Word draws itself (w:numPr) is not text in
the file: a notice whose item numbers exist only as Word list numbering is reported by the parser.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from rag.corpus.extract import document_from_lines
from rag.corpus.model import Document
from rag.corpus.parser import NoticeFormatError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {f"{W}del", f"{W}delText", f"{W}instrText", f"{W}rPr", f"{W}pPr", f"{W}fldData", f"{W}footnoteReference"}


def _text(el: ET.Element) -> str:
    """The visible text under a paragraph (or a cell), in order."""
    out: list[str] = []

    def walk(node: ET.Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag == f"{W}tab":
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}p" and out:
                out.append(" ")  # a cell with several paragraphs stays one cell
                walk(child)
            else:
                walk(child)

    walk(el)
    return "".join(out)


def _cell(tc: ET.Element) -> str:
    return " ".join(_text(tc).split())


def _row(tr: ET.Element) -> str:
    cells = [_cell(tc) for tc in tr.iter(f"{W}tc")]
    return " | ".join(cells) + " |"


def docx_lines(raw_path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(raw_path) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise NoticeFormatError(raw_path.name, 1, f"not a Word .docx file ({exc})") from exc
    body = ET.fromstring(xml).find(f"{W}body")
    lines: list[str] = []

    def block(node: ET.Element) -> None:
        for child in node:
            if child.tag == f"{W}p":
                lines.extend(_text(child).split("\n"))
            elif child.tag == f"{W}tbl":
                for tr in child.findall(f"{W}tr"):
                    lines.append(_row(tr))
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                block(child)  # content controls wrap ordinary paragraphs

    if body is not None:
        block(body)
    return lines


def read_docx(path: Path, doc_id: str | None = None) -> Document:
    return document_from_lines(docx_lines(path), doc_id or path.stem, path.name, path.read_bytes(), ".docx")
