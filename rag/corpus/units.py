"""The unit directory: every responsible unit as the text names it, the measures it is responsible for,
and the short names people type.

Variants the text distinguishes stay separate entries (区行政服务中心(大数据中心) beside
区行政服务中心(区大数据中心); 区市场局 beside 区市场监管局); `find` returns every entry a name could mean,
so a search for one finds the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.corpus.model import Measure

# Short or colloquial names → the official name they stand for. Only names that appear in the corpus
# become aliases of an entry, so this table can list more than one notice needs.
ALIASES: dict[str, list[str]] = {
    "区人力资源社会保障局": ["人社局", "区人社局", "人保局", "人力资源局", "人力资源和社会保障局", "社保局", "劳动局"],
    "区市场监管局": ["市场局", "区市场局", "市场监管局", "市场监督管理局", "工商局", "质监局", "知识产权局"],
    "区市场局": ["市场局", "市场监管局", "区市场监管局"],
    "区税务局": ["税务局", "国税局", "地税局", "税局"],
    "区房管局": ["房管局", "房屋管理局", "房地局"],
    "区规划资源局": ["规划资源局", "规划局", "规土局", "自然资源局", "国土局", "不动产登记中心"],
    "区建管委": ["建管委", "建委", "住建委", "建设管理委员会", "住建局"],
    "区发改委": ["发改委", "发展改革委", "发改局", "发展和改革委员会"],
    "区经委": ["经委", "经信委", "经济委员会"],
    "区科委": ["科委", "科技委", "科技局", "科学技术委员会"],
    "区商务委": ["商务委", "商务局", "商委"],
    "区交通委": ["交通委", "交通局", "交委"],
    "区水务局": ["水务局", "水利局"],
    "区绿化市容局": ["绿化市容局", "绿化局", "市容局"],
    "区生态环境局": ["生态环境局", "环保局", "环境局"],
    "区司法局": ["司法局"],
    "区法院": ["法院", "嘉定法院", "人民法院"],
    "嘉定海关": ["海关"],
    "嘉定供电公司": ["供电公司", "电力公司", "电网", "国家电网", "供电局"],
    "区自来水公司": ["自来水公司", "水司", "自来水厂"],
    "燃气市北销售有限公司嘉定分公司": ["燃气公司", "煤气公司", "燃气市北", "市北燃气"],
    "公安嘉定分局": ["公安", "公安局", "公安分局", "派出所"],
    "区大数据中心": ["大数据中心"],
    "区行政服务中心": ["行政服务中心", "政务服务中心", "办事大厅"],
    "区府办": ["府办", "区政府办公室", "政府办"],
    "区财政局": ["财政局"],
    "区民政局": ["民政局"],
    "区医保局": ["医保局"],
    "区总工会": ["总工会", "工会"],
    "区档案局": ["档案局"],
    "区卫健委": ["卫健委", "卫生局"],
    "区城管局": ["城管局", "城管"],
    "区农业农村委": ["农业农村委", "农委"],
    "区文化旅游局": ["文化旅游局", "文旅局"],
    "区国资委": ["国资委"],
    "区审计局": ["审计局"],
    "区气象局": ["气象局"],
    "区工商联": ["工商联"],
    "区新闻办": ["新闻办"],
    "区融媒体中心": ["融媒体中心"],
    "区纪委监委机关": ["纪委监委", "纪委"],
    "区委督查室": ["区委督查"],
    "区政府督查室": ["政府督查室"],
}


# English renderings, for English questions and for answers that add one after the official name
ENGLISH_NAMES: dict[str, list[str]] = {
    "区人力资源社会保障局": ["human resources and social security bureau", "human resources bureau", "labor bureau", "labour bureau", "social security bureau"],
    "区市场监管局": ["market supervision administration", "market supervision bureau", "market regulation bureau", "market regulator", "administration for market regulation"],
    "区税务局": ["tax bureau", "taxation bureau", "tax office", "tax authority"],
    "区房管局": ["housing administration bureau", "housing bureau", "housing authority"],
    "区规划资源局": ["planning and natural resources bureau", "planning and resources bureau", "planning bureau"],
    "区建管委": ["construction management commission", "construction commission"],
    "区发改委": ["development and reform commission"],
    "区经委": ["economic commission", "economy commission"],
    "区科委": ["science and technology commission", "science commission"],
    "区商务委": ["commerce commission", "commission of commerce"],
    "区交通委": ["transport commission", "transportation commission"],
    "区水务局": ["water affairs bureau", "water authority"],
    "区绿化市容局": ["greening and city appearance bureau"],
    "区生态环境局": ["ecology and environment bureau", "environment bureau", "environmental protection bureau"],
    "区司法局": ["justice bureau", "bureau of justice"],
    "区法院": ["district court", "people's court", "the court"],
    "嘉定海关": ["customs", "jiading customs"],
    "嘉定供电公司": ["power supply company", "electric power company", "power company", "state grid"],
    "区自来水公司": ["water supply company", "water company", "tap water company"],
    "燃气市北销售有限公司嘉定分公司": ["gas company", "gas supplier"],
    "公安嘉定分局": ["public security bureau", "police"],
    "区大数据中心": ["big data center", "big data centre"],
    "区行政服务中心": ["administrative service center", "administrative service centre", "government service center"],
    "区府办": ["district government office"],
    "区财政局": ["finance bureau", "bureau of finance"],
    "区民政局": ["civil affairs bureau"],
    "区医保局": ["medical insurance bureau", "healthcare security bureau"],
    "区总工会": ["federation of trade unions", "trade union"],
    "区档案局": ["archives bureau"],
    "区卫健委": ["health commission"],
    "区城管局": ["urban management bureau"],
    "区农业农村委": ["agriculture and rural affairs commission"],
    "区文化旅游局": ["culture and tourism bureau"],
    "区国资委": ["state-owned assets supervision and administration commission", "state-owned assets commission"],
    "区审计局": ["audit bureau"],
    "区气象局": ["meteorological bureau", "weather bureau"],
    "区工商联": ["federation of industry and commerce"],
    "区新闻办": ["information office", "press office"],
    "区融媒体中心": ["media center", "media centre", "convergence media center"],
    "区纪委监委机关": ["discipline inspection commission", "supervisory commission"],
}


def _components(name: str) -> set[str]:
    """区行政服务中心(区大数据中心) → {itself, 区行政服务中心, 区大数据中心}; 区发改委及各相关部门 → {…, 区发改委}."""
    parts = {name}
    outer = re.sub(r"[(（][^()（）]*[)）]", "", name)
    parts.add(outer)
    parts.update(re.findall(r"[(（]([^()（）]+)[)）]", name))
    parts.update(p for p in re.split(r"及|和", outer) if len(p) > 1)
    expanded = set(parts)
    for p in parts:  # 大数据中心 written without 区 inside the parentheses still means 区大数据中心
        if not p.startswith("区") and "区" + p in ALIASES:
            expanded.add("区" + p)
    return {p for p in expanded if p}


@dataclass
class Unit:
    name: str
    aliases: list[str] = field(default_factory=list)
    measure_ids: list[str] = field(default_factory=list)  # measure keys (doc:id) in corpus order
    related: list[str] = field(default_factory=list)  # other entries a search for this one also finds

    def to_dict(self, *, keys: bool = False) -> dict:
        ids = self.measure_ids if keys else [k.split(":", 1)[1] for k in self.measure_ids]
        return {"name": self.name, "aliases": self.aliases, "measure_ids": ids, "related": self.related}


class UnitDirectory:
    def __init__(self, measures: list[Measure] | tuple[Measure, ...]):
        self.units: dict[str, Unit] = {}
        for m in measures:
            for name in m.units:
                unit = self.units.setdefault(name, Unit(name))
                if m.key not in unit.measure_ids:
                    unit.measure_ids.append(m.key)
        self._components = {name: _components(name) for name in self.units}
        for name, unit in self.units.items():
            aliases = set(ALIASES.get(name, []))
            if name.startswith("区") and len(name) > 3 and "(" not in name:
                aliases.add(name[1:])
            unit.aliases = sorted(a for a in aliases if a != name)
            unit.related = sorted(
                other for other, comps in self._components.items()
                if other != name and (self._components[name] & comps or self._alias_hit(name, other))
            )
        # every spelling a user might type, longest first so that 区市场监管局 wins over 市场局
        self._surface: dict[str, set[str]] = {}
        for name, unit in self.units.items():
            for s in {name, *unit.aliases, *self._components[name]}:
                self._surface.setdefault(s, set()).add(name)
        self._surface_re = re.compile("|".join(re.escape(s) for s in sorted(self._surface, key=len, reverse=True) if len(s) >= 2))

    def _alias_hit(self, a: str, b: str) -> bool:
        return b in ALIASES.get(a, []) or a in ALIASES.get(b, [])

    def __iter__(self):
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def get(self, name: str) -> Unit | None:
        return self.units.get(name)

    def find(self, name: str) -> list[Unit]:
        """Every entry the name could mean: exact first, then its variants and the entries sharing a component."""
        name = re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")
        direct = sorted(self._surface.get(name, set()), key=lambda n: (n != name, n))
        seen: list[str] = []
        for n in direct:
            for m in [n, *self.units[n].related]:
                if m not in seen:
                    seen.append(m)
        return [self.units[n] for n in seen]

    def mentions(self, text: str) -> list[tuple[str, set[str]]]:
        """The unit names written in a text, each with the entries it names (longest match wins)."""
        text = text.replace("（", "(").replace("）", ")")
        return [(m.group(0), self._surface[m.group(0)]) for m in self._surface_re.finditer(text)]
