"""Parse a Chinese policy implementation plan (实施方案) into a tree of items and target drafts.

The importer is deliberately conservative: it only reports numbers that are written in the
text, marks anything redacted (``202x``, ``20xx``) or benchmark-only ("处于全国先进水平") for
review, and lists every line it did not treat as plan text in ``skipped`` instead of dropping
it, so an officer can see exactly what was left out.

Heading styles recognised (full- or half-width punctuation):

* chapter: ``一、`` / ``第一章`` / ``第一部分``
* section: ``(一)`` / ``（一）``
* measure: ``1.`` ``1．`` ``1、`` / ``(1)`` ``（1）`` / ``①``; a different style inside a measure
  nests one level down.

Sections in many plans open with an unnumbered paragraph followed by ``2.``, ``3.``; such a
paragraph becomes measure 1 with ``implicit_number=True``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import cn2an

CHAPTER, SECTION, MEASURE = "chapter", "section", "measure"

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Full-width ASCII folds to half-width for *matching only*; output keeps the original text.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_CHAPTER_RE = re.compile(rf"^(?:([{_CN_DIGITS}]+)[、,.]|第([{_CN_DIGITS}]+)(?:章|部分)\s*)\s*(.*)$")
_SECTION_RE = re.compile(rf"^\(([{_CN_DIGITS}]+)\)\s*(.*)$")
_MEASURE_DOT_RE = re.compile(r"^(\d{1,2})(?:\.(?!\d)|、)\s*(.*)$")
_MEASURE_PAREN_RE = re.compile(r"^\((\d{1,2})\)\s*(.*)$")
_MEASURE_CIRCLED_RE = re.compile(rf"^([{_CIRCLED}])\s*(.*)$")

_CLOSING_RE = re.compile(
    r"^(通过上述|通过以上|综上所述|综上|总之|上述措施|以上措施|本方案自|本实施方案自)"
)
_AD_RE = re.compile(
    r"预览阅读已结束|阅读已结束|点击|扫码|二维码|公众号|微信|[Qq]{2}|代笔|代写|下载全文|"
    r"联系老师|联系客服|联系我们|获取全文|https?://|www\."
)
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
_PAGE_RE = re.compile(r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)$")
_AD_MAX_LEN = 80


class PlanParseError(ValueError):
    """The text cannot be read as a plan."""


@dataclass
class PlanItem:
    level: str
    number: str  # local label: "二", "一" (for (一)), "1"
    path: str  # unique address, e.g. "二.(一).1"
    title: str
    text: str
    line: int
    implicit_number: bool = False
    children: list[PlanItem] = field(default_factory=list)
    # from a task breakdown table (任务/牵头单位/配合单位/完成时限), as written
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    deadline: str | None = None  # ISO date read from deadline_text, when it names one
    deadline_text: str = ""


@dataclass
class Target:
    text: str
    indicator: str
    comparator: str | None  # ">=", "<=", ">", "<", "=", "in" (range) or None
    comparator_word: str
    value: float | None  # in base units: 2.15万人 -> 21500
    raw_value: str | None
    scale: int
    unit: str | None
    per: int | None  # population denominator: 每千常住人口 -> 1000
    per_population: str | None
    year: int | None
    year_text: str | None
    periodicity: str | None  # annual (每年), quarterly (每季度), monthly (每月), ...
    needs_review: bool
    review_reasons: list[str]
    item_number: str
    value_high: float | None = None  # upper end of a range ("3%—4%"); comparator "in"
    change: str | None = None  # "increase"/"decrease": the value is a change, not a level
    base_year: int | None = None  # the change is measured from this year's level


@dataclass
class SkippedLine:
    line: int
    text: str
    reason: str


@dataclass
class PlanInfo:
    title: str
    preamble: str
    closing: str
    doc_kind: str  # e.g. "实施方案", read from "制定本实施方案"


@dataclass
class ParsedPlan:
    plan: PlanInfo
    items: list[PlanItem]
    targets: list[Target]
    skipped: list[SkippedLine]

    def walk(self) -> list[PlanItem]:
        out: list[PlanItem] = []
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            out.append(item)
            stack.extend(reversed(item.children))
        return out


def _fold(s: str) -> str:
    return s.translate(_FOLD)


def _cn_int(s: str) -> int:
    return int(cn2an.cn2an(s, "smart"))


def _normalise(text: str) -> list[str]:
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _split_heading(rest: str) -> tuple[str, str]:
    """Heading title up to the first colon or 。, and the text after it."""
    m = re.search(r"[:：。]", rest)
    if not m:
        return rest.strip(), ""
    return rest[: m.start()].strip(), rest[m.end() :].strip()


def _measure_title(text: str) -> str:
    return re.split(r"[。；;]", text, maxsplit=1)[0].strip()


def _classify(line: str) -> tuple[str, str, str, str] | None:
    """(level, style, number, rest) for a heading line, else None."""
    f = _fold(line)
    if m := _CHAPTER_RE.match(f):
        return CHAPTER, "chapter", m.group(1) or m.group(2), line[m.start(3) :]
    if m := _SECTION_RE.match(f):
        return SECTION, "section", m.group(1), line[m.start(2) :]
    if m := _MEASURE_DOT_RE.match(f):
        return MEASURE, "dot", m.group(1), line[m.start(2) :]
    if m := _MEASURE_PAREN_RE.match(f):
        return MEASURE, "paren", m.group(1), line[m.start(2) :]
    if m := _MEASURE_CIRCLED_RE.match(f):
        return MEASURE, "circled", str(_CIRCLED.index(m.group(1)) + 1), line[m.start(2) :]
    return None


def _junk_reason(line: str) -> str | None:
    f = _fold(line)
    if _PAGE_RE.match(f):
        return "page number"
    if len(line) > _AD_MAX_LEN:
        return None
    if m := _AD_RE.search(f):
        return f"advertisement or contact prompt ({m.group()!r})"
    if _EMOJI_RE.search(line):
        return "advertisement (contains emoji)"
    return None


def _label(style: str, number: str) -> str:
    return {"section": f"({number})", "paren": f"({number})", "circled": f"({number})"}.get(
        style, number
    )


class _Builder:
    def __init__(self) -> None:
        self.items: list[PlanItem] = []
        self.preamble: list[str] = []
        self.closing: list[str] = []
        self.skipped: list[SkippedLine] = []
        self.chapter: PlanItem | None = None
        self.section: PlanItem | None = None
        self.measures: list[tuple[str, PlanItem]] = []  # (style, item), outermost first
        self.buffer: list[tuple[int, str]] = []

    def container(self) -> PlanItem | None:
        return self.section or self.chapter

    def flush(self, first_measure: int | None = None, style: str = "dot") -> None:
        """Settle buffered unnumbered paragraphs: implicit measures or container text."""
        buf, self.buffer = self.buffer, []
        if not buf:
            return
        parent = self.container()
        if parent is None:
            self.preamble.extend(t for _, t in buf)
            return
        if first_measure and first_measure >= 2:
            if len(buf) == first_measure - 1:
                groups = [[b] for b in buf]
            elif first_measure == 2:
                groups = [buf]
            else:
                groups = []
            for k, group in enumerate(groups, start=1):
                text = "\n".join(t for _, t in group)
                item = PlanItem(
                    MEASURE,
                    str(k),
                    f"{parent.path}.{_label(style, str(k))}",
                    _measure_title(text),
                    text,
                    group[0][0],
                    implicit_number=True,
                )
                parent.children.append(item)
            if groups:
                return
        parent.text = "\n".join(filter(None, [parent.text, *(t for _, t in buf)]))

    def heading(self, lineno: int, level: str, style: str, number: str, rest: str) -> None:
        if level == CHAPTER:
            self.flush()
            title, text = _split_heading(rest)
            self.chapter = PlanItem(CHAPTER, number, number, title, text, lineno)
            self.items.append(self.chapter)
            self.section, self.measures = None, []
        elif level == SECTION:
            self.flush()
            title, text = _split_heading(rest)
            path = f"{self.chapter.path}.({number})" if self.chapter else f"({number})"
            self.section = PlanItem(SECTION, number, path, title, text, lineno)
            (self.chapter.children if self.chapter else self.items).append(self.section)
            self.measures = []
        else:
            self._measure(lineno, style, number, rest)

    def _measure(self, lineno: int, style: str, number: str, rest: str) -> None:
        if not self.measures:
            self.flush(int(number), style)
        else:
            styles = [s for s, _ in self.measures]
            if style in styles:
                del self.measures[styles.index(style) :]
        parent = self.measures[-1][1] if self.measures else self.container()
        path = f"{parent.path}.{_label(style, number)}" if parent else _label(style, number)
        text = rest.strip()
        item = PlanItem(MEASURE, number, path, _measure_title(text), text, lineno)
        (parent.children if parent else self.items).append(item)
        self.measures.append((style, item))

    def paragraph(self, lineno: int, line: str) -> None:
        if self.measures:
            item = self.measures[-1][1]
            item.text = f"{item.text}\n{line}"
        else:
            self.buffer.append((lineno, line))


def parse_plan(text: str) -> ParsedPlan:
    if not isinstance(text, str) or not text.strip("\ufeff \t\r\n\u3000"):
        raise PlanParseError("plan text is empty")
    b = _Builder()
    # A closing-style paragraph ("通过上述措施...") only ends the plan if no heading follows it;
    # until then it and any later paragraphs are held back.
    closing: tuple[int, str] | None = None
    held: list[tuple[int, str]] = []
    for lineno, raw in enumerate(_normalise(text), start=1):
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        junk = _junk_reason(line)
        if junk:
            b.skipped.append(SkippedLine(lineno, line, junk))
            continue
        head = _classify(line)
        if head and closing:
            for n, held_line in [closing, *held]:
                b.paragraph(n, held_line)
            closing, held = None, []
        if head:
            b.heading(lineno, *head)
        elif closing:
            held.append((lineno, line))
        elif b.items and _CLOSING_RE.match(line):
            closing = (lineno, line)
        else:
            b.paragraph(lineno, line)
    if closing:
        b.closing.append(closing[1])
        reason = "text after the closing paragraph; not recognised as part of the plan"
        b.skipped.extend(SkippedLine(n, t, reason) for n, t in held)
        b.skipped.sort(key=lambda s: s.line)
    b.flush()
    if not b.items:
        raise PlanParseError(
            "no plan structure found: expected chapter (一、), section ((一)) or numbered "
            "item (1.) headings"
        )
    preamble = "\n".join(b.preamble)
    title, preamble = _derive_title(preamble)
    kind = re.search(r"制定本(实施方案|方案|计划|意见)", preamble)
    info = PlanInfo(title, preamble, "\n".join(b.closing), kind.group(1) if kind else "")
    parsed = ParsedPlan(info, b.items, [], b.skipped)
    for item in parsed.walk():
        parsed.targets.extend(extract_targets(item.text, item.path, item.title))
    return parsed


def _derive_title(preamble: str) -> tuple[str, str]:
    """A short first line without sentence punctuation is the title; otherwise no title."""
    first, _, rest = preamble.partition("\n")
    if first and len(first) <= 60 and not re.search(r"[。，,；;：:]", first):
        return first.strip(), rest
    m = re.search(r"《([^》]*(?:实施方案|方案|规划|计划))》", preamble)
    if m and re.search(r"(印发|制定)", preamble[: m.start()]):
        return m.group(1), preamble
    return "", preamble


# ---------------------------------------------------------------------------
# Target extraction

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 2,000 reads as 2000
_CN_NUM = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_REDACTED = r"\d*[xX×*]+\d*[xX×*\d]*"
_UNITS = (
    "个百分点|百分点|%|‰|微克/立方米|毫克/立方米|平方公里|平方米|公顷|公里|千米|人次|场次|批次|"
    "万元|亿元|元|人|户|张|岁|所|家|个|座|项|套|次|辆|台|名|床|场|部|级|分|吨|亩|天|小时"
)
# Money is counted in 万元 / 亿元 in plans and budgets: the unit keeps the scale.
_MONEY_UNITS = {"元"}
_SCALES = {"万": 10_000, "千": 1_000, "亿": 100_000_000}
# Longer words first where one contains another (不低于 before 低于 is settled by position:
# the indicator grows one character at a time, so the earliest comparator word wins).
_PREFIX_CMP = [
    (r"控制在|不超过|不高于|不多于|降低到|降低至|下降到|下降至|降至|减少到|减少至", "<="),
    (r"不低于|不少于|达到|提高到|提高至|提升到|提升至|增加到|增加至|增长到|达", ">="),
    (r"超过|高于|多于", ">"),  # 超过 95% is strictly more than 95%
    (r"低于|少于", "<"),
    (r"保持在|稳定在|保持|为", "="),
]
_SUFFIX_CMP = {"以上": ">=", "以内": "<=", "以下": "<=", "左右": "=", "之间": "in"}
_POP = r"常住人口|户籍人口|老年人口|老年人|儿童|新生儿|人口|人|户"
_PER_WORD = rf"每(?:十万|百万|千|万|百)名?(?:{_POP})"
_RANGE_DASH = r"[—–~]+|-|至|到"
_TARGET_RE = re.compile(
    rf"^(?P<indicator>.+?)(?P<pre>{'|'.join(p for p, _ in _PREFIX_CMP)})?"
    rf"(?P<per2>{_PER_WORD})?(?P<pct>百分之)?(?P<value>{_NUM}|{_REDACTED}|{_CN_NUM})"
    rf"(?:(?P<scale1>万|千|亿)?(?P<unit1>%|‰)?\s*(?:{_RANGE_DASH})\s*(?P<value2>{_NUM}))?"
    rf"(?P<scale>万|千|亿)?(?P<unit>{_UNITS})?(?P<suffix>以上|以内|以下|左右|之间)?$"
)
# "帮助5,000名就业困难人员实现再就业": the number stands before what is counted.
_INVERTED_RE = re.compile(
    rf"^(?P<verb>帮助|带动|扶持|引导|资助|救助)(?P<value>{_NUM})(?P<scale>万|千)?"
    r"(?P<unit>名|人|户|家|个)(?P<indicator>[\u4e00-\u9fff“”\"]{2,})$"
)
_BENCHMARK_RE = re.compile(
    r"^(?P<indicators>.+?)(?:等)?(?:各项|主要)?(?:指标)?(?P<word>(?:处于|达到|保持|位居|居于)"
    r"(?:全国|全省|全市|国内|国际|同类城市)(?:先进|领先|前列|一流)(?:水平)?)$"
)
_DEADLINE_RE = re.compile(
    r"(?:(?:到|至|截至|截止到?)\s*(?P<y1>[12]\d[\dxX]{2})\s*年|"
    r"[12]\d[\dxX]{2}\s*[—–\-~至到]+\s*(?P<y2>[12]\d[\dxX]{2})\s*年|"
    # a sentence that opens with its year: "2024年全区计划…", "2025年底前，…"
    r"(?:^|(?<=[。；;\n]))(?P<y3>[12]\d[\dxX]{2})\s*年(?:底前|底|前|内|度)?)"
)
_LEAD_FILLER_RE = re.compile(r"^(?:确保|力争|争取|实现|使得?|并且?|其中|同时|进一步)+")
_PER_RE = re.compile(
    rf"^(?:全区|全市|全县|全省|各街道|各社区)?每?(?P<n>十万|百万|千|万|百)名?(?P<pop>{_POP})"
)
_PER_N = {"百": 100, "千": 1_000, "万": 10_000, "十万": 100_000, "百万": 1_000_000}
# Periodicity: 每-words anywhere in the phrase ("各街道每季度开展…"), the others only where
# the phrase starts ("年均浓度" is part of an indicator's name, "年均新增" is not).
_PERIOD_ANY_RE = re.compile(r"每季度|每季|每半年|每月|每周|每年")
_PERIOD_START_RE = re.compile(r"^(?:年均|年度|全年|年内)")
_PERIODS = {"每年": "annual", "年均": "annual", "年度": "annual", "全年": "annual",
            "年内": "annual", "每季度": "quarterly", "每季": "quarterly",
            "每半年": "semiannual", "每月": "monthly", "每周": "weekly"}
_CHANGE_RE = re.compile(r"(提高|提升|增加|增长|下降|降低|减少|缩小|扩大|压缩|缩短)$")
_DECREASE = {"下降", "降低", "减少", "缩小", "压缩", "缩短"}
_BASE_RE = re.compile(r"(?:比|较|与|同)(?P<y>[12]\d{3})\s*年(?:底|末)?(?:相比|比)?$")
# An amount per person (per month) is a benefit standard, not a target to reach.
_STANDARD_RE = re.compile(r"(?:标准|每(?:人|户)(?:每(?:月|年|天|日))?)$")
# "A和B(比2023年)分别下降15%和10%": one target per named indicator.
_RESPECTIVELY_RE = re.compile(r"^(?P<names>.+?)(?P<rel>(?:比|较|与)[12]\d{3}年(?:相比)?)?分别"
                              r"(?P<lead>\D*?)(?P<values>\d.*)$")
_LIST_SEP = r"[和、及与,]"
_NUMBER_UNIT_END_RE = re.compile(
    rf"(?:{_NUM})(?:万|千|亿)?(?:{_UNITS})(?:以上|以内|以下|左右)?、"
)


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pairs: sentences split at 。；, then at commas (not the thousands
    separator in 2,000)."""
    out = []
    for m in re.finditer(r"(?:[^。；;！!？?\n，,]|(?<=\d),(?=\d{3}(?!\d)))+", text):
        out.append((m.start(), m.group().strip()))
    return out


