"""The English glossary: the notice's words for an English question, how much of the question it knows,
and what that does to English retrieval."""
import pytest

from rag.retrieval.glossary import ENGLISH_TERMS, expand_english


@pytest.mark.parametrize("question, words", [
    ("Who do I contact to get a water connection for my factory?", {"供水", "接水", "接入"}),
    ("I want to close down my company", {"注销"}),
    ("How long does deregistration take?", {"注销"}),
    ("Are VAT invoices electronic yet?", {"增值税", "发票"}),
    ("How does a foreign expert get a work permit?", {"工作许可"}),
    ("Is bidding for government procurement done online?", {"招标投标", "政府采购", "网上"}),
    ("Can we use an e-seal?", {"电子印章"}),
])
def test_phrases_expand_to_the_notices_words(question, words):
    expansion, _ = expand_english(question)
    assert words <= set(expansion.split())


def test_inflections_and_british_spellings_fold_to_the_same_entry():
    assert expand_english("permits")[0] == expand_english("permit")[0]
    assert expand_english("Taxes")[0] == expand_english("tax")[0]
    assert expand_english("bidding")[0] == expand_english("bid")[0]
    assert expand_english("labour disputes")[0] == expand_english("labor dispute")[0]


def test_longest_phrase_wins():
    # "work permit" is 工作许可, not employment + licence
    assert set(expand_english("work permit")[0].split()) == set(ENGLISH_TERMS["work permit"].split())


@pytest.mark.parametrize("question", ["What's the weather in Shanghai tomorrow?", "Recommend some good restaurants in Jiading.",
                                      "Who won the football match last night?", "Can you write me a poem about spring?"])
def test_off_topic_questions_are_not_recognised(question):
    assert expand_english(question)[1] < 0.2


@pytest.mark.parametrize("question", ["Which agency handles the simplified deregistration procedure for companies?",
                                      "How can a company repair its credit record after being listed as dishonest?",
                                      "Is there insurance against latent construction quality defects for housing projects?"])
def test_on_topic_questions_are_recognised(question):
    assert expand_english(question)[1] >= 0.75


def test_only_latin_questions_are_judged(services):
    retriever = services.retriever
    english = retriever.plan("What's the weather in Shanghai tomorrow?")
    assert english.latin and english.english_coverage < 0.2
    chinese = retriever.plan("我们厂要接自来水，找哪个单位？")
    assert not chinese.latin and chinese.english_coverage == 1.0
    assert "注销" in retriever.plan("How do I deregister my company?").expansion


@pytest.mark.parametrize("question, gold", [
    ("Which agency handles the simplified deregistration procedure for companies?", "二(一)6"),
    ("Can we get a bank loan using our patents as collateral?", "二(八)1"),
    ("Does the court accept lawsuits filed online for sales contract disputes?", "二(十一)1"),
    ("Is there a list of minor violations that are exempt from penalties in the water and meteorology fields?", "三(二)1"),
])
def test_english_questions_rank_the_right_measure_first(services, question, gold):
    assert services.retriever.retrieve(question, 5)[0].measure.id == gold
