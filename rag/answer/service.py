"""The answer pipeline: sanitise → resolve follow-ups → header questions → retrieve → scope → select →
extractive text, or the chat model's phrasing checked sentence by sentence, with the extractive answer as
fallback. Events: token (text to append), replace (discard what was streamed), done (the full Answer)."""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Literal

from rag.answer import deadlines, extractive
from rag.answer.events import AnswerEvent, Done, Replace, Token, tokens
from rag.answer.followup import resolve, sanitize
from rag.answer.guard import Guard, split_sentences
from rag.answer.header import header_answer, header_field, other_year
from rag.answer.highlight import Highlighter
from rag.answer.model import Answer, Citation
from rag.answer.notices import validity_warnings
from rag.answer.prompt import build_messages
from rag.answer.rewrite import QueryRewriter
from rag.answer.scope import ScopeJudge, ScopeVerdict
from rag.answer.selection import select
from rag.answer.standard_reply import standard_reply
from rag.answer.task_request import DEFAULT_MODEL as TASK_MODEL
from rag.answer.task_request import TaskRequest
from rag.corpus import schedule
from rag.corpus.collection import Corpus
from rag.corpus.deadlines import find_deadlines
from rag.corpus.model import Measure
from rag.language.script import to_simplified
from rag.llm.base import ChatModel, ModelBusy, ModelTimeout, ModelUnavailable
from rag.llm.usage import TokenTally
from rag.questionlog.store import LogEntry, QuestionLog
from rag.retrieval.hit import Hit
from rag.retrieval.hybrid import HybridRetriever
from rag.retrieval.query import QueryPlan
from rag.retrieval.tokenize import latin_share
from rag.settings import Settings
from rag.standard.matcher import StandardMatcher

log = logging.getLogger(__name__)
MODES = ("auto", "llm", "extractive")


@dataclass
class Context:
    plan: QueryPlan
    hits: list[Hit]
    verdict: ScopeVerdict
    rewritten: str | None = None  # the chat model's restatement, when a second search used it
    tally: TokenTally = field(default_factory=TokenTally)  # the chat model's tokens, restatement and phrasing


