"""The layouts of ../shared/notice-formats.md, each in a notice written for the test
(tests/fixtures/notices/layouts): every measure's id, units, roles and deadlines, and each notice's validity."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rag.corpus.collection import Corpus
from rag.corpus.parser import NoticeFormatError, parse_notice

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "notices" / "layouts"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(LAYOUTS)


def rows(corpus: Corpus, doc: str) -> list[tuple]:
    return [(m.id, m.roles.lead, m.roles.responsible, m.roles.cooperating, [d.text for d in m.deadlines])
            for m in corpus.document(doc).measures]


def test_parts_with_items_numbered_in_each_part_sub_items_and_lead_cooperating(corpus):
    assert rows(corpus, "donghai-2023-5") == [
        ("一1", ("区市场监管局",), (), ("区税务局", "区公安分局"), ["1个工作日内"]),
        ("一2", ("区建设管理委",), (), ("区规划资源局", "区消防救援支队"), ["2023年12月底前", "5个工作日内", "一个月内"]),
        ("一3", (), ("区政务服务办",), (), ["每季度最后一个月15日前"]),
        ("二1", ("区规划资源局",), (), ("区生态环境局", "区水务局"), ["2024年6月前"]),
        ("二2", (), ("区发展改革委", "区经委"), (), ["年内"]),
        ("三1", ("区司法局",), ("各相关部门",), (), ["每年对同一企业的现场检查不超过2次"]),
    ]
    doc = corpus.document("donghai-2023-5")
    two = doc.measure("一2")
    assert two.text.count("\n") == 2 and "（2）竣工验收" in two.body  # sub-items stay inside their item
    assert doc.measure("二1").units_open  # 区水务局等
    assert doc.measure("一1").units == ("区市场监管局", "区税务局", "区公安分局")  # the lead first
    assert doc.header.doc_number == "临府发〔2023〕5号"
    assert doc.attachments == ("附件：1.临江区企业开办流程图", "2.临江区政务服务事项清单")


def test_items_numbered_straight_through_and_bracketed_role_labels(corpus):
    assert rows(corpus, "xihu-2024-2") == [
        ("一1", ("县财政局",), ("县各相关部门",), (), ["2024年底前"]),
        ("一2", ("县经信局",), (), ("县财政局", "县统计局"), ["30日内"]),
        ("二3", ("县金融办",), ("各相关部门",), (), ["2024年9月底前"]),
        ("二4", (), ("县金融办", "县人民银行"), (), ["10个工作日内"]),
        ("三5", ("县经信局",), (), ("各乡镇人民政府",), ["24小时内"]),
    ]


def test_sections_without_items_at_city_level(corpus):
    assert rows(corpus, "beicheng-2022-8") == [
        ("一(一)", ("市市场监管局", "市政务服务局"), (), ("各区政府",), ["2022年6月底前"]),
        ("一(二)", ("市住房城乡建设委",), (), ("市规划资源局", "市行政服务中心(市大数据中心)"), ["15个工作日内"]),
        ("二(一)", ("市司法局",), ("市各行政执法部门",), (), ["2023年底前"]),
    ]


def test_a_notice_with_no_unit_clauses(corpus):
    assert rows(corpus, "nanshan-2022-3") == [
        ("一(一)1", (), (), (), []),
        ("一(一)2", (), (), (), []),
        ("一(二)1", (), (), (), ["24小时内"]),
        ("二(一)", (), (), (), ["2022年6月前"]),
    ]


def test_deadlines_carry_the_last_day_they_allow(corpus):
    by = {d.text: d.by for m in corpus.measures for d in m.deadlines}
    assert by["2022年6月底前"] == date(2022, 6, 30)
    assert by["2024年6月前"] == date(2024, 5, 31)  # before June begins
    assert by["2023年底前"] == date(2023, 12, 31)
    assert by["年内"] == date(2023, 12, 31)  # the year of the notice that says it
    assert by["5个工作日内"] is None and by["每季度最后一个月15日前"] is None


def test_validity_from_the_closing_line_the_sidecar_and_a_repeal(corpus):
    v = {d.id: d.validity for d in corpus.documents}
    assert (v["donghai-2023-5"].effective_from, v["donghai-2023-5"].effective_until) == (date(2023, 8, 1), date(2025, 7, 31))
    # 自印发之日起施行，有效期3年: from the 发文日期
    assert (v["xihu-2024-2"].effective_from, v["xihu-2024-2"].effective_until) == (date(2024, 3, 15), date(2027, 3, 14))
    assert (v["beicheng-2022-8"].effective_from, v["beicheng-2022-8"].effective_until) == (date(2022, 5, 1), date(2027, 4, 30))
    assert v["xihu-2020-9"].superseded_by == "xihu-2024-2"  # 原《…》同时废止
    today = date(2026, 12, 1)
    assert {d: x.status(today) for d, x in v.items()} == {
        "beicheng-2022-8": "in_force", "donghai-2023-5": "expired", "nanshan-2022-3": "in_force",
        "xihu-2020-9": "superseded", "xihu-2024-2": "in_force"}


def test_ids_in_the_forms_people_write_them(corpus):
    assert [m.id for m in corpus.lookup("xihu-2024-2:第3条")] == ["二3"]  # unique in the document
    assert [m.id for m in corpus.lookup("二4", doc="xihu-2024-2")] == ["二4"]
    assert [m.id for m in corpus.lookup("二.4", doc="xihu-2024-2")] == ["二4"]  # part 二 has no sections
    assert corpus.lookup("第1条", doc="donghai-2023-5") == []  # every part has an item 1
    assert [m.id for m in corpus.referenced("措施三5由谁牵头？", doc="xihu-2024-2")] == ["三5"]


def test_the_clause_may_stand_in_any_bracket_and_end_the_sentence():
    text = "一、总则\n1.甲。〔牵头单位：区甲；配合单位：区乙〕\n2.乙（区丙、区丁负责）。\n3.丙(区戊牵头，各街镇配合)\n"
    doc = parse_notice(text, "t")
    assert [(m.roles.lead, m.roles.responsible, m.roles.cooperating) for m in doc.measures] == [
        (("区甲",), (), ("区乙",)), ((), ("区丙", "区丁"), ()), (("区戊",), (), ("各街镇",))]
    assert doc.measures[1].body == "乙"


def test_a_closing_item_in_a_final_part_is_not_a_measure():
    text = "一、总则\n1.甲。(区甲负责)\n二、附则\n1.本办法由区甲负责解释。\n2.本办法自2024年1月1日起施行。\n"
    doc = parse_notice(text, "t")
    assert [m.id for m in doc.measures] == ["一1"]
    assert doc.validity.effective_from == date(2024, 1, 1)


def test_a_line_after_the_closing_lines_is_an_error():
    with pytest.raises(NoticeFormatError, match="after the closing lines"):
        parse_notice("一、总则\n1.甲。(区甲负责)\n本办法自2024年1月1日起施行。\n3.又一条措施。(区乙负责)\n", "t")


def test_a_sidecar_with_an_unknown_key_names_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("一、总则\n1.甲。(区甲负责)\n", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("valid_until: 2025-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"a\.meta\.yaml: unknown keys"):
        Corpus.load(tmp_path)


OTHERS = Path(__file__).parents[1] / "fixtures" / "notices" / "written-by-others"


def test_notices_written_by_someone_who_had_not_read_the_parser():
    """Five notices and their answer key (expected.json), written from notice-formats.md alone by a helper
    that never saw this code: every measure, unit, role, deadline and validity date must match."""
    import json

    expected = json.loads((OTHERS / "expected.json").read_text(encoding="utf-8"))
    corpus = Corpus.load(OTHERS)
    for doc_id, want in expected.items():
        doc = corpus.document(doc_id)
        got = [{"id": m.id, "lead": list(m.roles.lead), "responsible": list(m.roles.responsible),
                "cooperating": list(m.roles.cooperating), "deadlines": [d.text for d in m.deadlines]}
               for m in doc.measures]
        assert got == want["measures"], doc_id
        v = doc.validity
        assert (v.effective_from and v.effective_from.isoformat(), v.effective_until and v.effective_until.isoformat(),
                v.superseded_by) == (want["effective_from"], want["effective_until"], want["superseded_by"]), doc_id


# Found by a review of the parser with adversarial notices

@pytest.mark.parametrize("text, ids", [
    ("一、总则\n1.推进改革。\n2.本区核发的食品经营许可证有效期统一延长至5年。\n", ["一1", "一2"]),
    ("一、总则\n1.推进政务服务改革。\n2.本区企业自2023年1月1日起实施告知承诺制。\n3.推进其他。\n", ["一1", "一2", "一3"]),
    ("一、总则\n1.推进改革。\n2.自2024年1月1日起实施新的收费标准，企业可申请减免。\n", ["一1", "一2"]),
    ("一、总则\n1.推进改革。\n2.附件1所列事项实行告知承诺制。\n", ["一1", "一2"]),
])
def test_a_measure_that_starts_like_a_closing_line_stays_a_measure(text, ids):
    assert [m.id for m in parse_notice(text, "t").measures] == ids


def test_role_labels_separated_by_a_comma():
    doc = parse_notice("一、总则\n1.甲。（牵头单位：区发改委，配合单位：区财政局、区经委）\n", "t")
    m = doc.measures[0]
    assert (m.roles.lead, m.roles.cooperating) == (("区发改委",), ("区财政局", "区经委"))


@pytest.mark.parametrize("text, written, kind", [
    ("新引进人才两年内享受租房补贴", "两年内", "duration"),
    ("次年6月前完成", "次年6月前", "date"),
    ("2022年一季度前完成", "2022年一季度前", "date"),
    ("半个月内办结", "半个月内", "duration"),
])
def test_deadlines_kept_as_written(text, written, kind):
    from rag.corpus.deadlines import find_deadlines

    assert [(d.text, d.kind) for d in find_deadlines(text, 2021)] == [(written, kind)]


def test_a_notice_is_superseded_only_once_its_successor_takes_effect():
    corpus = Corpus.load(OTHERS)
    old = corpus.document("linjiang-2021-3").validity
    assert old.superseded_by == "linjiang-2023-5"
    assert old.status(date(2023, 7, 25)) == "in_force" and old.status(date(2023, 8, 1)) == "superseded"
