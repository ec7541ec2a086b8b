"""A small district for the education tests: the bureau, a primary school and a
kindergarten in subdistrict 1, a primary school in subdistrict 2, bureau staff and
caseworkers, and children of compulsory age."""

import datetime

import pytest

from minsheng.core.access import actor_for
from minsheng.education.services import schools
from tests import factories

TODAY = datetime.date(2026, 11, 2)  # a Monday in term


@pytest.fixture
def world(areas):
    dept = factories.department(areas["district"], "education", "教育局")
    bureau = factories.user("bureau", "department_admin", areas["district"], department=dept)
    a = actor_for(bureau)
    w = {"dept": dept, "bureau": bureau, "a": a, "areas": areas}
    for key, name, kind, stage, at in (
            ("p1", "甲小学", "school", "primary", areas["s1"]),
            ("j1", "甲中学", "school", "junior", areas["s1"]),
            ("k1", "甲幼儿园", "kindergarten", "kindergarten", areas["s1"]),
            ("p2", "乙小学", "school", "primary", areas["s2"])):
        org = factories.organization(at, name, kind)
        w[key] = schools.school_register(
            actor=a, organization=org, stage=stage, sponsorship="public", places=100,
            classes=4, teachers=8, qualified_teachers=8,
            catchment=[areas["c11"], areas["c12"]] if at == areas["s1"] else [areas["c21"]])
    return w


def child(at, name="李小明", birth=datetime.date(2016, 3, 10), male=True):
    return factories.person(at, name=name, birth=birth, male=male)


def enrol(w, person, school_key="p1", grade=5, intake=2022, **extra):
    from minsheng.education.services import rolls

    values = {"id_number": person.id_number, "name": person.name, "grade": grade,
              "intake_year": intake, "entry_date": datetime.date(intake, 9, 1)}
    values.update(extra)
    return rolls.enrolment_create(actor=w["a"], school=w[school_key], today=TODAY, **values)