def _deadline(text: str, before: int) -> tuple[int | None, str | None]:
    year_text = None
    for m in _DEADLINE_RE.finditer(text):
        if m.start() >= before:
            break
        year_text = m.group("y1") or m.group("y2") or m.group("y3")
    if year_text is None:
        return None, None
    return (int(year_text) if year_text.isdigit() else None), year_text


def _strip_time(clause: str) -> str:
    clause = _DEADLINE_RE.sub("", _fold(clause)).strip(" ,，:：")
    return clause


def _per(indicator: str) -> tuple[int | None, str | None]:
    if m := _PER_RE.match(indicator):
        pop = m.group("pop")
        return _PER_N[m.group("n")], ("人口" if pop == "人" else pop)
    return None, None


def extract_targets(text: str, item_number: str, context: str = "") -> list[Target]:
    """Quantitative target drafts found in one item's text. Never invents a number."""
    targets: list[Target] = []
    text = _fold(text)  # same length, so clause offsets still line up
    for offset, clause in _clauses(text):
        year, year_text = _deadline(text, offset + 1)
        body = _LEAD_FILLER_RE.sub("", _strip_time(clause))
        if not body:
            continue
        found = _clause_targets(clause, body) or _benchmark_targets(clause, body)
        for t in found:
            t.item_number = item_number
            t.year, t.year_text = year, year_text
            if year_text and year is None:
                t.review_reasons.insert(0, f"deadline year is redacted ({year_text})")
            elif year_text is None:
                t.review_reasons.insert(0, "no deadline year stated")
            t.needs_review = bool(t.review_reasons)
            targets.append(t)
    return targets


