"""The shared case lifecycle: transitions, clocks, follow-ups and their escalation."""

import datetime

import pytest

from minsheng.casework import clocks, workflow
from minsheng.casework import services as followups
from minsheng.casework.models import CaseEvent, FollowUp
from minsheng.core import workdays
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from tests import factories

D = datetime.date


@pytest.fixture
def followup(areas):
    dept = factories.department(areas["district"], "hrss", "人社局")
    return followups.followup_open(actor=factories.SYSTEM(), kind="test", title="核查裁员",
                                   area=areas["s1"], department=dept, source_type="test.x",
                                   source_id=1, due_date=D(2026, 9, 28))


def test_open_is_idempotent_per_source(areas, followup):
    again = followups.followup_open(actor=factories.SYSTEM(), kind="test", title="再次",
                                    area=areas["s1"], department=None, source_type="test.x",
                                    source_id=1, due_date=D(2026, 10, 30))
    assert again.pk == followup.pk and FollowUp.objects.count() == 1


def test_escalation_yellow_then_red_in_working_days(areas, followup):
    workdays.invalidate()
    # due Mon 28 Sep; National Day holiday 1-8 Oct does not count
    assert followups.followups_escalate(today=D(2026, 9, 29)) == 1
    followup.refresh_from_db()
    assert followup.level == "yellow"
    # 29, 30 Sep, 8, 9 Oct: 4 working days overdue (1-7 Oct is the holiday)
    followups.followups_escalate(today=D(2026, 10, 9))
    followup.refresh_from_db()
    assert followup.level == "yellow"
    # + Saturday 10 Oct (an adjusted working day), 12, 13, 14 Oct: 8 working days
    followups.followups_escalate(today=D(2026, 10, 14))
    followup.refresh_from_db()
    assert followup.level == "red"


def test_closing_needs_the_department_an_outcome_and_the_current_version(areas, followup):
    staff = factories.actor("rs", "caseworker", areas["district"],
                            department=followup.department)
    with pytest.raises(ValidationFailed):
        followups.followup_close(actor=staff, followup=followup, outcome=" ", version=1)
    data_entry = factories.actor("de", "data_entry", areas["district"],
                                 department=followup.department)
    with pytest.raises(PermissionDenied):
        followups.followup_close(actor=data_entry, followup=followup, outcome="已办", version=1)
    # a plan supervisor does not close another department's follow-up (issue 11, item 5)
    supervisor = factories.actor("sup", "plan_supervisor", areas["district"],
                                 department=factories.department(areas["district"], "sv"))
    with pytest.raises(PermissionDenied):
        followups.followup_close(actor=supervisor, followup=followup, outcome="已办", version=1)
    with pytest.raises(StaleVersion):
        followups.followup_close(actor=staff, followup=followup, outcome="已办", version=7)
    followups.followup_close(actor=staff, followup=followup, outcome="已核实", version=1)
    followup.refresh_from_db()
    assert followup.state == "done" and followup.outcome == "已核实"
    assert followup.closed_by_id == staff.user.pk


def test_clock_statuses_count_working_days(db):
    workdays.invalidate()
    # Friday 25 Sep 2026 is the Mid-Autumn Festival: 3 working days are 28, 29, 30 Sep
    clock = clocks.Clock("调查", start=D(2026, 9, 25),
                         due=clocks.due_in_working_days(D(2026, 9, 25), 3))
    assert clock.due == D(2026, 9, 30)
    assert clock.status(D(2026, 9, 25)) == "running"
    assert clock.status(D(2026, 9, 29)) == "due_soon"
    assert clock.status(D(2026, 10, 9)) == "overdue"
    assert clock.remaining(D(2026, 10, 9)) == -2  # 8 and 9 Oct, after the holiday
    assert clocks.Clock("x", D(2026, 9, 25), D(2026, 9, 30), done=D(2026, 9, 30)).status(
        D(2026, 10, 9)) == "done_on_time"


def test_workflow_rejects_unknown_states():
    wf = workflow.Workflow(name="t", states={"a": "A", "b": "B"}, initial="a")
    with pytest.raises(ValueError):
        wf.add(workflow.Transition("go", ("a",), "z", "p"))


def test_transition_moves_once_and_records_timeline_and_audit(areas):
    """Exercised on a real case model: the health alert workflow."""
    from minsheng.health import services
    from minsheng.health.models import Alert, Disease
    from minsheng.health.reference import sync_diseases
    from tests.health.conftest import fake_detect, report

    dept = factories.department(areas["district"], "health", "卫健委")
    doctor = factories.actor("doc", "caseworker", areas["district"], department=dept)
    clinic = factories.organization(areas["s1"], "卫生服务中心", kind="clinic")
    sync_diseases(Disease)
    world = {**areas, "doctor": doctor, "clinic": clinic}
    for _ in range(3):
        report(world, disease="hfmd", community="c11")
    services.detection_run(actor=doctor, detect=fake_detect, lookback=0)
    alert = Alert.objects.get(area=areas["s1"])
    stale = Alert.objects.get(pk=alert.pk)
    name = next(t.name for t in Alert.workflow.available(alert.state))
    workflow.transition(actor=doctor, case=alert, name=name, data={"finding": "属实"},
                        note="核实")
    with pytest.raises((StaleVersion, ValidationFailed)):  # the second decider loses
        workflow.transition(actor=doctor, case=stale, name=name, note="重复")
    events = workflow.timeline(alert)
    moves = [e for e in events if e.transition == name]
    assert len(moves) == 1 and moves[0].transition_label != name  # words, not the code
    assert CaseEvent.objects.filter(case_id=alert.pk, transition=name).count() == 1
    assert AuditEntry.objects.filter(action="transition", object_id=str(alert.pk)).count() == 1


def test_clock_units_and_words():
    import datetime as dt

    from django.utils import timezone

    from minsheng.casework.clocks import DAYS, HOURS, Clock

    notice = Clock.after("Public notice", dt.date(2027, 3, 1), 7, DAYS)
    assert notice.due == dt.date(2027, 3, 8)
    assert notice.title == "Public notice (7 days)"
    assert notice.status(dt.date(2027, 3, 8)) == "due_soon"
    # the day after the notice ends it is one day late, never "-1"
    assert notice.status(dt.date(2027, 3, 9)) == "overdue"
    assert notice.summary(dt.date(2027, 3, 9)) == "Overdue by 1 day (due 2027-03-08)"
    assert notice.summary(dt.date(2027, 3, 2)) == "6 days left, due 2027-03-08"

    start = timezone.make_aware(dt.datetime(2027, 3, 1, 8, 0))
    report = Clock.after("Report the case", start, 24, HOURS)
    assert report.status(start + dt.timedelta(hours=10)) == "running"
    assert report.status(start + dt.timedelta(hours=21)) == "due_soon"
    assert report.status(start + dt.timedelta(hours=25)) == "overdue"
    assert report.remaining(start + dt.timedelta(hours=25)) == -1.0
    done = Clock.after("Report the case", start, 24, HOURS,
                       done=start + dt.timedelta(hours=3))
    assert done.status() == "done_on_time"
