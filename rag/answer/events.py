"""What Answerer.stream yields, typed: the API's server-sent events, the CLI, the OpenAI-compatible stream and
the UI read these, never dicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel

from rag.answer.model import Answer


class Token(BaseModel):
    """Text to append. `part` says whether it belongs to the answer's lead or to its quoted measures."""

    event: Literal["token"] = "token"
    text: str
    part: Literal["lead", "quoted"] = "lead"


class Replace(BaseModel):
    """Discard what was streamed: the chat model's text failed a check; the extractive answer follows."""

    event: Literal["replace"] = "replace"


class Done(BaseModel):
    """The finished answer."""

    event: Literal["done"] = "done"
    answer: Answer


AnswerEvent = Token | Replace | Done


def sse_frame(event: AnswerEvent) -> dict[str, str]:
    """The event as sse-starlette sends it: its name, and its data as JSON (the answer itself for `done`)."""
    if isinstance(event, Done):
        data: dict = event.answer.model_dump()
    elif isinstance(event, Token):
        data = {"text": event.text, "part": event.part}
    else:
        data = {}
    return {"event": event.event, "data": json.dumps(data, ensure_ascii=False)}


def tokens(text: str, part: Literal["lead", "quoted"] = "lead") -> Iterator[Token]:
    """A composed text as token events, line by line, so composed answers stream too."""
    for line in text.splitlines(keepends=True):
        yield Token(text=line, part=part)
