"""Hybrid retrieval over measures, through the stores: no step reads every vector or every BM25 score.

Order of evidence: a measure id written in the question wins outright; a question about a unit's whole
remit returns all of that unit's measures; otherwise the candidate lists are gathered here and fused
(rag/retrieval/fusion.py, where every signal and weight is listed):
- dense: the `candidates` nearest measures from the vector store (FAISS or Milvus, `doc` filtered there);
- keyword: the best BM25 matches of the jieba words, and of the pinyin syllable pairs (homophone typos),
  from bm25s's inverted index (rag/retrieval/keyword.py);
- the measures that answered the most similar labelled questions (rag/retrieval/question_bank.py).
Over the union, each measure's whole-text cosine is computed exactly from its stored vector (a few hundred
rows gathered, not a scan), and its best clause's. At the 172 measures of one notice the lists hold every
measure, and the ranking is the one an exhaustive scoring gives.

A search returns its evidence (rag/retrieval/evidence.py): the ranked hits and how the rankings behind them
look, which the scope judgement reads: the answer layer never re-runs a search to decide whether to answer.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from rag.corpus.collection import Corpus
from rag.embeddings.base import Embedder
from rag.indexing.chunks import chunk_text
from rag.indexing.clauses import ClauseView
from rag.indexing.store import LoadedIndex
from rag.language.dictionary import Lexicon
from rag.retrieval.evidence import EVIDENCE_DEPTH, BankCloseness, Evidence, IndexFacts, background_rows
from rag.retrieval.fusion import Ranked, Signals, Weights, along, fuse
from rag.retrieval.hit import Hit
from rag.retrieval.keyword import build_keyword_indexes, load_keyword_indexes
from rag.retrieval.query import QueryPlan, QueryPlanner
from rag.retrieval.question_bank import QuestionBank
from rag.retrieval.remit import RemitIntent
from rag.retrieval.routing import PlaceNames, best_notice, needs_routing
from rag.retrieval.tokenize import Segmenter, pinyin_tokens
from rag.settings import RetrievalSettings

log = logging.getLogger(__name__)
_NO_VOTE = Ranked(np.zeros(0, dtype=np.int64), np.zeros(0))


@dataclass
class Candidates:
    """The union of a question's candidate lists (`rows`, ascending: ties rank in index order), what each
    member scored, and the lists themselves (for the evidence)."""

    rows: np.ndarray
    fused: np.ndarray  # what ranks
    whole: np.ndarray  # cosine of the question and the whole measure, exact
    bm25: np.ndarray  # raw BM25; 0 for members the keyword list does not hold
    signals: Signals
    query: np.ndarray  # the question's vector


class HybridRetriever:
    def __init__(
        self,
        corpus: Corpus,
        embedder: Embedder,
        index: LoadedIndex,
        cfg: RetrievalSettings,
        max_dense_chars: int = 512,
        lexicon: Lexicon | None = None,
        remit: RemitIntent | None = None,
        today: Callable[[], date] = date.today,
        bank: QuestionBank | None = None,
    ):
        self.corpus, self.embedder, self.index, self.cfg = corpus, embedder, index, cfg
        self.today = today  # validity is judged on this day's date (Settings.current_date)
        self.bank = bank  # labelled questions and the measures that answer them (rag/retrieval/question_bank.py)
        self.max_dense_chars = max_dense_chars  # e5 reads 512 tokens; a longer text only costs time
        self.measures = [corpus.by_key[k] for k in index.keys]
        self._pos = {m.key: i for i, m in enumerate(self.measures)}
        self._by_unit: dict[str, list[int]] = {}  # unit name → its measures' rows, for boosts without a scan
        for i, m in enumerate(self.measures):
            for u in m.units:
                self._by_unit.setdefault(u, []).append(i)
        # jieba with this corpus's unit names kept whole, in a dictionary of this index's own
        self.segmenter = Segmenter.for_units(corpus.units)
        docs = [m.doc for m in self.measures]
        self._doc_names = sorted(set(docs))
        self._doc_of_row = np.searchsorted(self._doc_names, docs) if docs else np.zeros(0, dtype=np.int64)
        by_doc = np.argsort(self._doc_of_row, kind="stable")  # each notice's rows, in row order
        bounds = np.searchsorted(self._doc_of_row[by_doc], np.arange(len(self._doc_names) + 1))
        self._rows_of_doc = {d: by_doc[bounds[i] : bounds[i + 1]] for i, d in enumerate(self._doc_names)}
        self._force: tuple[date, np.ndarray] | None = None  # (day, per document: in force?)
        # each notice's own places (东海市, 东海, 临江区, 临江: Header.places): every measure of the notice is in
        # them, so within it they say nothing of the topic, yet a question naming its district matched the few
        # measures that name it ("想在临江打打零工" ranked the one measure on a 临江 park first). Worked out once,
        # longest first (临江区 before 临江): each notice's, and those every loaded notice shares (what a search
        # across all of them drops)
        home = {d.id: frozenset(d.header.places) for d in corpus.documents}
        shared = frozenset.intersection(*(home.get(d, frozenset()) for d in self._doc_names)) if docs else frozenset()
        self._home = {d: sorted(places, key=len, reverse=True) for d, places in home.items()}
        self._shared_home = sorted(shared, key=len, reverse=True)
        self._places = PlaceNames({d: list(home.get(d, ())) for d in self._doc_names})  # which notice a question names
        # notices that supersede or are superseded by another loaded notice (rag/retrieval/routing.py)
        superseded = {d.id: d.validity.superseded_by for d in corpus.documents if d.validity.superseded_by}
        self._versioned = {d for d, newer in superseded.items() if newer in self._doc_names} | {
            newer for newer in superseded.values() if newer in self._doc_names
        }
        # the build's keyword indexes, mapped (rag/retrieval/keyword_store.py); an index built before they were
        # stored with it has them made here, as every start once did
        path = getattr(index, "path", None)
        stored = load_keyword_indexes(Path(path), index.manifest, self.segmenter, docs) if path else "no build"
        if isinstance(stored, str):
            started = time.perf_counter()
            keywords = build_keyword_indexes(
                [chunk_text(m) for m in self.measures], self.segmenter, docs, cfg.index_workers
            )
            log.warning(
                "keyword indexes %s: tokenized %d measures in %.1fs (a rebuild of the index stores them)",
                stored,
                len(self.measures),
                time.perf_counter() - started,
            )
        else:
            keywords = stored
        self.bm25, self.pinyin = keywords["words"], keywords["pinyin"]
        cache = Path(path).parent / "cache" if path else None
        self.lexicon = lexicon or Lexicon.cached(self.bm25.idf, cache)
        self.clauses = ClauseView.cached(self.measures, embedder, cache) if cfg.clause_weight > 0 else None
        self.planner = QueryPlanner(corpus, self.lexicon)
        self.remit = remit if remit is not None else RemitIntent.load(embedder)
        # the fixed sample whose dense scores show what "unrelated" looks like for a question (evidence.py)
        n = len(self.measures)
        self._background = np.ascontiguousarray(index.vectors[background_rows(n)]) if n else np.zeros((0, embedder.dim))

    def facts(self) -> IndexFacts:
        """What the index knows of the notices' wording, for the scope judgement (rag/retrieval/evidence.py)."""
        return IndexFacts(
            frozenset(self.pinyin.idf), self.lexicon, self.embedder.dim, self.embedder.name, self.segmenter
        )

    def with_bank(self, bank: QuestionBank | None) -> HybridRetriever:
        """This retriever with another bank of labelled questions (or none): a new object that shares the
        indexes, which are only read, so a caller trying a variant (`rag calibrate` holding writers out)
        never changes the retriever that serves."""
        other = copy.copy(self)
        other.bank = bank
        return other

    def with_remit(self, remit: RemitIntent) -> HybridRetriever:
        """This retriever with another unit-remit model; shares the indexes, as `with_bank`."""
        other = copy.copy(self)
        other.remit = remit
        return other

    def plan(self, query: str, doc: str | None = None) -> QueryPlan:
        plan = self.planner.plan(query, doc)
        plan.unit_intent = self.remit.asks_remit(plan)
        return plan

    def candidates(self, plan: QueryPlan, doc: str | None = None, vote: bool = True) -> Candidates:
        k = self.cfg.candidates
        topic = self.topic_text(plan.text, doc)
        q = self.embedder.embed_query(topic[: self.max_dense_chars])
        dense = self._dense(q, k, doc)
        keyword = Ranked(*self.bm25.search(self.segmenter.tokenize(topic + " " + plan.expansion), k, doc))
        pinyin = Ranked(*self.pinyin.search(pinyin_tokens(topic), k, doc))
        routed = [self._pos[m.key] for m in plan.referenced if m.key in self._pos]
        if plan.unit_intent:  # the units' whole remit is the answer: all of it ranks (bounded like a list)
            remit = [i for name in plan.unit_names for i in self._by_unit.get(name, [])]
            routed += [i for i in remit if doc is None or self.measures[i].doc == doc][:k]
        if doc is not None:
            routed = [i for i in routed if self.measures[i].doc == doc]
        votes, closeness = (
            self._votes(self._feedback(q, dense.rows) if plan.latin else q, doc) if vote else (_NO_VOTE, 0.0)
        )
        lists = [dense.rows, keyword.rows, pinyin.rows, np.asarray(routed, dtype=np.int64), votes.rows]
        rows = np.unique(np.concatenate(lists))

        whole = self.index.vectors[rows] @ q if len(rows) else np.zeros(0)
        # a measure's best clause speaks for it too (rag/indexing/clauses.py)
        clause = self.clauses.best(q, rows) if self.clauses is not None and len(rows) else None
        named = plan.unit_names and not plan.unit_intent  # a unit's whole remit ranks by topic alone
        signals = Signals(
            rows=rows,
            whole=whole,
            clause=clause,
            dense_list=dense,
            keyword=keyword,
            pinyin=pinyin,
            named_unit=self._has_unit(plan.unit_names, rows) if named else None,
            votes=votes,
            closeness=closeness,
            in_force=self._in_force()[self._doc_of_row[rows]] if len(rows) else np.zeros(0, dtype=bool),
        )
        fused = fuse(signals, Weights.of(self.cfg, plan.latin))
        bm25 = along(rows, keyword.rows, keyword.scores)
        return Candidates(rows, fused, np.asarray(whole, dtype=np.float64), bm25, signals, q)

    def _dense(self, q: np.ndarray, k: int, doc: str | None) -> Ranked:
        """The k nearest measures by the question's vector. Within one notice of at most `exact_doc_below`
        measures, exactly, from the build's vectors: a notice's few rows cost less to score than the store's
        approximate index costs to probe (IVF at 100k: 1.9 ms a search; a 1,000-measure notice's rows 0.1 ms),
        and the ranking is exact. Otherwise the store's own search (FAISS, or Milvus with its doc filter)."""
        rows = self._rows_of_doc.get(doc) if doc is not None else None
        if rows is not None and len(rows) <= self.cfg.exact_doc_below:
            scores = np.asarray(self.index.vectors[rows] @ q, dtype=np.float64)
            top = np.argsort(-scores, kind="stable")[:k]
            return Ranked(rows[top], scores[top])
        found = [(self._pos[key], score) for key, score in self.index.store.search(q, k, doc) if key in self._pos]
        return Ranked(
            np.array([r for r, _ in found], dtype=np.int64), np.array([s for _, s in found], dtype=np.float64)
        )

    def topic_text(self, text: str, doc: str | None) -> str:
        """The question without the places that every notice searched is about (`doc`'s, or those all the
        loaded notices share): they tell which notice, not which measure. Routing between notices searches
        with doc None, so a district named there still counts where the notices' districts differ."""
        for place in self._home.get(doc, []) if doc is not None else self._shared_home:
            text = text.replace(place, " ")
        return text

    def _feedback(self, q: np.ndarray, d_rows: np.ndarray) -> np.ndarray:
        """The question vector pulled towards its best measures' (`d_rows`, best first): where the labelled
        questions are looked up for a question in another script than the notices' (RetrievalSettings)."""
        a, k = self.cfg.bank_feedback_latin, self.cfg.bank_feedback_depth
        if a <= 0 or not len(d_rows):
            return q
        moved = q + a * self.index.vectors[d_rows[:k]].mean(axis=0)
        return (moved / np.linalg.norm(moved)).astype(np.float32)

    def _votes(self, q: np.ndarray, doc: str | None) -> tuple[Ranked, float]:
        """Rows (ascending) with their share of the labelled questions' vote (rag/retrieval/question_bank.py),
        and how near the voting questions came (what the vote's weight follows: rag/retrieval/fusion.py)."""
        cfg = self.cfg
        if self.bank is None or cfg.bank_weight <= 0:
            return _NO_VOTE, 0.0
        vote = self.bank.votes(q, cfg.bank_neighbours, cfg.bank_temperature)
        out: dict[int, float] = {}
        for key, share in vote.shares.items():
            i = self._pos.get(key)
            if i is not None and (doc is None or self.measures[i].doc == doc):
                out[i] = out.get(i, 0.0) + share
        ranked = dict(sorted(out.items()))  # rows ascending, as fusion.along expects
        return Ranked(np.asarray(list(ranked), dtype=np.int64), np.asarray(list(ranked.values()))), vote.closeness

    def _in_force(self) -> np.ndarray:
        """Per document (in `_doc_names` order), whether it is in force today; worked out once a day."""
        today = self.today()
        if self._force is None or self._force[0] != today:
            stale = self.corpus.out_of_force(today)
            self._force = (today, np.array([d not in stale for d in self._doc_names], dtype=bool))
        return self._force[1]

    def _has_unit(self, names, rows: np.ndarray) -> np.ndarray:
        """1.0 for each of `rows` whose measure names one of `names` as responsible, else 0.0."""
        named = np.unique(np.asarray([i for n in names for i in self._by_unit.get(n, [])], dtype=np.int64))
        return np.isin(rows, named).astype(np.float64)

    def retrieve(self, query: str, top_k: int = 5, doc: str | None = None, plan: QueryPlan | None = None) -> list[Hit]:
        """Best measures first. A caller that has already planned the query passes the plan."""
        return self.search(plan or self.plan(query, doc), top_k, doc).hits

    def route(self, plan: QueryPlan) -> str | None:
        """The notice the question is about (rag/retrieval/routing.py): by the corpus evidence alone, unless
        labelled questions came near enough (`route_bank_closeness`) for their vote to count too."""
        c = self.candidates(plan, None, vote=self.bank is not None)
        if self.bank is not None and c.signals.closeness < self.cfg.route_bank_closeness:
            c = self.candidates(plan, None, vote=False)  # the vote did not earn its say: corpus evidence alone
        best = best_notice(c.rows, c.fused, self._doc_of_row, self._doc_names, self._places.named(plan.text))
        # versions of one policy (one supersedes the other) are searched together: the answer from the older
        # one names its successor, and the in-force factor prefers the newer
        return None if best in self._versioned else best

    def conversation_notice(self, question: str, earlier: str) -> str | None:
        """The notice a follow-up is about, where several are loaded: None (route it as any question) when it
        names a notice's place, else the notice that the conversation so far (`earlier`) routes to. `question` is in
        simplified characters (Turn.cleaned)."""
        if len(self._doc_names) < 2 or not earlier or self._places.named(question):
            return None
        # by what was said, not by the ids an answer cites: every notice may have a 二(八)1
        return self.route(dataclasses.replace(self.plan(earlier, None), referenced=[], unit_intent=False))

    def search(self, plan: QueryPlan, top_k: int = 5, doc: str | None = None) -> Evidence:
        if self.cfg.route_notices and needs_routing(plan, doc, len(self._doc_names)):
            doc = self.route(plan)
        c = self.candidates(plan, doc)
        order = np.argsort(-c.fused, kind="stable")
        at = {int(r): j for j, r in enumerate(c.rows)}

        def hit(i: int, score: float, via: str) -> Hit:
            j = at[i]
            return Hit(self.measures[i], score, float(c.whole[j]), float(c.bm25[j]), [via])

        hits: list[Hit] = []
        taken: set[int] = set()
        for m in plan.referenced:  # ids written in the question, in the order written
            i = self._pos.get(m.key)
            if i is not None and i in at and i not in taken:
                hits.append(hit(i, 2.0 + float(c.fused[at[i]]), "id"))
                taken.add(i)
        ranked = c.rows[order].tolist()
        if plan.unit_intent:  # everything the named units do, most relevant first
            named = {i for n in plan.unit_names for i in self._by_unit.get(n, [])}
            for i in ranked:
                if i not in taken and i in named:
                    hits.append(hit(i, 1.0 + float(c.fused[at[i]]), "unit"))
                    taken.add(i)
        for i in ranked:
            if len(hits) >= top_k:
                break
            if i not in taken:
                hits.append(hit(i, float(c.fused[at[i]]), "hybrid"))
                taken.add(i)
        return self._evidence(plan, hits[:top_k], c, doc)

    def _evidence(self, plan: QueryPlan, hits: list[Hit], c: Candidates, doc: str | None) -> Evidence:
        """The record the scope judgement reads, made as its models were fitted (rag/retrieval/evidence.py)."""
        s, q = c.signals, c.query
        d, b, p = s.dense_list, s.keyword, s.pinyin
        size = len(self.measures) if doc is None else self._doc_size(doc)
        depth = min(EVIDENCE_DEPTH, size)
        pad = max(0, depth - len(b.scores[:depth]))
        bm25 = np.concatenate([b.scores[:depth].astype(np.float64), np.zeros(pad)])
        bm25_rows = np.concatenate([b.rows[:depth], np.full(pad, -1, dtype=np.int64)])
        closeness = self.bank.similarity(q) if self.bank is not None else None
        return Evidence(
            plan=plan,
            hits=hits,
            dense=d.scores[:depth],
            dense_rows=d.rows[:depth],
            bm25=bm25,
            bm25_rows=bm25_rows,
            pinyin_best=float(p.scores[0]) if len(p.scores) else 0.0,
            background=(self._background @ q).astype(np.float64),
            query=q,
            bank=BankCloseness(*closeness) if closeness is not None and self._bank_speaks(doc) else None,
            out_of_scope_closeness=closeness[1] if closeness is not None else None,
        )

    def knowledge(self, doc: str) -> dict:
        """What retrieval knows of a notice beyond its text: its labelled questions, and what they change."""
        n = self.bank.answerable_count(doc) if self.bank is not None else 0
        labelled = n > 0
        return {
            "labelled_questions": n,
            "question_bank": labelled,
            "answers": (
                "searched with the vote of its labelled questions; scope judged with the model fitted with them"
                if labelled
                else "searched and scope-judged on the notice's own text alone (no labelled questions for it); "
                "loading it changes nothing for the other notices"
            ),
        }

    def _bank_speaks(self, doc: str | None) -> bool:
        """Whether the labelled questions speak for the notice searched (all of them, where `doc` is None): a
        notice without labelled questions of its own is judged on corpus evidence alone, as when loaded alone."""
        if self.bank is None:
            return False
        answered = self.bank.answered_docs
        return doc in answered if doc is not None else set(self._doc_names) <= answered

    def _doc_size(self, doc: str) -> int:
        d = self.corpus.document(doc)
        return len(d.measures) if d is not None else 0
