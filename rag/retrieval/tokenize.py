"""Tokens for BM25: jieba words for Chinese (search mode, so compounds also yield their parts) plus
lower-cased Latin words and numbers. The corpus's own unit names and key terms are added to jieba's
dictionary so they are kept whole as well as split."""

from __future__ import annotations

import logging
import re
import threading

import jieba

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_ready = False
_STOP = set(
    (
        "的 了 和 与 及 等 在 是 有 对 将 为 把 被 就 都 而 或 也 又 并 从 以 向 中 上 下 "
        "我 我们 你 你们 他 她 它 这 那 哪 哪个 哪些 什么 怎么 怎样 如何 吗 呢 吧 啊 呀 "
        "请问 一下 可以 能 要 想 需要 办 找 个 家 一 之 其 该 各 所 于 由 给 让 使 "
        "具体 措施 相关 进一步 单位 部门 负责 谁 咋 啥 ？ ? ， , 。 、 ： : （ ） ( ) “ ” 《 》 ！ !"
    ).split()
)
_LATIN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def prepare(extra_words: list[str]) -> None:
    global _ready
    with _lock:
        for w in extra_words:
            if len(w) >= 2:
                jieba.add_word(w, freq=2000)
        jieba.initialize()
        _ready = True


def tokenize(text: str) -> list[str]:
    if not _ready:
        prepare([])
    text = text.lower()
    out = []
    for tok in jieba.cut_for_search(text):
        tok = tok.strip()
        if not tok or tok in _STOP:
            continue
        if re.fullmatch(r"[a-z0-9.%]+", tok):
            out.extend(_LATIN.findall(tok))
        elif re.search(r"[\u4e00-\u9fff]", tok):
            out.append(tok)
    return out


def latin_share(text: str) -> float:
    """Share of letters that are Latin: above one half, the question is read as English."""
    latin = len(re.findall(r"[A-Za-z]", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return latin / (latin + 2 * cjk) if latin + cjk else 0.0


_FUZZY = [(re.compile(r"^(zh|ch|sh)"), lambda m: m.group(1)[0]), (re.compile(r"ng$"), lambda m: "n")]


def _fuzzy(syllable: str) -> str:
    for pattern, repl in _FUZZY:
        syllable = pattern.sub(repl, syllable)
    return syllable


def pinyin_tokens(text: str) -> list[str]:
    """Adjacent-syllable pairs of the Chinese text, toneless and with zh/z, ng/n folded: a user who types a
    homophone (帮半 for 帮办, 立按 for 立案, 差品 for 差评) still matches the notice's word."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        syl = [_fuzzy(s) for s in lazy_pinyin(run)]
        out.extend(f"{a}_{b}" for a, b in zip(syl, syl[1:], strict=False))
    return out
