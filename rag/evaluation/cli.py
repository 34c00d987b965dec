"""`rag eval FILE.jsonl`: run a QA regression file, print the table, write JSON/HTML, gate on a baseline.

Exit status: 0 fine; 1 a gated metric dropped by more than --max-drop, or questions could not be
evaluated; 2 the input is unusable (malformed file, missing baseline, server unreachable).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.evaluation.runners import EvalServices

MODES = ("auto", "llm", "extractive")
SHOW_BROKEN = 30  # in the terminal; the JSON and HTML reports list every one


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="QA set, one JSON object a line (../shared/eval-format.md)")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only; ask for no answers")
    p.add_argument("--mode", choices=MODES, default="auto", help="answer mode to request (default: auto)")
    p.add_argument("--url", help="evaluate a running server (e.g. http://127.0.0.1:8000) instead of in-process")
    p.add_argument("--json", metavar="OUT", help="write the full results (usable later as --baseline)")
    p.add_argument("--report", metavar="OUT.html", help="write a self-contained HTML report")
    p.add_argument("--baseline", metavar="PREV.json", help="compare with an earlier --json output and gate on it")
    p.add_argument(
        "--max-drop",
        type=float,
        default=0.02,
        help="largest tolerated fall of a quality metric against the baseline (default 0.02)",
    )
    p.add_argument(
        "--gate-categories", action="store_true", help="gate on every category's metrics too, not only the overall ones"
    )
    p.add_argument(
        "--scope-doc",
        action="store_true",
        help="pass a question's 'doc' as the request's doc (by default questions are asked unscoped)",
    )
    p.add_argument(
        "--corpus-dir", metavar="DIR", help="evaluate over the notices in DIR instead of the project's corpus/"
    )
    p.add_argument(
        "--index-dir",
        metavar="DIR",
        help="the index to use, built there if missing or stale (needed with --corpus-dir; the project's index/ "
        "is only read, to reuse vectors)",
    )
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per HTTP request with --url")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _fail(message: str) -> int:
    print(f"rag eval: {message}", file=sys.stderr)
    return 2


def run_eval(args: argparse.Namespace, services: EvalServices | None = None) -> int:
    from rag.corpus.ids import normalize_id
    from rag.evaluation.compare import compare
    from rag.evaluation.dataset import DatasetError, load_dataset
    from rag.evaluation.evaluate import evaluate
    from rag.evaluation.report_html import write_html
    from rag.evaluation.report_json import build_report, load_report, write_json
    from rag.evaluation.runners import HttpRunner, InProcessRunner, Runner, RunnerError
    from rag.evaluation.table import answerable_refused, comparison_table, metrics_table

    if args.max_drop < 0:
        return _fail("--max-drop must be 0 or more")
    try:  # everything that can be wrong with the inputs is found before minutes of evaluation
        dataset = load_dataset(args.file)
        baseline = load_report(args.baseline) if args.baseline else None
    except DatasetError as exc:
        return _fail(str(exc))
    answers = not args.retrieval_only
    own_folders = args.corpus_dir is not None or args.index_dir is not None
    if args.url and own_folders:
        return _fail("--corpus-dir and --index-dir set up an in-process run; a server at --url has its own")
    try:
        runner: Runner
        if args.url:
            runner = HttpRunner(args.url, timeout_s=args.timeout)
        else:
            if services is None:  # rag.cli passes the services unless --url
                raise RunnerError("an in-process evaluation needs the services; give --url to evaluate a server")
            if own_folders:
                from rag.evaluation.corpus_setup import SetupError, services_for

                try:
                    services, note = services_for(services, args.corpus_dir, args.index_dir)
                except SetupError as exc:
                    return _fail(str(exc))
                print(f"rag eval: {note}", file=sys.stderr)
            in_process = InProcessRunner(services)
            if answers:
                in_process.answerer()
            runner = in_process
        corpus_keys = runner.corpus_keys()
        known = {i for _, i in corpus_keys}
        unknown = sorted({g for q in dataset.questions for g in q.gold_ids if normalize_id(g) not in known})
        if unknown:
            print(
                f"rag eval: warning: gold ids not in the corpus (they can never be retrieved): {', '.join(unknown)}",
                file=sys.stderr,
            )
        loaded = {d for d, _ in corpus_keys}
        absent = sorted({q.doc for q in dataset.questions if q.doc and q.doc not in loaded})
        if absent:
            print(
                f"rag eval: warning: questions about documents not loaded (they can never hit): {', '.join(absent)}",
                file=sys.stderr,
            )
        results = evaluate(
            dataset.questions,
            runner,
            answers=answers,
            mode=args.mode,
            progress=not args.no_progress,
            corpus_keys=corpus_keys,
            scope_doc=args.scope_doc,
        )
        system = runner.describe()
    except RunnerError as exc:
        return _fail(str(exc))

    meta = {
        "file": str(args.file),
        "questions": len(dataset.questions),
        "runner": runner.where,
        "measured": "retrieval" if args.retrieval_only else "retrieval+answers",
        **({"mode": args.mode} if answers else {}),
        **({"scope_doc": True} if args.scope_doc else {}),
        **({"corpus_dir": str(args.corpus_dir)} if args.corpus_dir else {}),
        **({"index_dir": str(args.index_dir)} if args.index_dir else {}),
        **system,
    }
    report = build_report(results, meta)
    print(metrics_table(report["overall"], report["by_category"]))
    if (line := answerable_refused(report["overall"])) is not None:
        print(line)
    failed = sum(1 for q in report["questions"] if not q["passed"])
    print(
        f"\n{len(results)} questions, {report['overall']['n_retrieval']} with gold ids; "
        f"{failed} failed at least one check."
    )
    status = 0
    errors = report["overall"].get("errors", 0)
    if errors:
        print(f"rag eval: {errors} questions could not be evaluated (see 'errors' in the JSON)", file=sys.stderr)
        status = 1
    comparison = None
    if baseline is not None:
        comparison = compare(report, baseline, args.max_drop, gate_categories=args.gate_categories)
        report["comparison"] = comparison.to_dict()
        print(f"\nAgainst {args.baseline}:")
        print(comparison_table(comparison))
        for note in comparison.notes:
            print(f"note: {note}")
        if comparison.broke:
            print(f"\nFrom pass to fail ({len(comparison.broke)}):")
            for b in comparison.broke[:SHOW_BROKEN]:
                print(f"  {b['id']} [{b['category']}] {b['question']}  ({', '.join(b['checks'])})")
            if len(comparison.broke) > SHOW_BROKEN:
                print(f"  … and {len(comparison.broke) - SHOW_BROKEN} more (all of them in --json and --report)")
        if comparison.fixed:
            print(f"From fail to pass ({len(comparison.fixed)}): {', '.join(str(f['id']) for f in comparison.fixed)}")
        if comparison.ok:
            print(f"\ngate: ok (no gated metric dropped by more than {args.max_drop})")
        else:
            print(
                "\ngate: REGRESSION, "
                + "; ".join(
                    f"{c.scope} {c.metric} {c.before:.3f} -> {c.after:.3f} ({c.delta:+.3f})"
                    for c in comparison.failures
                )
            )
            status = 1
    try:
        if args.json:
            print(f"wrote {write_json(report, args.json)}")
        if args.report:
            print(f"wrote {write_html(report, args.report, comparison)}")
    except OSError as exc:
        return _fail(f"cannot write the report: {exc}")
    return status
