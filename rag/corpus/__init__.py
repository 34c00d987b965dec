"""Notices: parsing, measure ids, the unit directory and the corpus that holds them."""

from rag.corpus.model import Document, Header, Measure
from rag.corpus.parser import NoticeFormatError, parse_file, parse_notice

__all__ = ["Document", "Header", "Measure", "NoticeFormatError", "parse_file", "parse_notice"]
