import pytest

from rag.answer.service import Answerer


@pytest.fixture
def answerer_with(services):
    """An Answerer on the shared corpus and index, with the chat model given."""
    def make(chat):
        return Answerer(services.corpus, services.retriever, chat, services.settings)
    return make
