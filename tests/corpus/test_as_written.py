"""Notices as they are written (tests/fixtures/notices/as-written): lines none of the layouts foresee are kept
and placed, each with a warning that names its line; only a notice with no measure at all is refused."""
from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from rag.corpus.parser import NoticeFormatError, parse_file, parse_notice
from rag.corpus.readers import READERS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notices"
AS_WRITTEN = FIXTURES / "as-written"
JIADING = ROOT / "corpus" / "jiading-2021-7.txt"

_spec = importlib.util.spec_from_file_location("make_variants", FIXTURES / "make_variants.py")
make_variants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_variants)

QINGHE_CLOSING = (
    "本措施所称中小微企业，是指在本区依法登记注册，符合国家《中小企业划型标准规定》的企业。",
    "同一企业同一事项符合本区多项扶持政策的，按照“就高不重复”原则执行，不得重复享受。",
    "扶持资金由企业向区经委提出申请，经审核并公示无异议后，由区财政局自2024年7月1日起按季度拨付。",
    "各部门要加强组织领导，细化工作措施，确保各项政策落地见效。",
    "本措施由区经委负责解释。",
    "本措施自2024年6月1日起施行，有效期至2026年5月31日。",
)


def placed(doc) -> list[tuple[int, str, str]]:
    return [(w.line, w.placed, w.target) for w in doc.warnings]


def test_the_jiading_notice_parses_to_the_same_172_measures():
    """Ids, units, roles, text and body as the parser read them before it took real notices
    (tests/fixtures/notices/jiading-2021-7.measures.json)."""
    doc = parse_file(JIADING)
    before = json.loads((FIXTURES / "jiading-2021-7.measures.json").read_text(encoding="utf-8"))
    now = [{"id": m.id, "units": list(m.units), "units_open": m.units_open, "roles": m.roles.to_dict(), "line": m.line,
            "part_title": m.part_title, "section_title": m.section_title, "body": m.body, "text": m.text}
           for m in doc.measures]
    assert len(now) == 172 and now == before
    assert doc.warnings == () and doc.closing == () and doc.leads == ()


def test_definitions_funding_and_exhortations_after_the_last_measure_are_closing_text():
    doc = parse_file(AS_WRITTEN / "qinghe-2024-6.txt")
    assert [(m.id, m.roles.lead, m.roles.responsible, m.roles.cooperating) for m in doc.measures] == [
        ("一1", ("区经委",), (), ("区财政局",)),
        ("一2", (), ("区金融办", "区财政局"), ()),
        ("二1", (), ("区经委",), ()),
        ("二2", ("区科委",), (), ("区经委",)),
    ]
    assert doc.closing == (*QINGHE_CLOSING, "清河区人民政府", "2024年5月20日")
    assert all(line not in m.text for m in doc.measures for line in QINGHE_CLOSING)  # never part of a measure
    assert doc.measure("二2").text == "2.2024年底前建成中小微企业公共服务平台。(牵头单位：区科委；配合单位：区经委)"
    # the four lines of no known form, each a warning with its line; 解释 and 施行 are known closing lines
    assert placed(doc) == [(14, "closing", ""), (15, "closing", ""), (16, "closing", ""), (17, "closing", "")]
    assert "line 15:" in doc.warnings[1].message and "就高不重复" in doc.warnings[1].message
    # validity comes from the validity line, not from the 自2024年7月1日起 of the funding rule above it
    assert (doc.validity.effective_from, doc.validity.effective_until) == (date(2024, 6, 1), date(2026, 5, 31))


