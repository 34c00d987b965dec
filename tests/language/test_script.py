"""Traditional characters are read as simplified before anything looks at the question."""
from __future__ import annotations

from rag.language.script import to_simplified


def test_traditional_becomes_simplified():
    assert to_simplified("營業執照怎麼辦理？") == "营业执照怎么办理？"
    assert to_simplified("稅務局") == "税务局"


def test_simplified_and_latin_text_unchanged():
    for text in ["营业执照怎么办理？", "Who handles water hookup?", "二(四)4", ""]:
        assert to_simplified(text) == text


def test_traditional_question_ranks_as_its_simplified_form(services):
    r = services.retriever
    for traditional in ["工廠要接自來水，找哪個單位？", "公司註銷要準備什麼？", "員工跟公司有勞資糾紛要仲裁，流程可以簡化嗎？"]:
        simplified = to_simplified(traditional)
        assert [h.measure.id for h in r.retrieve(traditional)] == [h.measure.id for h in r.retrieve(simplified)]


def test_answer_quotes_the_notice_as_written(services):
    a = services.answerer.ask("工廠要接自來水，找哪個單位？", mode="extractive")
    assert not a.refused and a.citations
    assert a.citations[0].text in a.answer or a.citations[0].text.split("(责任单位")[0][2:] in a.answer
