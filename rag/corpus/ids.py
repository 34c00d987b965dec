"""Measure ids in the forms people write them: 二(四)4, 二（四）4, 二.4.4, 第二部分第四节第4条, 二、（四）4;
where parts have no sections, 二4 and 第二部分第4条; and 第4条 alone, which names an item when its number is
unique in the document (items numbered straight through).

A parsed reference may lack its item (二(七), 第二部分第四节): it then names a section. Which measure a
reference means is the corpus's call (Corpus.resolve): 二.4 is section (四) of part 二 where part 二 has
sections, and its item 4 where it has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM = "[一二两三四五六七八九十〇零]+"
NUM = rf"(?:{CN_NUM}|\d+)"


def cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


@dataclass(frozen=True)
class MeasureRef:
    part: int | None  # None: 第4条, an item number alone
    section: int | None  # None: a part without sections (二4)
    item: int | None = None

    @property
    def canonical(self) -> str | None:
        """The id as the parser writes it; None for 第4条, which only the corpus can place."""
        if self.part is None:
            return None
        if self.section is None:
            return f"{int_to_cn(self.part)}{self.item}" if self.item is not None else None
        base = f"{int_to_cn(self.part)}({int_to_cn(self.section)})"
        return f"{base}{self.item}" if self.item is not None else base

    @property
    def section_id(self) -> str | None:
        if self.part is None or self.section is None:
            return None
        return f"{int_to_cn(self.part)}({int_to_cn(self.section)})"


_OPEN = r"[(（]"
_CLOSE = r"[)）]"
_PATTERNS = [
    # 二(四)4, 二（四）4, 二、（四）4, 二(四)第4条, 二（七）
    # also with the section in Arabic numerals, as window staff type it: 三(5)2, 三（5）
    re.compile(
        rf"(?<![一二两三四五六七八九十])({CN_NUM})\s*[、.．]?\s*{_OPEN}\s*({CN_NUM}|\d{{1,2}})\s*{_CLOSE}\s*(?:第\s*)?(\d+|{CN_NUM}(?=\s*[条项点款]))?"
    ),
    # 3(5)2: all Arabic; the item is required, so that a bare "3(5)" in running text is not read as an id
    re.compile(rf"(?<![\d.．])(\d{{1,2}})\s*{_OPEN}\s*(\d{{1,2}})\s*{_CLOSE}\s*(\d{{1,2}})(?![\d.．%])"),
    # 第二部分第四节第4条, 第二部分第（四）项第4条, 第二部分第七节
    re.compile(
        rf"第\s*({NUM})\s*(?:部分|大项|章|篇)\s*[、，,]?\s*第?\s*{_OPEN}?\s*({NUM})\s*{_CLOSE}?\s*(?:节|项|部分|小节|方面)?"
        rf"\s*[、，,]?\s*(?:第\s*({NUM})\s*(?:条|项|点|款|小点|措施))?"
    ),
    # part 2 section 4 item 4 / part 2, section 4, measure 4
    re.compile(r"(?i)part\s*(\d+)\s*,?\s*section\s*(\d+)\s*(?:,?\s*(?:item|measure|point)\s*(\d+))?"),
    # 二.4.4, 2.4.4, 二.7
    re.compile(rf"(?<![\d.．])({CN_NUM})[.．](\d+)(?:[.．](\d+))?(?![\d.．%])"),
    re.compile(r"(?<![\d.．])(\d)[.．](\d+)[.．](\d+)(?![\d.．%])"),
]
# 二4, 措施二4, 【二4】: a part numeral and an item number, standing alone (not 统一2个, 十二5)
_PART_ITEM = re.compile(
    rf"(?:^|(?<=[\s，,。；;：:、（(【\[“\"])|(?<=措施)|(?<=条款))({CN_NUM})(\d{{1,3}})(?![\d.．%A-Za-z]|[个月日年号倍次家万亿元])"
)
_PART_THEN_ITEM = re.compile(rf"第\s*({NUM})\s*(?:部分|大项|章|篇)\s*[、，,]?\s*第\s*({NUM})\s*条")
_ITEM_ONLY = re.compile(rf"第\s*(\d+|{CN_NUM})\s*条")  # 第4条: placed by the corpus when unique


def find_refs(text: str) -> list[MeasureRef]:
    """Every measure reference written in the text, in order of appearance, without repeats."""
    found: list[tuple[int, MeasureRef]] = []
    taken: list[tuple[int, int]] = []
    for m in _PART_THEN_ITEM.finditer(text):  # 第二部分第3条: an item of a part without sections, not section (三)
        try:
            ref = MeasureRef(cn_to_int(m.group(1)), None, cn_to_int(m.group(2)))
        except (KeyError, ValueError):
            continue
        taken.append(m.span())
        found.append((m.start(), ref))
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            span = m.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            try:
                part = cn_to_int(m.group(1))
                section = cn_to_int(m.group(2))
                item = cn_to_int(m.group(3)) if m.group(3) else None
            except (KeyError, ValueError):
                continue
            if not (1 <= part <= 20 and 1 <= section <= 30) or (item is not None and not 1 <= item <= 99):
                continue
            taken.append(span)
            found.append((span[0], MeasureRef(part, section, item)))
    for pattern, make in (
        (_PART_ITEM, lambda m: MeasureRef(cn_to_int(m.group(1)), None, int(m.group(2)))),
        (_ITEM_ONLY, lambda m: MeasureRef(None, None, cn_to_int(m.group(1)))),
    ):
        for m in pattern.finditer(text):
            span = m.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            try:
                ref = make(m)
            except (KeyError, ValueError):
                continue
            if (ref.part is None or 1 <= ref.part <= 20) and ref.item is not None and 1 <= ref.item <= 999:
                taken.append(span)
                found.append((span[0], ref))
    refs: list[MeasureRef] = []
    for _, ref in sorted(found, key=lambda pair: pair[0]):
        if ref not in refs:
            refs.append(ref)
    return refs


def parse_ref(text: str) -> MeasureRef | None:
    """The reference a whole string names (for /api/measures/{id}); None if it names none."""
    refs = find_refs(text.strip())
    return refs[0] if len(refs) == 1 else None


def normalize_id(text: str) -> str:
    """Canonical form for comparison: full-width parentheses as ASCII, white space removed."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
