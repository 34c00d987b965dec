"""Which characters of a question are Cantonese grammar (冇, 啲, 嘅, 唔係, 點樣), by canto-filter's tables of
characters and words that written Cantonese has and Mandarin lacks. jieba's IDF table comes from Mandarin
text, so it weighs these as rare, telling words; a question written in Cantonese then looks as if its most
telling word were one no notice uses. On labelled questions by writers who wrote Cantonese, 7 of the 8
answerable ones refused had a Cantonese word as their heaviest (README, Scope). Language knowledge from a
maintained package, not a word list of ours: no notice says 冇."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], ...]:
    """canto-filter's two tables, and the same in simplified characters: questions are simplified before the
    scope reads them, and some forms do not come back by s2t (唔係 → 唔系 → 唔系, since 系 is also 系统's)."""
    import opencc
    from cantofilter.judge import CANTO_UNIQUE_CHAR, CANTO_UNIQUE_WORD

    simplify = opencc.OpenCC("t2s").convert
    tables = (CANTO_UNIQUE_CHAR, CANTO_UNIQUE_WORD)
    return (*tables, *(re.compile(simplify(t.pattern)) for t in tables))


@lru_cache(maxsize=1)
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def cantonese_positions(text: str) -> set[int]:
    """Offsets of the characters of `text` that belong to a Cantonese-only character or word. The tables are
    written in traditional characters; a simplified question (点样) is read in its traditional form, where
    the conversion keeps every character's offset."""
    tables = _tables()
    forms = [text]
    traditional = _to_traditional().convert(text)
    if len(traditional) == len(text):
        forms.append(traditional)
    found: set[int] = set()
    for form in forms:
        for pattern in tables:
            for m in pattern.finditer(form):
                found.update(range(m.start(), m.end()))
    return found
