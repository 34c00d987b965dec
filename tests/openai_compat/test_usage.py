"""OpenAI's `usage` on every reply: the chat model's own counts when it ran for the answer, estimated with
e5's vocabulary otherwise; and the usage chunk that ends a stream when stream_options.include_usage asks."""
from __future__ import annotations

import json
import time

import pytest

from rag.answer.service import Answerer
from rag.llm.usage import Generation, TokenTally, Usage
from rag.openai_compat.schema import ChatCompletionRequest
from rag.openai_compat.service import ChatCompletions, question_of
from tests.answer.conftest import without_bank

HOOKUP = "接电接水接气有哪些便利措施？"
HONEST = "根据【二(四)4】，接水不用来回跑现场，全程在网上就能办。"
UNSURE = "工地老板跑路了，跟着干活的兄弟们半年的钱都没结，找谁能管"


class CountedChat:
    """Replays its texts in turn (the last one for every later call) and counts like a back-end that does:
    a Generation whose usage comes after the text. Call n read 100·n tokens."""

    name = "fake/counted"

    def __init__(self, *texts: str):
        self.texts, self.calls = texts, 0

    def stream(self, messages, *, max_tokens, temperature, timeout_s):
        self.calls += 1
        text, n = self.texts[min(self.calls, len(self.texts)) - 1], self.calls

        def pieces():
            for i in range(0, len(text), 3):
                yield text[i:i + 3]
            yield Usage(prompt_tokens=100 * n, completion_tokens=len(text))

        return Generation(pieces())


def _answerer(services, chat, rewrite=False, bank=True):
    settings = services.settings.model_copy(deep=True)
    settings.answer.rewrite = rewrite
    retriever = services.retriever if bank else without_bank(services.retriever)
    return Answerer(services.corpus, retriever, chat, settings)


def _question(content=HOOKUP, history=()):
    messages = [*history, {"role": "user", "content": content}]
    return question_of(ChatCompletionRequest(model="policy-qa", messages=messages), 2000)


def ask(client, content=HOOKUP, history=(), **extra):
    messages = [*history, {"role": "user", "content": content}]
    return client.post("/v1/chat/completions", json={"model": "policy-qa-extractive", "messages": messages, **extra})


def sse_chunks(text: str) -> list[dict]:
    frames = [line.removeprefix("data: ") for line in text.splitlines() if line.startswith("data: ")]
    assert frames[-1] == "[DONE]"
    return [json.loads(f) for f in frames[:-1]]


def test_a_tally_sums_counted_generations_and_gives_up_on_an_uncounted_one():
    tally = TokenTally()
    assert tally.usage is None  # no generation made
    text = tally.text(Generation(iter(["接", "水", Usage(prompt_tokens=5, completion_tokens=2)])))
    assert "".join(text) == "接水"
    list(tally.text(Generation(iter([Usage(prompt_tokens=3, completion_tokens=0)]))))  # read, wrote nothing
    list(tally.text(iter([])))  # refused at once (busy): read nothing, costs nothing
    assert tally.usage == Usage(prompt_tokens=8, completion_tokens=2)
    stopped = tally.text(Generation(iter(["接", "水", Usage(prompt_tokens=5, completion_tokens=2)])))
    next(stopped)
    stopped.close()  # the caller stopped it: its counts never came
    assert tally.usage is None
    plain = TokenTally()
    assert "".join(plain.text(iter(["接水"]))) == "接水" and plain.usage is None  # a back-end that does not count


def test_the_models_counts_are_the_replys_usage_when_it_phrased_the_answer(services):
    chat = CountedChat(HONEST)
    answer = _answerer(services, chat).ask(HOOKUP, mode="llm")
    assert answer.mode == "llm" and answer.usage == Usage(prompt_tokens=100, completion_tokens=len(HONEST))
    reply = ChatCompletions(_answerer(services, CountedChat(HONEST)), lambda text: 0).complete(_question(), "policy-qa")
    assert reply.usage.model_dump() == {"prompt_tokens": 100, "completion_tokens": len(HONEST), "total_tokens": 100 + len(HONEST)}


