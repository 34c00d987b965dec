"""The HTML and text the page shows, without a browser."""
from __future__ import annotations

import re

from ui import render


def test_card_shows_id_section_text_and_units_and_escapes_markup(corpus):
    m = corpus.lookup("二(四)4")[0]
    html = render.measure_card(render.card_data(m), highlight=["区自来水公司"])
    assert '<span class="rag-id">二(四)4</span>' in html
    assert "获得用电用气用水" in html and "供气、供水等市政接入" in html
    assert '<span class="rag-unit rag-unit-hit">区自来水公司</span>' in html
    assert len(re.findall(r'class="rag-unit[ "]', html)) == len(m.units)
    evil = render.measure_card({"id": "<b>x</b>", "text": "<script>alert(1)</script>", "units": ["<i>u</i>"], "section": "&"})
    assert "<script>" not in evil and "&lt;script&gt;" in evil and "<b>" not in evil and "<i>" not in evil


def test_answer_message_shows_the_answer_then_the_cards_not_the_quotes_twice(corpus):
    cites = [render.card_data(m) for m in corpus.lookup("二(四)4") + corpus.lookup("二(四)2")]
    text = "请联系：区自来水公司（依据措施二(四)4）。\n相关措施原文：\n【二(四)4】供气、供水…\n责任单位：区自来水公司"
    lead = "请联系：区自来水公司（依据措施二(四)4）。"  # the answer's lead, as the answerer gives it (Answer.lead)
    html = render.answer_message({"answer": text, "lead": lead, "citations": cites, "refused": False,
                                  "notes": ["已改为摘录式回答"]})
    assert "请联系：区自来水公司" in html and "相关措施原文" not in html
    assert "引用的措施（2 条）" in html and html.count('class="rag-card"') == 2
    assert "已改为摘录式回答" in html and "rag-refused" not in html
    # without citations nothing is cut
    plain = render.answer_message({"answer": text, "citations": [], "refused": False})
    assert "相关措施原文" in plain


def test_refusal_is_a_distinct_notice():
    html = render.answer_message({"answer": "本通知未涉及该问题。", "citations": [], "refused": True})
    assert 'class="rag-refused"' in html and "未找到相关规定" in html and "本通知未涉及该问题。" in html
    assert "rag-citations" not in html


def test_streaming_message_has_a_cursor():
    html = render.streaming_message("请联系：区税务局。\n")
    assert "rag-streaming" in html and html.endswith("区税务局。▌</div>")


def test_a_finished_answer_shows_its_lead_and_the_cards_not_the_quoted_text(services):
    answer = services.answerer.ask("我们厂要接自来水，找哪个单位？", mode="extractive").model_dump()
    html = render.answer_message(answer)
    assert answer["lead"] and "相关措施原文" in answer["answer"] and "相关措施原文" not in answer["lead"]
    assert "相关措施原文" not in html.split('<div class="rag-citations">')[0]
    assert 'data-measure="二(四)4"' in html


def test_notice_tree_nests_every_measure(corpus):
    html = render.notice_tree(corpus)
    assert html.count('<details class="rag-part">') == len({m.part for m in corpus.measures})
    assert html.count('<details class="rag-sec">') == len({(m.part, m.section) for m in corpus.measures})
    assert html.count('class="rag-card"') == len(corpus.measures)
    assert html.count("<details") == html.count("</details>")
    assert "嘉府发〔2021〕7号" in html


def test_unit_view_groups_variants(corpus):
    html, measures = render.unit_view(corpus, "区税务局")
    assert len(measures) == len(corpus.units.get("区税务局").measure_ids)
    assert "区税务局（" in html
    html, measures = render.unit_view(corpus, "大数据中心")  # a short name finds the entries written with it
    names = [u.name for u in corpus.units.find("大数据中心")]
    assert len(names) > 1 and all(n in html for n in names) and "相关写法" in html
    assert len(measures) == len({k for n in names for k in corpus.units.get(n).measure_ids})
    html, measures = render.unit_view(corpus, "不存在的单位")
    assert measures == [] and "没有名为" in html


def test_reply_text_is_ready_to_read(corpus):
    ms = corpus.lookup("二(四)4") + corpus.lookup("二(五)2")
    text = render.reply_text(ms, corpus, "接自来水")
    lines = text.splitlines()
    assert lines[0].startswith("关于“接自来水”，《嘉定区落实〈上海市加强改革系统集成") and "嘉府发〔2021〕7号" in lines[0]
    assert lines[1].startswith("1. 第二(四)4条（全面提升企业全生命周期管理服务 > 获得用电用气用水）：供气、供水")
    assert lines[2].strip() == "责任单位：" + "、".join(ms[0].units)
    assert lines[3].startswith("2. 第二(五)2条")
    assert not re.search(r"\(责任单位", text)  # the clause is said once, in its own line
    assert render.reply_text([], corpus, "x") == ""


def test_cards_show_units_by_role_and_time_limits():
    from pathlib import Path

    from rag.corpus.collection import Corpus

    layouts = Corpus.load(Path(__file__).parents[1] / "fixtures" / "notices" / "layouts")
    m = layouts.document("donghai-2023-5").measure("一1")
    html = render.measure_card(render.card_data(m))
    assert 'rag-role-lead' in html and "牵头：" in html and "配合：" in html and "1个工作日内" in html
    reply = render.reply_text([m], layouts)
    assert "牵头：区市场监管局；配合：区税务局、区公安分局" in reply and "时限：1个工作日内" in reply


def test_the_deadline_view_filters_by_unit_and_date():
    from datetime import date
    from pathlib import Path

    from rag.corpus.collection import Corpus

    layouts = Corpus.load(Path(__file__).parents[1] / "fixtures" / "notices" / "layouts")
    assert [m.id for m, _ in render.deadline_rows(layouts, "县经信局")] == ["一2", "三5"]
    due = render.deadline_rows(layouts, before=date(2022, 6, 30))
    assert [(m.id, [d.text for d in ds]) for m, ds in due] == [("一(一)", ["2022年6月底前"]), ("二(一)", ["2022年6月前"])]
    html = render.deadline_view(layouts, before=date(2022, 6, 30))
    assert "2022-06-30前" in html and "<table" in html
    assert "没有" in render.deadline_view(layouts, "县统计局", date(2020, 1, 1))
    tree = render.notice_tree(layouts, date(2026, 12, 1))
    assert "已失效" in tree and "已废止" in tree
