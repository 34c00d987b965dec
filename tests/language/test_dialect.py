"""Cantonese grammar is found by canto-filter's tables, in simplified and traditional writing alike."""

from __future__ import annotations

from rag.language.dialect import cantonese_positions


def _marked(text: str) -> str:
    found = cantonese_positions(text)
    return "".join(ch for i, ch in enumerate(text) if i in found)


def test_cantonese_grammar_words_are_marked():
    assert _marked("公司冇開工好耐，想快啲註銷") == "冇啲"
    assert _marked("我哋點樣搵人幫手？") == "哋點樣搵"


def test_simplified_cantonese_is_read_in_its_traditional_form():
    # 点样 is in the tables only as 點樣; the conversion keeps each character's offset
    assert _marked("点样办营业执照") == "点样"
    # ... and where s2t does not give the traditional form back (系 stays 系), in the tables' simplified form
    assert _marked("系唔系要交材料") == "唔系"


def test_mandarin_is_left_alone():
    for text in ["怎么办理营业执照？", "简易注销需要多久", "Who handles water hookup?", ""]:
        assert cantonese_positions(text) == set()


def test_scope_gives_cantonese_grammar_no_weight(services):
    judge = services.answerer.scope
    words = judge._words("公司冇开工好耐，想快啲注销")
    weights = dict(zip(words.words, words.weights, strict=False))
    assert weights["冇"] == 0.0 and weights["啲"] == 0.0
    assert weights["注销"] > 0
