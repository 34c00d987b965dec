"""When a notice is in force: from its closing lines where it gives them (`本措施自2023年8月1日起施行，有效期
至2025年7月31日。`, `自印发之日起实施`, `有效期3年`, `原《……》同时废止`), otherwise from the sidecar
`corpus/<doc>.meta.yaml` (effective_from, effective_until, superseded_by), which a maintainer writes for
notices that only state their issuing date. The text wins over the sidecar: it is the notice's own word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

META_SUFFIX = ".meta.yaml"  # beside a notice: corpus/<doc>.meta.yaml
_META_KEYS = ("effective_from", "effective_until", "superseded_by")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_CN_YEARS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class Validity:
    effective_from: date | None = None
    effective_until: date | None = None
    superseded_by: str | None = None  # the document id (or title) that replaced this one
    supersedes: tuple[str, ...] = ()  # titles this notice repeals (原《…》同时废止)
    superseded_from: date | None = None  # when the replacing notice takes effect; None: already replaced

    def status(self, today: date) -> str:
        """in_force | expired | superseded | not_yet"""
        if self.superseded_by and (self.superseded_from is None or self.superseded_from <= today):
            return "superseded"
        if self.effective_until and self.effective_until < today:
            return "expired"
        if self.effective_from and self.effective_from > today:
            return "not_yet"
        return "in_force"

    def to_dict(self, today: date | None = None) -> dict:
        out = {
            "effective_from": _iso(self.effective_from),
            "effective_until": _iso(self.effective_until),
            "superseded_by": self.superseded_by,
            "superseded_from": _iso(self.superseded_from),
            "supersedes": list(self.supersedes),
        }
        if today is not None:
            out["status"] = self.status(today)
        return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(match: re.Match[str] | None) -> date | None:
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """2021年4月28日 or 2021-04-28 (the header's 发文日期)."""
    m = re.search(_DATE, text) or re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    return _date(m)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def from_closing(lines: list[str], issued: date | None) -> Validity:
    """The validity the closing lines state; `issued` dates 自印发之日起."""
    text = "".join(lines)
    start = _date(re.search(rf"自\s*{_DATE}\s*起", text))
    if start is None and re.search(r"自(?:印发|发布|公布)之日起", text):
        start = issued
    until = _date(re.search(rf"有效期(?:至|到|截至){_DATE}", text)) or _date(re.search(rf"{_DATE}(?:前|止)有效", text))
    span = re.search(r"有效期(?:为)?([0-9一二两三四五六七八九十]+)年", text)
    if until is None and span and start is not None:
        n = span.group(1)
        years = int(n) if n.isdigit() else _CN_YEARS.get(n, 0)
        until = _add_years(start, years) - timedelta(days=1) if years else None
    repealed = tuple(re.findall(r"原《([^》]+)》[^。]*?(?:同时)?(?:废止|停止执行)", text))
    return Validity(start, until, None, repealed)


def _meta_date(value: object, path: Path, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(f"{path}: {key} must be a date (2025-07-31 or 2025年7月31日), not {value!r}")
    return parsed


def load_meta(path: Path) -> Validity:
    """The sidecar's validity; an unknown key or a bad date is an error that names the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: not readable as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with {', '.join(_META_KEYS)}")
    unknown = set(data) - set(_META_KEYS)
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}; expected {', '.join(_META_KEYS)}")
    superseded = data.get("superseded_by")
    return Validity(
        _meta_date(data.get("effective_from"), path, "effective_from"),
        _meta_date(data.get("effective_until"), path, "effective_until"),
        str(superseded) if superseded else None,
    )


def merged(text: Validity, meta: Validity | None) -> Validity:
    """The text's own dates, with the sidecar filling what the text leaves open."""
    if meta is None:
        return text
    return replace(
        text,
        effective_from=text.effective_from or meta.effective_from,
        effective_until=text.effective_until or meta.effective_until,
        superseded_by=text.superseded_by or meta.superseded_by,
    )
