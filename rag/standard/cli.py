"""`rag answers export|import`: standard answers as JSON Lines (the admin API's export format)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.standard.service import StandardAnswers


def add_parser(sub, answers: Callable[[], StandardAnswers]) -> None:
    """`answers` gives the live standard answers when a command runs (rag.cli wires them; parsing needs none)."""
    s = sub.add_parser("answers", help="standard answers (标准答复) staff curate")
    asub = s.add_subparsers(dest="answers_command", required=True)
    b = asub.add_parser("export", help="every standard answer as JSON Lines")
    b.add_argument("--out", help="write to this file instead of stdout")
    b.set_defaults(func=lambda args: export(args, answers()))
    b = asub.add_parser("import", help="add (or replace, by question) the answers of a JSON Lines file")
    b.add_argument("file", type=Path)
    b.add_argument("--editor", default="cli", help="recorded as who made the change")
    b.set_defaults(func=lambda args: import_file(args, answers()))


def export(args: argparse.Namespace, answers: StandardAnswers) -> int:
    lines = answers.export_jsonl()
    if not args.out:
        for line in lines:
            print(line)
        return 0
    rows = list(lines)
    Path(args.out).write_text("".join(line + "\n" for line in rows), encoding="utf-8")
    print(f"wrote {len(rows)} standard answers to {args.out}", file=sys.stderr)
    return 0


def import_file(args: argparse.Namespace, answers: StandardAnswers) -> int:
    from rag.standard.checks import StandardAnswerError
    from rag.standard.service import parse_jsonl

    try:
        rows = parse_jsonl(args.file.read_text(encoding="utf-8"))
        done = answers.import_rows(rows, args.editor)
    except StandardAnswerError as exc:
        print("rag answers import: nothing imported:\n  " + "\n  ".join(exc.problems), file=sys.stderr)
        return 1
    print(f"{done['created']} created, {done['replaced']} replaced", file=sys.stderr)
    return 0
