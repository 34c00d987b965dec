"""The pipeline's order is its policy; each step passes a question on or ends it, and the Answer with its
timings is made in one place."""
from __future__ import annotations

import pytest

from rag.answer.events import Done, Replace, Token
from rag.answer.pipeline import Pipeline
from rag.answer.turn import Reply, Streamed, Turn


def test_the_stages_in_order(services):
    steps = [type(s).__name__ for s in services.answerer.pipeline.steps]
    assert steps == ["StandardAnswer", "HeaderQuestion", "DeadlineListing", "Search", "Scope", "Rewrite", "Select",
                     "Compose"]


class Passes:
    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, turn: Turn):
        self.seen.append(turn.query)
        turn.notes.append("passed")
        return None


def test_the_first_outcome_ends_the_question_and_becomes_the_answer():
    first, after = Passes(), Passes()
    ends = lambda turn: Reply(lead="甲\n乙", quoted="【一1】丙", retrieved=["一1"], notes=["ending"])  # noqa: E731
    events = list(Pipeline([first, ends, after]).run("【二(四)4】那还有哪些部门?", [], "extractive", None))
    assert first.seen and not after.seen  # the step after the ending one never runs
    assert [e.text for e in events if isinstance(e, Token)] == ["甲\n", "乙\n", "【一1】丙"]
    assert [e.part for e in events if isinstance(e, Token)] == ["lead", "lead", "quoted"]
    answer = events[-1].answer
    assert isinstance(events[-1], Done) and answer.answer == "甲\n乙\n【一1】丙" and answer.lead == "甲\n乙"
    assert answer.notes[-2:] == ["passed", "ending"] and answer.retrieved == ["一1"]  # the turn's notes first
    assert answer.timings["search"] == 0.0 and answer.timings["answer"] >= 0.0  # settled without a search


def test_a_streamed_outcome_streams_as_it_is_made():
    def made(turn: Turn):
        def events():
            yield Token(text="模型的话")
            yield Replace()
            yield Token(text="摘录")
            return Reply(lead="摘录", mode="extractive", notes=["withdrawn"])
        return Streamed(events())

    events = list(Pipeline([made]).run("问题", None, "auto", None))
    assert [e.event for e in events] == ["token", "replace", "token", "done"]
    assert events[-1].answer.answer == "摘录" and events[-1].answer.notes == ["withdrawn"]


def test_an_unknown_mode_is_refused_when_the_stream_starts():
    with pytest.raises(ValueError, match="poem"):
        next(Pipeline([]).run("问题", None, "poem", None))
