import json

import pytest

from rag.evaluation.dataset import DatasetError, load_dataset, parse_lines


def write(tmp_path, text: str, name="qa.jsonl", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_reads_the_format_ignoring_unknown_fields_and_blank_lines(tmp_path):
    rows = [{"id": "a1", "category": "fact", "question": " 可网办能力要达到多少？ ", "gold_ids": ["一（一）1"],
             "gold_units": [], "answer_facts": ["95%"], "difficulty": "easy", "notes": {"by": "x"}},
            {"id": 7, "question": "Who handles water?"}]
    path = write(tmp_path, "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8-sig")
    ds = load_dataset(path)
    a, b = ds.questions
    assert (a.id, a.category, a.question, a.gold_ids, a.answer_facts, a.line) == \
        ("a1", "fact", "可网办能力要达到多少？", ("一（一）1",), ("95%",), 1)
    assert (b.id, b.category, b.gold_ids, b.gold_units) == ("7", "uncategorised", (), ())
    assert ds.categories == ["fact", "uncategorised"]


@pytest.mark.parametrize("bad_line, message", [
    ('{"id": "b", "question": "x"', "line 2: not valid JSON"),
    ('["b", "x"]', "line 2: expected a JSON object"),
    ('{"id": "b"}', "line 2: 'question' must be a non-empty string"),
    ('{"id": "", "question": "x"}', "line 2: 'id' is missing"),
    ('{"id": "b", "question": "x", "gold_ids": "二(四)4"}', "line 2: 'gold_ids' must be a list of strings"),
    ('{"id": "b", "question": "x", "gold_units": [1]}', "line 2: 'gold_units' must be a list of strings"),
    ('{"id": "a", "question": "again"}', "line 2: id 'a' already used on line 1"),
    ('{"id": "b", "question": "x", "doc": ""}', "line 2: 'doc' must be a non-empty string"),
    ('{"id": "b", "question": "x", "history": "你好"}', "line 2: 'history' must be a list"),
    ('{"id": "b", "question": "x", "history": [{"role": "system", "content": "x"}]}', "line 2: history turn 1 must be"),
    ('{"id": "b", "question": "x", "history": [{"role": "user"}]}', "line 2: history turn 1 must be"),
    ('{"id": "b", "question": "x", "oos_kind": 1}', "line 2: 'oos_kind' must be a non-empty string"),
])
def test_malformed_lines_are_named(bad_line, message):
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_lines(['{"id": "a", "question": "ok"}', bad_line], "qa.jsonl")


def test_empty_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(DatasetError, match="no questions"):
        load_dataset(write(tmp_path, "\n \n"))
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "absent.jsonl")
    path = tmp_path / "gbk.jsonl"
    path.write_bytes('{"id": "a", "question": "ok"}\n'.encode() + '{"id": "b", "question": "企业"}\n'.encode("gbk"))
    with pytest.raises(DatasetError, match="line 2: not UTF-8"):
        load_dataset(path)


def test_line_separator_characters_inside_a_question_do_not_split_the_line():
    q = parse_lines([json.dumps({"id": "a", "question": "第一行\u2028第二行"}, ensure_ascii=False)])[0]
    assert q.question == "第一行\u2028第二行"


def test_a_request_is_an_out_of_scope_question_noted_not_a_question():
    rows = [{"id": "a", "category": "out_of_scope", "question": "写首诗", "note": "not_a_question"},
            {"id": "b", "category": "out_of_scope", "question": "Tell a joke", "note": "not_a_question: joke"},
            {"id": "c", "category": "out_of_scope", "question": "天气怎么样", "note": "everyday"},
            {"id": "d", "category": "fact", "question": "网办率多少", "note": "not_a_question"},
            {"id": "e", "category": "out_of_scope", "question": "x", "note": 3}]
    qs = parse_lines([json.dumps(r, ensure_ascii=False) for r in rows])
    assert [q.asks_task for q in qs] == [True, True, False, False, False]
    assert qs[1].note == "not_a_question: joke" and qs[4].note == ""


def test_document_history_and_out_of_scope_kind():
    rows = [{"id": "a", "category": "who_handles", "question": "那要多久？", "doc": " jiading-2021-7 ",
             "gold_ids": ["二(四)4"], "history": [{"role": "user", "content": "接自来水找谁？"},
                                                  {"role": "assistant", "content": "区水务局。", "extra": 1}]},
            {"id": "b", "category": "out_of_scope", "question": "退税比例多少？", "oos_kind": "Near"},
            {"id": "c", "category": "out_of_scope", "question": "天气", "oos_kind": "far"},
            {"id": "d", "category": "out_of_scope", "question": "天气"},
            {"id": "e", "category": "fact", "question": "x", "oos_kind": "near"}]
    a, b, c, d, e = parse_lines([json.dumps(r, ensure_ascii=False) for r in rows])
    assert a.doc == "jiading-2021-7" and a.history == (("user", "接自来水找谁？"), ("assistant", "区水务局。"))
    assert a.turns == [{"role": "user", "content": "接自来水找谁？"}, {"role": "assistant", "content": "区水务局。"}]
    assert [q.near for q in (a, b, c, d, e)] == [False, True, False, False, False]
    assert (b.oos_kind, d.oos_kind, d.doc, d.history) == ("near", "", "", ())
    assert e.answerable  # a kind on an answerable question changes nothing
