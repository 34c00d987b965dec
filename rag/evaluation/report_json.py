"""The JSON record of a run (`--json OUT`), which is also what `--baseline` reads back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from rag.evaluation.aggregate import aggregate
from rag.evaluation.dataset import DatasetError
from rag.evaluation.evaluate import QuestionResult

FORMAT = "rag-eval/1"


def build_report(results: list[QuestionResult], meta: dict) -> dict:
    overall, by_category = aggregate(results)
    return {
        "format": FORMAT,
        "meta": {"created": datetime.now(UTC).isoformat(timespec="seconds"), **meta},
        "overall": overall,
        "by_category": by_category,
        "questions": [r.to_dict() for r in results],
    }


def write_json(report: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)  # a half-written baseline would break the next CI run
    return path


def load_report(path: str | Path) -> dict:
    """A report written by `rag eval --json`; DatasetError (exit 2) for anything else."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such baseline file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: not a JSON report ({exc})") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("overall"), dict)
        or not isinstance(data.get("by_category", {}), dict)
        or not isinstance(data.get("questions", []), list)
    ):
        raise DatasetError(
            f"{path}: not a report written by `rag eval --json` (needs 'overall', 'by_category', 'questions')"
        )
    return data
