"""Free text to occupations of the 2022 classification (职业分类大典), with a confidence.

Most seekers cannot give an occupation code: they say 想找会计工作, 学的是电气自动化, 会开叉车.
Each occupation of the shipped table is known by its name, the parts of its name, and the
everyday words below; a seeker's words (wanted work first, then skills, then major) are
compared with them (a phrase found in the text scores by its length; otherwise a fuzzy
partial match, rapidfuzz). The confidence is the best score, lowered when a second
occupation is nearly as good. Suggestions are shown to the caseworker, who confirms the
codes (`services.seeker_occupations_confirm`); until then only suggestions at or above
`OCCUPATION_SUGGESTION_MIN_CONFIDENCE` are used for matching, and the page says so.
"""

from __future__ import annotations

import re
from functools import lru_cache

from minsheng.employment.occupations import occupations

# everyday words for occupations of the shipped table (what seekers and employers say)
ALIASES: dict[str, tuple[str, ...]] = {
    "2-02-07-04": ("机械设计", "机械工程师", "CAD制图", "机械制图"),
    "2-02-10-03": ("软件开发", "程序员", "软件工程师", "Java开发", "后端开发", "前端开发"),
    "2-02-10-04": ("网络安全", "信息安全"),
    "2-02-10-10": ("大数据", "数据分析师", "数据工程"),
    "2-02-14-01": ("电气工程师", "电气自动化", "电气设计", "电气技术员"),
    "2-02-18-02": ("土木工程", "施工员", "工程技术员"),
    "2-02-30-01": ("物流管理", "供应链"),
    "2-05-08-01": ("护士", "护理专业", "医院护理"),
    "2-05-08-02": ("社区护士",),
    "2-06-03-00": ("会计", "出纳", "财务", "做账", "记账", "审计", "财会"),
    "2-06-06-00": ("人事", "HR", "招聘专员", "人力资源"),
    "2-06-07-02": ("市场营销", "市场推广", "品牌推广"),
    "2-08-08-01": ("编辑", "文案", "新媒体编辑"),
    "2-09-02-00": ("老师", "教师", "中小学", "家教"),
    "2-09-05-00": ("幼师", "幼儿园老师", "学前教育"),
    "3-01-02-01": ("文员", "行政", "办公室", "前台文员", "行政助理"),
    "3-02-01-00": ("保卫", "安保主管"),
    "4-01-02-01": ("销售", "业务员", "推销", "电话销售"),
    "4-01-02-02": ("电商", "网店", "淘宝运营", "直播带货", "电商运营"),
    "4-01-02-03": ("营业员", "导购", "店员", "售货员"),
    "4-01-02-04": ("收银", "收银员"),
    "4-01-06-01": ("采购",),
    "4-02-02-01": ("客车司机", "公交司机", "大巴司机", "班车司机"),
    "4-02-02-02": ("货车司机", "开货车", "大车司机", "跑运输", "A2驾驶证", "B2驾驶证"),
    "4-02-04-02": ("装卸", "搬运", "码头装卸"),
    "4-02-06-01": ("仓管", "仓库管理", "库管", "仓储"),
    "4-02-06-03": ("理货", "分拣", "拣货"),
    "4-02-07-02": ("快递", "送快递", "派件", "快递小哥"),
    "4-02-07-03": ("快件分拣", "快递分拣"),
    "4-03-01-01": ("酒店前台", "前台接待"),
    "4-03-01-02": ("客房", "酒店客房", "做房"),
    "4-03-02-01": ("厨师", "炒菜", "做饭", "川菜", "中餐厨师", "烹饪"),
    "4-03-02-03": ("面点", "包子", "白案"),
    "4-03-02-05": ("服务员", "端菜", "传菜", "餐厅"),
    "4-03-02-06": ("配餐", "营养配餐"),
    "4-04-05-01": ("编程", "写代码", "程序设计", "Python"),
    "4-04-05-03": ("软件测试", "测试工程师"),
    "4-04-05-05": ("客服", "话务员", "接电话", "呼叫中心"),
    "4-06-01-01": ("物业", "物业管理", "小区管理"),
    "4-07-03-02": ("人力资源服务", "劳务派遣"),
    "4-07-05-01": ("保安", "门卫", "看大门", "巡逻"),
    "4-07-05-03": ("安检",),
    "4-09-07-01": ("保洁", "清洁", "打扫卫生", "清洁工"),
    "4-09-08-01": ("绿化", "园林", "养护花草"),
    "4-10-01-02": ("育婴", "月嫂", "带孩子", "育儿嫂"),
    "4-10-01-03": ("保育",),
    "4-10-01-05": ("养老护理", "护工", "照顾老人", "养老院"),
    "4-10-01-06": ("家政", "保姆", "钟点工"),
    "4-10-03-01": ("美容",),
    "4-10-03-02": ("美发", "理发", "剪头发"),
    "4-12-01-01": ("汽修", "修车", "汽车维修"),
    "4-12-02-03": ("家电维修", "修空调", "修家电"),
    "4-14-01-02": ("医院护工", "陪护"),
    "5-01-03-02": ("种菜", "大棚"),
    "5-04-01-01": ("养鱼", "水产"),
    "6-02-01-02": ("糕点", "烘焙", "蛋糕"),
    "6-05-01-01": ("缝纫", "车衣", "制衣", "服装厂"),
    "6-18-01-01": ("车床",),
    "6-18-01-03": ("钳工",),
    "6-18-01-07": ("数控", "CNC", "数控编程"),
    "6-18-02-04": ("焊工", "电焊", "焊接", "氩弧焊"),
    "6-18-02-06": ("钣金",),
    "6-20-01-01": ("装配钳工",),
    "6-22-03-02": ("汽车装配",),
    "6-25-02-01": ("电子检验",),
    "6-25-04-01": ("电子厂", "流水线", "普工", "组装"),
    "6-29-01-03": ("砌墙", "瓦工", "泥瓦工"),
    "6-29-02-01": ("钢筋",),
    "6-29-03-03": ("搭架子",),
    "6-29-03-06": ("装修", "油漆工", "刷墙", "木工"),
    "6-30-01-01": ("叉车", "开叉车", "叉车司机", "起重", "吊车"),
    "6-31-01-03": ("电工", "水电工", "电路检修", "电工证"),
    "6-31-01-10": ("机器人运维", "工业机器人"),
    "6-31-05-01": ("质检", "品检", "质量检验", "质量检测"),
}
SUFFIX = re.compile(r"(专业人员|工程技术人员|技术人员|人员|员|工|师)$")
FIELDS = (("wanted", 1.0), ("skills", 0.7), ("major", 0.6), ("summary", 0.5))


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[str, str]]:
    """(phrase, code) for every occupation: name, name parts, stem, aliases."""
    out = []
    for code, name in occupations().items():
        words = {name}
        for part in re.split(r"[、，,和及与]", name):
            if len(part) >= 2:
                words.add(part)
                stem = SUFFIX.sub("", part)
                if len(stem) >= 2:
                    words.add(stem)
        words.update(ALIASES.get(code, ()))
        out.extend((w, code) for w in words)
    return out


