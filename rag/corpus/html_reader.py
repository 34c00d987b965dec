"""HTML notices as saved from government sites, read with the standard library's html.parser.

A saved page holds far more than the notice: navigation, breadcrumbs, a header table of metadata
(索引号, 发布机构, 发文日期, 名称, 文号 …), the article, a footer. The reader keeps
- the rows of any table that holds header keys, as `key | value | key | value |` lines;
- the article: the innermost element that holds both the first part heading (一、…) and the last
  section or item line, from its beginning (title, recipients, cover letter, signature) to that last line,
  or to the last sentence after it inside that element (closing text; rag.corpus.layout.notice_end);
- the page's <h1> (else its <title>) as the title line when the article starts without one.
The encoding comes from a byte-order mark, a <meta charset> or http-equiv header, else UTF-8, else GB18030
(pages saved as GBK/GB2312).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from rag.corpus.extract import document_from_lines
from rag.corpus.layout import PART_RE, notice_end, structural
from rag.corpus.model import Document
from rag.corpus.parser import NoticeFormatError

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "head",
    "nav",
    "footer",
    "form",
    "button",
    "select",
    "object",
    "canvas",
    "map",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "center",
    "address",
    "figure",
    "figcaption",
    "table",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "body",
    "html",
    "hr",
    "font-block",
}
_CLOSES_P = _BLOCK - {"font-block"}
HEADER_KEYS = ("索引号", "主题分类", "发布机构", "发文机关", "发文日期", "成文日期", "名称", "标题", "文号", "发文字号")
_WS = re.compile(r"[\s\u00a0\u3000]+")


class _Node:
    __slots__ = ("tag", "children", "parent")

    def __init__(self, tag: str, parent: _Node | None):
        self.tag, self.parent = tag, parent
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A forgiving DOM: unclosed <p>, <li>, <td>, <tr> close when their successor opens, as browsers do."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", None)
        self.cur = self.root
        self.title = ""
        self._in_title = False

    def _close(self, tag: str) -> None:
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def _open(self) -> set[str]:
        tags, node = set(), self.cur
        while node is not None:
            tags.add(node.tag)
            node = node.parent
        return tags

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _CLOSES_P and self.cur.tag == "p":
            self._close("p")
        if tag in ("td", "th") and self.cur.tag in ("td", "th"):
            self._close(self.cur.tag)
        if tag == "tr" and "tr" in self._open():
            if self.cur.tag in ("td", "th"):
                self._close(self.cur.tag)
            if self.cur.tag == "tr":
                self._close("tr")
        if tag == "li" and self.cur.tag == "li":
            self._close("li")
        node = _Node(tag, self.cur)
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, self.cur))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _VOID:
            return
        if tag in self._open():
            self._close(tag)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.cur.children.append(data)


def _inline_text(node: _Node) -> str:
    out: list[str] = []

    def walk(n: _Node) -> None:
        for c in n.children:
            if isinstance(c, str):
                out.append(c)
            elif c.tag not in _SKIP:
                if c.tag == "br":
                    out.append(" ")
                walk(c)

    walk(node)
    return _WS.sub(" ", "".join(out)).strip()


def _lines(root: _Node) -> list[tuple[str, tuple[int, ...], _Node | None]]:
    """(line, the node path of its first text, the table it came from) in document order."""
    lines: list[tuple[str, tuple[int, ...], _Node | None]] = []
    buf: list[str] = []
    buf_path: list[tuple[int, ...]] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        if text:
            lines.append((text, buf_path[0], None))
        buf.clear()
        buf_path.clear()

    def walk(node: _Node, path: tuple[int, ...]) -> None:
        for i, c in enumerate(node.children):
            if isinstance(c, str):
                if c.strip():
                    if not buf_path:
                        buf_path.append(path + (i,))
                    buf.append(c)
                elif buf:
                    buf.append(" ")
                continue
            if c.tag in _SKIP:
                continue
            if c.tag == "br":
                flush()
            elif c.tag == "table":
                flush()
                rows = [r for r in _iter_rows(c)]
                for tr, tr_path in rows:
                    cells = [_inline_text(td) for td in tr.children if isinstance(td, _Node) and td.tag in ("td", "th")]
                    if any(cells):
                        lines.append((" | ".join(cells) + " |", path + (i,) + tr_path, c))
            elif c.tag in _BLOCK:
                flush()
                walk(c, path + (i,))
                flush()
            else:
                walk(c, path + (i,))

    walk(root, ())
    flush()
    return lines


def _iter_rows(table: _Node, path: tuple[int, ...] = ()):
    for i, c in enumerate(table.children):
        if isinstance(c, _Node):
            if c.tag == "tr":
                yield c, path + (i,)
            elif c.tag in ("tbody", "thead", "tfoot"):
                yield from _iter_rows(c, path + (i,))


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", raw[:4096], re.I)
    if m:
        enc = m.group(1).decode("ascii").lower()
        enc = "gb18030" if enc in ("gb2312", "gbk", "gb18030", "x-gbk") else enc
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise NoticeFormatError(name, 1, "cannot tell the page's encoding (not UTF-8, not GB18030, no <meta charset>)")


def _is_header_table(rows: list[str]) -> bool:
    text = re.sub(r"\s+", "", "".join(rows))
    return sum(key in text for key in HEADER_KEYS) >= 2


def _common_prefix(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def html_lines(raw: bytes, name: str = "<html>") -> list[str]:
    builder = _TreeBuilder()
    builder.feed(_decode(raw, name))
    builder.close()
    lines = _lines(builder.root)
    texts = [t for t, _, _ in lines]
    first = next((i for i, t in enumerate(texts) if PART_RE.match(t)), None)
    if first is None:
        return texts  # not a notice: the parser says so, naming the page
    last = max(i for i, t in enumerate(texts) if structural(t))
    container = _common_prefix(lines[first][1], lines[last][1])
    outside = (i for i in range(last + 1, len(lines)) if lines[i][1][: len(container)] != container)
    last = notice_end(texts[: next(outside, len(lines))])  # closing sentences inside the article
    # the article element: cut the path back to an element (the common prefix may end inside a text run)
    inside = [i for i, (_, path, _) in enumerate(lines) if path[: len(container)] == container and i <= last]
    start = inside[0] if inside else first
    article = [texts[i] for i in range(start, last + 1) if lines[i][1][: len(container)] == container]

    tables: dict[int, list[str]] = {}
    for t, _, table in lines:
        if table is not None:
            tables.setdefault(id(table), []).append(t)
    header = []
    for i, (t, _, table) in enumerate(lines):
        if table is not None and (i < start or i > last) and _is_header_table(tables[id(table)]):
            header.append(t)
    has_title = any(re.sub(r"\s+", "", t).startswith(("名称", "标题")) for t in header + article[:3])
    title = []
    if not has_title:
        h1 = (
            next((_inline_text(n) for n in _walk_nodes(builder.root) if n.tag == "h1"), "")
            or _WS.sub(" ", builder.title).strip()
        )
        if h1 and (not article or article[0] != h1):
            title = [h1]
    return header + title + article


def _walk_nodes(node: _Node):
    for c in node.children:
        if isinstance(c, _Node) and c.tag not in _SKIP:
            yield c
            yield from _walk_nodes(c)


def read_html(path: Path, doc_id: str | None = None) -> Document:
    raw = path.read_bytes()
    return document_from_lines(html_lines(raw, path.name), doc_id or path.stem, path.name, raw, "HTML page")
