from pathlib import Path

import pytest

from minsheng.plans.textparse import PlanParseError, extract_targets, parse_plan, to_json

# the copy shipped with the package (the seed plan whole, advertisement lines included)
SEED = Path(__file__).resolve().parents[2] / "src" / "minsheng" / "plans" / "seed" / "plan.txt"
MINI = """关于推进民生实事的实施方案
为做好民生工作，制定本实施方案。
一、总体要求
（一）主要目标：到2025年，每年新增就业两万人以上；城镇登记失业率控制在３.５％以内。
二、重点任务
（一）稳定就业
加强就业服务。
２．开展技能培训。培训人数不少于3000人次。
（1）面向高校毕业生；
（2）面向退役军人。
3、扶持创业。
通过上述措施，确保目标实现。
"""


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("seed plan not available")
    return parse_plan(SEED.read_text(encoding="utf-8"))


def _by_indicator(parsed, name):
    found = [t for t in parsed.targets if t.indicator == name]
    assert len(found) == 1, [t.indicator for t in parsed.targets]
    return found[0]


def test_seed_tree(seed):
    chapters = seed.items
    assert [c.number for c in chapters] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [s.title for s in chapters[0].children] == ["指导思想", "主要目标"]
    jobs = chapters[1]
    assert jobs.title == "努力实现更高质量的充分就业"
    assert jobs.text.startswith("把就业作为最大的民生")
    measures = jobs.children[0].children
    assert [m.path for m in measures] == ["二.(一).1", "二.(一).2", "二.(一).3"]
    assert [m.implicit_number for m in measures] == [True, False, False]
    assert measures[0].title == "围绕发展产业聚焦升级行动,多渠道创造就业岗位,鼓励灵活就业"
    assert measures[1].title == "强化就业服务体系建设,提升公共就业服务水平"
    # every section of the seed opens with an unnumbered paragraph that is measure 1
    sections = [s for c in chapters[1:] for s in c.children]
    assert len(sections) == 11
    assert all(s.children[0].implicit_number and s.children[0].number == "1" for s in sections)


def test_seed_plan_info_and_skipped(seed):
    assert seed.plan.preamble.startswith("为深入学习贯彻党的十九大精神")
    assert seed.plan.doc_kind == "实施方案"
    assert seed.plan.closing.startswith("通过上述措施的实施")
    assert [s.line for s in seed.skipped] == [55, 56]
    assert "预览阅读已结束" in seed.skipped[0].reason
    assert all("advertisement" in s.reason for s in seed.skipped)
    all_text = "".join(i.text for i in seed.walk())
    assert "点击" not in all_text and "预览阅读" not in all_text


def test_seed_nine_targets(seed):
    jobs = _by_indicator(seed, "新增就业")
    assert (jobs.comparator, jobs.value, jobs.unit, jobs.scale) == (">=", 21500, "人", 10000)
    assert jobs.raw_value == "2.15万" and jobs.periodicity == "annual"
    unemp = _by_indicator(seed, "登记失业率")
    assert (unemp.comparator, unemp.value, unemp.unit) == ("<=", 3.5, "%")
    assert unemp.comparator_word == "控制在…以内"
    assert _by_indicator(seed, "职工参保率").value == 98
    assert _by_indicator(seed, "学前教育毛入园率").value == 95
    retention = _by_indicator(seed, "九年义务教育巩固率")
    assert (retention.comparator, retention.value) == (">=", 99)
    beds = _by_indicator(seed, "每千常住人口医院床位数")
    assert (beds.value, beds.unit, beds.per, beds.per_population) == (4.3, "张", 1000, "常住人口")
    life = _by_indicator(seed, "人均期望寿命")
    assert (life.comparator, life.value, life.unit) == (">=", 81.8, "岁")
    care = _by_indicator(seed, "全区养老机构床位数")
    assert care.value is None and care.raw_value == "20xx" and care.needs_review
    assert "value is redacted (20xx)" in care.review_reasons
    area = _by_indicator(seed, "万人公共文化设施面积")
    assert area.value is None and area.per == 10000 and area.needs_review
    share = _by_indicator(seed, "居民文化消费支出占可支配收入比例")
    assert share.value is None and share.comparator is None and share.needs_review
    assert len(seed.targets) == 10
    for t in seed.targets:
        assert t.item_number == "一.(二)"
        assert t.year is None and t.year_text == "202x" and t.needs_review
        assert t.review_reasons[0] == "deadline year is redacted (202x)"