def _clause_targets(clause: str, body: str) -> list[Target]:
    """Targets of one clause: one, one per indicator named with 分别, or one per part of a
    list joined by 、 ("改造12个、涉及居民3,560户")."""
    if m := _RESPECTIVELY_RE.match(body):
        names = [n for n in re.split(_LIST_SEP, m.group("names")) if n]
        suffix = re.search(r"(以上|以内|以下|左右)$", m.group("values"))
        values = m.group("values")[: suffix.start()] if suffix else m.group("values")
        parts = [v for v in re.split(_LIST_SEP, values) if v]
        if len(names) == len(parts) >= 2:
            unit = re.search(rf"(?:{_UNITS})$", parts[-1])
            out = []
            for name, part in zip(names, parts, strict=True):
                if unit and not re.search(rf"(?:{_UNITS})$", part):
                    part += unit.group()  # "分别达到95和98%": the unit is written once
                sub = (name + (m.group("rel") or "") + m.group("lead") + part
                       + (suffix.group() if suffix else ""))
                t = _numeric_target(clause, sub)
                if t is None:
                    return []
                out.append(t)
            return out
    pieces = []
    last = 0
    for m in _NUMBER_UNIT_END_RE.finditer(body):
        pieces.append(body[last : m.end() - 1])
        last = m.end()
    if pieces:
        pieces.append(body[last:])
        found = [_numeric_target(clause, p) for p in pieces]
        if all(found):
            return found  # type: ignore[return-value]
    t = _numeric_target(clause, body)
    return [t] if t else []


