"""One search result: the measure's citation and its score (/api/search and the MCP `search_measures` tool)."""

from __future__ import annotations

from rag.corpus.citation import Citation


class SearchHit(Citation):
    score: float
