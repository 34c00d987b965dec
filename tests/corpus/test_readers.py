""".docx and HTML notices parse to the same Document as the plain text, header table included."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from rag.corpus.collection import Corpus
from rag.corpus.html_reader import html_lines
from rag.corpus.parser import NoticeFormatError, parse_file
from rag.corpus.readers import READERS, extract_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notices"
JIADING = ROOT / "corpus" / "jiading-2021-7.txt"
BAOSHAN = FIXTURES / "baoshan-2021-12.txt"

_spec = importlib.util.spec_from_file_location("make_variants", FIXTURES / "make_variants.py")
make_variants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_variants)


def same(a, b) -> None:
    assert a.header == b.header
    assert [(m.key, m.text, m.units, m.units_open, m.section_title) for m in a.measures] == \
           [(m.key, m.text, m.units, m.units_open, m.section_title) for m in b.measures]


def test_suffixes_registered():
    assert {".txt", ".docx", ".html", ".htm"} <= set(READERS)


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_fixture_variants_parse_like_the_text(suffix):
    text_doc = parse_file(BAOSHAN)
    doc = READERS[suffix](BAOSHAN.with_suffix(suffix))
    same(doc, text_doc)
    assert doc.id == "baoshan-2021-12" and doc.source == f"baoshan-2021-12{suffix}"
    assert doc.sha256 != text_doc.sha256  # of the file's own bytes
    h = doc.header
    assert (h.doc_number, h.date, h.publisher) == ("宝府发〔2021〕12号", "2021-06-15", "区政府")
    assert h.title == "上海市宝山区人民政府关于印发宝山区进一步优化营商环境实施方案的通知"
    assert h.issuer == "上海市宝山区人民政府" and h.signed_date == "2021年6月15日"
    assert h.fields["索引号"] == "BS0300002-2021-012"
    assert len(doc.measures) == 20


@pytest.mark.parametrize("kind", ["docx-minimal", "docx", "html"])
def test_jiading_round_trips_through_every_format(tmp_path, kind):
    """The real notice (172 measures, header table) written as .docx / as a saved page reads back the same."""
    text = JIADING.read_text(encoding="utf-8")
    if kind == "html":
        path = tmp_path / "jiading-2021-7.html"
        path.write_bytes(make_variants.page_html(text).encode("gb18030"))
    elif kind == "docx":
        pytest.importorskip("docx")
        path = tmp_path / "jiading-2021-7.docx"
        make_variants.write_docx(text, path)
    else:
        path = tmp_path / "jiading-2021-7.docx"
        make_variants.write_minimal_docx(text, path, trailer=["抄送：区委各部门。"])
    same(READERS[path.suffix](path), parse_file(JIADING))


def test_html_page_chrome_is_left_out():
    lines = html_lines(BAOSHAN.with_suffix(".html").read_bytes())
    joined = "\n".join(lines)
    for chrome in ("首页", "当前位置", "扫一扫", "打印本页", "沪ICP备", "_hmt"):
        assert chrome not in joined
    assert lines[0].startswith("索 引 号:") and lines[-1].startswith("1.在网站、新媒体平台")


def test_html_utf8_without_table_takes_title_from_h1(tmp_path):
    body = BAOSHAN.read_text(encoding="utf-8").splitlines()[5:]  # no header table
    page = ("<html><head><meta charset='utf-8'><title>x</title></head><body><div id='nav'><a>首页</a></div>"
            "<h1>宝山区进一步优化营商环境实施方案的通知</h1><div class='content'>"
            + "".join(f"<p>{line}<br></p>" for line in body) + "</div><div class='foot'>版权所有</div></body></html>")
    path = tmp_path / "bs.htm"
    path.write_text(page, encoding="utf-8")
    doc = READERS[".htm"](path)
    assert doc.header.title == "宝山区进一步优化营商环境实施方案的通知"
    assert doc.header.recipients[0] == "各镇人民政府" and len(doc.measures) == 20


def test_html_unclosed_paragraphs_and_entities(tmp_path):
    lines = BAOSHAN.read_text(encoding="utf-8").splitlines()[5:]
    page = "<body><div class=article>" + "".join(f"<P>{line.replace('“', '&ldquo;').replace('”', '&rdquo;')}" for line in lines) + "</div></body>"
    path = tmp_path / "bs.html"
    path.write_text(page, encoding="utf-8")
    doc = READERS[".html"](path)
    assert [m.text for m in doc.measures] == [m.text for m in parse_file(BAOSHAN).measures]


def test_malformed_docx_names_the_line(tmp_path):
    text = BAOSHAN.read_text(encoding="utf-8").replace("(责任单位:区商务委、区财政局)\n", "\n", 1)
    path = tmp_path / "bad.docx"
    make_variants.write_minimal_docx(text, path)
    with pytest.raises(NoticeFormatError) as exc:
        READERS[".docx"](path)
    assert exc.value.source == "bad.docx"
    assert "no (责任单位:…) clause" in str(exc.value) and "text extracted from the .docx" in str(exc.value)
    # the numbered line is the one `rag ingest --show-text` prints
    shown = extract_text(path).splitlines()
    assert "开办补贴" in shown[exc.value.line - 1]


def test_malformed_html_names_the_line(tmp_path):
    text = BAOSHAN.read_text(encoding="utf-8").replace("(二)融资服务。", "融资服务。", 1)
    path = tmp_path / "bad.html"
    path.write_bytes(make_variants.page_html(text).encode("gb18030"))
    with pytest.raises(NoticeFormatError) as exc:
        READERS[".html"](path)
    assert "unexpected line" in str(exc.value)
    assert extract_text(path).splitlines()[exc.value.line - 1].startswith("融资服务")


def test_not_a_docx(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(NoticeFormatError, match="not a Word .docx"):
        READERS[".docx"](path)


def test_corpus_loads_mixed_formats(tmp_path):
    (tmp_path / "jiading-2021-7.txt").write_bytes(JIADING.read_bytes())
    (tmp_path / "baoshan-2021-12.docx").write_bytes(BAOSHAN.with_suffix(".docx").read_bytes())
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    corpus = Corpus.load(tmp_path)
    assert [d.id for d in corpus.documents] == ["baoshan-2021-12", "jiading-2021-7"]
    assert len(corpus.measures) == 172 + 20
    assert corpus.by_key["baoshan-2021-12:二(一)1"].units == ("区商务委", "吴淞海关", "吴淞边检站")
    # the same measure id in two notices: lookups can pick the document
    assert {m.doc for m in corpus.lookup("二(一)1")} == {"baoshan-2021-12", "jiading-2021-7"}
    assert [m.doc for m in corpus.lookup("baoshan-2021-12:二(一)1")] == ["baoshan-2021-12"]


def test_same_notice_in_two_formats_is_a_duplicate_id(tmp_path):
    (tmp_path / "baoshan-2021-12.txt").write_bytes(BAOSHAN.read_bytes())
    (tmp_path / "baoshan-2021-12.html").write_bytes(BAOSHAN.with_suffix(".html").read_bytes())
    with pytest.raises(ValueError, match="share a document id"):
        Corpus.load(tmp_path)
