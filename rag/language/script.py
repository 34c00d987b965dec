"""Traditional characters read as simplified. The notices are simplified; a user in Taiwan or Hong Kong
types 營業執照 for 营业执照. Questions are converted before anything looks at them; answers quote the notice
as written. OpenCC's phrase-level tables (t2s) rather than a character map: 乾 stays 乾 in 乾隆, 干 in 乾燥."""

from __future__ import annotations

import re
from functools import lru_cache

_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text with traditional characters replaced; text without CJK characters is returned as it is."""
    if not _CJK.search(text):
        return text
    return _converter().convert(text)
