"""The dictionary filtered to the notice's words: English questions, stem weights, place names."""
from __future__ import annotations

from rag.language.dictionary import Lexicon


def test_english_phrases_map_to_the_notices_words(services):
    lexicon = services.retriever.lexicon
    words, coverage = lexicon.read("How do I get a water supply connection for my factory?")
    assert any("水" in w for w in words) and coverage > 0.5
    vocabulary = services.retriever.bm25.idf
    assert all(w in vocabulary for w in words)  # only words the notice uses


def test_questions_about_nothing_in_the_notice_score_low(services):
    lexicon = services.retriever.lexicon
    _, weather = lexicon.read("Will it rain tomorrow afternoon?")
    _, passport = lexicon.read("Where can I renew my passport?")
    _, hookup = lexicon.read("Who approves the water supply connection for a factory?")
    assert weather < hookup and passport < hookup


def test_rare_stems_weigh_more_than_common_ones(services):
    idf = services.retriever.lexicon.english_idf
    assert idf["passport"] > idf["get"]


def test_place_names_from_the_dictionary(services):
    lexicon = services.retriever.lexicon
    assert lexicon.place("杭州") and lexicon.place("昆山")
    assert lexicon.place("劳资") is None  # "labor and capital" is no place
    assert lexicon.place("都") is None  # single characters never count
    assert lexicon.place("苏州工业园区") is None and lexicon.place("苏州工业园区", prefix=True)


def test_cached_lexicon_is_the_built_one(tmp_path, services):
    vocabulary = list(services.retriever.bm25.idf)[:300]
    built = Lexicon.cached(vocabulary, tmp_path)
    assert list(tmp_path.glob("lexicon-*.json"))
    assert Lexicon.cached(vocabulary, tmp_path) is built