def _inverted_target(clause: str, body: str) -> Target | None:
    m = _INVERTED_RE.match(body)
    if not m:
        return None
    scale = _SCALES.get(m.group("scale") or "", 1)
    raw = m.group("value")
    return Target(
        text=clause, indicator=m.group("indicator"), comparator="=", comparator_word="",
        value=round(float(raw.replace(",", "")) * scale, 10),
        raw_value=raw + (m.group("scale") or ""), scale=scale, unit=m.group("unit"),
        per=None, per_population=None, year=None, year_text=None, periodicity=None,
        needs_review=False, review_reasons=[], item_number="",
    )


def _numeric_target(clause: str, body: str) -> Target | None:
    m = _TARGET_RE.match(body)
    if not m:
        return _inverted_target(clause, body)
    indicator, pre, suffix = m.group("indicator"), m.group("pre") or "", m.group("suffix") or ""
    unit = m.group("unit") or m.group("unit1")
    raw = m.group("value")
    raw_high = m.group("value2")
    scale_word = m.group("scale") or ""
    if m.group("pct"):
        unit = "%"
    is_cn = bool(re.fullmatch(_CN_NUM, raw))
    # A clause only counts as a target with an explicit comparator or a unit; Chinese numerals
    # additionally need a unit so phrases like "十九大" are never read as targets ("为零" is
    # the one bare Chinese numeral a plan states as a target).
    if not (pre or suffix or unit) or (is_cn and not (unit or scale_word)
                                       and not (raw == "零" and pre)):
        return None
    if unit in (None, "") and not scale_word and not re.search(r"[率数量比]$", indicator):
        return None
    if not re.search(r"[\u4e00-\u9fff]", indicator) or _STANDARD_RE.search(indicator):
        return None
    if raw_high and suffix and suffix != "之间":
        return None  # "3—5个以上" says neither a range nor a bound clearly
    reasons: list[str] = []
    value: float | None
    if re.fullmatch(_REDACTED, raw) and not raw.isdigit():
        value = None
        reasons.append(f"value is redacted ({raw})")
    elif is_cn:
        try:
            # cn2an wants "一百" for a bare "百" (as in 百分之百)
            value = float(cn2an.cn2an("一" + raw if raw[0] in "十百千" else raw, "smart"))
        except ValueError:
            return None
    else:
        value = float(raw.replace(",", ""))
    scale = _SCALES.get(scale_word, 1)
    if unit in _MONEY_UNITS and scale_word in ("万", "亿"):
        unit, scale = scale_word + unit, 1
    value_high = None
    if raw_high:
        low_scale = _SCALES.get(m.group("scale1") or "", scale)
        value = round(value * low_scale, 10) if value is not None else None
        value_high = round(float(raw_high.replace(",", "")) * scale, 10)
    elif value is not None:
        value = round(value * scale, 10)
    if unit == "个百分点":
        unit = "百分点"
    if raw_high:
        comparator, word = "in", f"{pre}…—…{suffix}" if pre or suffix else "—"
        reasons.append(f"range {raw}–{raw_high}: choose how to track it")
    elif suffix:
        comparator = _SUFFIX_CMP[suffix]
        word = f"{pre}…{suffix}" if pre else suffix
    elif pre:
        comparator = next(c for p, c in _PREFIX_CMP if re.fullmatch(p, pre))
        word = pre
    else:
        comparator, word = "=", ""
    periodicity = None
    if period := _PERIOD_START_RE.match(indicator):
        indicator = indicator[period.end() :]
        periodicity = _PERIODS[period.group()]
    change = base_year = None
    if found := _CHANGE_RE.search(indicator):
        # "提高2个百分点" states a change from a base, not a level to reach.
        indicator = indicator[: found.start()]
        change = "decrease" if found.group() in _DECREASE else "increase"
        if base := _BASE_RE.search(indicator):
            # "比2023年下降15%": the level must end at most (at least) the base year's
            # level less (plus) the change; that level is not in the text.
            indicator = indicator[: base.start()]
            base_year = int(base.group("y"))
            comparator = "<=" if change == "decrease" else ">="
            reasons.append(f"value is a change ({found.group()}) from the {base_year} level; "
                           f"enter that year's value as the baseline")
        else:
            comparator = None
            reasons.append(f"value is a change ({found.group()}), not a level; baseline needed")
    if periodicity is None and (period := _PERIOD_ANY_RE.search(indicator)):
        indicator = indicator[: period.start()] + indicator[period.end() :]
        periodicity = _PERIODS[period.group()]
    if not indicator:
        return None
    per, pop = _per(indicator)
    if m.group("per2"):
        per, pop = _per(m.group("per2"))
    return Target(
        text=clause,
        indicator=indicator,
        comparator=comparator,
        comparator_word=word,
        value=value,
        raw_value=raw + scale_word,
        scale=scale,
        unit=unit,
        per=per,
        per_population=pop,
        year=None,
        year_text=None,
        periodicity=periodicity,
        needs_review=False,
        review_reasons=reasons,
        item_number="",
        value_high=value_high,
        change=change,
        base_year=base_year,
    )


