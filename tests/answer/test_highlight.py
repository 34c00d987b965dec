"""Cards mark the clauses the answer's own words quote, else the one that best matches the question; never
the item number or the unit clause; nothing when nothing matches."""
from __future__ import annotations

from rag.answer.highlight import Highlighter
from rag.corpus.citation import Citation


def test_best_match_to_the_question(corpus):
    m = corpus.lookup("二(四)4")[0]
    [c] = Highlighter(corpus).mark([Citation.of(m)], "供水报装能不能网上办理？")
    assert [c.text[a:b] for a, b in c.highlights] == ["实现报装、查询、缴费等业务全程网上办理,"]


def test_quoted_clauses_win_and_the_unit_clause_is_never_marked(corpus):
    m = corpus.lookup("二(四)4")[0]
    said = "按照规定，推进排水接入全流程主动服务，并推广帮办服务。"
    [c] = Highlighter(corpus).mark([Citation.of(m)], "无关的问题", own_words=said)
    marked = [c.text[a:b] for a, b in c.highlights]
    assert marked == ["推进排水接入全流程主动服务,", "推广帮办服务。"]
    assert all("责任单位" not in t for t in marked) and not c.text[c.highlights[0][0]].isdigit()


def test_nothing_marked_when_nothing_matches(corpus):
    m = corpus.lookup("二(四)4")[0]
    [c] = Highlighter(corpus).mark([Citation.of(m)], "How do I register?")
    assert c.highlights == []
