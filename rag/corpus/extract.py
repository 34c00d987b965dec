"""From the lines of text extracted from a .docx or an HTML page to a Document, through the one parser.

The readers turn each paragraph into a line and each table row into `cell | cell | … |` (the header
table's format in the plain-text notices), so `parse_notice` reads the same header fields and measures.
Page furniture after the last measure (抄送, 印发, "扫一扫", a site footer) is dropped: the notice ends at its
last part, section, item, sub-item or closing line, or at a sentence after it (a definition, a funding rule:
closing text), before the first furniture (rag.corpus.layout.notice_end). Everything else is parsed as a
.txt is: the line numbers in errors and warnings are those of the extracted text, which
`rag ingest --show-text FILE` prints.
"""

from __future__ import annotations

import dataclasses
import hashlib

from rag.corpus.layout import PART_RE, notice_end
from rag.corpus.model import Document
from rag.corpus.parser import NoticeFormatError, parse_notice


def trim_trailing(lines: list[str]) -> list[str]:
    """Drop what follows the notice's last line (if the text has a part at all)."""
    if not any(PART_RE.match(line) for line in lines):
        return lines
    return lines[: notice_end(lines) + 1]


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
