"""`rag ingest PATH`: parse first, copy under a safe name, rebuild the index embedding only the new notice."""
from __future__ import annotations

import shutil

import pytest

from rag.corpus.collection import Corpus
from rag.corpus.parsed_cache import CACHE_DIR
from rag.corpus.parser import NoticeFormatError
from rag.indexing.store import build_index, current_build, load_index
from rag.ingest import IngestError, ingest, safe_doc_id
from tests.conftest import ROOT, make_settings
from tests.fakes import CountingEmbedder


def listed(corpus_dir) -> list[str]:
    """What the corpus directory holds, besides the parsed notices' cache (rag/corpus/parsed_cache.py)."""
    return sorted(p.name for p in corpus_dir.iterdir() if p.name != CACHE_DIR)

FIXTURES = ROOT / "tests" / "fixtures" / "notices"
JIADING = ROOT / "corpus" / "jiading-2021-7.txt"
BAOSHAN = FIXTURES / "baoshan-2021-12.txt"


@pytest.fixture
def setup(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(JIADING, corpus)
    settings = make_settings(tmp_path, corpus_dir=corpus)
    emb = CountingEmbedder()
    build_index(Corpus.load(corpus), emb, settings.index_dir, settings.vector_store)
    emb.embedded = 0
    return settings, emb, tmp_path


def test_safe_doc_id():
    assert safe_doc_id("baoshan-2021-12") == "baoshan-2021-12"
    assert safe_doc_id("宝山区 关于印发…的通知 (2021):12") == "宝山区-关于印发-的通知-2021-12"
    assert safe_doc_id("../../etc/passwd") == "etc-passwd"
    with pytest.raises(IngestError):
        safe_doc_id("::")


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".html"])
def test_ingest_embeds_only_the_new_notice(setup, suffix):
    settings, emb, _ = setup
    result = ingest(FIXTURES / f"baoshan-2021-12{suffix}", settings, embedder=emb)
    assert (result.doc_id, result.measures, result.embedded, result.reused) == ("baoshan-2021-12", 20, 20, 172)
    assert emb.embedded == 20
    assert (settings.corpus_dir / f"baoshan-2021-12{suffix}").is_file()
    assert "20 embedded, 172 reused" in result.summary()
    corpus = Corpus.load(settings.corpus_dir)
    loaded = load_index(corpus, emb, settings.index_dir, settings.vector_store)  # the live build matches the corpus
    assert loaded.manifest["count"] == 192 and set(loaded.manifest["documents"]) == {"jiading-2021-7", "baoshan-2021-12"}


def test_malformed_notice_is_refused_and_nothing_is_copied(setup):
    settings, emb, tmp = setup
    bad = tmp / "bad.txt"
    bad.write_text(BAOSHAN.read_text(encoding="utf-8").replace("(责任单位:区商务委、区财政局)\n", "\n", 1), encoding="utf-8")
    before = current_build(settings.index_dir)
    with pytest.raises(NoticeFormatError, match=r"bad\.txt:\d+: item 3 in section \(一\) has no"):
        ingest(bad, settings, embedder=emb)
    assert listed(settings.corpus_dir) == ["jiading-2021-7.txt"]
    assert current_build(settings.index_dir) == before and emb.embedded == 0


def test_refuses_duplicates_and_id_clashes(setup):
    settings, emb, tmp = setup
    ingest(BAOSHAN, settings, embedder=emb)
    with pytest.raises(IngestError, match="already holds a notice with id 'baoshan-2021-12'"):
        ingest(FIXTURES / "baoshan-2021-12.html", settings, embedder=emb)
    with pytest.raises(IngestError, match="already in the corpus as baoshan-2021-12.txt"):
        ingest(FIXTURES / "baoshan-2021-12.docx", settings, doc_id="bs-copy", embedder=emb)  # same notice, other format
    with pytest.raises(IngestError, match="unsupported file type"):
        (tmp / "x.pdf").write_bytes(b"%PDF")
        ingest(tmp / "x.pdf", settings, embedder=emb)


def test_replace_swaps_the_file_and_reembeds_only_changed_measures(setup):
    settings, emb, tmp = setup
    ingest(BAOSHAN, settings, embedder=emb)
    emb.embedded = 0
    changed = tmp / "baoshan-2021-12.html"
    html = (FIXTURES / "baoshan-2021-12.html").read_bytes().decode("gb18030").replace("2000套", "3000套")
    changed.write_bytes(html.encode("gb18030"))
    result = ingest(changed, settings, replace=True, embedder=emb)
    assert result.replaced and result.embedded == 1 and emb.embedded == 1
    assert listed(settings.corpus_dir) == ["baoshan-2021-12.html", "jiading-2021-7.txt"]
    assert "3000套" in Corpus.load(settings.corpus_dir).by_key["baoshan-2021-12:三(一)1"].text


def test_failed_index_build_takes_the_copy_back(setup, monkeypatch):
    settings, emb, _ = setup

    class Broken(CountingEmbedder):
        def embed_passages(self, texts):
            raise RuntimeError("embedder down")

    with pytest.raises(RuntimeError, match="embedder down"):
        ingest(BAOSHAN, settings, embedder=Broken())
    assert listed(settings.corpus_dir) == ["jiading-2021-7.txt"]


