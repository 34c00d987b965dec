"""What specific detail a question asks for, and whether a measure's text gives one of that kind.

"增量留抵退税现在是退60%还是全额退？" asks for a rate; the measure that answers it (…增值税增量留抵退税政策
"应享尽享") names none. An answer that quotes the measure as if it settled the question misleads, so the answer
first says the notice does not state the rate, then gives the measure and its units as where to ask.

Both halves are general: the question side reads how Chinese and English ask for a kind of detail (多少钱,
比例, 什么时候, 多久, 电话, 在哪, 哪些材料, how much, when …), the text side reads how any notice writes one (a
figure with 元 or %, a date, a duration, a phone number, a list of documents). Nothing here names a topic of
any notice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from rag.answer.highlight import gram_weight, grams
from rag.corpus.deadlines import find_deadlines

_HAN = re.compile(r"[\u4e00-\u9fff]")


class Detail(StrEnum):
    MONEY = "money"  # an amount of money
    RATE = "rate"  # a percentage, ratio or rate
    COUNT = "count"  # how many (people, times, firms)
    DATE = "date"  # when: a date or deadline
    DURATION = "duration"  # how long: days, months, a time limit
    CONTACT = "contact"  # a phone number, an e-mail address
    PLACE = "place"  # where: an address, a window, a website
    MATERIALS = "materials"  # which documents to hand in
    HOURS = "hours"  # opening hours
    ITEMS = "items"  # which items a list holds (the projects on a 清单, the trades in a 目录)


# how each detail is named in an answer that says the notice does not give it
LABELS_ZH = {
    Detail.MONEY: "具体金额",
    Detail.RATE: "具体比例或费率",
    Detail.COUNT: "具体数量",
    Detail.DATE: "具体日期或截止时间",
    Detail.DURATION: "具体办理时限",
    Detail.CONTACT: "联系电话或联系方式",
    Detail.PLACE: "具体地址或办理地点",
    Detail.MATERIALS: "需要提交的材料清单",
    Detail.HOURS: "办公时间",
    Detail.ITEMS: "具体名单或清单内容",
}
LABELS_EN = {
    Detail.MONEY: "the exact amount",
    Detail.RATE: "the exact rate or percentage",
    Detail.COUNT: "the exact number",
    Detail.DATE: "the exact date or deadline",
    Detail.DURATION: "how long it takes",
    Detail.CONTACT: "a phone number or contact",
    Detail.PLACE: "the address or place",
    Detail.MATERIALS: "the list of documents to submit",
    Detail.HOURS: "the opening hours",
    Detail.ITEMS: "the items the list holds",
}

_CN_NUM = "[0-9０-９一二两三四五六七八九十百千万]"
_RATE_NAME = "(?:比例|百分比|利率|税率|费率|贴息率)"
# How a question asks for each kind (first match wins, in this order: "多少天" is a duration before an amount).
_ASKS: list[tuple[Detail, re.Pattern[str]]] = [
    (
        Detail.HOURS,
        re.compile(
            r"几点(?:开|关|上班|下班|到)|营业时间|办公时间|上班时间|开门|关门|周末.{0,4}(?:办|开)|"
            r"(?i:opening hours|office hours|open on)"
        ),
    ),
    (
        Detail.CONTACT,
        re.compile(
            r"电话|号码|热线|联系方式|怎么联系|邮箱|"
            r"(?i:phone|telephone|hotline|e-?mail address|contact (?:number|details))"
        ),
    ),
    (
        Detail.MATERIALS,
        re.compile(
            r"(?:哪些|什么|啥|要带|需要|准备|提交|提供)(?:的)?(?:申请)?(?:材料|资料|证件|证明|文件|手续)|材料清单|"
            r"(?i:what (?:documents|papers|materials)|which documents|"
            r"documents (?:do i|are) (?:need|required)|paperwork)"
        ),
    ),
    (
        Detail.ITEMS,
        re.compile(
            r"(?:清单|名单|目录|范围)(?:里|中|上)?(?:具体)?(?:都)?(?:有|包括|包含|列了)(?:哪些|什么|啥)|"
            r"具体(?:有|包括|包含|是)(?:哪些|哪几)(?!措施|政策|条|项|举措)|"
            r"(?i:what (?:is|are) on the list|which (?:items|projects|trades) are (?:on|in))"
        ),
    ),
    (
        Detail.DURATION,
        re.compile(
            r"多久|多长时间|多少天|(?<![好哪这那])几天|(?<![好哪这那])几个(?:工作)?(?:日|天|月)|多少个(?:工作)?(?:日|天|月)|"
            r"多快|时限是|要等多|(?<![前后这那好十])几年|多少年|(?:几|多少)(?:个)?(?:小时|分钟|周|星期)|"
            r"(?i:how long|how many (?:days|weeks|months|working days)|how quickly|how soon)"
        ),
    ),
    (
        Detail.DATE,
        re.compile(
            r"什么时候|啥时候|何时|哪天|几号|几月|哪一年|截止|截至(?:日期|时间)?|什么时间|(?:到|在)哪年|(?:开始|结束)时间|"
            # English "when" is as often a conjunction ("when adding a lift"): only its question forms
            r"(?i:by when|what date|which date|deadline|which year|when (?:will|is|are|does|do|can|should|must) "
            r"(?:the |it |i |we |they )?\w+ (?:open|start|begin|close|end|launch|due|available|apply|be paid|paid))"
        ),
    ),
    (
        Detail.RATE,
        re.compile(
            # a rate's name asks only with a question word beside it ("比例是多少", "多少比例", "费率怎么算") or
            # ending a fragment ("第二轮征询 签约比例"): in "超过比例给奖励这件事，是哪几个单位负责的" or
            # "费率能再往下调吗" it names the topic
            rf"(?:多少|什么|哪个|几)的?{_RATE_NAME}|{_RATE_NAME}(?=[^，,。；;？?]{{0,6}}(?:多少|几|是什么|怎么|如何|还是))|"
            rf"{_RATE_NAME}(?=\s*[？?]?\s*$)|"
            r"百分之|几成|多少%|多少个点|几倍|多少倍|(?i:lpr)|(?:\d+|[一二三四五六七八九十]+)(?:%|％|成)还是|还是全额|"
            r"(?i:what (?:percentage|percent|share|rate)|how much of|interest rate|tax rate|\brate\b)"
        ),
    ),
    (
        Detail.MONEY,
        re.compile(
            r"多少钱|多少元|多少万|几万|几千|多少补贴|补(?:贴|助)?多少|奖(?:励)?多少|给多少|拿多少|领多少|退多少|"
            r"金额|额度|上限是|(?:最高|最多)(?:能|可以)?(?:拿|补|给|奖|领|贷)?多少|标准是多少|收多少|收费多少|费用是多少|"
            # a payment verb or a money noun before 多少 ("要交多少", "奖金有多少", "工资待遇大概多少"), a unit price
            r"(?:交|付|缴|花|赔|罚|扣|加|存)(?:了|的)?多少(?![天个年次人家项分])|"
            r"(?:费|钱|资金|奖金|工资|待遇|薪酬|利息|价格?|租金|房租)(?:用)?(?:大概|大约|一般|具体)?(?:是|有|要|能|为)?多少|"
            r"每(?:度|平方米|平米|吨|方|台)(?:要|能|是)?多少|"
            r"(?i:how much|what amount|amount of|maximum (?:amount|subsidy|grant))"
        ),
    ),
    (
        Detail.COUNT,
        # not 好几个 (several), 哪几个部门 (which ones: a who or which question), 这几个
        # and only as a question ("有几个发明专利，想…" tells, "有几个窗口？" asks)
        re.compile(
            r"(?:多少|(?<![好哪这那])几)(?:家|个|人|名|次|项|批|户|回|套|分)(?=[^，,。；;]{0,12}(?:[？?吗呢]|$))|"
            r"(?i:how many)"
        ),
    ),
    (
        Detail.PLACE,
        re.compile(
            r"在哪(?:里|儿|个)?(?:办|申请|交|领|递交|提交)?|去哪(?:里|儿)?|什么地方|(?:什么|哪个)地址|地址(?:是|在)|"
            r"办公地点|地点在|哪个窗口|哪个网站|网址|具体地址|地址(?:在哪|是什么|是多少)|(?:哪个|什么|具体)位置|位置在哪|"
            # English "where" also opens relative clauses ("a centre where …"): only its question forms
            r"(?i:(?:^|[.?!]\s*)where (?:is|are|can|do|should|does|to)\b|what is the address|which (?:office|window|"
            r"website) do)"
        ),
    ),
]

# a named document (申请表, 营业执照, 身份证复印件, 劳动合同, 证明): what a list of materials is made of
_DOCUMENT = r"(?:证明|证书|申请表|登记表|复印件|执照|身份证|合同|发票|凭证|报告|协议|证件)"
# a section heading at the head of a section-level measure's body ("（一）完善保护名录。") is not an enumeration
_HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)][^。；;\n]*[。；;]?")
# How a text gives each kind.
_GIVES: dict[Detail, re.Pattern[str]] = {
    Detail.MONEY: re.compile(rf"{_CN_NUM}+(?:\.\d+)?\s*(?:多)?(?:万|亿|千)?元|元/|(?i:rmb|yuan|cny)"),
    # a rate is stated by a figure: "按一定比例" or "贴息" alone do not say how much
    Detail.RATE: re.compile(
        rf"\d+(?:\.\d+)?\s*[%％‰]|百分之|{_CN_NUM}成(?![本立为员])|{_CN_NUM}+倍|{_CN_NUM}+分之{_CN_NUM}+|过半|半数"
    ),
    Detail.COUNT: re.compile(rf"{_CN_NUM}+\s*(?:家|个|人|名|次|项|批|户|套|所|座|台|部|间)"),
    Detail.DATE: re.compile(r"(?:19|20)\d{2}年|\d{1,2}月\d{0,2}日?|年底|年内|[上下]半年|季度"),
    Detail.DURATION: re.compile(
        rf"{_CN_NUM}+\s*个?(?:工作日|自然日|日|天|周|个月|月|年|小时|分钟)|即时|当场|当日|当天|即办|立等可取"
    ),
    Detail.CONTACT: re.compile(r"\d{3,4}[-－]?\d{7,8}|(?<!\d)1\d{10}(?!\d)|(?<!\d)12345(?!\d)|@|热线|电话"),
    Detail.PLACE: re.compile(
        r"路\d+号|\d+号楼|大厅|窗口|服务中心|服务站|服务点|现场|网站|平台|一网通办|小程序|(?i:app)"
    ),
    Detail.MATERIALS: re.compile(
        rf"(?:[^、，,。；;]{{0,12}}{_DOCUMENT}[^、，,。；;]{{0,4}}、)+[^、，,。；;]{{1,14}}|"
        rf"(?:提交|提供|携带|上传|出具|凭)[^，,。；;]{{0,15}}{_DOCUMENT}|"
        rf"[（(][0-9一二三四五六七八九十]+[)）][^；;。\n]{{0,20}}{_DOCUMENT}"  # a numbered sub-item naming one
    ),
    Detail.HOURS: re.compile(r"\d{1,2}[:：]\d{2}|\d{1,2}点|周[一二三四五六日末]|双休日|节假日|24小时|全天"),
    # an enumeration: three or more items joined by 、, or numbered sub-items
    Detail.ITEMS: re.compile(r"(?:[^、，,。；;]{1,14}、){2,}[^、，,。；;]{1,14}|[（(][1-9一二三四五六][）)]"),
}
# a score asked ("打多少分") is given in points (60分), not by a count (一次); 分钟, 分之, 分别 are not points
_SCORE_GIVEN = re.compile(rf"{_CN_NUM}+(?:\.\d+)?\s*分(?![之钟别类批期局])")


# A date asked to the day ("哪天上线", "几号发") is not given by a year or a month ("2021年6月前上线"); one asked to
# the month ("几月份报名") is not given by a year alone.
_DAY_ASKED = re.compile(r"哪天|哪一天|几号|(?i:what date|which date|which day)")
_MONTH_ASKED = re.compile(r"几月|哪个月|哪月|(?i:which month)")
_DAY_GIVEN = re.compile(r"\d{1,2}\s*[日号]|月[底初末中]|(?<!\d)\d{1,2}[./-]\d{1,2}(?!\d)")
_MONTH_GIVEN = re.compile(rf"{_CN_NUM}{{1,2}}\s*月(?!内|以内|以上)|[上下]半年|季度|年[底初末中]")


@dataclass(frozen=True)
class Asked:
    """The detail a question asks for, and the words that ask it."""

    kind: Detail
    cue: str

    def label(self, english: bool = False) -> str:
        return (LABELS_EN if english else LABELS_ZH)[self.kind]

    def given_by(self, text: str) -> bool:
        """Whether the text gives this detail as precisely as it is asked: a date asked to the day needs a day."""
        if self.kind is Detail.COUNT and self.cue.endswith("分"):  # a score ("打多少分") is given in 分, not by 一次
            return _SCORE_GIVEN.search(text) is not None
        if not gives(self.kind, text):
            return False
        if self.kind is Detail.DATE and _DAY_ASKED.search(self.cue):
            return _DAY_GIVEN.search(text) is not None
        if self.kind is Detail.DATE and _MONTH_ASKED.search(self.cue):
            return _MONTH_GIVEN.search(text) is not None or _DAY_GIVEN.search(text) is not None
        return True


def asked_detail(question: str) -> Asked | None:
    """The specific kind of detail the question asks for, or None when it asks for no such detail (what to do,
    who handles it, whether something is supported)."""
    for kind, pattern in _ASKS:
        m = pattern.search(question)
        if m:
            return Asked(kind, m.group(0))
    return None


def asked_details(question: str) -> list[Asked]:
    """Every kind of detail the question asks for, the first as `asked_detail` reads it: "每个月能领多少钱，能领
    几个月？" asks an amount and a duration. A cue inside one already read (多少天 holds 多少) is not another.
    An English question gives its first only: its cues are looser ("by how much can it be extended" asks
    days, not money), and it cannot be checked against the words of a Chinese text (`states`)."""
    if not _HAN.search(question):
        first = asked_detail(question)
        return [first] if first is not None else []
    out: list[Asked] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _ASKS:
        for m in pattern.finditer(question):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append(m.span())
            if all(a.kind is not kind for a in out):
                out.append(Asked(kind, m.group(0)))
    return out


_SENTENCES = re.compile(r"[^。\n]+[。\n]?")


def _statements(text: str) -> list[str]:
    """The text's sentences; a line ending in a colon ("应提交以下材料：") also with the lines it introduces,
    whose sub-items say what it announces."""
    lines = text.splitlines()
    out = [s for line in lines for s in _SENTENCES.findall(line)]
    for i, line in enumerate(lines):
        if line.rstrip().endswith(("：", ":")):
            tail = []
            for nxt in lines[i + 1 :]:
                if nxt.rstrip().endswith(("：", ":")):
                    break
                tail.append(nxt)
            out.append(line + "".join(tail))
    return out


def states(asked: Asked, question: str, text: str, idf: Mapping[str, float], topic_share: float) -> bool:
    """Whether the text states the asked detail about what the question asks: one of its sentences gives it
    (`Asked.given_by`) and holds at least `topic_share` of the question's words (without the cue), weighed by `idf`.
    A text with a figure of the kind about something else does not answer: "充一次电收多少钱" is not
    answered by "每台补贴10万元". English questions share no words with a Chinese text: the kind alone decides."""
    if not asked.given_by(text):
        return False
    if topic_share <= 0 or not _HAN.search(question):
        return True
    asked_words = grams(question.replace(asked.cue, " "))
    total = sum(gram_weight(g, idf) for g in asked_words)
    if total <= 0:
        return True
    return any(
        asked.given_by(s) and sum(gram_weight(g, idf) for g in asked_words & grams(s)) >= topic_share * total
        for s in _statements(text)
    )


def gives(kind: Detail, text: str) -> bool:
    """Whether the text states a detail of this kind (a figure with 元, a percentage, a date …)."""
    if kind in (Detail.DATE, Detail.DURATION) and find_deadlines(text):
        return True
    if kind is Detail.ITEMS:
        text = _HEADING.sub("", text)
    return _GIVES[kind].search(text) is not None
