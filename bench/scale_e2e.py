"""End-to-end scale benchmark: the service's own HybridRetriever over N measures, through its vector store.

    python bench/scale_e2e.py --measures 100000 [--store faiss|milvus] [--json OUT] [--record] [--keep DIR]
    python bench/scale_e2e.py --report            # table and chart again from bench/results/scale_e2e.json

The corpus is the Jiading notice plus generated notices in its format (parts, sections, numbered measures
ending in a 责任单位 clause), 1,000 measures each, written as .txt files and read by the real parser. A
generated measure opens with a clause of a real measure (its topic) and goes on with words drawn by Zipf's
law from the real notice's vocabulary and 30,000 invented words, so BM25's postings have a realistic spread.

Vectors are synthetic (no e5 pass over a million texts) but clustered like real ones: a common direction,
a topic per measure (shared with the clause it opens with), sub-topics, per-measure noise (bench/scale.py's
mixture). A question is three words of a measure, its vector that measure's plus fresh noise.

Two processes, as a deployment runs them: one builds the index (`rag.indexing.rebuild`, the store chosen by
settings: FAISS flat below `faiss_exact_below`, HNSW above; or a Milvus standalone server started here),
then a fresh one loads it and builds the retriever the service uses (mapping the build's stored BM25 indexes,
rag/retrieval/keyword_store.py; before they were stored, it tokenised every measure),
and times `retrieve(question, 8)` one question at a time: planning, candidates from the store and the two
BM25 indexes, fusion. The question encoder is not in the time (vectors are looked up): e5 adds its own
p50 of about 6 ms (bench/query_encoder.py). Clause views are off (clause_weight 0): at a million measures
they would add three million vectors; see the README. Recall@10 compares the store's dense top 10 with
exact inner-product search over the same vectors. RSS is the serving process's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))
from synthetic_corpus import DIM, SyntheticEmbedder, normalized, topic_count, vectors_for, write_corpus  # noqa: E402

QUERIES = 300


def _settings(work: Path, store: str, uri: str):
    from rag.settings import Settings

    vs = {"backend": store, "milvus_uri": uri} if store == "milvus" else {"backend": "faiss"}
    return Settings(
        corpus_dir=work / "corpus",
        index_dir=work / "index",
        data_dir=work / "data",
        vector_store=vs,
        retrieval={"clause_weight": 0.0},
        llm={"backend": "none"},
    )


def _rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pss_mb() -> float:
    """Proportional set size: shared pages (the mapped vectors and keyword indexes) split among the processes
    that map them, so two workers' PSS sum to what they really hold together."""
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- the two phases (each in its own process) ------------------------------------------------------


def _build(n: int, work: Path, store: str, uri: str) -> dict:
    from rag.corpus.collection import Corpus
    from rag.indexing import rebuild
    from rag.indexing.chunks import chunk_text
    from rag.retrieval.keyword_store import KeywordBuilder

    t0 = time.perf_counter()
    topics = write_corpus(n, work / "corpus")
    gen_s = time.perf_counter() - t0
    t = time.perf_counter()
    corpus = Corpus.load(work / "corpus")
    parse_s = time.perf_counter() - t
    keys = [m.key for m in corpus.measures]
    missing = [k for k in keys if k not in topics]
    assert not missing, f"the parser read measures the generator did not write: {missing[:3]}"
    vectors = vectors_for(keys, topics, topic_count(n))
    embedder = SyntheticEmbedder({chunk_text(m): vectors[i] for i, m in enumerate(corpus.measures)})
    cfg = _settings(work, store, uri)
    t = time.perf_counter()
    index = rebuild(
        corpus,
        embedder,
        cfg.index_dir,
        cfg.vector_store,
        reason="bench",
        keywords=KeywordBuilder(cfg.retrieval.index_workers),
    )
    index_s = time.perf_counter() - t
    # questions: three words of a measure; its vector plus noise (cosine ≈ 0.67 to it, bench/scale.py)
    rng = np.random.default_rng(11)
    rows = rng.integers(0, len(keys), QUERIES)
    questions = []
    for r in rows:
        words = corpus.measures[r].body.split("，")
        pick = rng.choice(len(words), size=min(3, len(words)), replace=False)
        questions.append("".join(words[i][:6] for i in sorted(pick)) + "怎么办？")
    noise = normalized(rng.standard_normal((QUERIES, DIM), dtype=np.float32))
    np.save(work / "qvecs.npy", normalized(vectors[rows] + 1.1 * noise).astype(np.float32))
    (work / "questions.json").write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    if hasattr(index.store, "close"):
        index.store.close()
    return {
        "measures": len(keys),
        "documents": len(corpus.documents),
        "gen_s": round(gen_s, 1),
        "parse_s": round(parse_s, 1),
        "index_s": round(index_s, 1),
        "index": index.manifest["store"],
    }


