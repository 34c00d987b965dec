"""The chat model's phrasing of an answer, checked sentence by sentence as it streams (rag/answer/guard.py),
with the extractive answer as fallback: what the answer rests on (who to contact, per which measure) streams
at once, then the model's sentences as they pass the check, then the quoted measures from the data. A
sentence that fails, a model that never cites the selected measures or units, a timeout or a back-end error
withdraws what the model streamed (a replace event) and the extractive answer follows."""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import Literal

from rag.answer import extractive
from rag.answer.events import Replace, Token, tokens
from rag.answer.guard import Guard, split_sentences
from rag.answer.novelty import Novelty
from rag.answer.prompt import build_messages
from rag.corpus.collection import Corpus
from rag.corpus.model import Measure
from rag.llm.base import ChatModel, ModelBusy, ModelTimeout, ModelUnavailable
from rag.llm.usage import TokenTally
from rag.settings import Settings

log = logging.getLogger(__name__)
REJECTED = "模型回答未通过核验或未完成，已改为摘录式回答："
ADDED_NOTHING = "对话模型的句子只重复了摘录的内容，已略去"


@dataclass(frozen=True)
class Phrased:
    """What came out: the answer up to the quoted measures, the mode it was made in, and why the model's
    text was withdrawn (empty when it was not)."""

    lead: str
    mode: Literal["llm", "extractive"]
    notes: list[str]
    kept: int = 0  # the model's sentences shown
    dropped: dict[str, int] | None = None  # the model's sentences dropped as adding nothing, by why


class ModelAnswer:
    def __init__(self, chat: ChatModel, corpus: Corpus, settings: Settings):
        self.chat, self.corpus = chat, corpus
        self.llm, self.cfg = settings.llm, settings.answer

    def stream(
        self,
        question: str,
        chosen: list[Measure],
        history: list[dict],
        english: bool,
        fallback: extractive.Composed,
        strict: bool,
        opening: str = "",
        tally: TokenTally | None = None,
    ) -> Generator[Token | Replace, None, Phrased]:
        """The events, and what came out. `opening` (validity warnings) opens the answer whichever way it
        ends. In `strict` (llm) mode a busy model is an error, not a fallback."""
        cfg, llm = self.cfg, self.llm
        preface = opening + fallback.lead + "\n"
        yield from tokens(preface)
        guard = Guard(self.corpus, chosen, question, cfg.guard_min_pairs, cfg.guard_wording_share)
        measures = "\n".join(m.text for m in chosen)
        novelty = Novelty(measures, preface, cfg.novelty_copy_share, cfg.novelty_repeat_share)
        held: list[str] = []  # sentences withheld until the model shows it is answering from the measures
        body, buffer, problems = "", "", []
        try:
            pieces = self.chat.stream(
                build_messages(question, chosen, history, english, cfg.prompt_history_turns, cfg.prompt_turn_chars),
                max_tokens=llm.max_tokens,
                temperature=llm.temperature,
                timeout_s=llm.timeout_s,
            )
            for piece in (tally or TokenTally()).text(pieces):
                buffer += piece
                sentences, buffer = split_sentences(buffer)
                for s in sentences:
                    problems = guard.check(s)
                    if problems:
                        break
                    if novelty.judge(s) is not None:  # true, but it only repeats what the answer shows
                        continue
                    held.append(s)
                    if guard.grounded:
                        yield from tokens("".join(held))
                        body += "".join(held)
                        held = []
                if problems:
                    if hasattr(pieces, "close"):
                        pieces.close()
                    break
            if not problems and buffer.strip():
                problems = guard.check(buffer)
                if not problems and novelty.judge(buffer) is None:
                    held.append(buffer)
            if not problems and not guard.grounded:
                problems = ["did not cite any selected measure or responsible unit"]
        except ModelBusy:
            if strict:
                raise
            problems = ["chat model busy"]
        except (ModelTimeout, ModelUnavailable) as exc:
            problems = [f"chat model failed: {exc}"]
        except Exception as exc:  # a model back-end bug must not cost the user the answer
            log.exception("chat model error")
            problems = [f"chat model error: {type(exc).__name__}"]
        if problems:
            log.info("model answer rejected: %s; raw: %r", problems, body + "".join(held) + buffer)
            yield Replace()
            yield from tokens(opening + fallback.lead + "\n")
            yield from tokens(fallback.quoted, "quoted")
            return Phrased(opening + fallback.lead, "extractive", [REJECTED + "；".join(problems)])
        body += "".join(held)
        dropped = dict(novelty.dropped)
        if not body.strip():  # every sentence only repeated the answer: it stays extractive, with nothing withdrawn
            yield from tokens(fallback.quoted, "quoted")
            return Phrased(opening + fallback.lead, "extractive", [ADDED_NOTHING], 0, dropped)
        yield from tokens("".join(held))
        yield from tokens("\n")
        yield from tokens(fallback.quoted, "quoted")  # the quoted measures and their units, from the data
        return Phrased(preface + body, "llm", [], novelty.kept, dropped)
