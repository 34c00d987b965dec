"""What a question asks for, before any search: measure ids it names, units it names, whether it asks
for everything a unit does, and the words a user types for what the notice calls otherwise."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.corpus.collection import Corpus
from rag.corpus.model import Measure
from rag.corpus.units import ENGLISH_NAMES
from rag.retrieval.glossary import expand_english

# a unit's whole remit: "区税务局负责哪些措施", "房管局有哪些任务", "What is Jiading Customs responsible for?"
_UNIT_INTENT = re.compile(
    r"(负责|承担|牵头|主管|管|参与|涉及|分管|干|做|抓|落实)(了|的)?(哪些|哪条|哪几|什么|啥|多少|几)|"
    r"(有|的)(哪些|什么|啥|几项|多少)(任务|措施|工作|事|职责|条|项)|"
    r"(任务|措施|工作|职责)(有|是)(哪些|什么|啥)|全部(任务|措施)|所有(任务|措施)|"
    r"(?i:responsible for\W*$|responsible for (what|which)|what (does|do|is|are) .{2,60} (do|handle|responsible)|"
    r"which (measures|tasks)|what (measures|tasks)|(measures|tasks|duties) (of|for|assigned to)|\bin charge of what)"
)

# users' words → the notice's words (appended to the BM25 query; the dense model sees the question as typed)
SYNONYMS: dict[str, str] = {
    "咋": "怎么", "啥": "什么", "注消": "注销", "住销": "注销", "关门": "注销", "不干了": "注销", "不想干": "注销", "倒闭": "破产 注销",
    "开公司": "企业开办 设立登记", "开店": "企业开办", "开个公司": "企业开办 设立登记", "办执照": "营业执照 设立登记", "营业执照": "营业执照",
    "接电": "用电 接电 供电", "接店": "用电 接电 供电", "通电": "用电 接电 供电", "拉电": "接电 供电",
    "接水": "用水 供水 接水", "自来水": "供水 用水 接水", "通水": "供水", "煤气": "燃气 供气", "天然气": "燃气 供气", "燃气": "供气",
    "报关": "通关 申报 海关", "进口": "进口 通关", "出口": "出口 通关", "退税": "退税 留抵", "发票": "发票",
    "盖房": "建筑 施工许可", "盖厂房": "工程建设 施工许可", "建厂房": "工程建设 施工许可", "工地": "施工", "验收": "竣工验收",
    "买房": "不动产 转移登记", "过户": "转移登记 过户", "房产证": "不动产权证 权证", "产证": "不动产权证",
    "贷款": "融资", "借钱": "融资", "融资难": "融资", "担保": "担保", "专利": "专利 知识产权", "商标": "商标 知识产权",
    "打官司": "诉讼 立案 法院", "起诉": "立案 诉讼", "官司": "诉讼 案件", "欠钱": "拖欠 账款", "欠款": "拖欠 账款", "欠薪": "工资拖欠",
    "工资": "工资", "劳动纠纷": "劳动争议 仲裁", "仲裁": "仲裁", "招工": "招工 就业", "找工作": "就业",
    "外国人": "外国 人才", "工作证": "工作许可", "工作签证": "工作许可", "物业": "转供电", "电费": "电力 收费", "老外": "外国 人才", "留学生": "留学人员", "海归": "留学人员",
    "投诉": "投诉", "差评": "差评 好差评", "评价": "评价", "网上办": "网办 一网通办", "线上办": "网办 一网通办",
    "盖章": "印章", "公章": "印章", "电子章": "电子印章", "签名": "电子签名",
    "招标": "招标投标 招投标", "投标": "招标投标 招投标", "政府采购": "政府采购",
    "罚款": "处罚", "不罚": "免予处罚", "信用修复": "信用修复", "黑名单": "失信",
    "调解": "调解", "律师": "律师", "补贴": "资金扶持 惠企政策", "优惠政策": "惠企政策 优惠政策", "政策": "政策",
    "园区": "园区", "跑腿": "帮办", "代办": "帮办", "管家": "管家式 服务专员",
}


@dataclass
class QueryPlan:
    text: str
    referenced: list[Measure] = field(default_factory=list)
    unit_names: set[str] = field(default_factory=set)  # directory entries the question names
    unit_intent: bool = False  # asks for everything those units do
    expansion: str = ""  # notice words for the user's words
    latin: bool = False
    # share of an English question's content words the glossary knows (~0: not about the notice);
    # 1.0 for questions not in Latin script, which it does not judge
    english_coverage: float = 1.0


_ENGLISH_PATTERNS = [(name, re.compile(rf"\b{re.escape(e)}\b")) for name, english in ENGLISH_NAMES.items() for e in english]


def english_mentions(text: str) -> set[str]:
    low = text.lower()
    if not re.search("[a-z]", low):  # most questions are Chinese: nothing to look for
        return set()
    return {name for name, pattern in _ENGLISH_PATTERNS if pattern.search(low)}


def plan_query(corpus: Corpus, text: str, doc: str | None = None, latin: bool = False) -> QueryPlan:
    plan = QueryPlan(text=text, latin=latin)
    plan.referenced = corpus.referenced(text, doc)
    for _, names in corpus.units.mentions(text):
        plan.unit_names |= names
    plan.unit_names |= {n for n in english_mentions(text) if corpus.units.get(n)}
    plan.unit_intent = bool(plan.unit_names) and bool(_UNIT_INTENT.search(text))
    plan.expansion = " ".join(v for k, v in SYNONYMS.items() if k in text)
    if latin:
        english, plan.english_coverage = expand_english(text)
        plan.expansion = f"{plan.expansion} {english}".strip()
    return plan
