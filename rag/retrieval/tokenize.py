"""Tokens for BM25: jieba words for Chinese (search mode, so compounds also yield their parts) plus
lower-cased Latin words and numbers. The corpus's own unit names and key terms are added to jieba's
dictionary so they are kept whole as well as split.

Each index gets a jieba dictionary of its own (Segmenter), a copy of the general one plus its corpus's unit
names: jieba's process-wide dictionary only ever gains words, so after a re-index that drops a notice the
serving process (which had loaded it) and a fresh worker (which never had) would split questions
differently, and BM25 and the scope features with them."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jieba

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_general: jieba.Tokenizer | None = None  # jieba's own dictionary, loaded once and never added to
_STOP = set(
    (
        "的 了 和 与 及 等 在 是 有 对 将 为 把 被 就 都 而 或 也 又 并 从 以 向 中 上 下 "
        "我 我们 你 你们 他 她 它 这 那 哪 哪个 哪些 什么 怎么 怎样 如何 吗 呢 吧 啊 呀 "
        "请问 一下 可以 能 要 想 需要 办 找 个 家 一 之 其 该 各 所 于 由 给 让 使 "
        "具体 措施 相关 进一步 单位 部门 负责 谁 咋 啥 ？ ? ， , 。 、 ： : （ ） ( ) “ ” 《 》 ！ !"
    ).split()
)
_LATIN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def _general_dictionary() -> jieba.Tokenizer:
    global _general
    with _lock:
        if _general is None:
            general = jieba.Tokenizer()
            general.initialize()
            _general = general
        return _general


def _tagger(words: jieba.Tokenizer):
    """jieba's part-of-speech tagger over a given dictionary. Made around jieba's tag table, read once at
    import of jieba.posseg, because POSTokenizer's own constructor reads it from disk again (about a second);
    shared read only, since no word is ever added with a tag."""
    import jieba.posseg

    tagger = object.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = words, jieba.posseg.dt.word_tag_tab
    return tagger


class Segmenter:
    """jieba over the general dictionary plus `extra_words` (a corpus's unit names and aliases), in a
    dictionary of its own: what one index adds is never seen by another."""

    def __init__(self, extra_words: Iterable[str] = ()):
        general = _general_dictionary()
        self.words = jieba.Tokenizer()
        # a copy of the loaded dictionary, not a second load of jieba's file (a copy takes a tenth of the time)
        self.words.FREQ, self.words.total, self.words.initialized = dict(general.FREQ), general.total, True
        added = [w for w in dict.fromkeys(extra_words) if len(w) >= 2]
        for w in added:
            self.words.add_word(w, freq=2000)
        # what makes this segmenter's tokens: the words added, and this module's rules (its source), so a
        # stored keyword index (rag/retrieval/keyword.py) made by other rules is never read as this one's
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update("\n".join(added).encode("utf-8"))
        self.fingerprint = digest.hexdigest()[:16]
        self._tagger: Any = None  # jieba.posseg's tagger over `words`, made on first use

    @classmethod
    def for_units(cls, units: Iterable) -> Segmenter:
        """Over a corpus's units (rag.corpus.units): their names and aliases kept whole."""
        units = list(units)
        return cls([u.name for u in units] + [a for u in units for a in u.aliases])

    def tokenize(self, text: str) -> list[str]:
        """The BM25 tokens of a text."""
        out = []
        for tok in self.words.cut_for_search(text.lower()):
            tok = tok.strip()
            if not tok or tok in _STOP:
                continue
            if re.fullmatch(r"[a-z0-9.%]+", tok):
                out.extend(_LATIN.findall(tok))
            elif re.search(r"[\u4e00-\u9fff]", tok):
                out.append(tok)
        return out

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) in order, as jieba.posseg.lcut gives them, over this dictionary."""
        if self._tagger is None:
            self._tagger = _tagger(self.words)
        return [(p.word, p.flag) for p in self._tagger.lcut(text)]


_plain: Segmenter | None = None


def tokenize(text: str) -> list[str]:
    """BM25 tokens over jieba's general dictionary alone (the benchmarks' generated corpora); an index
    tokenizes with its own Segmenter."""
    global _plain
    if _plain is None:
        _plain = Segmenter()
    return _plain.tokenize(text)


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
