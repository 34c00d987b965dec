"""The types the answer pipeline's steps share (rag/answer/pipeline.py has the steps in order):

- `Turn`: one question on its way through the pipeline. Made by the first stage (sanitise, resolve a
  follow-up); each step reads what the steps before it filled in and may fill in more.
- `Step`: a stage. Given the turn, it returns an `Outcome`, which ends the question, or None, which passes
  it on to the next step.
- `Outcome`: how a question ends: a `Reply` whose text is known at once, or a `Streamed` reply whose text
  is made while it streams (the chat model's). Either streams its text as token (and replace) events and
  gives back the `Reply`; the pipeline alone makes the final Answer of it, with the timings.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from rag.answer.events import Replace, Token, tokens
from rag.answer.followup import resolve, sanitize
from rag.answer.model import StandardRef
from rag.answer.scope import ScopeVerdict
from rag.corpus.model import Measure
from rag.language.script import to_simplified
from rag.llm.usage import TokenTally
from rag.retrieval.evidence import Evidence
from rag.retrieval.hit import Hit
from rag.retrieval.query import QueryPlan
from rag.retrieval.tokenize import latin_share

MODES = ("auto", "llm", "extractive")
STEERED = "问题中的指令或引用标记已被忽略（只按问题内容检索）"


@dataclass
class Turn:
    """One question and what the steps have found out about it so far."""

    # as asked, in simplified characters (營業執照 reads as 营业执照; answers quote the notice as written)
    question: str
    history: list[dict]
    mode: str  # one of MODES
    doc: str | None  # the notice asked about; None: every loaded notice
    english: bool  # mostly Latin script: the answer is worded in English
    cleaned: str  # instructions to the system and citation markers taken out
    query: str  # `cleaned`, with what a follow-up leaves out filled in from the conversation
    started: float  # time.perf_counter() when the question came in
    notes: list[str] = field(default_factory=list)  # for the answer's notes, in the order they arose
    plan: QueryPlan | None = None  # planned by the deadline step for a deadline question, else by search
    evidence: Evidence | None = None  # the search on the question as asked
    verdict: ScopeVerdict | None = None  # the scope judgement on that evidence
    hits: list[Hit] = field(default_factory=list)  # what the answer is chosen from (after any second search)
    rewritten: str | None = None  # the chat model's restatement, when a second search used it
    searched: float | None = None  # time.perf_counter() when searching ended; None: answered without a search
    chosen: list[Measure] = field(default_factory=list)  # the measures the answer rests on
    # a list question's answer lists every measure chosen, one line each; the group's heading, "" for none
    listing: str | None = None
    tally: TokenTally = field(default_factory=TokenTally)  # the chat model's tokens: restatement and phrasing

    @classmethod
    def start(cls, question: str, history: list[dict] | None, mode: str, doc: str | None) -> Turn:
        """The first stage: the question in simplified characters, sanitised, and a follow-up resolved."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        started = time.perf_counter()
        history = history or []
        question = to_simplified(question)
        cleaned, steered = sanitize(question)
        return cls(
            question=question,
            history=history,
            mode=mode,
            doc=doc,
            english=latin_share(question) > 0.5,
            cleaned=cleaned,
            query=resolve(cleaned, history),
            started=started,
            notes=[STEERED] if steered else [],
        )

    def found(self) -> Evidence:
        """The search's evidence, for the steps after it."""
        if self.evidence is None:
            raise RuntimeError("the search step has not run")
        return self.evidence

    def judged(self) -> ScopeVerdict:
        if self.verdict is None:
            raise RuntimeError("the scope step has not run")
        return self.verdict


@dataclass
class Reply:
    """What a question's answer says and rests on, before the pipeline makes it an Answer."""

    lead: str  # the answer up to the quoted measures
    quoted: str | None = None  # the quoted measures (streamed as part "quoted"); None: a reply of one part
    text: str | None = None  # the whole text; None: the lead, then the quoted measures on the next line
    cited: list[Measure] = field(default_factory=list)
    retrieved: list[str] = field(default_factory=list)  # measure ids retrieved, best first
    refused: bool = False
    mode: Literal["extractive", "llm"] = "extractive"
    notes: list[str] = field(default_factory=list)  # what this ending adds to the turn's notes
    source: Literal["retrieval", "standard"] = "retrieval"
    standard: StandardRef | None = None
    # whether the measures give what was asked: partial when the question asks for a detail none states
    status: Literal["answered", "partial"] = "answered"
    unstated: str | None = None  # the kind of detail not stated (partial)
    opening: str = ""  # the first line: the words of the measure that answer (rag/answer/opening.py)
    phrasing: dict[str, int] | None = None  # the chat model's sentences kept and dropped (rag/answer/novelty.py)

    @property
    def whole(self) -> str:
        if self.text is not None:
            return self.text
        return self.lead if self.quoted is None else f"{self.lead}\n{self.quoted}"

    def stream(self) -> Generator[Token | Replace, None, Reply]:
        """The text as token events, line by line: the lead, then the quoted measures."""
        if self.quoted is None:
            yield from tokens(self.lead)
        else:
            yield from tokens(self.lead + "\n")
            yield from tokens(self.quoted, "quoted")
        return self


@dataclass
class Streamed:
    """A reply made while it streams: `events` yields its tokens (and a replace, where what was streamed is
    withdrawn) and returns the reply as it came out."""

    events: Generator[Token | Replace, None, Reply]

    def stream(self) -> Generator[Token | Replace, None, Reply]:
        return self.events


Outcome = Reply | Streamed


class Step(Protocol):
    def __call__(self, turn: Turn) -> Outcome | None:
        """An outcome ends the question; None passes it on to the next step."""
        ...
