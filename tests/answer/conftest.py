import pytest

from rag.answer.service import Answerer


@pytest.fixture
def answerer_with(services):
    """An Answerer on the shared corpus and index, with the chat model given. Scripted models answer every
    call alike, so the rewriting step (its own tests: test_rewrite.py) is off unless asked for."""
    def make(chat, rewrite: bool = False):
        settings = services.settings.model_copy(deep=True)
        settings.answer.rewrite = rewrite
        return Answerer(services.corpus, services.retriever, chat, settings)
    return make
