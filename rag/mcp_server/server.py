"""The MCP server: five tools with bilingual descriptions and JSON schemas, over stdio (`rag mcp`) or
streamable HTTP (mounted at /mcp by `rag serve`). Each result is text content plus structured content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from rag import __version__
from rag.answer.model import Answer
from rag.mcp_server import tools as t
from rag.schemas.conversation import Turn
from rag.schemas.fields import MAX_ID_CHARS, MAX_TEXT_CHARS, MAX_TOP_K
from rag.services import Services

NAME = "policy-notices"
INSTRUCTIONS = (
    "政策通知问答：检索已收录通知的具体措施，给出措施编号和责任单位。"
    "先用 search_measures 查找，再用 get_measure 读原文；"
    "ask 给出经核验的回答。 / Policy-notice QA: find the measures of the loaded notices, with their ids and "
    "responsible units. search_measures finds them, get_measure reads one, ask gives a verified answer."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

Query = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="问题或关键词，任何语言 / the question or keywords, in any language",
    ),
]
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, description=f"返回几项措施 / how many measures, 1 to {MAX_TOP_K}")]
DocId = Annotated[
    str | None,
    Field(max_length=MAX_ID_CHARS, description="只查某一份通知（文档编号）/ limit to one document id; all when absent"),
]
MeasureId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_ID_CHARS,
        description="措施编号，如 二(四)4、二.4.4、第二部分第四节第4条；节编号给出该节全部措施 / "
        "a measure id such as 二(四)4; a section id gives all its measures",
    ),
]
UnitName = Annotated[
    str, Field(min_length=1, max_length=MAX_ID_CHARS, description="单位全称或简称 / a unit's name or short name")
]
History = Annotated[list[Turn], Field(max_length=10, description="此前的对话，从早到晚 / earlier turns, oldest first")]

M = TypeVar("M", bound=BaseModel)


def _result(call: Callable[[], M], text: Callable[[M], str]) -> CallToolResult:
    try:
        value = call()
    except t.ToolFailed as exc:
        raise ToolError(str(exc)) from None
    return CallToolResult(
        content=[TextContent(type="text", text=text(value))], structured_content=value.model_dump(mode="json")
    )


def build_server(svc: Services) -> MCPServer:
    policy = t.PolicyTools(svc)
    server = MCPServer(
        NAME, title="政策通知问答 Policy notice QA", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "按问题检索通知中的措施，返回措施编号、原文、所属章节和责任单位，按相关度排序。"
            " / Search the notices' measures for a question; returns ids, text, section and responsible units,"
            " best first."
        ),
    )
    def search_measures(query: Query, top_k: TopK = 5, doc: DocId = None) -> Annotated[CallToolResult, t.SearchResult]:
        return _result(lambda: policy.search_measures(query, top_k, doc), t.search_text)

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "按编号读取一项措施（或一节的全部措施）的原文和责任单位。"
            " / Read one measure (or a whole section) by id, with its responsible units."
        ),
    )
    def get_measure(id: MeasureId, doc: DocId = None) -> Annotated[CallToolResult, t.Measures]:
        return _result(lambda: policy.get_measure(id, doc), t.measures_text)

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "列出通知中出现的全部责任单位，含简称、英文名和所负责的措施编号。"
            " / List every responsible unit named in the notices, with short names, English names and measure ids."
        ),
    )
    def list_units() -> Annotated[CallToolResult, t.Units]:
        return _result(policy.list_units, t.units_text)

    @server.tool(
        annotations=READ_ONLY,
        description=("列出某个单位负责的全部措施。 / List the measures a unit is responsible for."),
    )
    def unit_measures(name: UnitName) -> Annotated[CallToolResult, t.UnitMeasures]:
        return _result(lambda: policy.unit_measures(name), t.measures_text)

    @server.tool(
        annotations=READ_ONLY,
        description=(
            "回答问题：引用措施编号和责任单位，内容均来自通知并经核验；通知未涉及时明确拒答。"
            " / Answer a question, citing measure ids and responsible units from the notices, checked against them;"
            " says so when the notices do not cover it."
        ),
    )
    def ask(question: Query, history: History | None = None) -> Annotated[CallToolResult, Answer]:
        return _result(lambda: policy.ask(question, history), t.answer_text)

    return server
