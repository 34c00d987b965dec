"""The loaded corpus: every notice under the corpus directory, its measures and its unit directory."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from rag.corpus.ids import MeasureRef, find_refs, int_to_cn, normalize_id, parse_ref
from rag.corpus.model import Document, Measure
from rag.corpus.units import UnitDirectory, load_unit_data
from rag.corpus.validity import META_SUFFIX, load_meta, merged

PARSER_VERSION = "3"  # 2: layouts without sections, roles, deadlines (chunk text of part-level items)
# 3: lines of no known form placed (closing text, notes joined to a measure): a measure's text can change


def load_documents(corpus_dir: Path) -> list[Document]:
    """Every notice in the directory, in file-name order. Readers for other formats register by suffix."""
    from rag.corpus import parsed_cache
    from rag.corpus.readers import READERS

    docs = []
    for path in sorted(corpus_dir.iterdir()):
        reader = READERS.get(path.suffix.lower())
        if reader and path.is_file() and not path.name.startswith((".", "~$")):  # ~$x.docx: Word's lock file
            docs.append(parsed_cache.read(path, reader))  # parsed once per file version (rag/corpus/parsed_cache.py)
    return link_validity(docs, corpus_dir)


def link_validity(docs: list[Document], corpus_dir: Path) -> list[Document]:
    """Each document's validity: its closing lines, the sidecar `<doc>.meta.yaml` where they are silent, and
    `superseded_by` where a loaded notice repeals it by title (原《…》同时废止)."""
    out = []
    for d in docs:
        meta = corpus_dir / f"{d.id}{META_SUFFIX}"
        out.append(dataclasses.replace(d, validity=merged(d.validity, load_meta(meta) if meta.is_file() else None)))
    for i, old in enumerate(out):
        if old.validity.superseded_by:
            continue
        titles = {t for t in (old.header.title, old.header.plan_title) if t}
        newer = next(
            (d for d in out if d is not old and any(_same_title(t, s) for t in titles for s in d.validity.supersedes)),
            None,
        )
        if newer:  # replaced from the day the repealing notice takes effect
            replaced = dataclasses.replace(
                old.validity, superseded_by=newer.id, superseded_from=newer.validity.effective_from
            )
            out[i] = dataclasses.replace(old, validity=replaced)
    return out


def _same_title(title: str, repealed: str) -> bool:
    """《关于…的若干措施》 as the repealing notice writes it matches the old notice's title or plan title."""
    strip = lambda t: t.strip("《》 ").replace("（", "(").replace("）", ")")  # noqa: E731
    return bool(repealed) and (strip(repealed) == strip(title) or strip(repealed) in strip(title))


@dataclass
class Corpus:
    documents: list[Document]
    unit_data: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # aliases, English names

    @classmethod
    def load(cls, corpus_dir: Path) -> Corpus:
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

    def out_of_force(self, today: date) -> set[str]:
        """Ids of the notices that are expired, superseded or not yet in force on `today`."""
        return {d.id for d in self.documents if d.validity.status(today) != "in_force"}

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def resolve(self, ref: MeasureRef, doc: str | None = None) -> list[Measure]:
        """The measures a reference names: the measure itself, or every measure of a named section. 第4条 names
        the item numbered 4 where only one is; 二.4 names item 二4 where part 二 has no sections."""
        out: list[Measure] = []
        for d in self.documents:
            if doc and d.id != doc:
                continue
            if ref.part is None:
                numbered = [m for m in d.measures if m.item == ref.item]
                out.extend(numbered if len(numbered) == 1 else [])
                continue
            exact = d.measure(ref.canonical) if ref.canonical else None
            if exact:
                out.append(exact)
            elif ref.item is None and ref.section_id:
                section = [m for m in d.measures if m.id.startswith(ref.section_id) and m.item is not None]
                flat = d.measure(f"{int_to_cn(ref.part)}{ref.section}") if not section else None
                out.extend(section or ([flat] if flat else []))
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