def test_to_json_shape(seed):
    data = to_json(seed)
    assert set(data) >= {"plan", "items", "targets", "skipped"}
    item = data["items"][1]["children"][0]["children"][0]
    assert {"number", "level", "title", "text", "children"} <= set(item)
    assert item["number"] == "二.(一).1" and item["level"] == "measure"
    keys = {"text", "indicator", "comparator", "value", "unit", "per", "year", "needs_review"}
    assert keys | {"item_number"} <= set(data["targets"][0])
    assert data["skipped"][0]["line"] == 55


def test_fullwidth_crlf_bom_and_nesting():
    parsed = parse_plan("\ufeff" + MINI.replace("\n", "\r\n"))
    assert parsed.plan.title == "关于推进民生实事的实施方案"
    assert parsed.plan.preamble == "为做好民生工作，制定本实施方案。"
    assert parsed.plan.closing == "通过上述措施，确保目标实现。"
    section = parsed.items[1].children[0]
    assert [m.path for m in section.children] == ["二.(一).1", "二.(一).2", "二.(一).3"]
    assert section.children[0].implicit_number
    subs = section.children[1].children
    assert [s.path for s in subs] == ["二.(一).2.(1)", "二.(一).2.(2)"]
    jobs = _by_indicator(parsed, "新增就业")
    assert (jobs.value, jobs.year, jobs.raw_value, jobs.comparator) == (20000, 2025, "两万", ">=")
    assert jobs.review_reasons == []
    assert not jobs.needs_review
    unemp = _by_indicator(parsed, "城镇登记失业率")
    assert (unemp.value, unemp.unit, unemp.comparator) == (3.5, "%", "<=")
    training = _by_indicator(parsed, "培训人数")
    assert (training.value, training.unit, training.item_number) == (3000, "人次", "二.(一).2")
    assert training.review_reasons == ["no deadline year stated"]


def test_first_numbered_item_one_keeps_intro_as_section_text():
    parsed = parse_plan("一、任务\n(一)就业\n总体说明。\n1. 第一项。\n2. 第二项。")
    section = parsed.items[0].children[0]
    assert section.text == "总体说明。"
    assert [m.implicit_number for m in section.children] == [False, False]


def test_closing_like_text_mid_plan_is_not_closing():
    parsed = parse_plan("一、甲\n1. 做事。\n通过上述措施，做好甲。\n二、乙\n1. 再做。")
    assert parsed.plan.closing == ""
    assert parsed.items[0].children[0].text.endswith("通过上述措施，做好甲。")
    assert [c.number for c in parsed.items] == ["一", "二"]


def test_unrecognised_trailing_text_is_reported_not_dropped():
    parsed = parse_plan("一、甲\n1. 做事。\n综上，做好工作。\n附：某某联络表\n- 3 -")
    assert parsed.plan.closing == "综上，做好工作。"
    reasons = {s.text: s.reason for s in parsed.skipped}
    assert "after the closing paragraph" in reasons["附：某某联络表"]
    assert reasons["- 3 -"] == "page number"


@pytest.mark.parametrize("text", ["", "   \n\t\r\n", "\ufeff"])
def test_empty_input(text):
    with pytest.raises(PlanParseError, match="empty"):
        parse_plan(text)


def test_no_structure():
    with pytest.raises(PlanParseError, match="no plan structure"):
        parse_plan("这只是一段普通的文字。\n没有任何标题。")
    assert issubclass(PlanParseError, ValueError)


@pytest.mark.parametrize(
    ("clause", "comparator", "value", "unit"),
    [
        ("到2025年，城镇新增就业不少于1.2万人", ">=", 12000, "人"),
        ("到2025年，贫困发生率降至1%以下", "<=", 1, "%"),
        ("到2025年，人均住房面积达到35平方米", ">=", 35, "平方米"),
        ("到2025年，孕产妇死亡率不超过10‰", "<=", 10, "‰"),
        ("到2025年，义务教育入学率保持在百分之百", "=", 100, "%"),
    ],
)
def test_target_phrases(clause, comparator, value, unit):
    (t,) = extract_targets(clause, "x")
    assert (t.comparator, t.value, t.unit, t.year) == (comparator, value, unit, 2025)


def test_change_targets_are_not_levels():
    (t,) = extract_targets("到2025年，职工参保率提高2个百分点", "x")
    assert (t.indicator, t.comparator, t.value, t.unit) == ("职工参保率", None, 2, "百分点")
    assert t.needs_review and "change" in t.review_reasons[-1]


def test_no_targets_from_periods_or_ordinals():
    text = "201x—202x年,通过推动产业结构优化升级;贯彻党的十九大精神和市委十一届二次全会。"
    assert extract_targets(text, "x") == []

