"""The five MCP tools through the SDK's own client, in process: schemas, descriptions, results, errors."""
from __future__ import annotations

import asyncio
import re

import pytest
from mcp import Client

from rag.mcp_server.server import build_server

TOOLS = {"search_measures", "get_measure", "list_units", "unit_measures", "ask"}


@pytest.fixture(scope="module")
def server(services):
    return build_server(services)


def call(server, name, args=None):
    async def go():
        async with Client(server) as c:
            return await c.call_tool(name, args or {})
    return asyncio.run(go())


def test_five_tools_each_with_schemas_and_a_bilingual_description(server):
    async def go():
        async with Client(server) as c:
            return (await c.list_tools()).tools
    tools = {t.name: t for t in asyncio.run(go())}
    assert set(tools) == TOOLS
    for t in tools.values():
        assert re.search(r"[\u4e00-\u9fff]", t.description) and re.search(r"[A-Za-z]{4,}", t.description), t.name
        assert t.input_schema["type"] == "object" and t.output_schema["type"] == "object"
    assert tools["search_measures"].input_schema["required"] == ["query"]
    assert tools["search_measures"].input_schema["properties"]["top_k"]["maximum"] == 50


def test_search_measures_finds_gas_and_water_hookup(server):
    r = call(server, "search_measures", {"query": "燃气和自来水怎么报装接入？", "top_k": 3})
    assert not r.is_error
    assert r.structured_content["hits"][0]["id"] == "二(四)4"
    assert "区自来水公司" in r.structured_content["hits"][0]["units"]
    assert r.content[0].text.startswith("1. ") and "【二(四)4】" in r.content[0].text


def test_get_measure_and_a_whole_section(server):
    one = call(server, "get_measure", {"id": "二（四）4"}).structured_content["measures"]
    assert [m["id"] for m in one] == ["二(四)4"]
    section = call(server, "get_measure", {"id": "二(四)"}).structured_content["measures"]
    assert len(section) > 1 and all(m["id"].startswith("二(四)") for m in section)


def test_units_and_a_units_measures(server, corpus):
    units = call(server, "list_units").structured_content["units"]
    assert len(units) == len(list(corpus.units))
    r = call(server, "unit_measures", {"name": "区税务局"})
    assert not r.is_error and r.structured_content["units"][0] == "区税务局"
    assert all("区税务局" in m["units"] for m in r.structured_content["measures"])


def test_ask_answers_with_verified_citations_and_refuses_out_of_scope(server):
    r = call(server, "ask", {"question": "接电接水接气有哪些便利措施？"})
    answer = r.structured_content
    assert not r.is_error and answer["citations"][0]["id"] == "二(四)4" and not answer["refused"]
    assert set(c["id"] for c in answer["citations"]) <= set(answer["retrieved"])
    follow = call(server, "ask", {"question": "第二条呢？", "history": [
        {"role": "user", "content": "接电接水接气有哪些便利措施？"}, {"role": "assistant", "content": answer["answer"]}]})
    assert follow.structured_content["citations"][0]["id"] == answer["citations"][1]["id"]
    assert call(server, "ask", {"question": "明年的高考分数线是多少？"}).structured_content["refused"] is True


def test_ask_text_shows_each_measure_once_then_what_it_cites(server, corpus):
    # the answer quotes every measure it rests on; the citations' own text (in the structured content, for
    # programs) is not written out again, so a client showing the text sees each measure's words once
    r = call(server, "ask", {"question": "接电接水接气有哪些便利措施？"})
    text, answer = r.content[0].text, r.structured_content
    assert len(r.content) == 1 and text.startswith(answer["answer"])
    for c in answer["citations"]:
        body = corpus.lookup(c["id"], c["doc"])[0].body
        assert text.count(body) <= 1, c["id"]  # a list gives each measure one line, not its whole text
        assert f"- 【{c['id']}】{c['doc']} · {c['section']}；" in text.split("依据 / Sources:")[1]
    refused = call(server, "ask", {"question": "明年的高考分数线是多少？"})
    assert refused.content[0].text == refused.structured_content["answer"]  # nothing cited, nothing added


@pytest.mark.parametrize("name, args, says", [
    ("get_measure", {"id": "九(九)9"}, "no measure"),
    ("unit_measures", {"name": "区魔法局"}, "no unit"),
    ("search_measures", {"query": "接水", "doc": "no-such-doc"}, "unknown document"),
    ("search_measures", {"query": "\u200b \u200b"}, "query is empty"),
    ("search_measures", {"query": "接水", "top_k": 500}, "top_k"),
    ("ask", {"question": ""}, "question"),
])
def test_bad_calls_are_tool_errors_that_say_what_is_wrong(server, name, args, says):
    r = call(server, name, args)
    assert r.is_error and says in r.content[0].text
