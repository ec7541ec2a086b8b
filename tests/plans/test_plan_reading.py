"""Plan reading on unseen plan wording (issue 12): one test per miss found, and the corpus
figure the benchmark prints (benchmarks/plan_reading.py)."""

import importlib.util
import json
from pathlib import Path

import pytest

from minsheng.plans.textparse import extract_targets

ROOT = Path(__file__).resolve().parents[2]


def _one(text):
    (t,) = extract_targets(text, "x")
    return t


def test_thousands_separator():
    t = _one("到2025年，全区城镇新增就业2,000人以上")
    assert (t.indicator, t.comparator, t.value, t.unit, t.year) == ("全区城镇新增就业", ">=",
                                                                    2000, "人", 2025)
    assert _one("新增公办学位2，700个").value == 2700  # full-width comma too


def test_commas_between_clauses_still_split():
    found = extract_targets("到2025年，失业率控制在4%以内，参保率达到95%", "x")
    assert [(t.indicator, t.value) for t in found] == [("失业率", 4), ("参保率", 95)]


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("居民消费价格涨幅控制在3%—4%", 3, 4, "%"),
    ("学前教育毛入园率保持在92%~95%", 92, 95, "%"),
    ("每年新增城镇就业1.5万—2万人", 15000, 20000, "人"),
    ("高中阶段毛入学率保持在92%至95%之间", 92, 95, "%"),
])
def test_ranges(text, low, high, unit):
    t = _one(text)
    assert (t.comparator, t.value, t.value_high, t.unit) == ("in", low, high, unit)
    assert any("range" in r for r in t.review_reasons)


def test_two_targets_in_one_clause_relative_to_a_base_year():
    a, b = extract_targets("到2025年，全区生产安全事故起数和死亡人数比2023年分别下降15%和10%。",
                           "x")
    assert (a.indicator, a.value, a.change, a.base_year, a.comparator) == (
        "全区生产安全事故起数", 15, "decrease", 2023, "<=")
    assert (b.indicator, b.value, b.change, b.base_year, b.comparator) == (
        "死亡人数", 10, "decrease", 2023, "<=")
    assert "2023" in a.review_reasons[-1]


def test_respectively_with_the_bound_written_once():
    a, b = extract_targets("城镇登记失业率和城镇调查失业率分别控制在3.5%和5.5%以内", "x")
    assert [(a.indicator, a.comparator, a.value), (b.indicator, b.comparator, b.value)] == [
        ("城镇登记失业率", "<=", 3.5), ("城镇调查失业率", "<=", 5.5)]


def test_relative_increase_and_change_without_base():
    t = _one("到2025年，全区居民人均可支配收入比2020年增长40%以上")
    assert (t.indicator, t.comparator, t.base_year, t.change) == ("全区居民人均可支配收入", ">=",
                                                                  2020, "increase")
    t = _one("“一网通办”事项平均办理时间压缩50%")
    assert (t.comparator, t.change, t.base_year) == (None, "decrease", None)


@pytest.mark.parametrize(("text", "indicator", "periodicity", "value", "unit"), [
    ("各街道每季度开展就业援助专项活动不少于2场", "各街道开展就业援助专项活动", "quarterly",
     2, "场"),
    ("每月举办招聘会不少于1次", "举办招聘会", "monthly", 1, "次"),
    ("全区公共图书馆每年接待读者80万人次以上", "全区公共图书馆接待读者", "annual", 800000, "人次"),
    ("年内新增城市绿地面积不低于15公顷", "新增城市绿地面积", "annual", 15, "公顷"),
])
def test_periodicity(text, indicator, periodicity, value, unit):
    t = _one(text)
    assert (t.indicator, t.periodicity, t.comparator, t.value, t.unit) == (
        indicator, periodicity, ">=", value, unit)


def test_annual_average_in_a_name_is_not_periodicity():
    t = _one("细颗粒物（PM2.5）年均浓度控制在35微克/立方米以下")
    assert (t.indicator, t.periodicity, t.unit, t.value) == ("细颗粒物(PM2.5)年均浓度", None,
                                                             "微克/立方米", 35)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("开展职业技能培训1.2万人次", 12000, "人次"),
    ("新建改扩建公办幼儿园5所", 5, "所"),
    ("安排就业补助资金不少于800万元", 800, "万元"),
    ("总投资不超过1.5亿元", 1.5, "亿元"),
    ("加装电梯不少于120部", 120, "部"),
    ("群众对生态环境满意度不低于90分", 90, "分"),
])
def test_units(text, value, unit):
    t = _one(text)
    assert (t.value, t.unit) == (value, unit)


def test_per_population():
    t = _one("每千名老年人拥有养老床位数不少于40张")
    assert (t.per, t.per_population, t.value) == (1000, "老年人", 40)
    t = _one("全年食品安全抽检量达到每千人4批次以上")
    assert (t.indicator, t.per, t.periodicity, t.unit) == ("食品安全抽检量", 1000, "annual",
                                                           "批次")


def test_strict_comparators():
    assert _one("全区常住人口城镇化率超过75%").comparator == ">"
    assert _one("婴儿死亡率低于5‰").comparator == "<"
    assert _one("婴儿死亡率不低于5‰").comparator == ">="
    assert _one("财政支出不超过5亿元").comparator == "<="


def test_benefit_standards_are_not_targets():
    assert extract_targets("80周岁以上老年人高龄津贴发放标准为每人每月200元", "x") == []
    assert extract_targets("补贴标准为300元", "x") == []


def test_year_opening_a_sentence_is_the_deadline():
    found = extract_targets("2024年全区计划完成城镇老旧小区改造12个、涉及居民3,560户。", "x")
    assert [(t.indicator, t.value, t.unit, t.year) for t in found] == [
        ("全区计划完成城镇老旧小区改造", 12, "个", 2024), ("涉及居民", 3560, "户", 2024)]
    assert _one("2025年底前，二级以上医院预约诊疗率超过60%").year == 2025
    assert _one("到2025年，较大事故起数比2022年下降20%以上").year == 2025


def _benchmark():
    spec = importlib.util.spec_from_file_location("plan_reading",
                                                  ROOT / "benchmarks" / "plan_reading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["targets.json", "heldout.json"])
def test_corpus_precision_and_recall(name):
    corpus = json.loads((ROOT / "tests/plans/corpus" / name).read_text(encoding="utf-8"))
    assert len(corpus["excerpts"]) >= (30 if name == "targets.json" else 10)
    r = _benchmark().evaluate(corpus)
    assert r["precision"] >= 0.95 and r["recall"] >= 0.95, r["misses"]


def test_benchmark_counts_a_wrong_field_as_a_miss():
    corpus = {"excerpts": [{"id": "a", "text": "婴儿死亡率低于5‰",
                            "targets": [{"indicator": "婴儿死亡率", "comparator": "<=",
                                         "value": 5, "unit": "‰"}]}]}
    r = _benchmark().evaluate(corpus)
    assert (r["precision"], r["recall"]) == (0.0, 0.0)