def test_the_restatement_counts_too(services):
    # an unsure question is restated first (one generation), then phrased (another): both were read and written
    restated, phrased = "拖欠农民工工资 欠薪 维权", "请看措施。"
    chat = CountedChat(restated, phrased)
    answer = _answerer(services, chat, rewrite=True, bank=False).ask(UNSURE, mode="auto")
    assert chat.calls == 2 and any("改写" in n for n in answer.notes)
    # the phrasing cited nothing and was withdrawn after it ended, but it was generated and counted
    assert answer.usage == Usage(prompt_tokens=100 + 200, completion_tokens=len(restated) + len(phrased))


def test_a_generation_stopped_early_leaves_an_estimate(services):
    # the guard stops the model at its second sentence: its counts never come, so the reply is estimated
    lie = "根据【二(四)4】，接水不用来回跑现场。接水请找区税务局办理。更多内容请咨询。"
    count = services.token_counter.count
    service = ChatCompletions(_answerer(services, CountedChat(lie)), count)
    reply = service.complete(_question(), "policy-qa")
    assert reply.choices[0].message.content and any("核验" in n for n in reply.notes)
    content = reply.choices[0].message.content
    assert reply.usage.prompt_tokens == count(HOOKUP) and reply.usage.completion_tokens == count(content)


def test_a_plain_reply_without_the_model_estimates_question_history_and_reply(client, services):
    count = services.token_counter.count
    history = [{"role": "user", "content": "接水找谁？"}, {"role": "assistant", "content": "请联系区自来水公司。"}]
    body = ask(client, "第二条呢？", history).json()
    usage, content = body["usage"], body["choices"][0]["message"]["content"]
    assert usage["prompt_tokens"] == count("第二条呢？") + count("接水找谁？") + count("请联系区自来水公司。")
    assert usage["completion_tokens"] == count(content) > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_a_stream_ends_with_the_usage_chunk_only_when_asked(client):
    plain = ask(client).json()
    chunks = sse_chunks(ask(client, stream=True).text)
    assert all("usage" not in c for c in chunks)  # not asked: as OpenAI, no usage anywhere

    chunks = sse_chunks(ask(client, stream=True, stream_options={"include_usage": True}).text)
    *text_chunks, last = chunks
    assert all(c["usage"] is None and len(c["choices"]) == 1 for c in text_chunks)
    assert text_chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert last["choices"] == [] and last["id"] == chunks[0]["id"] and last["object"] == "chat.completion.chunk"
    assert last["usage"] == plain["usage"]  # the same text, the same counts

    off = sse_chunks(ask(client, stream=True, stream_options={"include_usage": False}).text)
    assert all("usage" not in c for c in off)


def test_the_estimate_is_e5s_vocabulary_and_cheap(services):
    from pathlib import Path

    count = services.token_counter.count
    assert count("") == 0 and count("接水\ud800找谁") == count("接水?找谁")  # a lone surrogate is one unknown
    exported = Path(services.settings.embedding.encoder_dir) / "tokenizer.json"
    if exported.is_file():  # the same vocabulary, exported by `rag model prepare`: the same counts
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(exported))
        for text in (HOOKUP, HONEST, "Who handles water hookups?", " a  b ", services.corpus.measures[0].text):
            assert count(text) == len(tokenizer.encode(text, add_special_tokens=False).ids), text
    notice = "\n".join(m.text for m in services.corpus.measures)[:3000]
    count(notice)
    started = time.perf_counter()
    for _ in range(10):
        count(notice)
    assert (time.perf_counter() - started) / 10 < 0.2  # about 15 ms on 2 shared cores


@pytest.mark.parametrize("options", [{"include_usage": "yes please"}, "include_usage"])
def test_bad_stream_options_are_an_openai_error(client, options):
    r = ask(client, stream=True, stream_options=options)
    assert r.status_code == 422 and r.json()["error"]["param"].startswith("stream_options")