def _benchmark_targets(clause: str, body: str) -> list[Target]:
    """Benchmark-only targets ("A、B等指标处于全国先进水平"): one value-less draft each."""
    m = _BENCHMARK_RE.match(body)
    if not m:
        return []
    out = []
    for name in re.split(r"[、和及与]", m.group("indicators")):
        name = name.strip()
        if not name:
            continue
        per, pop = _per(name)
        out.append(
            Target(
                text=clause,
                indicator=name,
                comparator=None,  # "先进水平" gives no direction or number to compare with
                comparator_word=m.group("word"),
                value=None,
                raw_value=None,
                scale=1,
                unit=None,
                per=per,
                per_population=pop,
                year=None,
                year_text=None,
                periodicity=None,
                needs_review=True,
                review_reasons=[f"no numeric value: benchmark only ({m.group('word')})"],
                item_number="",
            )
        )
    return out


def _item_json(item: PlanItem) -> dict[str, Any]:
    return {
        "number": item.path,
        "local_number": item.number,
        "level": item.level,
        "title": item.title,
        "text": item.text,
        "line": item.line,
        "implicit_number": item.implicit_number,
        "children": [_item_json(c) for c in item.children],
        "lead_units": item.lead_units,
        "co_units": item.co_units,
        "deadline": item.deadline,
        "deadline_text": item.deadline_text,
    }


