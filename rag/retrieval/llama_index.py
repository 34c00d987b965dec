"""The hybrid retriever as a llama-index retriever, for users who build their own pipelines on llama-index.
Each node is one measure; its metadata carries the id, units, section path and document."""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever


def to_node(hit: Hit) -> NodeWithScore:
    m = hit.measure
    node = TextNode(
        id_=m.key,
        text=m.text,
        metadata={
            "id": m.id,
            "units": list(m.units),
            "section": m.section_path,
            "doc": m.doc,
            "part": m.part,
            "section_title": m.section_title,
            "via": list(hit.via),
        },
        excluded_embed_metadata_keys=["via"],
        excluded_llm_metadata_keys=["via", "part", "section_title"],
    )
    return NodeWithScore(node=node, score=float(hit.score))


class MeasureRetriever(BaseRetriever):
    def __init__(self, retriever: HybridRetriever, top_k: int = 5, doc: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._retriever, self._top_k, self._doc = retriever, top_k, doc

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [to_node(h) for h in self._retriever.retrieve(query_bundle.query_str, self._top_k, doc=self._doc)]
