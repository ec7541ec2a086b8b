import datetime

import pytest
from django.utils import timezone

from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.indicators.registry import SOURCES
from minsheng.primarycare import selectors, services
from minsheng.primarycare.models import Enrolment, EnrolmentImport
from tests import factories
from tests.primarycare.conftest import write_extract

pytestmark = pytest.mark.django_db
D = datetime.date


def people(pc):
    return [factories.person(pc["c11"], n, D(1985, 1, i + 1)) for i, n in
            enumerate(["赵一", "钱二", "孙三", "李四"])]


def test_import_links_exact_and_finds_the_uninsured(pc, tmp_path):
    a, b, c, d = people(pc)
    path = write_extract(tmp_path / "x.csv", [
        (a.id_number, a.name, "110", "2010-01-01", ""),
        (a.id_number, a.name, "310", "2010-01-01", ""),
        (b.id_number, b.name, "170", "20120301", ""),
        (c.id_number, c.name, "390", "2015-01-01", ""),
        (d.id_number, d.name, "110", "2010-01-01", "2020-12-31"),  # ended
    ])
    batch = services.enrolments_import(actor=pc["insurer"], path=path, as_of=D(2026, 1, 1))
    assert (batch.rows, batch.exact, batch.probable, batch.unmatched) == (5, 5, 0, 0)
    found = {p.name: (p.has_pension, p.has_medical)
             for p in selectors.uninsured(pc["insurer"])}
    assert found == {"钱二": (True, False), "孙三": (False, True), "李四": (False, False)}
    rates = {r["area"].code: r for r in selectors.insured_rates(pc["insurer"])}
    assert rates[pc["c11"].code]["uninsured"] == 3
    today = timezone.localdate()
    pension = list(SOURCES["primarycare.pension_insured"].compute(today, today))
    assert pension == [(pc["c11"].id, today.replace(day=1), 2.0)]


@pytest.mark.parametrize("row,field", [
    (("120199198501019999", "某", "110", "2010-01-01", ""), "id_number"),  # check digit
    ((None, "某", "999", "2010-01-01", ""), "scheme_code"),
    ((None, "某", "110", "yesterday", ""), "start_date"),
])
def test_bad_extract_refused_whole(pc, tmp_path, row, field):
    a = people(pc)[0]
    row = tuple(a.id_number if v is None else v for v in row)
    path = write_extract(tmp_path / "bad.csv", [(a.id_number, a.name, "310", "2010-01-01", ""),
                                                row])
    with pytest.raises(ValidationFailed) as e:
        services.enrolments_import(actor=pc["insurer"], path=path, as_of=D(2026, 1, 1))
    rows = e.value.details["rows"]
    assert rows[0]["line"] == 3 and rows[0]["field"] == field
    assert not Enrolment.objects.exists() and not EnrolmentImport.objects.exists()


def test_duplicate_ids_refused(pc, tmp_path):
    a = people(pc)[0]
    path = write_extract(tmp_path / "dup.csv", [(a.id_number, a.name, "110", "2010-01-01", ""),
                                                (a.id_number, a.name, "120", "2011-01-01", "")])
    with pytest.raises(ValidationFailed) as e:
        services.enrolments_import(actor=pc["insurer"], path=path, as_of=D(2026, 1, 1))
    assert "line 2" in e.value.details["rows"][0]["reason"] or \
        "2" in e.value.details["rows"][0]["reason"]
    assert not Enrolment.objects.exists()


def test_mistyped_id_linked_probably_then_confirmed(pc, tmp_path):
    from minsheng.core.identifiers import id_check_digit

    crowd = [factories.person(pc["c11"], f"居民{i}", D(1960 + i % 30, 1 + i % 12, 1 + i % 27))
             for i in range(60)]
    target = factories.person(pc["c11"], "欧阳明远", D(1979, 6, 15))
    body = target.id_number[:14] + str((int(target.id_number[14]) + 3) % 10) + \
        target.id_number[15:17]
    typo = body + id_check_digit(body)
    rows = [(p.id_number, p.name, "110", "2010-01-01", "") for p in crowd]
    rows.append((typo, target.name, "110", "2010-01-01", ""))
    path = write_extract(tmp_path / "typo.csv", rows)
    batch = services.enrolments_import(actor=pc["insurer"], path=path, as_of=D(2026, 1, 1))
    assert batch.exact == 60
    e = Enrolment.objects.get(id_number=typo)
    assert e.match == "probable" and e.candidate == target and e.person is None
    assert target.pk in {p.pk for p in selectors.uninsured(pc["insurer"], missing="pension")}
    services.enrolment_decide(actor=pc["insurer"], enrolment=e, accept=True)
    e.refresh_from_db()
    assert e.person == target and e.match == "confirmed"
    assert target.pk not in {p.pk for p in selectors.uninsured(pc["insurer"],
                                                               missing="pension")}
    with pytest.raises(ValidationFailed):
        services.enrolment_decide(actor=pc["insurer"], enrolment=e, accept=False)


def test_outreach_found_contacted_enrolled_moves_the_rate(pc):
    p = factories.person(pc["c11"], "周五", D(1990, 2, 2))
    today = timezone.localdate()
    before = dict((a, v) for a, _, v in
                  SOURCES["primarycare.medical_insured"].compute(today, today))
    case = services.outreach_open(actor=pc["insurer"], person=p, missing="both")
    with pytest.raises(Conflict):
        services.outreach_open(actor=pc["insurer"], person=p, missing="both")
    services.outreach_contact(actor=pc["insurer"], case=case, version=case.version, note="电话")
    services.outreach_enrol(actor=pc["insurer"], case=case, version=case.version,
                            scheme="medical_resident", start_date=today)
    case.refresh_from_db()
    assert case.state == "enrolled"
    after = dict((a, v) for a, _, v in
                 SOURCES["primarycare.medical_insured"].compute(today, today))
    assert after.get(pc["c11"].id, 0) == before.get(pc["c11"].id, 0) + 1
    enrolled = list(SOURCES["primarycare.uninsured_enrolled"].compute(today, today))
    assert enrolled == [(pc["c11"].id, today.replace(day=1), 1.0)]


def test_outreach_close_needs_reason_and_scope(pc):
    p = factories.person(pc["c11"], "吴六", D(1990, 2, 2))
    with pytest.raises(PermissionDenied):
        services.outreach_open(actor=pc["insurer_s2"], person=p, missing="both")
    with pytest.raises(PermissionDenied):  # health staff do not run insurance outreach
        services.outreach_open(actor=pc["doctor"], person=p, missing="both")
    case = services.outreach_open(actor=pc["insurer"], person=p, missing="both")
    with pytest.raises(ValidationFailed):
        services.outreach_close(actor=pc["insurer"], case=case, version=case.version,
                                reason="")
    services.outreach_close(actor=pc["insurer"], case=case, version=case.version,
                            reason="elsewhere", note="外省参保")
    case.refresh_from_db()
    assert case.state == "closed" and case.reason == "elsewhere"


def test_import_refused_without_permission(pc, tmp_path):
    a = people(pc)[0]
    path = write_extract(tmp_path / "x.csv", [(a.id_number, a.name, "110", "2010-01-01", "")])
    with pytest.raises(PermissionDenied):
        services.enrolments_import(actor=pc["doctor"], path=path, as_of=D(2026, 1, 1))
    assert not Enrolment.objects.exists()
