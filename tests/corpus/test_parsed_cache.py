"""Parsed notices are kept beside the corpus and read back instead of parsed again, per file version."""

from __future__ import annotations

import shutil
from pathlib import Path

from rag.corpus import parsed_cache
from rag.corpus.collection import load_documents

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "corpus" / "jiading-2021-7.txt"


def test_a_notice_is_parsed_once_per_version(tmp_path, monkeypatch):
    shutil.copy(NOTICE, tmp_path)
    first = load_documents(tmp_path)
    entries = list((tmp_path / parsed_cache.CACHE_DIR).glob("*.pickle"))
    assert len(entries) == 1

    calls = []
    real = parsed_cache.read

    def counting(path, reader):
        return real(path, lambda p: calls.append(p) or reader(p))

    monkeypatch.setattr(parsed_cache, "read", counting)
    again = load_documents(tmp_path)
    assert calls == [] and again[0].measures == first[0].measures  # read back, not parsed
    # a unit's name is one string however many measures name it, read back as in the parse: a city's
    # million measures would otherwise hold a copy a mention
    for doc in (first[0], again[0]):
        names = {}
        for m in doc.measures:
            for u in m.units:
                assert names.setdefault(u, u) is u
    assert len(names) < sum(len(m.units) for m in again[0].measures)

    # an edited file is parsed anew and its old entry goes
    text = NOTICE.read_text(encoding="utf-8").replace("区法院", "区人民法院", 1)
    (tmp_path / NOTICE.name).write_text(text, encoding="utf-8")
    edited = load_documents(tmp_path)
    assert len(calls) == 1 and edited[0].measures != first[0].measures
    assert len(list((tmp_path / parsed_cache.CACHE_DIR).glob("*.pickle"))) == 1


def test_an_unreadable_entry_or_directory_only_costs_a_parse(tmp_path):
    shutil.copy(NOTICE, tmp_path)
    first = load_documents(tmp_path)
    (entry,) = (tmp_path / parsed_cache.CACHE_DIR).glob("*.pickle")
    entry.write_bytes(b"truncated")
    assert load_documents(tmp_path)[0].measures == first[0].measures
    # a cache that cannot be written (a file where the directory would be): parsed, served all the same
    shutil.rmtree(tmp_path / parsed_cache.CACHE_DIR)
    (tmp_path / parsed_cache.CACHE_DIR).write_text("not a directory")
    assert load_documents(tmp_path)[0].measures == first[0].measures
