"""The standard data elements and indicators the seed plan's targets are measured with.

Codes are ``<module>.<name>`` so the module that owns the records can register a source for
exactly that code (see registry.py); until it does, values come from manual entry, import
or (in the demo only) the demo generator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ElementDef:
    code: str
    name: str
    unit: str
    aggregation: str
    period: str
    department: str | None = None  # department code whose approvers approve manual values
    part_of: str | None = None
    is_rate: bool = False


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str
    formula: str
    decimals: int = 1
    department: str | None = None
    published: bool = True
    description: str = ""


ELEMENTS = [
    ElementDef("employment.new_jobs", "城镇新增就业人数", "人", "sum", "month", "hrss"),
    ElementDef("employment.registered_unemployed", "城镇登记失业人数", "人", "last", "month",
               "hrss"),
    ElementDef("employment.employed", "城镇从业人员数", "人", "last", "month", "hrss"),
    ElementDef("employment.workers_total", "职工总数", "人", "last", "month", "hrss"),
    ElementDef("employment.insured_workers", "参保职工人数", "人", "last", "month", "hrss",
               part_of="employment.workers_total"),
    ElementDef("education.preschool_enrolled", "在园幼儿数", "人", "last", "year", "education"),
    ElementDef("education.preschool_age_population", "学前教育适龄人口", "人", "last", "year",
               "education"),
    ElementDef("education.compulsory_cohort", "义务教育入学年级学生数", "人", "last", "year",
               "education"),
    ElementDef("education.compulsory_retained", "义务教育毕业年级学生数", "人", "last", "year",
               "education", part_of="education.compulsory_cohort"),
    ElementDef("health.hospital_beds", "医院床位数", "张", "last", "year", "health"),
    ElementDef("health.life_expectancy", "人均期望寿命", "岁", "none", "year", "health"),
    ElementDef("eldercare.institution_beds", "养老机构床位数", "张", "last", "year",
               "civil_affairs"),
    ElementDef("core.resident_population", "常住人口", "人", "last", "month"),
]

INDICATORS = [
    IndicatorDef("new_jobs", "城镇新增就业人数", "人", "employment.new_jobs", 0, "hrss",
                 description="Monthly new urban jobs; the annual target is paced by month."),
    IndicatorDef("registered_unemployment_rate", "城镇登记失业率", "%",
                 "employment.registered_unemployed / (employment.employed + "
                 "employment.registered_unemployed) * 100", 2, "hrss"),
    IndicatorDef("insurance_participation_rate", "职工参保率", "%",
                 "employment.insured_workers / employment.workers_total * 100", 1, "hrss"),
    IndicatorDef("preschool_gross_enrolment", "学前教育毛入园率", "%",
                 "education.preschool_enrolled / education.preschool_age_population * 100", 1,
                 "education"),
    IndicatorDef("compulsory_retention_rate", "九年义务教育巩固率", "%",
                 "education.compulsory_retained / education.compulsory_cohort * 100", 1,
                 "education"),
    IndicatorDef("hospital_beds_per_1000", "每千常住人口医院床位数", "张",
                 "health.hospital_beds / core.resident_population * 1000", 2, "health"),
    IndicatorDef("life_expectancy", "人均期望寿命", "岁", "health.life_expectancy", 1, "health"),
    IndicatorDef("eldercare_beds", "养老机构床位数", "张", "eldercare.institution_beds", 0,
                 "civil_affairs"),
]

# Phrases in plan text -> indicator code (used to suggest a link for a target draft).
PHRASES = {
    "新增就业": "new_jobs",
    "登记失业率": "registered_unemployment_rate",
    "参保率": "insurance_participation_rate",
    "毛入园率": "preschool_gross_enrolment",
    "巩固率": "compulsory_retention_rate",
    "医院床位": "hospital_beds_per_1000",
    "期望寿命": "life_expectancy",
    "养老机构床位": "eldercare_beds",
}


def suggest_indicator(phrase: str) -> str | None:
    for words, code in PHRASES.items():
        if words in phrase:
            return code
    return None