class Answerer:
    def __init__(
        self,
        corpus: Corpus,
        retriever: HybridRetriever,
        chat: ChatModel | None,
        settings: Settings,
        *,
        standard: StandardMatcher | None = None,
        question_log: QuestionLog | None = None,
    ):
        self.corpus, self.retriever, self.chat, self.settings = corpus, retriever, chat, settings
        self.standard, self.question_log = standard, question_log
        self.highlighter = Highlighter(corpus)
        cfg = settings.answer
        self.scope = ScopeJudge.load(
            corpus,
            set(retriever.pinyin.idf),
            cfg.scope_model,
            cfg.related_floor,
            retriever.lexicon,
            bank=retriever.bank,
            task=TaskRequest.load(
                retriever.embedder.dim, cfg.scope_model and cfg.scope_model.with_name(TASK_MODEL.name)
            ),
        )
        self.documents = {d.id: d for d in corpus.documents}
        self.english_names = extractive.english_names(corpus.units)
        self.rewriter = QueryRewriter(chat) if chat is not None and cfg.rewrite else None

    def ask(
        self,
        question: str,
        history: list[dict] | None = None,
        mode: str = "auto",
        doc: str | None = None,
        *,
        channel: str | None = None,
        client: str | None = None,
    ) -> Answer:
        for event in self.stream(question, history, mode, doc, channel=channel, client=client):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("answer stream ended without a result")

    def stream(
        self,
        question: str,
        history: list[dict] | None = None,
        mode: str = "auto",
        doc: str | None = None,
        *,
        channel: str | None = None,
        client: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """The answer's events. The final answer's citations carry their highlights; with a `channel` (api, ui,
        openai, mcp) it is written to the question log before it is handed out, so nothing shown goes unlogged."""
        for event in self._events(question, history, mode, doc):
            if isinstance(event, Done):
                event = Done(answer=self._finish(event.answer, question, doc, channel, client))
            yield event

    def _finish(self, answer: Answer, question: str, doc: str | None, channel: str | None, client: str | None):
        own_words = answer.lead if answer.mode == "llm" or answer.source == "standard" else ""
        answer = answer.model_copy(
            update={"citations": self.highlighter.mark(answer.citations, to_simplified(question), own_words)}
        )
        if channel is not None and self.question_log is not None:
            keep = self.settings.question_log.keep_client_address
            self.question_log.add(LogEntry.of(answer, question, doc, channel, client if keep else None))
        return answer

    def _events(self, question: str, history: list[dict] | None, mode: str, doc: str | None) -> Iterator[AnswerEvent]:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        started = time.perf_counter()
        history = history or []
        question = to_simplified(question)  # 營業執照 reads as 营业执照; answers quote the notice as written
        english = latin_share(question) > 0.5
        cleaned, steered = sanitize(question)
        query = resolve(cleaned, history)
        notes = ["问题中的指令或引用标记已被忽略（只按问题内容检索）"] if steered else []

        matched = self.standard.match(query, doc) if self.standard is not None else None
        if matched is not None:
            warnings = self._warnings(matched.measures, english)
            yield from standard_reply(matched, self.documents, self.english_names, english, notes, warnings, started)
            return

        field = header_field(cleaned)
        if field:
            year = other_year(cleaned, field, list(self.documents.values()), english)
            if year is None:
                document = (self.documents.get(doc) if doc else None) or self._document_for(query)
                text, refused = header_answer(document, field, english), False
            else:  # another year's document: refused, not answered from this one's header
                reason = f"问的是{year}年的文件，不是已收录的通知"
                hotline = self.settings.answer.hotline
                text = extractive.refusal(
                    self._title(doc), reason, [], hotline, english=english, names=self.english_names
                )
                refused = True
            yield from self._emit(text)
            timings = {"search": 0.0, "answer": time.perf_counter() - started}
            yield Done(
                answer=Answer(
                    answer=text,
                    citations=[],
                    refused=refused,
                    mode="extractive",
                    notes=notes,
                    timings=timings,
                    lead=text,
                )
            )
            return

        # a question that asks for time-limited tasks is planned once here; the search below reuses the plan
        planned = self.retriever.plan(query, doc) if deadlines.asks_deadlines(query) else None
        listed = self._deadline_listing(planned, query, doc, english) if planned is not None else None
        if listed is not None:
            text, measures = listed
            warnings = self._warnings(measures, english)
            text = "\n".join([*warnings, text])
            yield from self._emit(text)
            timings = {"search": 0.0, "answer": time.perf_counter() - started}
            yield Done(
                answer=Answer(
                    answer=text,
                    citations=[Citation.of(m) for m in measures],
                    refused=False,
                    mode="extractive",
                    retrieved=[m.id for m in measures],
                    notes=notes + warnings,
                    timings=timings,
                    lead=text,
                )
            )
            return

        context = self.context(query, mode, doc, english, plan=planned)
        hits, verdict, plan = context.hits, context.verdict, context.plan
        if context.rewritten:
            notes.append(f"检索时参考了对话模型的改写：{context.rewritten}")
        searched = time.perf_counter()
        retrieved = [h.measure.id for h in hits]
        if not verdict.in_scope or not hits:
            title = self._title(doc)
            text = extractive.refusal(
                title,
                verdict.reason,
                [h.measure for h in verdict.related],
                self.settings.answer.hotline,
                english=english,
                names=self.english_names,
            )
            yield from self._emit(text)
            timings = {"search": searched - started, "answer": time.perf_counter() - started}
            yield Done(
                answer=Answer(
                    answer=text,
                    citations=[],
                    refused=True,
                    mode="extractive",
                    retrieved=retrieved,
                    notes=notes,
                    timings=timings,
                    lead=text,
                    usage=context.tally.usage,
                )
            )
            return

        chosen = [
            h.measure for h in select(hits, self.settings.answer.max_measures, self.settings.answer.select_margin)
        ]
        unit_query = None
        if hits[0].via and hits[0].via[0] == "unit":
            unit_query = "、".join(sorted(plan.unit_names & {u for m in chosen for u in m.units}, key=len)) or None
        fallback = extractive.compose(
            chosen, self.documents, english=english, unit_query=unit_query, names=self.english_names
        )
        use_model = self.chat is not None and mode in ("auto", "llm") and unit_query is None
        if mode == "llm" and self.chat is None:
            notes.append("没有可用的对话模型，已改为摘录式回答")
        warnings = self._warnings(chosen, english)  # a notice out of force says so first
        notes += warnings
        opening = "".join(w + "\n" for w in warnings)
        lead, used = opening + fallback.lead, "extractive"
        if use_model:
            lead, used, model_notes = yield from self._model_answer(
                query, chosen, history, english, fallback, strict=mode == "llm", opening=opening, tally=context.tally
            )
            notes += model_notes
        else:
            yield from self._emit(lead + "\n")
            yield from self._emit(fallback.quoted, "quoted")
        timings = {"search": searched - started, "answer": time.perf_counter() - started}
        yield Done(
            answer=Answer(
                answer=f"{lead}\n{fallback.quoted}",
                citations=[Citation.of(m) for m in chosen],
                refused=False,
                mode=used,
                retrieved=retrieved,
                notes=notes,
                timings=timings,
                lead=lead,
                usage=context.tally.usage,
            )
        )

    def context(
        self,
        query: str,
        mode: str = "auto",
        doc: str | None = None,
        english: bool = False,
        plan: QueryPlan | None = None,
    ) -> Context:
        """What an answer rests on: the search, the scope verdict on the question as asked, and in llm/auto
        modes a second search with the chat model's restatement when the first ranking is unsure. A caller
        that has planned the query already passes the plan."""
        plan = plan or self.retriever.plan(query, doc)
        wide = plan.unit_intent or len(plan.referenced) > 8  # a unit's whole remit, a whole section
        result = self.retriever.search(
            plan, top_k=self.settings.retrieval.max_top_k if wide else self.settings.answer.search_depth, doc=doc
        )
        verdict = self.scope.judge(result)
        hits, rewritten, tally = result.hits, None, TokenTally()
        cfg = self.settings.answer
        unsure = len(hits) > 1 and hits[0].score - hits[1].score < cfg.rewrite_margin
        if (
            self.rewriter is not None
            and mode in ("auto", "llm")
            and verdict.in_scope
            and verdict.by == "model"
            and not english
            and unsure
        ):
            rewritten = self.rewriter.rewrite(query, tally=tally)
            if rewritten:
                second = self.retriever.search(
                    self.retriever.plan(f"{query} {rewritten}", doc), top_k=cfg.search_depth, doc=doc
                )
                hits = second.hits or hits
        return Context(plan, hits, verdict, rewritten, tally)

    def _model_answer(
        self,
        question: str,
        chosen: list[Measure],
        history: list[dict],
        english: bool,
        fallback: extractive.Composed,
        strict: bool,
        opening: str = "",
        tally: TokenTally | None = None,
    ) -> Generator[AnswerEvent, None, tuple[str, str, list[str]]]:
        """Stream the authoritative part (who to contact, per which measure) at once, then the model's checked
        sentences, then the quoted measures; returns (lead, mode used, notes). `opening` (validity warnings)
        opens the answer whichever way it ends."""
        assert self.chat is not None
        cfg = self.settings.llm
        preface = opening + fallback.lead + "\n"
        yield from self._emit(preface)
        answer_cfg = self.settings.answer
        guard = Guard(self.corpus, chosen, question, answer_cfg.guard_min_pairs, answer_cfg.guard_wording_share)
        held: list[str] = []  # sentences withheld until the model shows it is answering from the measures
        body, buffer, problems = "", "", []
        try:
            pieces = self.chat.stream(
                build_messages(
                    question, chosen, history, english, answer_cfg.prompt_history_turns, answer_cfg.prompt_turn_chars
                ),
                max_tokens=cfg.max_tokens,
                temperature=cfg.temperature,
                timeout_s=cfg.timeout_s,
            )
            for piece in (tally or TokenTally()).text(pieces):
                buffer += piece
                sentences, buffer = split_sentences(buffer)
                for s in sentences:
                    problems = guard.check(s)
                    if problems:
                        break
                    held.append(s)
                    if guard.grounded:
                        yield from self._emit("".join(held))
                        body += "".join(held)
                        held = []
                if problems:
                    if hasattr(pieces, "close"):
                        pieces.close()
                    break
            if not problems and buffer.strip():
                problems = guard.check(buffer)
                if not problems:
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
            yield from self._emit(opening + fallback.lead + "\n")
            yield from self._emit(fallback.quoted, "quoted")
            return (
                opening + fallback.lead,
                "extractive",
                ["模型回答未通过核验或未完成，已改为摘录式回答：" + "；".join(problems)],
            )
        body += "".join(held)
        yield from self._emit("".join(held))
        yield from self._emit("\n")
        yield from self._emit(fallback.quoted, "quoted")  # the quoted measures and their units, from the data
        return preface + body, "llm", []

    def _warnings(self, measures: list[Measure], english: bool) -> list[str]:
        return validity_warnings(
            [m.doc for m in measures], self.settings.current_date(), self.documents, english=english
        )

    def _deadline_listing(
        self, plan: QueryPlan, query: str, doc: str | None, english: bool
    ) -> tuple[str, list[Measure]] | None:
        """A unit's time-limited tasks, or every task due by a date the question names, from the deadline
        data; None when the question names a measure instead (a question about one measure's time limit is
        answered by search, which quotes the measure)."""
        if plan.referenced:
            return None
        asked = find_deadlines(query)
        before = max((d.by for d in asked if d.by is not None), default=None)
        if plan.unit_names:  # the shortest name the question wrote stands for the unit and its variants
            unit: str | None = min(plan.unit_names, key=len)
        elif before is not None:
            unit = None
        else:
            return None
        try:
            items = schedule.due(self.corpus, unit=unit, before=before, doc=doc)
        except schedule.UnknownUnit:
            return None
        found = [m for m, _ in schedule.by_measure(items)][: self.settings.retrieval.max_top_k]
        label = {m.key: extractive.doc_label(m, self.documents) for m in found}
        roles = lambda m: extractive.roles_text(m.roles, m.units_open, english=english, names=self.english_names)  # noqa: E731
        return deadlines.compose(unit, found, label, roles, english=english), found

    def _emit(self, text: str, part: Literal["lead", "quoted"] = "lead") -> Iterator[Token]:
        return tokens(text, part)

    def _document_for(self, query: str):
        if len(self.documents) == 1:
            return next(iter(self.documents.values()))
        hits = self.retriever.retrieve(query, top_k=1)
        return self.documents[hits[0].measure.doc] if hits else next(iter(self.documents.values()))

    def _title(self, doc: str | None) -> str:
        d = (self.documents.get(doc) if doc else None) or next(iter(self.documents.values()))
        return d.header.title if len(self.documents) == 1 or doc else "已收录的通知"
