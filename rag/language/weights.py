"""How much a word says, in general Chinese: jieba's IDF table, estimated from a large general corpus that
knows nothing of any notice. 企业, 办理, 怎么 weigh little; 户口, 天气, 留抵 weigh much. The scope judgement
weighs a question's words by it, so no list of "generic" words is needed."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], float]:
    from jieba.analyse import default_tfidf

    return default_tfidf.idf_freq, float(default_tfidf.median_idf)


def general_idf(word: str) -> float:
    """IDF of a word in general text; words the table lacks are rare, and weigh as its median."""
    table, median = _table()
    return table.get(word, median)
