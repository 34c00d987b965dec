"""File readers by suffix: each turns one file into a Document."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from rag.corpus.model import Document
from rag.corpus.parser import parse_file

Reader = Callable[[Path], Document]

READERS: dict[str, Reader] = {".txt": parse_file}
