"""The shared module kit: dates, module settings, pagination, department-only permissions,
the facts registry. Each test is what a module relying on the kit would notice."""

import datetime

import pytest
from django.db.models import DateField, F, Value
from django.test import RequestFactory, override_settings

from minsheng.core import access, dates, facts
from minsheng.core.config import module_settings
from minsheng.core.errors import PermissionDenied
from minsheng.core.models import AuditEntry, Person
from minsheng.core.pagination import paginate
from tests import factories

D = datetime.date


@pytest.mark.parametrize("start, months, expected", [
    (D(2027, 1, 31), 1, D(2027, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2027, 1, 31), 12, D(2028, 1, 31)),  # a benefit from 31 Jan for 12 months
    (D(2027, 2, 28), 12, D(2028, 2, 29)),  # a month end stays a month end
    (D(2027, 4, 30), 1, D(2027, 5, 31)),
    (D(2027, 3, 15), -3, D(2026, 12, 15)),
    (D(2027, 3, 31), -1, D(2027, 2, 28)),
])
def test_add_months_keeps_month_ends(start, months, expected):
    assert dates.add_months(start, months) == expected


def test_month_helpers():
    assert dates.month_range(D(2028, 2, 10)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert list(dates.months_between(D(2026, 11, 20), D(2027, 1, 5))) == [
        D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]


def test_module_setting_reads_district_value_then_default():
    class Defaults:
        LIMIT = 30

    setting = module_settings("sample", Defaults)
    assert setting("LIMIT") == 30
    with override_settings(MINSHENG_SAMPLE={"LIMIT": 45}):
        assert setting("LIMIT") == 45
    with pytest.raises(KeyError):
        setting("LIMT")


def test_page_numbers_out_of_range_never_fail(areas):
    for i in range(3):
        factories.person(areas["c11"], name=f"人{i}")
    qs = Person.objects.order_by("pk")
    rf = RequestFactory()
    assert paginate(rf.get("/", {"page": "x"}), qs, per_page=2).number == 1
    assert paginate(rf.get("/", {"page": str(10**30)}), qs, per_page=2).number == 2
    assert paginate(rf.get("/", {"page": "-5"}), qs, per_page=2).number == 2
    assert len(paginate(rf.get("/", {"page": "2"}), qs, per_page=2).object_list) == 1


def test_api_list_refuses_bad_page_numbers(client, areas):
    factories.user("admin", "system_admin", areas["district"])
    client.login(username="admin", password="pw-for-tests-123")
    for query in ("page=0", "page=-1", "page_size=-5", f"page={10**12}", "page_size=100000"):
        response = client.get(f"/api/core/people?{query}")
        assert response.status_code == 422, query
        assert response.json()["code"] == "validation_failed"
    assert client.get("/api/core/people?page=1&page_size=2").status_code == 200


def test_department_only_permission(areas, monkeypatch):
    monkeypatch.setitem(access.ROLE_PERMISSIONS, "caseworker",
                        access.ROLE_PERMISSIONS["caseworker"] | {"sample.read_health"})
    monkeypatch.setitem(access.DEPARTMENT_ONLY, "sample.read_health", "health")
    health = factories.department(areas["district"], "health", "卫健委")
    civil = factories.department(areas["district"], "civil", "民政局")
    doctor = factories.actor("doc", "caseworker", areas["s1"], department=health)
    clerk = factories.actor("clerk", "caseworker", areas["s1"], department=civil)
    assert doctor.covers("sample.read_health", areas["c11"])
    assert not clerk.covers("sample.read_health", areas["c11"])
    with pytest.raises(PermissionDenied):
        access.require(clerk, "sample.read_health", areas["c11"])
    access.require_department(doctor, health)
    with pytest.raises(PermissionDenied):
        access.require_department(clerk, health)


@pytest.fixture
def sample_fact(monkeypatch):
    """A fact 'sample.named_li': people named 李四 since their birth date."""
    def periods():
        open_end = Value(None, output_field=DateField())
        return Person.objects.filter(name="李四").annotate(
            person_id=F("pk"), since=F("birth_date"), until=open_end).values(
            "person_id", "since", "until")
    fact = facts.Fact("sample.named_li", "named 李四", "tests", periods)
    monkeypatch.setitem(facts.FACTS, fact.name, fact)
    return fact


def test_facts_of_one_person_are_scoped_and_audited(areas, sample_fact):
    li = factories.person(areas["c11"], name="李四")
    zhang = factories.person(areas["c11"], name="张三")
    worker = factories.actor("w", "caseworker", areas["s1"])
    assert facts.of(worker, li, ["sample.named_li"])["sample.named_li"].holds
    assert facts.of(worker, li, ["sample.named_li"])["sample.named_li"].since == li.birth_date
    assert not facts.of(worker, zhang, ["sample.named_li"])["sample.named_li"].holds
    assert AuditEntry.objects.filter(action="read", object_id=str(li.pk)).count() == 2
    outsider = factories.actor("o", "caseworker", areas["s2"])
    with pytest.raises(PermissionDenied):
        facts.of(outsider, li, ["sample.named_li"])


def test_facts_filter_a_population_in_the_actor_area(areas, sample_fact):
    inside = factories.person(areas["c11"], name="李四")
    factories.person(areas["c21"], name="李四")  # another subdistrict
    factories.person(areas["c11"], name="张三")
    worker = factories.actor("w", "caseworker", areas["s1"])
    found = facts.filter_people(worker, Person.objects.all(), "sample.named_li")
    assert list(found) == [inside]
    assert AuditEntry.objects.filter(action="read", object_id="sample.named_li").exists()