def _field_scores(text: str) -> dict[str, float]:
    """Best match per occupation in one text, 0..1."""
    from rapidfuzz import fuzz

    scores: dict[str, float] = {}
    if not text:
        return scores
    low = text.lower()
    for phrase, code in _phrases():
        p = phrase.lower()
        if p in low:
            s = min(1.0, 0.6 + 0.1 * len(p))  # 2 characters 0.8, 4 or more 1.0
        elif len(p) >= 3:
            r = fuzz.partial_ratio(p, low)
            s = 0.7 * r / 100 if r >= 75 else 0.0
        else:
            continue
        if s > scores.get(code, 0):
            scores[code] = s
    return scores


def suggest(*, wanted: str = "", skills=(), major: str = "", summary: str = "",
            top: int = 3) -> list[dict]:
    """Up to `top` occupations [{code, name, confidence, matched}] best first; confidence
    0..1 (the best field weight x match, lowered when the runner-up is close)."""
    texts = {"wanted": wanted or "", "skills": " ".join(skills or []), "major": major or "",
             "summary": (summary or "")[:500]}
    total: dict[str, float] = {}
    source: dict[str, str] = {}
    for field, weight in FIELDS:
        for code, s in _field_scores(texts[field]).items():
            v = s * weight
            if v > total.get(code, 0):
                total[code] = v
                source[code] = field
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    names = occupations()
    out = []
    for i, (code, s) in enumerate(ranked):
        runner = ranked[i + 1][1] if i + 1 < len(ranked) else 0.0
        conf = s * (1.0 if s - runner >= 0.15 else 0.8)
        out.append({"code": code, "name": names[code], "confidence": round(conf, 2),
                    "matched": source[code]})
    return out
