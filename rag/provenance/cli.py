"""`rag data manifest|check`: the learned data's manifest (rag/provenance/manifest.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def add_parser(sub) -> None:
    from rag.provenance.record import BANK_ONLY, FITTED_ON

    s = sub.add_parser("data", help="the learned models and question bank (rag/data) and their manifest")
    dsub = s.add_subparsers(dest="data_command", required=True)
    b = dsub.add_parser(
        "manifest",
        help="write manifest.json for learned files fitted before manifests existed, without refitting "
        "(`rag calibrate` writes it itself)",
    )
    b.add_argument("--dir", type=Path, default=DATA, help="the directory of the learned files (default: rag/data)")
    b.add_argument("--labelled", nargs="+", type=Path, default=[Path(p) for p in FITTED_ON], metavar="FILE")
    b.add_argument("--bank-only", nargs="*", type=Path, default=[Path(p) for p in BANK_ONLY], metavar="FILE")
    b.add_argument("--max-false-refusal", type=float, default=0.01)
    b.set_defaults(func=write)
    b = dsub.add_parser("check", help="check the learned files against their manifest and this configuration")
    b.add_argument("--dir", type=Path, default=DATA)
    b.set_defaults(func=check)


def write(args: argparse.Namespace) -> int:
    from rag.provenance.record import record_after_the_fact
    from rag.settings import get_settings

    path = record_after_the_fact(
        args.dir, get_settings(), args.labelled, args.bank_only, args.max_false_refusal, ["rag", *args.argv]
    )
    print(f"wrote {path}")
    return 0


def check(args: argparse.Namespace) -> int:
    """Exit 1 where a learned file would not be used (checksum, embedding model); settings only advise."""
    from rag.embeddings import make_embedder
    from rag.provenance.manifest import labelled_changes, problems, read_manifest, setting_changes
    from rag.settings import get_settings

    settings = get_settings()
    manifest = read_manifest(args.dir)
    if manifest is None:
        print(f"no manifest in {args.dir}: nothing to check (run `rag calibrate`, or `rag data manifest`)")
        return 1
    embedder = make_embedder(settings.embedding)
    found = [p for name in manifest["files"] for p in problems(args.dir / name, embedder.name, embedder.dim)]
    for p in found:
        print(p)
    for change in setting_changes(args.dir, settings):
        print(f"fitted with other settings: {change}")
    for name in labelled_changes(manifest):
        print(f"labelled file changed since the fit: {name} (re-run `rag calibrate` to fit on it as it is)")
    print(f"{len(found)} problem(s)" if found else f"{len(manifest['files'])} learned files fit this configuration")
    return 1 if found else 0
