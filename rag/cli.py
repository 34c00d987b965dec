"""The `rag` command. Each sub-command is a small function; heavy imports happen inside it."""
from __future__ import annotations

import argparse
import json
import logging
import sys

from rag.settings import get_settings


def _services():
    from rag.services import get_services

    return get_services()


def cmd_serve(args) -> int:
    import uvicorn

    from rag.api.app import create_app

    cfg = get_settings()
    svc = _services()
    svc.retriever  # build or load the index before accepting requests
    app = create_app(svc)
    uvicorn.run(app, host=args.host or cfg.server.host, port=args.port or cfg.server.port, log_level="info")
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


def cmd_measures(args) -> int:
    measures = [m for m in _services().corpus.measures if args.doc is None or m.doc == args.doc]
    if args.json:
        print(json.dumps([m.to_dict() for m in measures], ensure_ascii=False, indent=1))
        return 0
    for m in measures:
        print(f"{m.doc}:{m.id}\t{'、'.join(m.units)}\t{m.body}")
    return 0


def cmd_index_build(args) -> int:
    from rag.indexing.store import build_index, load_index

    svc = _services()
    cfg = svc.settings
    reuse = None
    if not args.force:
        try:
            reuse = load_index(svc.corpus, svc.embedder, cfg.index_dir, cfg.vector_store)
        except Exception:
            reuse = None
    if reuse is not None and not args.force:
        print(f"index is current: {reuse.path} ({reuse.manifest['count']} measures, {reuse.manifest['embedding_model']})")
        return 0
    built = build_index(svc.corpus, svc.embedder, cfg.index_dir, cfg.vector_store, reason="rag index build")
    print(f"built {built.path}: {built.manifest['count']} measures, {built.manifest['embedded']} embedded, "
          f"model {built.manifest['embedding_model']}, store {built.manifest['store']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Question answering over policy notices")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the HTTP API (and the UI at /ui)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("search", help="retrieve measures for a question")
    s.add_argument("query")
    s.add_argument("--top-k", type=int, default=5)
    s.add_argument("--doc", help="limit to one document id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("measures", help="list every measure")
    s.add_argument("--doc")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_measures)

    s = sub.add_parser("index", help="index maintenance")
    isub = s.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser("build", help="build the index (only if missing or stale, unless --force)")
    b.add_argument("--force", action="store_true")
    b.set_defaults(func=cmd_index_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except (FileNotFoundError, ValueError) as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
