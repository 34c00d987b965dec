"""Token counts of chat-model generations: what a back-end counts for one, and their sum over the
generations made for one answer."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field


class Usage(BaseModel):
    """The tokens a chat model read and wrote, as its back-end counted them."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = Field(ge=0, description="what the model read: instructions, context, history, question")
    completion_tokens: int = Field(ge=0, description="what the model wrote")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Generation(Iterator[str]):
    """What a back-end that counts tokens returns from ChatModel.stream: the text pieces, as any stream, and
    `usage` once the generation has ended, when the back-end counted it (not when the caller stopped it
    early). `pieces` yields the text, then at most one Usage. A caller that wants no counts reads it as
    any iterator of text."""

    def __init__(self, pieces: Iterator[str | Usage]):
        self._pieces = pieces
        self.usage: Usage | None = None

    def __next__(self) -> str:
        while True:
            piece = next(self._pieces)
            if isinstance(piece, Usage):
                self.usage = piece
            else:
                return piece

    def close(self) -> None:
        close = getattr(self._pieces, "close", None)
        if callable(close):
            close()


class TokenTally:
    """The counts of every generation made for one answer. A generation that gave text but no counts (the
    caller stopped it early, or its back-end does not count) makes the total unknown: a partial sum would
    pass for the whole. One tally per answer, used from one thread."""

    def __init__(self) -> None:
        self._runs = self._counted = 0
        self._sum: Usage | None = None

    def text(self, pieces: Iterator[str]) -> Iterator[str]:
        """The stream's pieces; its counts are added here when it ends. A generation counts as made once it
        yields anything or its counts: one refused at once (busy, unreachable) read nothing."""
        started = False
        for piece in pieces:
            if not started:
                started, self._runs = True, self._runs + 1
            yield piece
        usage = pieces.usage if isinstance(pieces, Generation) else None
        if usage is not None:
            self._runs += 0 if started else 1
            self._counted += 1
            self._sum = usage if self._sum is None else self._sum + usage

    @property
    def usage(self) -> Usage | None:
        """The sum, when every generation was counted; None when none was made or one went uncounted."""
        return self._sum if self._runs and self._counted == self._runs else None
