"""`rag log export`: the question log as JSON Lines, oldest first, for evaluators."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime


def add_parser(sub) -> None:
    s = sub.add_parser("log", help="the question log (what people asked, what they were told)")
    lsub = s.add_subparsers(dest="log_command", required=True)
    b = lsub.add_parser("export", help="log entries as JSON Lines, oldest first")
    b.add_argument("--since", type=datetime.fromisoformat, help="ISO date or time: 2026-12-01 or 2026-12-01T08:00")
    refused = b.add_mutually_exclusive_group()
    refused.add_argument("--refused", dest="refused", action="store_const", const=True, help="only refused questions")
    refused.add_argument("--answered", dest="refused", action="store_const", const=False, help="only answered ones")
    b.add_argument("--out", help="write to this file instead of stdout")
    b.set_defaults(func=export)


def export(args: argparse.Namespace) -> int:
    from rag.questionlog import open_log
    from rag.settings import get_settings

    cfg = get_settings()
    log = open_log(cfg.data_dir, cfg.question_log.retention_days)
    lines = (e.model_dump_json() for e in log.entries(refused=args.refused, since=args.since))
    if not args.out:
        for line in lines:
            print(line)
        return 0
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
            n += 1
    print(f"wrote {n} log entries to {args.out}", file=sys.stderr)
    return 0