def _serve(work: Path, store: str, uri: str, peer: bool = False) -> dict:
    """Load, build the retriever, time the searches. Unless it is itself the peer, it then starts a second
    search process over the same build (a second worker) and reads both processes' RSS and PSS while both
    are alive: the keyword indexes and vectors are mapped, so their pages are held once for the two."""
    import faiss

    from rag.corpus.collection import Corpus
    from rag.indexing.store import load_index
    from rag.retrieval import HybridRetriever

    cfg = _settings(work, store, uri)
    questions = json.loads((work / "questions.json").read_text(encoding="utf-8"))
    qvecs = np.load(work / "qvecs.npy")
    embedder = SyntheticEmbedder()
    t = time.perf_counter()
    corpus = Corpus.load(cfg.corpus_dir)
    index = load_index(corpus, embedder, cfg.index_dir, cfg.vector_store)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    retriever = HybridRetriever(corpus, embedder, index, cfg.retrieval, cfg.embedding.max_query_chars)
    retriever_s = time.perf_counter() - t
    for text, q in zip(
        questions, qvecs, strict=True
    ):  # the retriever embeds the planned text: give it the question's vector
        embedder.queries[retriever.plan(text).text[: cfg.embedding.max_query_chars]] = q
    t = time.perf_counter()
    retriever.retrieve(questions[0], 8)
    first_s = time.perf_counter() - t
    if peer:  # a second worker: ready, asked the same questions (so it has touched what a busy worker has), then
        # holding its pages until the first has read both processes' figures
        startup = round(load_s + retriever_s + first_s, 1)
        for text in questions:
            retriever.retrieve(text, 8)
        print(json.dumps({"rss_mb": round(_rss_mb()), "pss_mb": round(_pss_mb()), "startup_s": startup}), flush=True)
        sys.stdin.readline()
        return {}
    for text in questions[:10]:
        retriever.retrieve(text, 8)
    lat = []
    for text in questions:
        t = time.perf_counter()
        retriever.retrieve(text, 8)
        lat.append(time.perf_counter() - t)
    lat_ms = np.array(lat) * 1000
    rss, rss_file, peak = _rss_mb(), _rss_mb("RssFile"), _rss_mb("VmHWM")  # before the recall check's own copy
    second = subprocess.Popen(
        [sys.executable, __file__, "--phase", "peer", "0", str(work), store, uri],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert second.stdout is not None and second.stdin is not None
    two = json.loads(second.stdout.readline())
    two_workers = {"rss_mb": [round(rss), two["rss_mb"]], "pss_mb": [round(_pss_mb()), two["pss_mb"]]}
    second.stdin.write("\n")
    second.stdin.close()
    second.wait()
    exact = faiss.IndexFlatIP(DIM)
    for lo in range(0, len(index.vectors), 200_000):
        exact.add(np.ascontiguousarray(index.vectors[lo : lo + 200_000], dtype=np.float32))
    truth = exact.search(qvecs, 10)[1]
    pos = {k: i for i, k in enumerate(index.keys)}
    found = [[pos[k] for k, _ in index.store.search(q, 10)] for q in qvecs]
    recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    if hasattr(index.store, "close"):
        index.store.close()
    return {
        "load_s": round(load_s, 1),
        "retriever_s": round(retriever_s, 1),
        # start-up of a search process: corpus and index loaded, retriever made, first question answered
        "startup_s": round(load_s + retriever_s + first_s, 1),
        "rss_mb": round(rss),
        # of which mapped files (vectors, the keyword indexes): pages every process over the build shares
        "rss_file_mb": round(rss_file),
        "peak_rss_mb": round(peak),
        "search_p50_ms": round(float(np.percentile(lat_ms, 50)), 2),
        "search_p95_ms": round(float(np.percentile(lat_ms, 95)), 2),
        "dense_recall_at_10": round(recall, 4),
        "queries": len(questions),
        # both workers alive over one build: RSS counts the shared pages in each, PSS splits them
        "two_workers": two_workers,
        "second_startup_s": two["startup_s"],
    }


def _child(phase: str, args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{phase} phase failed ({out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(n: int, store: str, keep: Path | None = None) -> dict:
    """Build, then serve from a fresh process. With `keep`, the work directory is that one and stays: a build
    already there (its built.json) is served again without building (a 1M build takes most of an hour; its
    start-up and searches are timed on a quiet machine afterwards)."""
    work = keep or Path(tempfile.mkdtemp(prefix="scale-e2e-"))
    work.mkdir(parents=True, exist_ok=True)
    done = work / "built.json"
    started = time.perf_counter()
    try:
        if store == "milvus":
            from rag.vectorstores.milvus_server import local_server

            with local_server(work / "milvus") as uri:
                built = _child("build", [str(n), str(work), store, uri])
                served = _child("serve", ["0", str(work), store, uri])
        else:
            if keep is not None and done.is_file():
                built = json.loads(done.read_text(encoding="utf-8"))
            else:
                built = _child("build", [str(n), str(work), store, ""])
                done.write_text(json.dumps(built), encoding="utf-8")
            served = _child("serve", ["0", str(work), store, ""])
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    row = {
        "measures": built["measures"],
        "store": store,
        "index": built["index"],
        "build_s": round(built["index_s"] + served["load_s"] + served["retriever_s"], 1),
        "rss_mb": served["rss_mb"],
        "search_p50_ms": served["search_p50_ms"],
        "search_p95_ms": served["search_p95_ms"],
        "dense_recall_at_10": served["dense_recall_at_10"],
    }
    row["detail"] = {**built, **served, "total_s": round(time.perf_counter() - started, 1), "cores": os.cpu_count()}
    return row


# --- results -------------------------------------------------------------------------------------


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def table(rows: list[dict]) -> str:
    """One line a run: build, start-up of a search process (ready: corpus and index loaded, retriever made, first
    answer), search time, memory of one process, and of two over the same build (RSS each / PSS each)."""
    head = (
        "| measures | store | index | build s | ready s | search p50 ms | p95 ms | RSS MB (mapped) "
        "| two workers: RSS / PSS MB | dense recall@10 |\n"
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    )

    def two(r: dict) -> str:
        w = r.get("detail", {}).get("two_workers")
        if not w:
            return "–"
        rss, pss = (" + ".join(f"{x:,}" for x in w[k]) for k in ("rss_mb", "pss_mb"))
        return f"{rss} / {pss}"

    def ready(r: dict) -> str:
        return str(r.get("detail", {}).get("startup_s", "–"))

    def rss(r: dict) -> str:  # of which file pages mapped from the build: the pages every worker shares
        mapped = r.get("detail", {}).get("rss_file_mb")
        return f"{r['rss_mb']:,}" + (f" ({mapped:,})" if mapped is not None else "")

    body = [
        f"| {r['measures']:,} | {r['store']} | {r['index']} | {r['build_s']} | {ready(r)} | "
        f"{r['search_p50_ms']} | {r['search_p95_ms']} | {rss(r)} | {two(r)} | {r['dense_recall_at_10']} |"
        for r in sorted(rows, key=lambda r: (r["store"], r["measures"]))
    ]
    return "\n".join([head, *body])


def chart(rows: list[dict], path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart", file=sys.stderr)
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for store in sorted({r["store"] for r in rows}):
        rs = sorted((r for r in rows if r["store"] == store), key=lambda r: r["measures"])
        x = [r["measures"] for r in rs]
        ax1.plot(x, [r["search_p50_ms"] for r in rs], "o-", label=f"{store} p50")
        ax1.plot(x, [r["search_p95_ms"] for r in rs], "o--", label=f"{store} p95")
        ax2.plot(x, [r["rss_mb"] / 1024 for r in rs], "o-", label=store)
    for ax, title, unit in ((ax1, "search latency (HybridRetriever, 2 cores)", "ms"), (ax2, "serving RSS", "GB")):
        ax.set_xscale("log")
        ax.set_xlabel("measures")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measures", type=int, default=10_000)
    ap.add_argument("--store", choices=["faiss", "milvus"], default="faiss")
    ap.add_argument("--json", type=Path, help="write this run's figures here")
    ap.add_argument("--keep", type=Path, help="work in this directory and keep it; a build there is served again")
    ap.add_argument("--record", action="store_true", help="also record the run in bench/results (the docs' table)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results directory (default: bench/results)")
    ap.add_argument("--report", action="store_true", help="table and chart from bench/results/scale_e2e.json")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        import logging

        logging.basicConfig(level=logging.WARNING)
        n, work, store, uri = int(args.rest[0]), Path(args.rest[1]), args.rest[2], args.rest[3]
        if args.phase == "peer":
            _serve(work, store, uri, peer=True)
            return 0
        result = _build(n, work, store, uri) if args.phase == "build" else _serve(work, store, uri)
        print(json.dumps(result))
        return 0
    results = args.out / "scale_e2e.json"
    rows = _load(results)
    if not args.report:
        row = run(args.measures, args.store, args.keep)
        print(json.dumps({k: v for k, v in row.items() if k != "detail"}))
        print(json.dumps(row["detail"]), file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps(row, indent=1), encoding="utf-8")
        rows = [r for r in rows if (r["measures"], r["store"]) != (row["measures"], row["store"])] + [row]
        if not args.record:  # the tracked table changes only when asked
            print(table(rows))
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(table(rows))
    drawn = chart(rows, args.out / "scale_e2e.png")
    if drawn:
        print(f"chart: {drawn.relative_to(ROOT) if drawn.is_relative_to(ROOT) else drawn}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
