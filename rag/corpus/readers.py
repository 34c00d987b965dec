"""File readers by suffix: each turns one file into a Document (`reader(path, doc_id=None)`; the id
defaults to the file stem). .docx and HTML readers extract the text into the plain-text notice's line
format and go through the same parser (rag/corpus/extract.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rag.corpus.docx_reader import docx_lines, read_docx
from rag.corpus.extract import trim_trailing
from rag.corpus.html_reader import html_lines, read_html
from rag.corpus.model import Document
from rag.corpus.parser import parse_file

Reader = Callable[..., Document]

READERS: dict[str, Reader] = {".txt": parse_file, ".docx": read_docx, ".html": read_html, ".htm": read_html}


def extract_text(path: Path) -> str:
    """The text a reader hands to the parser (line numbers in its errors count these lines)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        lines = docx_lines(path)
    elif suffix in (".html", ".htm"):
        lines = html_lines(path.read_bytes(), path.name)
    else:
        return path.read_bytes().decode("utf-8-sig", errors="replace")
    return "\n".join(trim_trailing([line.strip() for line in lines if line.strip()]))
