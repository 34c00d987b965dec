"""Questions about a notice itself (文号, 发文日期, 发布机构, 主送, 依据, 标题) are answered from its header."""

from __future__ import annotations

import re

from rag.corpus.model import Document

# a year as Chinese marks one (2023年, 〔2022〕); a bare four-digit number is a year only in English ("the 2019
# plan"), since in Chinese it is as often an amount (补贴2000多元)
_YEAR_MARKED = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*年|〕|\])")
_YEAR_BARE = re.compile(r"(?<![\d.])\b((?:19|20)\d\d)\b(?![\d.])")

# field → (Chinese pattern, English pattern)
_FIELDS: dict[str, tuple[str, str]] = {
    "doc_number": (r"文号|发文字号|字号|几号文|文件号", r"document (number|no)|reference number|file number"),
    "index_number": (r"索引号", r"index (number|no)"),
    "date": (
        r"发文日期|印发日期|发布日期|成文日期|落款.{0,4}日期|哪天(发|印发|发布|出)|什么时候(发|印发|发布|出台|下发)|何时(发|印发|发布)|(发|印发|发布|出台|下发)的?(日期|时间)|几月几(号|日)",
        r"(issued|published|released|dated|signed) (on|when)|when was .* (issued|published|released|signed)|"
        r"date of (issue|the (notice|document))|issue date",
    ),
    "publisher": (
        r"发布机构|发文机关|发文单位|哪个(机关|单位|部门)(印发|发布|发的|下发|制定)|谁(印发|发布|发的|下发)|印发机关|(哪个|什么)部门拟定|谁拟定|拟定",
        r"who (issued|published|released)|issuing (authority|body|agency)|publisher",
    ),
    "recipients": (r"主送|发给(哪些|谁)|送给(哪些|谁)|下发给|发送给", r"addressed to|recipients|sent to"),
    "basis": (r"依据|根据(哪些|什么)(文件|规定|条例|方案)|上位(文件|法)", r"based on|legal basis|according to which"),
    "title": (
        r"标题|全称|文件名|名称是|叫什么|题目",
        r"\btitle\b|what is (the|this) (notice|document) called|full name",
    ),
}
_ABOUT_DOC = re.compile(r"(这份|这个|该|本|此)?(通知|文件|方案|实施方案|文)|(?i:notice|document|this plan)")


def header_field(question: str) -> str | None:
    """Which header field a question asks for; None if it is not about the document itself."""
    for name, (zh, en) in _FIELDS.items():
        if re.search(zh, question) or re.search(en, question, re.I):
            if name in ("basis", "title", "publisher", "date") and not _ABOUT_DOC.search(question):
                continue  # 依据 and 名称 also occur inside measures ("依据大数据监测"); need the document as subject
            return name
    return None


def other_year(question: str, field: str, documents: list[Document], english: bool) -> int | None:
    """The year a header question names when no loaded notice was issued in it ("2023年的营商环境方案是什么时候
    发布的"): it asks about another document, and this one's header would answer it wrongly. Questions about
    the basis or the title are left alone: those name other documents' years (2020年的《…条例》)."""
    if field in ("basis", "title"):
        return None
    years = {int(y) for y in _YEAR_MARKED.findall(question)}
    if english:  # the caller's reading of the question (rag.retrieval.tokenize.latin_share)
        years |= {int(y) for y in _YEAR_BARE.findall(question)}
    issued = {int(d.header.date[:4]) for d in documents if d.header.date[:4].isdigit()}
    return max(years) if years and not years & issued else None


def header_answer(doc: Document, field: str, english: bool) -> str:
    h = doc.header
    name = f"《{h.title}》" if h.title else doc.id
    if field == "doc_number":
        value = h.doc_number
        return f"The document number of {name} is {value}." if english else f"{name}的文号是{value}。"
    if field == "index_number":
        value = h.fields.get("索引号", "")
        return f"Its index number is {value}." if english else f"{name}的索引号是{value}。"
    if field == "date":
        signed = f"（落款日期{h.signed_date}）" if h.signed_date else ""
        return (
            f"{name} was issued on {h.date} (signed {h.signed_date})."
            if english
            else f"{name}的发文日期是{h.date}{signed}。"
        )
    if field == "publisher":
        drafted = h.drafter
        by = h.issuer or h.publisher
        text = (
            f"{name} was issued by {by} (发布机构: {h.publisher})."
            if english
            else f"{name}由{by}印发，发布机构为{h.publisher}。"
        )
        return text + (f"实施方案由{drafted}拟定。" if drafted and not english else "")
    if field == "recipients":
        rec = "、".join(h.recipients)
        return f"It is addressed to: {rec}." if english else f"{name}的主送单位是：{rec}。"
    if field == "basis":
        basis = "、".join(f"《{b}》" for b in h.basis)
        return f"The plan is based on {basis}." if english else f"实施方案依据{basis}制订。"
    return f"The title is {name}." if english else f"本通知的标题是{name}。"
