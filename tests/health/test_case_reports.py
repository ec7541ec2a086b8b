import datetime

import pytest
from django.utils import timezone

from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.health import services
from minsheng.health.models import CaseReport, Disease
from tests import factories
from tests.health.conftest import report


def _create(h, **overrides):
    now = timezone.now() - datetime.timedelta(hours=1)
    args = dict(actor=h["doctor"], person=factories.person(h["c11"]), disease="hfmd",
                facility=h["clinic"], onset_date=now.date() - datetime.timedelta(days=2),
                diagnosed_at=now - datetime.timedelta(hours=3), reported_at=now,
                status="clinical")
    args.update(overrides)
    return services.case_report_create(**args)


@pytest.mark.parametrize("disease, delay, late", [
    ("cholera", 1.5, False), ("cholera", 2.5, True),       # class A: 2 hours
    ("plague", 2.0, False),
    ("sars", 3.0, True),                                  # class B managed as A: 2 hours
    ("hfmd", 23.0, False), ("hfmd", 25.0, True),          # others: 24 hours
    ("measles", 30.0, True),
])
def test_report_timeliness_by_class(health, disease, delay, late):
    r = report(health, disease=disease, delay_hours=delay)
    assert r.late is late
    assert r.report_delay_hours == pytest.approx(delay)


def test_report_links_person_community_and_audit(health):
    r = _create(health)
    assert r.area == health["c11"] and r.report_date == timezone.localdate(r.reported_at)
    from minsheng.core.models import AuditEntry
    assert AuditEntry.objects.filter(object_type="health.casereport", object_id=str(r.pk)).exists()


def test_disease_found_by_icd10(health):
    assert _create(health, disease="B08.4").disease.code == "hfmd"


@pytest.mark.parametrize("overrides, field", [
    ({"disease": "XX99"}, "disease"),
    ({"status": "probable"}, "status"),
    ({"onset_date": timezone.localdate() + datetime.timedelta(days=1)}, "onset_date"),
    ({"reported_at": timezone.now() + datetime.timedelta(hours=3)}, "reported_at"),
])
def test_bad_input_is_refused(health, overrides, field):
    with pytest.raises(ValidationFailed) as err:
        _create(health, **overrides)
    assert err.value.details.get("field") == field
    assert not CaseReport.objects.exists()


def test_onset_after_report_date(health):
    now = timezone.now() - datetime.timedelta(days=3)
    with pytest.raises(ValidationFailed) as err:
        _create(health, reported_at=now, diagnosed_at=now - datetime.timedelta(hours=1),
                onset_date=now.date() + datetime.timedelta(days=1))
    assert err.value.details["field"] == "onset_date"


def test_diagnosis_after_report_and_wrong_facility(health):
    now = timezone.now() - datetime.timedelta(hours=2)
    with pytest.raises(ValidationFailed):
        _create(health, diagnosed_at=now + datetime.timedelta(hours=1), reported_at=now)
    school = factories.organization(health["s1"], "小学", kind="school")
    with pytest.raises(ValidationFailed):
        _create(health, facility=school)


def test_other_department_cannot_report_or_read(health):
    from minsheng.health import selectors

    with pytest.raises(PermissionDenied):
        _create(health, actor=health["other"])
    with pytest.raises(PermissionDenied):
        selectors.case_report_list(health["other"])
    assert Disease.objects.filter(klass="A").count() == 2
