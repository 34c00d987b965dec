"""The part of OpenAI's chat-completions schema this service reads and writes.

Requests accept every field OpenAI's clients send (temperature, top_p, user, …) and use only `model`,
`messages`, `stream` and `stream_options`: sampling settings cannot change an answer that is assembled from
the notice and checked. `doc` is this service's own extension (the `openai` client sends it with `extra_body`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rag.corpus.citation import Citation
from rag.schemas.fields import MAX_TEXT_CHARS, DocId

# model id → answer mode of /api/ask
MODELS = {"policy-qa": "auto", "policy-qa-extractive": "extractive"}
OWNER = "policy-rag"
HISTORY_TURNS = 10  # as /api/ask allows
HISTORY_CHARS = MAX_TEXT_CHARS  # an earlier turn is cut here, not refused: clients resend whole conversations


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text; parts other than text (images, audio) cannot be read here."""
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        other = sorted({p.type for p in self.content if p.type != "text"})
        if other:
            raise ValueError(f"only text can be read; this message has {', '.join(other)} parts")
        return "".join(p.text or "" for p in self.content)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool = Field(False, description="end the stream with a chunk of no choices and the usage")


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str = Field(..., max_length=100, description=f"one of {', '.join(MODELS)} (GET /v1/models)")
    messages: list[ChatMessage] = Field(
        ..., min_length=1, max_length=200, description="the conversation; the last message is the user's question"
    )
    stream: bool = False
    stream_options: StreamOptions | None = None
    doc: DocId | None = Field(None, description="limit to one document id (this service's extension)")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = OWNER


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class CompletionUsage(BaseModel):
    prompt_tokens: int = Field(description="the chat model's when it ran, else estimated: the question and history")
    completion_tokens: int = Field(description="the chat model's when it ran, else estimated: the reply")
    total_tokens: int


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: CompletionUsage
    # beyond OpenAI's schema: what the answer rests on, for clients that show sources
    citations: list[Citation] = Field(description="the measures the answer cites, with their responsible units")
    refused: bool = Field(description="true when the notices do not cover the question")
    notes: list[str] = Field(default_factory=list, description="repairs and fallbacks made while answering")


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: CompletionUsage | None = None  # on the chunk after the last, when stream_options.include_usage asks
    citations: list[Citation] | None = None  # on the last chunk only
    refused: bool | None = None
    notes: list[str] | None = None
