"""What a line of a notice is: a part `一、`, a section `（一）`, an item `1.`, a sub-item `（1）`, or a closing
line (validity, repeal, interpretation, attachments). The parser and the .docx/HTML readers share these,
so that what a reader keeps is what the parser can read: the readers also keep the sentences after the last
of these lines (definitions, funding rules, exhortations), up to the page furniture that follows a notice."""

from __future__ import annotations

import re

from rag.corpus.ids import CN_NUM

PART_RE = re.compile(rf"^({CN_NUM})、\s*(.+)$")
SECTION_RE = re.compile(rf"^[(（]({CN_NUM})[)）]\s*(.+)$")
ITEM_RE = re.compile(r"^(\d+)\s*[.、．]\s*(.+)$", re.S)  # re.S: an item's text may hold its sub-items
SUBITEM_RE = re.compile(r"^(?:[(（]\d+[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*\S")
DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
# 本措施自2023年8月1日起施行… · 本方案自印发之日起实施 · 有效期至… · 本办法由区发改委负责解释 · 原《…》同时废止 · 附件：
# 本措施自…起施行 · 本任务清单自印发之日起施行 · 本办法有效期至… · 本意见由区发改委负责解释 · 原《…》同时废止 · 附件：
# The line must speak of the document itself: 本 and a name ending in a document word (本措施, 本实施方案,
# 本任务清单), so that a measure such as 本区企业自2023年1月1日起实施告知承诺制 or 本区核发的许可证有效期… is
# not mistaken for one; a bare 自…起施行 counts only as a whole line.
_DOC_WORD = r"(?:措施|办法|方案|通知|意见|规定|细则|政策|计划|要点|规则|清单|决定|公告|条例|纲要|指引|文件)"
CLOSING_RE = re.compile(
    rf"^(?:本[\u4e00-\u9fff]{{0,10}}?{_DOC_WORD}[，,]?"
    r"(?:自[^。]{0,20}?起[^。]{0,6}?(?:施行|实施|执行|生效)|有效期|由[^。]{1,30}?负责解释|解释权)"
    r"|自[^。，,]{0,20}?起(?:施行|实施|执行|生效)[。.]?$|有效期(?:至|为|[0-9一二两三四五]+年)"
    r"|(?:原|同时)《.+》.*(?:废止|停止执行)|附件\s*[0-9一二三四五]*\s*[:：]|附件$)"
)
ATTACHMENTS_RE = re.compile(r"^附件\s*[0-9一二三四五]*\s*[:：]|^附件$")


def is_closing(line: str) -> bool:
    body = ITEM_RE.match(line)  # 1.本措施自…起施行 inside a 附则 part is still a closing line
    return bool(CLOSING_RE.match(line) or (body and CLOSING_RE.match(body.group(2))))


def structural(line: str) -> bool:
    """A line that belongs to the notice's body: what a reader must keep after the last measure."""
    return bool(
        PART_RE.match(line)
        or SECTION_RE.match(line)
        or ITEM_RE.match(line)
        or SUBITEM_RE.match(line)
        or is_closing(line)
    )


# 五、附则: the supplementary provisions (definitions, interpretation, validity) under a part heading of their own
APPENDIX_TITLE_RE = re.compile(r"^附\s*则[。.：:]?$")
# what follows a notice on paper or on a page: the copy list, the printing line, a site's buttons and footer
_FURNITURE_RE = re.compile(
    r"^(?:抄\s*送|印\s*发|扫一扫|打印|关闭|分享|收藏|【|上一篇|下一篇|相关(?:链接|文件|阅读)|责任编辑|主办单位|承办单位|"
    r"联系电话|版权所有|网站标识码)|印发$|ICP备"
)


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE_RE.search(line))


def notice_end(lines: list[str]) -> int:
    """The index of a notice's last line in text extracted from a .docx or a page: the last structural line,
    or a sentence after it (it holds a full stop: a definition, a funding rule, an exhortation) up to the
    first page furniture (抄送, 印发, 【打印本页】, a footer). A signature and its date after the last sentence
    are left out, as before: the header gave them already. Requires a structural line in `lines`."""
    end = max(i for i, line in enumerate(lines) if structural(line))
    for i in range(end + 1, len(lines)):
        if is_furniture(lines[i]):
            break
        if "。" in lines[i] or lines[i].endswith(("；", ";")):
            end = i
    return end
