from pathlib import Path

import pytest

from rag.corpus import NoticeFormatError, parse_file, parse_notice
from rag.corpus.responsibility import split_units

NOTICE = Path(__file__).resolve().parents[2] / "corpus" / "jiading-2021-7.txt"


@pytest.fixture(scope="module")
def doc():
    return parse_file(NOTICE)


def test_whole_notice_has_172_measures_in_five_parts(doc):
    assert len(doc.measures) == 172
    assert [p for p in dict.fromkeys(m.part for m in doc.measures)] == ["一", "二", "三", "四", "五"]
    sections = {(m.part, m.section) for m in doc.measures}
    assert len(sections) == 30
    assert len({m.id for m in doc.measures}) == 172


def test_units_of_every_measure_match_the_text(doc):
    """An independent reading: each source line ends with (责任单位:…); its content split on 、，
    at depth 0, with a trailing 等 dropped, must equal the parsed units."""
    lines = NOTICE.read_text(encoding="utf-8").splitlines()
    for m in doc.measures:
        line = lines[m.line - 1].strip()
        assert line == m.text
        clause = line[line.rindex("责任单位:") + len("责任单位:"):-1]
        depth, parts, buf = 0, [], ""
        for ch in clause:
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and ch in "、，,":
                parts.append(buf)
                buf = ""
            else:
                buf += ch
        parts.append(buf)
        if parts[-1].endswith("等"):
            parts[-1] = parts[-1][:-1]
        assert list(m.units) == parts, m.id


def test_specific_measures(doc):
    m = doc.measure("二(四)4")
    assert m.units == ("燃气市北销售有限公司嘉定分公司", "区自来水公司", "区水务局", "区行政服务中心")
    assert m.section_title == "获得用电用气用水" and m.part_title == "全面提升企业全生命周期管理服务"
    assert doc.measure("一(一)1").units == ("区行政服务中心(区大数据中心)", "区府办")  # nested parentheses kept
    assert doc.measure("三(六)7").units == ("区行政服务中心(大数据中心)",)  # the text's own variant kept
    assert doc.measure("二(二)14").units == ("区司法局", "区建管委")  # written with a comma
    open_list = doc.measure("二(十二)3")
    assert open_list.units[-1] == "公安嘉定分局" and open_list.units_open


def test_item_written_with_dunhao_in_section_three_six(doc):
    m = doc.measure("三(六)4")
    assert m is not None and m.item == 4 and m.text.startswith("4、")
    assert m.units == ("区交通委", "区建管委", "区财政局")
    assert [x.id for x in doc.measures if x.id.startswith("三(六)")] == [f"三(六){i}" for i in range(1, 9)]


def test_section_without_items_is_a_measure(doc):
    m = doc.measure("二(七)")
    assert m is not None and m.item is None
    assert m.section_title == "办理金融服务"
    assert m.units == ("区财政局", "区经委")
    assert "融资担保" in m.body and "责任单位" not in m.body


def test_header_fields(doc):
    h = doc.header
    assert h.doc_number == "嘉府发〔2021〕7号"
    assert h.date == "2021-04-28" and h.signed_date == "2021年4月28日"
    assert h.publisher == "区政府" and h.issuer == "上海市嘉定区人民政府"
    assert h.title.startswith("上海市嘉定区人民政府关于印发嘉定区落实")
    assert h.recipients == ("各镇人民政府", "区政府各委、办、局、街道办事处", "嘉定新城、嘉定工业区、菊园新区管委会")
    assert h.basis == ("上海市优化营商环境条例", "上海市加强改革系统集成持续深化国际一流营商环境建设行动方案")
    assert h.drafter == "区发展改革委"
    assert h.fields["索引号"] == "WA0305001-2021-005"


def test_every_measure_carries_its_document(doc):
    assert {m.doc for m in doc.measures} == {"jiading-2021-7"}
    assert doc.measure("二(四)4").key == "jiading-2021-7:二(四)4"


def test_split_units_keeps_nesting_and_notes_deng():
    assert split_units("区行政服务中心(区大数据中心)、区府办") == (("区行政服务中心(区大数据中心)", "区府办"), False)
    assert split_units("区法院、公安嘉定分局等") == (("区法院", "公安嘉定分局"), True)


GOOD = """一、总则
(一)第一节。具体措施:
1.做一件事。(责任单位:区府办)
(二)第二节。(责任单位:区经委)
"""


@pytest.mark.parametrize("text, line, words", [
    ("1.没有部分和节。(责任单位:区府办)\n", 1, "no part heading"),
    ("一、总则\n(一)节。\n1.有。(责任单位:区府办)\n2.在节外。(责任单位:区府办)\n二、分则\n(一)节。\n1.有。(责任单位:甲)\n"
     "(二)节。\n1.一。(责任单位:甲)\n三、又一\n1.无节。(责任单位:乙)\n(一)节在条目后。(责任单位:乙)\n", 12, "after its items"),
    ("一、总则\n(一)节。\n1.有。(责任单位:区府办)\n2.没有责任单位。\n", 4, "no (责任单位:…) clause"),
    ("一、总则\n(一)节。\n1.一。(责任单位:甲)\n3.三。(责任单位:乙)\n", 4, "out of order"),
    ("一、总则\n(一)节,没有条目也没有责任单位。\n(二)节。(责任单位:甲)\n", 2, "neither numbered items"),
    # a line the parser does not know is kept (test_layouts.py); it is an error only when the numbering after
    # it restarts, which says it was a heading that lost its number
    ("一、总则\n(一)节。\n1.一。(责任单位:甲)\n第二节。\n1.二。(责任单位:乙)\n", 4, "unexpected line"),
    ("一、总则\n1.一。(责任单位:甲)\n本措施自2023年8月1日起施行。\n二、又一\n", 4, "after the closing lines"),
    ("一、总则\n(二)节。(责任单位:甲)\n", 2, "out of order"),
    ("一、总则\n(一)节。(责任单位:甲)\n三、跳过\n", 3, "numbered in order"),
])
def test_malformed_notice_names_the_line(text, line, words):
    with pytest.raises(NoticeFormatError) as err:
        parse_notice(text, "bad", source="bad.txt")
    assert err.value.line == line
    assert words in str(err.value) and f"bad.txt:{line}:" in str(err.value)


def test_well_formed_minimal_notice():
    doc = parse_notice(GOOD, "mini")
    assert [m.id for m in doc.measures] == ["一(一)1", "一(二)"]


def test_non_utf8_file_is_a_format_error(tmp_path):
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("一、总则".encode("gbk"))
    with pytest.raises(NoticeFormatError, match="not UTF-8"):
        parse_file(bad)
