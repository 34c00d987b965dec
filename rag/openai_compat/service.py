"""Chat completions over the Answerer: an OpenAI request becomes a question, its history and a mode; the
answer's events become OpenAI's completion or its chunks."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer.events import AnswerEvent, Done, Replace, Token
from rag.answer.model import Answer
from rag.answer.service import Answerer
from rag.corpus.citation import Citation
from rag.openai_compat import markdown
from rag.openai_compat.schema import (
    HISTORY_CHARS,
    HISTORY_TURNS,
    MODELS,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    Delta,
)
from rag.openai_compat.usage import Count, completion_usage
from rag.schemas.fields import clean_text

# said when the chat model's phrasing, already streamed, failed the checks: the chunks cannot be taken back
REPLACED = (
    "\n\n> 以上由对话模型生成的内容未通过核验，以下为通知原文摘录 / "
    "The text above failed verification; the notice's own words follow.\n\n"
)


class BadRequest(ValueError):
    """A request this service cannot answer, with what to fix (422), or an unknown model (404)."""

    def __init__(self, message: str, param: str | None = None, status: int = 422):
        super().__init__(message)
        self.param, self.status = param, status


@dataclass
class Question:
    text: str
    history: list[dict]
    mode: str
    doc: str | None

    def asked(self) -> list[str]:
        """What the asker sent that an answer reads: the question and the history."""
        return [self.text, *(turn["content"] for turn in self.history)]


def question_of(req: ChatCompletionRequest, max_chars: int) -> Question:
    """The last message is the question; earlier user and assistant messages are the history (system and
    tool messages are ignored: they cannot change what the notice says)."""
    if req.model not in MODELS:
        raise BadRequest(f"unknown model {req.model!r}; GET /v1/models lists {', '.join(MODELS)}", "model", 404)
    last = req.messages[-1]
    if last.role != "user":
        raise BadRequest(f"the last message must be the user's question, not a {last.role!r} message", "messages")
    try:
        text = clean_text(last.text())
        earlier = [(m.role, m.text()) for m in req.messages[:-1] if m.role in ("user", "assistant")]
        turns = [{"role": role, "content": t[:HISTORY_CHARS]} for role, t in earlier if t.strip()]
    except ValueError as exc:
        raise BadRequest(f"messages: {exc}", "messages") from None
    if len(text) > max_chars:
        raise BadRequest(f"messages: the question has {len(text)} characters; at most {max_chars}", "messages")
    return Question(text, turns[-HISTORY_TURNS:], MODELS[req.model], req.doc)


class ChatCompletions:
    """`count` estimates token counts where the chat model gave none (rag/embeddings/token_count.py)."""

    def __init__(self, answerer: Answerer, count: Count, with_doc: bool = False, clock=time.time):
        self.answerer, self.count, self.with_doc, self.clock = answerer, count, with_doc, clock

    def complete(self, q: Question, model: str) -> ChatCompletion:
        answer = self.answerer.ask(q.text, q.history, q.mode, q.doc, channel="openai")
        content = markdown.render(answer, self.with_doc)
        return ChatCompletion(
            id=_new_id(),
            created=int(self.clock()),
            model=model,
            choices=[Choice(message=AssistantMessage(content=content))],
            usage=completion_usage(answer.usage, q.asked(), content, self.count),
            citations=_citations(answer),
            refused=answer.refused,
            notes=answer.notes,
        )

    def events(self, q: Question) -> Iterator[AnswerEvent]:
        """The Answerer's events; the first is taken before the response starts, so a busy model is a 503."""
        return self.answerer.stream(q.text, q.history, q.mode, q.doc, channel="openai")

    def chunks(
        self, events: Iterator[AnswerEvent], model: str, usage_for: Question | None = None
    ) -> Iterator[ChatCompletionChunk]:
        """The answer as OpenAI's chunks; with `usage_for`, the question asked (stream_options.include_usage),
        one more chunk after the last, with no choices and the usage, as OpenAI ends such a stream."""
        cid, created = _new_id(), int(self.clock())
        sent: list[str] = []

        def chunk(delta: Delta, **last) -> ChatCompletionChunk:
            sent.append(delta.content or "")
            return ChatCompletionChunk(
                id=cid,
                created=created,
                model=model,
                choices=[ChunkChoice(delta=delta, finish_reason=last.pop("finish_reason", None))],
                **last,
            )

        yield chunk(Delta(role="assistant", content=""))
        streamed, replaced = "", False
        for event in events:
            if isinstance(event, Token) and not replaced:
                streamed += event.text
                yield chunk(Delta(content=markdown.paragraphs(event.text)))
            elif isinstance(event, Replace):
                replaced = True  # the replacement is the extractive answer, ready at once: send it with done
            elif isinstance(event, Done):
                answer = event.answer
                if replaced:
                    # what was streamed may be the start of the replacement (the measures line): go on from there
                    if answer.answer.startswith(streamed):
                        rest = markdown.paragraphs(answer.answer[len(streamed) :])
                    else:
                        rest = REPLACED + markdown.paragraphs(answer.answer)
                    yield chunk(Delta(content=rest))
                yield chunk(Delta(content=markdown.sources(answer.citations, self.with_doc)))
                yield chunk(
                    Delta(),
                    finish_reason="stop",
                    citations=_citations(answer),
                    refused=answer.refused,
                    notes=answer.notes,
                )
                if usage_for is not None:
                    usage = completion_usage(answer.usage, usage_for.asked(), "".join(sent), self.count)
                    yield ChatCompletionChunk(id=cid, created=created, model=model, choices=[], usage=usage)


def _new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def _citations(answer: Answer) -> list[Citation]:
    return list(answer.citations)
