import pytest

from rag.answer.service import Answerer


def without_bank(retriever):
    """The same retriever without the question bank: retrieval and scope on corpus evidence alone."""
    return retriever.with_bank(None)


@pytest.fixture
def answerer_with(services):
    """An Answerer on the shared corpus and index, with the chat model given. Scripted models answer every
    call alike, so the rewriting step (its own tests: test_rewrite.py) is off unless asked for."""
    def make(chat, rewrite: bool = False, bank: bool = True):
        settings = services.settings.model_copy(deep=True)
        settings.answer.rewrite = rewrite
        return Answerer(services.corpus, services.retriever if bank else without_bank(services.retriever), chat, settings)
    return make