# ---------------------------------------------------------------------------
# Task breakdown tables (任务分解表) from .docx files

_UNIT_SEP_RE = re.compile(r"[、,，;；/\s]+")
_DATE_RE = re.compile(r"(?P<y>[12]\d{3})\s*年(?:(?P<m>\d{1,2})\s*月)?(?:(?P<d>\d{1,2})\s*日)?")


def units(text: str) -> list[str]:
    """Unit names of a table cell ("区人社局、区民政局" -> two names)."""
    return [u for u in _UNIT_SEP_RE.split((text or "").strip()) if u]


def deadline_date(text: str) -> str | None:
    """The last date a deadline cell names: "2025年6月底前" -> 2025-06-30, "2025年底" ->
    2025-12-31; None for "长期坚持", "持续推进" (no date to hold anyone to)."""
    import calendar
    import datetime

    found = list(_DATE_RE.finditer(_fold(text or "")))
    if not found:
        return None
    m = found[-1]
    year, month = int(m.group("y")), int(m.group("m") or 12)
    if not 1 <= month <= 12:
        return None
    day = int(m.group("d") or calendar.monthrange(year, month)[1])
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _squash(text: str) -> str:
    return re.sub(r"[\s。，,；;：:、.．]", "", _fold(text or ""))


def _row_item(parsed: ParsedPlan, task: str) -> PlanItem | None:
    """The item a task row speaks of: its number ("二.(一).2"), its title, or a measure
    whose title starts the row (longest title first)."""
    items = parsed.walk()
    for item in items:
        if task.strip() == item.path:
            return item
    want = _squash(re.sub(r"^\s*(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）])", "", task))
    if not want:
        return None
    best = None
    for item in items:
        title = _squash(item.title)
        if not title:
            continue
        if want == title or (len(title) >= 4 and want.startswith(title)) or (
                len(want) >= 6 and title.startswith(want)):
            if best is None or len(title) > len(_squash(best.title)):
                best = item
    return best


def apply_tasks(parsed: ParsedPlan, rows) -> ParsedPlan:
    """Give each measure the lead units, co-operating units and deadline of its task table
    row; a row that matches no item is listed in ``skipped`` (nothing dropped)."""
    for row in rows:
        item = _row_item(parsed, row.task)
        if item is None:
            parsed.skipped.append(SkippedLine(
                0, f"{row.task} | {row.lead} | {row.co} | {row.deadline}",
                f"task table row {row.row} matches no item of the plan"))
            continue
        item.lead_units = units(row.lead)
        item.co_units = units(row.co)
        item.deadline_text = row.deadline
        item.deadline = deadline_date(row.deadline)
    return parsed


def to_json(parsed: ParsedPlan) -> dict[str, Any]:
    """Plain-JSON form; ``number``/``item_number`` are the unique item paths."""
    return {
        "plan": asdict(parsed.plan),
        "items": [_item_json(i) for i in parsed.items],
        "targets": [asdict(t) for t in parsed.targets],
        "skipped": [asdict(s) for s in parsed.skipped],
    }
