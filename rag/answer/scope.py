"""Is a question about the loaded notices at all? Decided from retrieval evidence by a learned model, never
by the chat model and never by word lists.

Every feature is relative to the loaded notices, so a second notice needs no code change:
- lexical coverage: the question's words, each weighted by how much it says in general Chinese (jieba's IDF
  table), and the weighted share found in the notices (spelled, or as a homophone: 帮半 counts as 帮办);
  the same share for the best measure alone; whether the question's most telling word is known at all;
- for English, the share of content words the dictionary maps to the notices' words;
- how far the best dense score stands out from the rest of the ranking and from a fixed background sample,
  and the score itself;
- agreement between the dense and keyword rankings, and the keyword and pinyin scores.
- how close the question comes to labelled questions the loaded notices answer, and to labelled questions
  no notice answers (rag/retrieval/question_bank.py), where the loaded notices have labelled questions;
- whether it names a place (by CC-CEDICT) that no notice mentions, outside the notices' own place;
- whether it asks for a task (a poem, a translation) rather than information (rag/answer/task_request.py).
Boosted decision trees (`rag calibrate`, stored in rag/data/scope_model_bank.json, and scope_model.json for
notices without labelled questions) weigh them; the threshold is chosen on probabilities cross-validated
by writer, so that about 1% of answerable questions by a writer the fit never saw are refused.
Rules settle what is certain before the model: a measure id or a unit's whole remit puts a question in
scope; a year after the newest notice puts it out. A foreign place was a rule too, until it refused 15 of
about 1,900 answerable labelled questions: ordinary words the dictionary also knows as places (新建, 新店, 通道,
城市), and 安徽 or 江苏 in questions about serving people from there; as a feature the trees weigh it against
the rest of the evidence.

Every feature is read from one search's evidence (rag/retrieval/evidence.py: its hits and raw rankings, and
how near the question came to labelled ones) and the loaded notices' text; what the index knows of the
notices' wording comes in as `IndexFacts`. Nothing here reaches into the retriever.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag.answer.task_request import DEFAULT_MODEL as TASK_MODEL
from rag.answer.task_request import TaskRequest
from rag.classifiers import Classifier, load_classifier
from rag.corpus.collection import Corpus
from rag.language.dialect import cantonese_positions
from rag.language.weights import general_idf
from rag.provenance import fits
from rag.retrieval.evidence import Evidence, IndexFacts
from rag.retrieval.hit import Hit
from rag.retrieval.query import QueryPlan
from rag.retrieval.tokenize import pinyin_tokens

log = logging.getLogger(__name__)
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "scope_model.json"
DEFAULT_BANK_MODEL = DEFAULT_MODEL.with_name("scope_model_bank.json")
FEATURES = [
    "lex_cov",
    "lex_best",
    "top_word_known",
    "dense_top1",
    "dense_gap",
    "dense_z",
    "agree",
    "bm25_top1",
    "bm25_gap",
    "pinyin_best",
    "latin",
    "n_words",
    "foreign_place",
    "task_request",
]
BANK_FEATURES = [*FEATURES, "bank_in", "bank_out"]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(20\d\d)\s*年?")


@dataclass
class ScopeVerdict:
    in_scope: bool
    confidence: float  # 0..1, the model's probability that the notices answer the question
    reason: str
    missing: list[str] = field(default_factory=list)  # telling words the notices never use
    related: list[Hit] = field(default_factory=list)  # weakly related measures, for a refusal that helps
    by: str = "model"  # what decided: "structure" (an id, a unit's remit), "rule" (a year, a place) or "model"


@dataclass
class _Words:
    words: list[str]
    weights: list[float]
    known: list[bool]
    places: list[str]


class ScopeJudge:
    """Reads a search's evidence (rag/retrieval/evidence.py) and the loaded notices' text; decides with its own
    fitted models. What it knows of the index (`facts`: the notices' pinyin pairs, the lexicon) is handed to
    it, built once by the composition root (rag/services.py)."""

    def __init__(
        self,
        corpus: Corpus,
        facts: IndexFacts,
        model: Classifier | None,
        related_floor: float = 0.15,
        bank_model: Classifier | None = None,
        task: TaskRequest | None = None,
        everyday: float = 1.01,
    ):
        documents = corpus.documents
        self.corpus, self.facts = corpus, facts
        self.lexicon = facts.lexicon
        # the question's words as its index splits them (the retriever's jieba dictionary, with the units)
        self.segmenter = facts.segmenter
        self.text = "\n".join(
            [*(m.text for m in corpus.measures), *(d.header.cover_letter + "\n" + d.header.title for d in documents)]
        )
        self.pinyin_vocab = facts.pinyin
        # each notice's own place, most specific (临江区, 临江): a question naming it is about the notices
        self.home = [p for d in documents for p in d.header.places[-2:]]
        self.home_all = {p for d in documents for p in d.header.places}  # 东海市, 东海, 临江区, 临江
        self.home_english = {g.split()[0].strip(",").lower() for g in map(self.lexicon.place, self.home) if g}
        years = [int(d.header.date[:4]) for d in documents if d.header.date[:4].isdigit()]
        self.latest_year = max(years, default=2100)
        self.model, self.related_floor = model, related_floor
        self.everyday = everyday  # above 1: the out-of-scope rule is off
        # used for the questions whose evidence says how near they came to labelled ones (Evidence.bank: the
        # retriever has a bank only where every loaded notice has labelled questions, QuestionBank.for_corpus)
        self.bank_model = bank_model
        self.task = task or TaskRequest(None)

    @classmethod
    def load(
        cls,
        corpus: Corpus,
        facts: IndexFacts,
        path: Path | None = None,
        related_floor: float = 0.15,
        task: TaskRequest | None = None,
        everyday: float = 1.01,
    ) -> ScopeJudge:
        """The corpus-evidence model from `path`, and, where its file is there (scope_model_bank.json beside
        `path`), the model fitted with the bank of labelled questions. Without `task`, the task-request model
        beside `path` (the packaged one when `path` is not given). A model the learned-data manifest says was
        fitted on another embedding model's scores than the index's (or was changed since) is not used
        (rag/provenance)."""
        if task is None:
            task = TaskRequest.load(facts.dim, path and path.with_name(TASK_MODEL.name), facts.embedding_model)
        path = path or DEFAULT_MODEL
        model = _model(path, FEATURES, facts.embedding_model)
        if model is None:
            log.warning("no usable scope model at %s: every question is answered (run `rag calibrate`)", path)
        bank_model = _model(path.with_name(DEFAULT_BANK_MODEL.name), BANK_FEATURES, facts.embedding_model)
        return cls(corpus, facts, model, related_floor, bank_model, task, everyday)

    def with_task(self, task: TaskRequest) -> ScopeJudge:
        """The same judgement reading another task-request model (`rag calibrate`: one fitted without the
        writer whose questions are scored): a new object; this one is left as it is."""
        return ScopeJudge(self.corpus, self.facts, self.model, self.related_floor, self.bank_model, task, self.everyday)

    def _foreign_place(self, word: str, flag: str) -> bool:
        """A province, city, district or town (by the dictionary) that no notice mentions and that is not
        inside a notice's own place (a city the notices never name is foreign; a town of the notice's district
        is not)."""
        if word in self.text:
            return False
        gloss = self.lexicon.place(word, prefix=flag == "ns")
        return gloss is not None and bool(gloss) and not any(h in gloss.lower() for h in self.home_english)

    def _known(self, word: str) -> bool:
        """A word the notices use: found in their text, or a homophone of their words. (Requiring single
        characters to be words of the notices, not just characters inside longer words, separated in- from
        out-of-scope questions worse: AUC 0.77 for 0.82.)"""
        if word in self.text:
            return True
        pairs = pinyin_tokens(word)
        return bool(pairs) and all(p in self.pinyin_vocab for p in pairs)

    def _words(self, text: str) -> _Words:
        words, weights, known, places = [], [], [], []
        dialect, start = cantonese_positions(text), 0
        for word, flag in self.segmenter.tagged(text):
            span = range(start, start + len(word))
            start = span.stop
            w = word.strip()
            if not _CJK.search(w):
                continue
            hit = self._known(w)
            words.append(w)
            # Cantonese grammar says nothing of the topic, however rare it is in Mandarin (rag/language/dialect.py);
            # nor does the notices' own place: "明天临江会下雨吗" names the district every measure of a 临江 notice
            # is in, and its rare name made the question look covered
            topicless = all(i in dialect for i in span) or w in self.home_all
            weights.append(0.0 if topicless else general_idf(w))
            known.append(hit)
            if self._foreign_place(w, flag):
                places.append(w)
        return _Words(words, weights, known, places)

    def features(self, ev: Evidence, words: _Words | None = None) -> tuple[list[float], _Words]:
        """The corpus-evidence features (FEATURES), and the question's words they were counted on."""
        plan = ev.plan
        words = words or self._words(plan.text)
        total = sum(words.weights)
        if plan.latin:
            lex_cov = plan.english_coverage
            expansion = plan.expansion.split()
            best = ev.hits[0].measure.text if ev.hits else ""
            lex_best = sum(w in best for w in expansion) / len(expansion) if expansion else 0.0
            top_known = float(plan.english_coverage > 0)
        elif total > 0:
            lex_cov = sum(w for w, k in zip(words.weights, words.known, strict=False) if k) / total
            best = ev.hits[0].measure.text if ev.hits else ""
            lex_best = sum(w for w, word in zip(words.weights, words.words, strict=False) if word in best) / total
            top_known = float(words.known[int(np.argmax(words.weights))])
        else:
            lex_cov = lex_best = top_known = 0.0
        dense = ev.dense
        dense_gap = float(dense[0] - dense[1:].mean()) if len(dense) > 1 else 0.0
        top_d, top_b = set(ev.dense_rows[:5].tolist()), set(ev.bm25_rows[:5].tolist())
        agree = len(top_d & top_b) / 5 if len(ev.bm25) and ev.bm25[0] > 0 else 0.0
        bg = ev.background
        dense_z = float((dense[0] - bg.mean()) / (bg.std() + 1e-6)) if len(bg) > 1 and len(dense) else 0.0
        bm = ev.bm25[np.isfinite(ev.bm25)]
        bm25_top1 = float(bm[0]) if len(bm) else 0.0
        bm25_gap = float(bm[0] - bm[1:6].mean()) if len(bm) > 1 else bm25_top1
        row = [
            lex_cov,
            lex_best,
            top_known,
            float(dense[0]) if len(dense) else 0.0,
            dense_gap,
            dense_z,
            agree,
            bm25_top1,
            bm25_gap,
            ev.pinyin_best,
            float(plan.latin),
            math.log1p(len(words.words) if not plan.latin else len(plan.text.split())),
            float(bool(self._foreign_places(plan, words))),
            self.task.probability(ev.query),
        ]
        return row, words

    def _foreign_places(self, plan: QueryPlan, words: _Words) -> list[str]:
        """Places no notice covers, where the question names none of the notices' own places."""
        if plan.latin or any(h in plan.text for h in self.home):
            return []
        return list(dict.fromkeys(words.places))

    def ruled(self, ev: Evidence) -> ScopeVerdict | None:
        """The verdict when structure or a hard fact settles it, before any model: a measure id or a unit's
        whole remit asked for (in scope); a year after the newest notice (out of scope)."""
        plan = ev.plan
        if plan.referenced:
            return ScopeVerdict(True, 1.0, "names a measure id", by="structure")
        if plan.unit_names and plan.unit_intent:
            return ScopeVerdict(True, 1.0, "asks what a named unit is responsible for", by="structure")
        if not ev.hits:
            return ScopeVerdict(False, 0.0, "没有检索到相关措施", by="rule")
        years = [int(y) for y in _YEAR.findall(plan.text)]
        if years and max(years) > self.latest_year:  # a notice cannot speak of a year after it was issued
            return ScopeVerdict(False, 0.0, f"问的是{max(years)}年，通知发布于{self.latest_year}年", by="rule")
        return None

    def judge(self, ev: Evidence) -> ScopeVerdict:
        ruled = self.ruled(ev)
        if ruled is not None:
            return ruled
        if self.model is None:
            return ScopeVerdict(True, 1.0, "no scope model", by="none")
        row, words = self.features(ev)
        if ev.bank is not None and self.bank_model is not None:
            in_scope, p = self.bank_model.decide([*row, *ev.bank.features()])
        else:
            in_scope, p = self.model.decide(row)
            near = ev.out_of_scope_closeness
            if in_scope and near is not None and near >= self.everyday:
                # a notice without labelled questions: as near as this to questions people asked that no notice
                # answered (everyday matters), it is one of them (RetrievalSettings.everyday_closeness)
                return ScopeVerdict(False, p, "与通知内容无关（与已知的通知范围外问题相同）", [], [], by="rule")
        missing = [
            w
            for w, k, wt in sorted(zip(words.words, words.known, words.weights, strict=False), key=lambda t: -t[2])
            if not k and len(w) >= 2 and wt > 0
        ]
        if in_scope:
            return ScopeVerdict(True, p, f"相关度{p:.2f}", missing)
        related = [h for h in ev.hits[:1] if p >= self.related_floor]
        places = self._foreign_places(ev.plan, words)
        if places:
            return ScopeVerdict(False, p, f"通知不涉及{'、'.join(places)}", places, related)
        reason = f"通知中没有“{'、'.join(missing[:3])}”等内容" if missing else "与通知内容的相关度低"
        return ScopeVerdict(False, p, reason, missing, related)


def _model(path: Path, features: list[str], embedding_model: str | None = None) -> Classifier | None:
    if not path.is_file() or (embedding_model is not None and not fits(path, embedding_model)):
        return None
    model = load_classifier(path)
    fitted_on = model.info.get("embedding_model")
    if embedding_model is not None and fitted_on not in (None, embedding_model):  # a file without a manifest
        log.warning("scope model %s was fitted on %s scores, not %s: not used", path, fitted_on, embedding_model)
        return None
    if model.features != features:
        raise ValueError(f"{path} was fitted on features {model.features}, this code computes {features}")
    return model
