"""From the lines of text extracted from a .docx or an HTML page to a Document, through the one parser.

The readers turn each paragraph into a line and each table row into `cell | cell | … |` (the header
table's format in the plain-text notices), so `parse_notice` reads the same header fields and measures.
Page furniture after the last measure (抄送, 印发, "扫一扫", a site footer) is dropped: nothing after the
last part, section, item, sub-item or closing line (validity, attachments) belongs to the notice. Everything
else is parsed as strictly as a .txt:
a line that is neither a part, a section nor an item inside the parts is an error that names its line
(the line of the extracted text, which `rag ingest --show-text FILE` prints).
"""

from __future__ import annotations

import dataclasses
import hashlib

from rag.corpus.layout import PART_RE, structural
from rag.corpus.model import Document
from rag.corpus.parser import NoticeFormatError, parse_notice


def trim_trailing(lines: list[str]) -> list[str]:
    """Drop what follows the last part, section or item line (if the text has a part at all)."""
    if not any(PART_RE.match(line) for line in lines):
        return lines
    last = max(i for i, line in enumerate(lines) if structural(line))
    return lines[: last + 1]


def document_from_lines(lines: list[str], doc_id: str, source: str, raw: bytes, kind: str) -> Document:
    text = "\n".join(trim_trailing([line.strip() for line in lines if line.strip()]))
    try:
        doc = parse_notice(text, doc_id, source=source)
    except NoticeFormatError as exc:
        message = str(exc).removeprefix(f"{exc.source}:{exc.line}: ")
        raise NoticeFormatError(
            source, exc.line, f"{message} (line {exc.line} of the text extracted from the {kind})"
        ) from None
    return dataclasses.replace(doc, source=source, sha256=hashlib.sha256(raw).hexdigest())
