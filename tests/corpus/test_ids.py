import pytest

from rag.corpus.ids import cn_to_int, find_refs, int_to_cn, normalize_id, parse_ref


@pytest.mark.parametrize("text", ["二(四)4", "二（四）4", "二.4.4", "第二部分第四节第4条", "二、（四）4", "二、(四)4",
                                  "2.4.4", "第二部分第（四）项第4条", "第2部分第4节第4条", "二(四)第4条", "part 2 section 4 item 4",
                                  " 二 ( 四 ) 4 ", "二（四）第四条", "二(4)4", "2(4)4", "2（4）4"])
def test_every_form_of_a_measure_id(text):
    ref = parse_ref(text)
    assert ref is not None and ref.canonical == "二(四)4"


@pytest.mark.parametrize("text, canonical", [("二(七)", "二(七)"), ("第二部分第七节", "二(七)"), ("二.7", "二(七)"),
                                             ("二(十二)3", "二(十二)3"), ("第二部分第十二节第3条", "二(十二)3"), ("三(六)4", "三(六)4")])
def test_section_and_two_digit_ids(text, canonical):
    assert parse_ref(text).canonical == canonical


def test_ids_inside_questions():
    assert [r.canonical for r in find_refs("二(四)4和三（六）4分别说了什么")] == ["二(四)4", "三(六)4"]
    assert find_refs("实现政务服务可网办能力达到95%以上") == []
    assert find_refs("审批管理系统2.0版") == []
    assert find_refs("接电时间压缩20%") == []


def test_loose_ids_as_window_staff_type_them():
    assert [r.canonical for r in find_refs("三(5)2 啥内容")] == ["三(五)2"]
    assert [r.canonical for r in find_refs("3(5)2")] == ["三(五)2"]
    assert [r.canonical for r in find_refs("三（5）")] == ["三(五)"]
    # an all-Arabic form needs its item: "3(5)" in running text is not an id
    assert find_refs("补贴3(5)万元") == [] and find_refs("按2(4)执行") == []


def test_numerals_roundtrip():
    for n in range(1, 31):
        assert cn_to_int(int_to_cn(n)) == n
    assert cn_to_int("十二") == 12 and cn_to_int("二十") == 20


def test_normalize_id():
    assert normalize_id("二（四） 4") == "二(四)4"