def test_cli_ingest(services, tmp_path, monkeypatch, capsys):
    """`rag ingest` with the real embedder: the session's index (same model) donates the Jiading vectors."""
    from rag import cli
    from rag.settings import get_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(JIADING, corpus)
    shutil.copytree(services.settings.index_dir, tmp_path / "index", ignore=shutil.ignore_patterns(".lock"))
    monkeypatch.setenv("RAG_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert cli.main(["ingest", "--check", str(FIXTURES / "baoshan-2021-12.docx")]) == 0
        assert "20 measures, 文号 宝府发〔2021〕12号" in capsys.readouterr().out
        assert cli.main(["ingest", str(FIXTURES / "baoshan-2021-12.docx")]) == 0
        out = capsys.readouterr().out
        assert "added baoshan-2021-12 (baoshan-2021-12.docx): 20 measures; index rebuilt: 20 embedded, 172 reused" in out
        bad = tmp_path / "bad.docx"
        bad.write_bytes(b"not a zip")
        assert cli.main(["ingest", str(bad)]) == 2
        assert "not a Word .docx" in capsys.readouterr().err
        assert cli.main(["ingest", "--show-text", str(FIXTURES / "baoshan-2021-12.html")]) == 0
        assert "   1  索 引 号:" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


AS_WRITTEN = FIXTURES / "as-written"


def test_ingest_returns_the_lines_the_parser_placed(setup):
    settings, emb, _ = setup
    result = ingest(AS_WRITTEN / "qinghe-2024-6.txt", settings, embedder=emb)
    assert result.measures == 4 and result.embedded == 4
    assert [(w.line, w.placed) for w in result.warnings] == [(14, "closing"), (15, "closing"), (16, "closing"),
                                                           (17, "closing")]
    assert result.summary().endswith("; 4 lines placed by the parser")
    doc = Corpus.load(settings.corpus_dir).document("qinghe-2024-6")
    assert doc.closing[1].endswith("按照“就高不重复”原则执行，不得重复享受。") and len(doc.measures) == 4


def test_a_notice_without_measures_is_refused_and_nothing_is_copied(setup):
    settings, emb, _ = setup
    before = current_build(settings.index_dir)
    with pytest.raises(NoticeFormatError, match=r"donghu-2024-1\.txt:5: no measure found"):
        ingest(AS_WRITTEN / "donghu-2024-1.txt", settings, embedder=emb)
    assert listed(settings.corpus_dir) == ["jiading-2021-7.txt"]
    assert current_build(settings.index_dir) == before and emb.embedded == 0


def test_a_failed_replace_puts_the_old_notice_back(setup):
    settings, emb, tmp = setup
    ingest(BAOSHAN, settings, embedder=emb)
    before = current_build(settings.index_dir)
    changed = tmp / "baoshan-2021-12.txt"
    changed.write_text(BAOSHAN.read_text(encoding="utf-8").replace("2000套", "3000套"), encoding="utf-8")

    class Broken(CountingEmbedder):
        def embed_passages(self, texts):
            raise RuntimeError("embedder down")

    with pytest.raises(RuntimeError, match="embedder down"):
        ingest(changed, settings, replace=True, embedder=Broken())
    names = listed(settings.corpus_dir)
    assert names == ["baoshan-2021-12.txt", "jiading-2021-7.txt"]  # no temp copy or backup left behind
    assert (settings.corpus_dir / "baoshan-2021-12.txt").read_bytes() == BAOSHAN.read_bytes()
    assert current_build(settings.index_dir) == before


def test_a_replace_whose_old_file_cannot_be_moved_keeps_it(setup, monkeypatch):
    """A failure before the new copy is in place must never delete the notice already there."""
    import os

    from rag import ingest as ingest_module

    settings, emb, tmp = setup
    ingest(BAOSHAN, settings, embedder=emb)
    changed = tmp / "baoshan-2021-12.txt"
    changed.write_text(BAOSHAN.read_text(encoding="utf-8").replace("2000套", "3000套"), encoding="utf-8")
    real_replace = os.replace

    def refuse_backup(src, dst):
        if ".replaced-" in str(dst):
            raise PermissionError("read-only")
        return real_replace(src, dst)

    monkeypatch.setattr(ingest_module.os, "replace", refuse_backup)
    with pytest.raises(PermissionError):
        ingest(changed, settings, replace=True, embedder=emb)
    assert (settings.corpus_dir / "baoshan-2021-12.txt").read_bytes() == BAOSHAN.read_bytes()
    assert not [p for p in settings.corpus_dir.iterdir() if p.name.startswith(".") and p.name != CACHE_DIR]


def test_cli_check_and_ingest_print_the_placed_lines(tmp_path, monkeypatch, capsys):
    from rag import cli
    from rag.settings import get_settings

    notice = AS_WRITTEN / "qinghe-2024-6.txt"
    assert cli.main(["ingest", "--check", str(notice)]) == 0
    out = capsys.readouterr().out
    assert "4 measures" in out and "8 closing lines, 4 warnings" in out
    assert "warning: line 14: not a part, section, item or closing line; kept as closing text" in out
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(JIADING, corpus)
    monkeypatch.setenv("RAG_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert cli.main(["ingest", "--no-index", str(notice)]) == 0
        out = capsys.readouterr().out
        assert "added qinghe-2024-6 (qinghe-2024-6.txt): 4 measures; 4 lines placed by the parser" in out
        assert "qinghe-2024-6.txt: 4 lines placed by the parser:" in out and out.count("  warning: line ") == 4
        assert cli.main(["ingest", "--no-index", str(AS_WRITTEN / "donghu-2024-1.txt")]) == 2
        assert "no measure found" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
