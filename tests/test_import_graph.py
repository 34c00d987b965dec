"""No import cycles among the modules of rag/ and ui/, nor among their packages, so that each can be read (and
changed) knowing only what is below it.

The graph comes from grimp, which reads the source and imports nothing (so this test loads none of faiss,
torch or the models): every import statement counts, at any depth (inside functions, under TYPE_CHECKING),
and `from x import y` is an import of the submodule x.y when y is one. import-linter, built on grimp, was not
used: its `acyclic_siblings` contract compares the children of one package at a time, so it misses a cycle
that leaves that package on the way (tried: a.x → b.m → a.y → a.x passes it), rag and ui have no common
parent to compare them under, and what it reports is a set of imports to remove rather than the cycle.
Finding the cycles in grimp's graph takes a few lines here.

A package is the first two dotted parts of a module under rag (rag.api, rag.answer, rag.services) and `ui` for
all of ui/. The composition roots (rag.services, rag.api.app, rag.cli) import everything; nothing below them
may import them back: a module that needs the services at run time is handed what it needs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP = ("rag", "ui")


def package_of(module: str) -> str:
    parts = module.split(".")
    return "ui" if parts[0] == "ui" else ".".join(parts[:2])


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    """Each module of rag/ and ui/ → the modules of rag/ and ui/ it imports."""
    graph = grimp.build_graph(*TOP, cache_dir=None)
    return {m: graph.find_modules_directly_imported_by(m) - {m} for m in graph.modules}


def cycles(nodes: Iterable[str], edges: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            nxt = next(todo, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges(nxt)))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def shortest_cycle(component: list[str], edges: Callable[[str], Iterable[str]]) -> list[str]:
    """One cycle through the component's first node, as a path that ends where it starts (breadth first)."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(edges(node)):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt in members and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component always has one


def test_the_graph_holds_every_module(imports):
    """grimp skips a folder without __init__.py: its modules would escape the checks below."""
    on_disk = set()
    for top in TOP:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            on_disk.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert on_disk - set(imports) == set(), "add an __init__.py to these modules' folders"


def test_imports_inside_functions_and_of_submodules_count(imports):
    assert imports["rag.services"] >= {"rag.indexing.reindex", "rag.search_workers"}  # imported inside functions
    assert "rag.api.admin" in imports["rag.api.app"]  # `from rag.api import admin`: the submodule


def test_no_module_cycles(imports):
    found = cycles(imports, lambda m: imports[m])
    assert not found, "module import cycles:\n" + "\n".join(
        f"{', '.join(c)} import each other, e.g. " + " → ".join(shortest_cycle(c, lambda m: imports[m])) for c in found
    )


def test_no_package_cycles(imports):
    between: dict[tuple[str, str], list[str]] = {}  # (package, package) → the module imports behind it
    for module, imported in imports.items():
        for other in imported:
            a, b = package_of(module), package_of(other)
            if a != b:
                between.setdefault((a, b), []).append(f"{module} → {other}")
    packages = {package_of(m) for m in imports}
    edges: dict[str, set[str]] = {p: set() for p in packages}
    for a, b in between:
        edges[a].add(b)
    found = cycles(packages, lambda p: edges[p])
    report = []
    for component in found:
        path = shortest_cycle(component, lambda p: edges[p])
        report.append(f"{', '.join(component)} import each other, e.g. " + " → ".join(path) + ", by")
        report += [f"    {line}" for a, b in pairwise(path) for line in sorted(between[a, b])]
    assert not found, "package import cycles:\n" + "\n".join(report)


def test_a_cycle_is_found_and_shown():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(edges, lambda n: edges[n]) == [["a", "b", "c"]]
    assert shortest_cycle(["a", "b", "c"], lambda n: edges[n]) == ["a", "b", "c", "a"]
    two = {"x": {"y"}, "y": {"x"}}
    assert shortest_cycle(["x", "y"], lambda n: two[n]) == ["x", "y", "x"]
