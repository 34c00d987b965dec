"""rag/ must not encode what one notice says: no string in its code names a unit, a place or a section title
of the loaded notices (docstrings and comments may give examples). Derived from the corpus, so it holds for
whatever notices are loaded."""
from __future__ import annotations

import ast
from pathlib import Path

RAG = Path(__file__).resolve().parent.parent / "rag"


def _code_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_rag_code_names_no_unit_place_or_topic_of_the_corpus(corpus):
    words = {u.name for u in corpus.units if len(u.name) >= 3}
    words |= {a for u in corpus.units for a in u.aliases if len(a) >= 3}
    words |= {p for d in corpus.documents for p in d.header.places if len(p) >= 2}
    words |= {m.section_title for m in corpus.measures if len(m.section_title) >= 4}
    hits = []
    for path in sorted(RAG.rglob("*.py")):
        for line, text in _code_strings(path):
            hits += [f"{path.relative_to(RAG.parent)}:{line}: {w}" for w in words if w in text]
    assert not hits, hits