def test_a_note_in_the_body_joins_its_measure_and_a_part_without_measures_is_lead_text():
    doc = parse_file(AS_WRITTEN / "baihe-2023-9.txt")
    assert [m.id for m in doc.measures] == ["二(一)1", "二(一)2", "二(二)", "三1", "三2"]
    note = doc.measure("二(一)1")  # the clause closes the item's line; the note after it stays the measure's text
    assert note.units == ("区人才办", "区财政局") and note.after_clause == 1
    assert note.text.endswith("(责任单位：区人才办、区财政局)\n注：安家补贴分三年拨付，每年拨付三分之一。")
    assert note.body == "对新引进的顶尖人才给予最高500万元安家补贴。\n注：安家补贴分三年拨付，每年拨付三分之一。"
    wrapped = doc.measure("二(一)2")  # an item broken over two lines, its clause on the second
    assert wrapped.units == ("区人社局",) and wrapped.body == "对新引进的博士研究生给予每月3000元生活补贴，\n连续发放3年。"
    assert [(lead.at, lead.title, lead.line) for lead in doc.leads] == [("一", "总体要求", 9)]
    assert placed(doc) == [(9, "lead", "一"), (13, "measure", "二(一)1"), (15, "measure", "二(一)2")]
    # 四、附则: its numbered lines are closing text, not measures
    assert doc.closing[0] == "四、附则" and doc.closing[1].startswith("1.本措施所称顶尖人才")
    assert (doc.validity.effective_from, doc.validity.effective_until) == (date(2023, 10, 1), date(2026, 9, 30))


def test_a_notice_with_no_measure_is_refused_saying_why():
    with pytest.raises(NoticeFormatError) as err:
        parse_file(AS_WRITTEN / "donghu-2024-1.txt")
    assert err.value.line == 5  # the first part heading
    assert "no measure found" in str(err.value) and "(一、二、三)" in str(err.value)
    with pytest.raises(NoticeFormatError, match="no measure found: no part heading"):
        parse_notice("关于做好节日期间安全工作的通知\n各单位要加强值班值守。\n", "t")


@pytest.mark.parametrize("text, ids, closing, warnings", [
    # a note after a section-level measure, inside the body
    ("一、总则\n（一）甲。(区甲负责)\n注：一条说明。\n（二）乙。(区乙负责)\n", ["一(一)", "一(二)"], [],
     [(3, "measure", "一(一)")]),
    # a notice that names no units: what follows the last measure's own lines is closing text
    ("一、总则\n1.甲。\n2.乙。\n（1）乙的细项。\n各单位要抓好落实。\n", ["一1", "一2"], ["各单位要抓好落实。"],
     [(5, "closing", "")]),
    # after a known closing line, a sentence of no known form is kept with a warning; a signature is not warned
    ("一、总则\n1.甲。(区甲负责)\n本办法自2024年1月1日起施行。\n各部门要加强组织领导。\n区政府\n", ["一1"],
     ["本办法自2024年1月1日起施行。", "各部门要加强组织领导。", "区政府"], [(4, "closing", "")]),
    # a part that holds only a paragraph, between parts with measures
    ("一、总则\n1.甲。(区甲负责)\n二、工作要求\n各单位要高度重视。\n三、分则\n1.乙。(区乙负责)\n", ["一1", "三1"], [],
     [(4, "lead", "二")]),
])
def test_lines_of_no_known_form_are_placed_with_a_warning(text, ids, closing, warnings):
    doc = parse_notice(text, "t")
    assert [m.id for m in doc.measures] == ids
    assert list(doc.closing) == closing
    assert placed(doc) == warnings
    assert all(w.to_dict()["message"].startswith(f"line {w.line}: ") for w in doc.warnings)


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_readers_keep_the_closing_text_and_drop_the_page_furniture(tmp_path, suffix):
    text = (AS_WRITTEN / "qinghe-2024-6.txt").read_text(encoding="utf-8")
    path = tmp_path / f"qinghe-2024-6{suffix}"
    if suffix == ".docx":
        make_variants.write_minimal_docx(text, path, trailer=make_variants.TRAILER)  # 抄送：…。 and 印发
    else:
        path.write_bytes(make_variants.page_html(text).encode("gb18030"))
    doc = READERS[suffix](path)
    plain = parse_file(AS_WRITTEN / "qinghe-2024-6.txt")
    assert [(m.id, m.text) for m in doc.measures] == [(m.id, m.text) for m in plain.measures]
    assert doc.closing == QINGHE_CLOSING  # up to the last sentence: no signature, no 抄送, no footer
    assert [(w.text, w.placed) for w in doc.warnings] == [(w.text, w.placed) for w in plain.warnings]
