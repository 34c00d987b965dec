"""`rag mcp` over stdio, and /mcp in the served app over streamable HTTP, each with the SDK's client."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from tests.live import live_server

HOOKUP = {"query": "燃气和自来水接入找谁办？", "top_k": 3}


async def _list_and_search(target) -> tuple[set[str], str]:
    async with Client(target) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        hit = (await c.call_tool("search_measures", HOOKUP)).structured_content["hits"][0]["id"]
    return names, hit


@pytest.mark.model  # `rag mcp` in a subprocess loads the model and builds the index
def test_rag_mcp_over_stdio(settings):
    env = {**os.environ, "RAG_CORPUS_DIR": str(settings.corpus_dir), "RAG_INDEX_DIR": str(settings.index_dir),
           "RAG_DATA_DIR": str(settings.data_dir), "RAG_LLM__BACKEND": "none"}
    rag = str(Path(sys.executable).with_name("rag"))
    names, hit = asyncio.run(_list_and_search(StdioServerParameters(command=rag, args=["mcp"], env=env)))
    assert len(names) == 5 and hit == "二(四)4"


def test_mcp_over_streamable_http_in_the_served_app(app_with):
    with live_server(app_with(api_keys=[]), lifespan="on") as url:
        names, hit = asyncio.run(_list_and_search(url + "/mcp"))
    assert len(names) == 5 and hit == "二(四)4"
