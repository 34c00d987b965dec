"""The loaded corpus: every notice under the corpus directory, its measures and its unit directory."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rag.corpus.ids import MeasureRef, find_refs, normalize_id, parse_ref
from rag.corpus.model import Document, Measure
from rag.corpus.units import UnitDirectory, load_unit_data

PARSER_VERSION = "1"


def load_documents(corpus_dir: Path) -> list[Document]:
    """Every notice in the directory, in file-name order. Readers for other formats register by suffix."""
    from rag.corpus.readers import READERS

    docs = []
    for path in sorted(corpus_dir.iterdir()):
        reader = READERS.get(path.suffix.lower())
        if reader and path.is_file() and not path.name.startswith((".", "~$")):  # ~$x.docx: Word's lock file
            docs.append(reader(path))
    return docs


@dataclass
class Corpus:
    documents: list[Document]
    unit_data: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # aliases, English names

    @classmethod
    def load(cls, corpus_dir: Path) -> "Corpus":
        docs = load_documents(corpus_dir)
        if not docs:
            raise FileNotFoundError(f"no notices found in {corpus_dir}")
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"two notices share a document id in {corpus_dir}: {ids}")
        return cls(docs, load_unit_data(corpus_dir))

    @cached_property
    def measures(self) -> list[Measure]:
        return [m for d in self.documents for m in d.measures]

    @cached_property
    def by_key(self) -> dict[str, Measure]:
        return {m.key: m for m in self.measures}

    @cached_property
    def units(self) -> UnitDirectory:
        return UnitDirectory(self.measures, self.unit_data)

    @cached_property
    def fingerprint(self) -> str:
        h = hashlib.sha256(PARSER_VERSION.encode())
        for d in self.documents:
            h.update(f"{d.id}\0{d.sha256}\0".encode())
        return h.hexdigest()

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def resolve(self, ref: MeasureRef, doc: str | None = None) -> list[Measure]:
        """The measures a reference names: the measure itself, or every measure of a named section."""
        out = []
        for d in self.documents:
            if doc and d.id != doc:
                continue
            exact = d.measure(ref.canonical)
            if exact:
                out.append(exact)
            elif ref.item is None:
                out.extend(m for m in d.measures if m.id.startswith(ref.section_id) and m.item is not None)
        return out

    def lookup(self, text: str, doc: str | None = None) -> list[Measure]:
        """Measures named by an id in any common form; a `doc:` prefix picks the document."""
        text = normalize_id(text)
        if ":" in text:
            doc, _, text = text.partition(":")
        ref = parse_ref(text)
        return self.resolve(ref, doc) if ref else []

    def referenced(self, text: str, doc: str | None = None) -> list[Measure]:
        """Measures named anywhere in a free-text question."""
        out: list[Measure] = []
        for ref in find_refs(text):
            out.extend(m for m in self.resolve(ref, doc) if m not in out)
        return out
