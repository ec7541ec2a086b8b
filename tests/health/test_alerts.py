import datetime

import pytest
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.health import selectors, services
from minsheng.health.models import Alert, Disease
from tests.health.conftest import fake_detect, report


def _outbreak(h, n=3, disease="hfmd", community="c11"):
    for _ in range(n):
        report(h, disease=disease, community=community)


def test_signal_becomes_alert_and_repeats_are_grouped(health):
    _outbreak(health, 3)
    first = services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    # subdistrict s1 and the district total both alarm: one alert, the subdistrict's (the
    # district total is covered by it), so one outbreak is not answered twice
    assert first["signals"] == 2 and first["alerts_created"] == 1
    assert first["covered_by_subdistrict"] == 1
    alert = Alert.objects.get()
    assert alert.area == health["s1"]
    assert alert.count == 3 and alert.state == "new" and alert.signal_count == 1
    assert alert.upper == 2.0 and alert.verify_due_at > alert.opened_at
    report(health, community="c12")  # a fourth case in s1, same week
    again = services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    assert again["alerts_created"] == 0 and again["alerts_grouped"] == 1
    assert Alert.objects.count() == 1
    alert.refresh_from_db()
    assert alert.count == 4 and alert.signal_count == 2
    assert [e.transition for e in timeline(alert)] == ["signal", "signal_repeat"]


def test_spread_rise_alerts_the_district_once(health):
    """Cases spread over subdistricts, none of which alarms alone: the district total's
    signal is an alert of its own; a later subdistrict signal does not close it."""
    _outbreak(health, 2, community="c11")
    _outbreak(health, 1, community="c21")
    r = services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    assert r["alerts_created"] == 1 and r["covered_by_subdistrict"] == 0
    district_alert = Alert.objects.get()
    assert district_alert.area == health["district"]
    _outbreak(health, 1, community="c12")  # now s1 alarms too
    r = services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    assert r["alerts_created"] == 1 and r["alerts_grouped"] == 1
    assert set(Alert.objects.values_list("area", flat=True)) == {health["district"].pk,
                                                                  health["s1"].pk}


def test_no_cases_no_signal(health):
    r = services.detection_run(actor=health["doctor"], detect=fake_detect)
    assert r["signals"] == 0 and r["skipped_empty"] == r["series"]


def test_single_cholera_case_is_critical_with_real_detector(health):
    report(health, disease="cholera", delay_hours=1)
    services.detection_run(actor=health["doctor"], lookback=0,
                           )
    # one case, one alert: the subdistrict's (issue 11: the district total used to raise a
    # second alert that was verified and closed separately)
    a = Alert.objects.get(disease__code="cholera")
    assert a.area == health["s1"]
    assert a.urgency == Alert.Urgency.CRITICAL and a.method == "threshold"
    assert (a.verify_due_at - a.opened_at) == datetime.timedelta(hours=2)


def test_workflow_verify_investigate_close_as_outbreak(health):
    _outbreak(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.get(area=health["s1"])
    with pytest.raises(ValidationFailed):  # cannot close as outbreak before investigating
        services.alert_close(actor=health["doctor"], alert=alert, outbreak=True, outcome="x")
    services.alert_verify(actor=health["doctor"], alert=alert, finding="报告卡核实无误")
    assert alert.state == "verified" and alert.response_hours is not None
    assert alert.response_hours < 1
    services.alert_investigate(actor=health["doctor"], alert=alert,
                               started_on=timezone.localdate(), setting_kind="kindergarten",
                               findings="幼儿园聚集", cases_found=3, samples_taken=3,
                               samples_positive=2)
    assert alert.state == "investigating"
    services.alert_close(actor=health["doctor"], alert=alert, outbreak=True, outcome="已处置")
    alert.refresh_from_db()
    assert alert.state == "closed_outbreak" and alert.closed_at is not None
    assert [e.transition for e in timeline(alert)] == [
        "signal", "verify", "investigate", "close_outbreak"]
    assert alert not in selectors.alert_list(health["doctor"])
    assert alert in selectors.alert_list(health["doctor"], state="closed")


def test_close_new_signal_as_not_outbreak_records_response(health):
    _outbreak(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.get(area=health["s1"])
    services.alert_close(actor=health["doctor"], alert=alert, outbreak=False, outcome="散发")
    assert alert.state == "closed_no_outbreak" and alert.response_hours is not None


def test_stale_version_and_permissions(health):
    _outbreak(health)
    services.detection_run(actor=health["doctor"], detect=fake_detect, lookback=0)
    alert = Alert.objects.get(area=health["s1"])
    with pytest.raises(PermissionDenied):
        services.alert_verify(actor=health["other"], alert=alert, finding="x")
    services.alert_verify(actor=health["doctor"], alert=alert, finding="ok", version=1)
    stale = Alert.objects.get(pk=alert.pk)
    stale.state, stale.version = "new", 1
    from minsheng.core.errors import StaleVersion
    with pytest.raises(StaleVersion):
        services.alert_close(actor=health["doctor"], alert=stale, outbreak=False,
                             outcome="x", version=1)


def test_fallback_when_history_too_short(health):
    """Farrington needs years of history; on a new system the run falls back to EARS C3
    and says so instead of inventing a threshold."""
    report(health, disease="mumps", on=timezone.localdate() - datetime.timedelta(weeks=20))
    for _ in range(6):
        report(health, disease="mumps")
    r = services.detection_run(actor=health["doctor"], lookback=0)
    assert r["fallbacks"] >= 1
    a = Alert.objects.get(disease__code="mumps", area=health["s1"])
    assert a.method == "ears_c3" and "fallback from farrington_flexible" in a.reason
    assert Disease.objects.get(code="mumps").method == "farrington_flexible"


def test_disease_list_sync_keeps_the_district_configuration(health):
    from minsheng.core.access import system_actor
    from minsheng.core.models import AuditEntry

    hfmd = Disease.objects.get(code="hfmd")
    assert services.diseases_sync(actor=system_actor()) == (0, 0)  # nothing changed
    assert Disease.objects.get(code="hfmd").version == hfmd.version
    services.disease_configure(actor=system_actor(), disease=hfmd, method="ears_c3",
                               version=hfmd.version)
    Disease.objects.filter(code="mumps").delete()
    assert services.diseases_sync(actor=system_actor()) == (1, 0)
    assert Disease.objects.get(code="hfmd").method == "ears_c3"
    created, updated = services.diseases_sync(actor=system_actor(), keep_configuration=False)
    assert (created, updated) == (0, 1)
    assert Disease.objects.get(code="hfmd").method == "farrington_flexible"
    assert AuditEntry.objects.filter(object_type="health.disease").count() == 3
    with pytest.raises(PermissionDenied):
        services.diseases_sync(actor=health["doctor"])  # a caseworker does not configure


def test_detection_job_runs_as_the_platform(health, django_capture_on_commit_callbacks):
    from minsheng.core.models import AuditEntry, JobProgress

    report(health, disease="cholera", delay_hours=1)  # a single-case disease: one signal
    district_doctor = health["doctor"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.detection_start(actor=district_doctor)
    job.refresh_from_db()
    assert job.state == JobProgress.State.DONE and job.owner == district_doctor.user
    assert job.report["alerts_created"] == 1
    alert = Alert.objects.get()
    created = AuditEntry.objects.get(object_type="health.alert", object_id=str(alert.pk))
    assert created.actor is None and created.actor_name == "system"
