"""Time limits inside a measure, kept exactly as written (`2021年6月前`, `2022年6月底前`, `一个月内`,
`5个工作日内`, `每季度最后一个月15日前`), each with the last day it allows where the text fixes one.

Window staff are asked "what is due before June?", so a dated limit gets `by`, the last day that still
meets it: `2022年6月底前` → 2022-06-30, `2021年6月前` → 2021-05-31 (before June begins), `2023年底前` →
2023-12-31, `年内` → the end of the notice's year. Durations (`5个工作日内`) and recurring limits
(`每季度…15日前`) have no single date: `by` is None and `kind` says which they are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_CN_COUNT = "(?:[0-9一二两三四五六七八九十百]+|半)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 每季度最后一个月15日前 · 每月10日前 · 每年3月底前 · 每年……不超过2次
    (
        "recurring",
        re.compile(
            r"每(?:个)?(?:季度|半年|年度?|月|周|星期)[^，,。；;、]{0,16}?(?:\d{1,2}日|月底|底|末)(?:前|之前|以前)"
        ),
    ),
    ("recurring", re.compile(rf"每(?:个)?(?:季度|半年|年度?|月|周)[^，,。；;]{{0,20}}?不(?:超过|多于){_CN_COUNT}次")),
    # 2021年6月前 · 2022年6月底前 · 2023年底前 · 2021年6月30日前 · 2022年上半年前 · 2025年前
    (
        "date",
        re.compile(
            r"(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?|底|末|年底|上半年|下半年"
            r"|第?[一二三四1-4]季度(?:末|底)?)?"
            r"(?:前|之前|以前)"
        ),
    ),
    # 一个月内 · 5个工作日内 · 30日内 · 3天内 · 两年内 · 24小时内 · 半个月内 (before 年内: 两年内 is a duration)
    (
        "duration",
        re.compile(rf"{_CN_COUNT}(?:个)?(?:工作日|自然日|日|天|周|个月|月|季度|年|小时|分钟)(?:之内|以内|内)"),
    ),
    # 年内 · 年底前 · 6月底前 (the notice's year) · 次年6月前 (the year after)
    (
        "date",
        re.compile(
            r"(?<![\d一二两三四五六七八九十百半])(?:(?:次年|明年|当年|今年)?\d{1,2}月(?:\d{1,2}日|底|末)?(?:前|之前|以前)"
            r"|(?:次年|明年|当年|今年)?年?底前|今年内|年内)"
        ),
    ),
]


@dataclass(frozen=True)
class Deadline:
    text: str  # as written
    kind: str  # date | duration | recurring
    by: date | None = None  # the last day that meets it, where the text fixes one

    def to_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "by": self.by.isoformat() if self.by else None}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _resolve(text: str, year: int | None) -> date | None:
    """The last day a dated limit allows; None where the text does not fix it."""
    if text in ("年内", "今年内", "当年内"):
        return date(year, 12, 31) if year is not None else None
    later = text.startswith(("次年", "明年"))  # the year after the notice's
    text = re.sub(r"^(?:次年|明年|当年|今年)", "", text)
    m = re.match(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(?:(\d{1,2})日)?(.*)$", text)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) else (year + 1 if later and year is not None else year)
    month, day, rest = m.group(2), m.group(3), m.group(4)
    if y is None:
        return None
    try:
        if text.startswith("年内") or rest.startswith(("底", "末", "年底")):
            return _month_end(y, int(month)) if month else date(y, 12, 31)
        if month and day:  # 6月30日前: that day itself is meant, as people read it
            return date(y, int(month), int(day))
        if month and rest.startswith(("下旬",)):
            return _month_end(y, int(month))
        if month and rest.startswith(("中旬",)):
            return date(y, int(month), 20)
        if month and rest.startswith(("上旬",)):
            return date(y, int(month), 10)
        if month:  # 6月前: before June begins
            return date(y, int(month), 1) - timedelta(days=1)
        if rest.startswith("上半年"):
            return date(y, 6, 30)
        if rest.startswith("下半年"):
            return date(y, 12, 31)
        quarter = re.match(r"第?([一二三四1-4])季度", rest)
        if quarter:
            q = quarter.group(1)
            return _month_end(y, ("一二三四".index(q) if q in "一二三四" else int(q) - 1) * 3 + 3)
        return date(y, 1, 1) - timedelta(days=1)  # 2025年前: before 2025 begins
    except ValueError:  # 2月30日: keep the text, fix no date
        return None


def find_deadlines(text: str, year: int | None = None) -> tuple[Deadline, ...]:
    """Every time limit in the text, in order, each once; `year` dates those that name none (年底前)."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue  # a longer, earlier pattern already took these characters
            spans.append((m.start(), m.end(), kind))
    out: list[Deadline] = []
    last_year = year
    for start, end, kind in sorted(spans):
        written = text[start:end]
        named = re.match(r"(\d{4})年", written)
        if named:
            last_year = int(named.group(1))  # 2021年6月前完成…，12月底前…: the later limit is in 2021 too
        by = _resolve(written, last_year) if kind == "date" else None
        if all(d.text != written for d in out):
            out.append(Deadline(written, kind, by))
    return tuple(out)
