"""Is a question about the notice at all? Decided from retrieval evidence, never by the chat model.

Dense similarity alone separates poorly (e5 scores crowd into 0.74–0.90 for everything), so the decision
rests on what the corpus knows: the share of the question's salient words that occur anywhere in the
notices (spelled or homophone: 帮半 still counts as 帮办), plus two hard signals — a place the notices do
not cover (北京, 浦东新区) and a year after the notice (2023年的政策). A measure id or unit named in the
question puts it in scope outright. The threshold is calibrated on eval/qa.jsonl (see bench/calibrate_scope.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.retrieval.query import SYNONYMS, QueryPlan
from rag.retrieval.tokenize import pinyin_tokens, tokenize

# words that carry no topic: a question made only of these says nothing about scope
GENERIC = set("""企业 公司 单位 部门 政策 办理 申请 流程 手续 规定 要求 问题 情况 方面 工作 事情 事项 东西 材料 时间 多少 多久
哪里 哪儿 什么样 怎么样 怎样 如何 可以 能否 能不能 是不是 有没有 需要 应该 我们 我 你 他们 这个 那个 这些 那些 现在 今年 明年 最近
具体 主要 一般 新 最新 相关 有关 目前 请问 知道 告诉 了解 咨询 帮忙 谢谢 通知 文件 方案 嘉定 嘉定区 上海 上海市
这块 这事 这种 那种 搞定 顺便 之间 除了 以外 必须 不想 还要 怎么办 咋办 咋整 咋弄 希望 觉得 准备 打算 想要 能快 行不行 可不可以 分别
哪几 几个 哪几个 哪个 哪些 以后 之后 之前 时候 的话 一下 一趟 几次 多长 多长时间 多久 号码 电话 找谁 管事 负责 谁管 一起 所有 全部
还有 另外 其他 其它 别的 情况 怎么弄 怎么搞 是否 能不能够 到底 究竟 为什么 为啥 啥时候 什么时候 哪天 多大 多高 多少钱""".split())


# places a question may name instead of the notices' own; refused unless some loaded notice covers them
OTHER_PLACES = """北京 天津 重庆 广州 深圳 杭州 南京 苏州 无锡 宁波 合肥 武汉 成都 西安 长沙 郑州 济南 青岛 厦门 福州 昆山 太仓
江苏 浙江 安徽 广东 山东 福建 河北 河南 湖北 湖南 四川 陕西 辽宁 吉林 黑龙江 江西 广西 云南 贵州 山西 甘肃 海南 新疆 西藏 内蒙古 宁夏 青海
香港 澳门 台湾 浦东 黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 金山 松江 青浦 奉贤 崇明 临港 外省 外地""".split()


@dataclass
class ScopeVerdict:
    in_scope: bool
    confidence: float  # 0..1, how sure the question is answerable from the notices
    reason: str
    missing: list[str] = field(default_factory=list)  # salient words the notices never use


class ScopeJudge:
    def __init__(self, corpus_text: str, pinyin_vocabulary: set[str], latest_year: int, home: str = "嘉定",
                 threshold: float = 0.3, english_threshold: float = 0.34):
        self.text, self.pinyin_vocab, self.home = corpus_text, pinyin_vocabulary, home
        self.places = [p for p in OTHER_PLACES if p not in corpus_text]
        self.latest_year, self.threshold, self.english_threshold = latest_year, threshold, english_threshold

    def _known(self, word: str) -> bool:
        if word in self.text or word in SYNONYMS:
            return True
        pairs = pinyin_tokens(word)
        return bool(pairs) and all(p in self.pinyin_vocab for p in pairs)

    def rarity(self, word: str) -> int:
        return self.text.count(word)

    def judge(self, question: str, plan: QueryPlan) -> ScopeVerdict:
        if plan.referenced:
            return ScopeVerdict(True, 1.0, "names a measure id")
        if plan.unit_names and plan.unit_intent:
            return ScopeVerdict(True, 1.0, "asks what a named unit is responsible for")
        years = [int(y) for y in re.findall(r"(20\d\d)\s*年?", question)]
        if years and max(years) > self.latest_year:
            return ScopeVerdict(False, 0.0, f"问的是{max(years)}年，通知发布于{self.latest_year}年")
        foreign = [p for p in self.places if p in question]
        if foreign and self.home not in question:
            return ScopeVerdict(False, 0.0, f"通知不涉及{'、'.join(foreign)}", foreign)
        if plan.latin:
            coverage = getattr(plan, "english_coverage", 1.0)
            return ScopeVerdict(coverage >= self.english_threshold, coverage, f"topic coverage {coverage:.2f}")
        salient = [t for t in dict.fromkeys(tokenize(question)) if len(t) >= 2 and t not in GENERIC]
        if not salient:
            return ScopeVerdict(bool(plan.unit_names), 0.5, "问题中没有可检索的主题词")
        missing = [t for t in salient if not self._known(t)]
        coverage = 1 - len(missing) / len(salient)
        specific = [t for t in salient if len(t) >= 3 and t not in missing and self.rarity(t) <= 3]
        if specific:  # a term only a few measures use (转供电, 监理) is strong evidence on its own
            coverage = max(coverage, 0.6)
        if plan.unit_names:
            coverage = max(coverage, 0.75)
        reason = f"通知中没有“{'、'.join(missing[:3])}”等内容" if missing else f"主题覆盖度{coverage:.2f}"
        return ScopeVerdict(coverage >= self.threshold, coverage, reason, missing)
