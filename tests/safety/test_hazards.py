"""The hazard loop: 排查 -> 整改 -> 验收 -> 销号, deadlines, refusals, scoping."""

import datetime

import pytest

from minsheng.casework.models import FollowUp
from minsheng.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.safety import selectors
from minsheng.safety.models import Hazard, Publication
from minsheng.safety.services import hazards as svc

D = datetime.date


def report(world, grade="general", today=D(2026, 3, 2)):
    return svc.hazard_report(actor=world["inspector"], enterprise=world["ent"],
                             origin="inspection", grade=grade, category="电气",
                             location="一号车间", description="配电箱未接地",
                             legal_basis="GB 50054", found_on=today, today=today)


@pytest.mark.django_db
def test_general_hazard_runs_the_whole_loop(world):
    h = report(world)
    assert h.state == "reported" and h.number.startswith("YH2026")
    svc.hazard_order(actor=world["inspector"], hazard=h, version=h.version,
                     order_number="责改〔2026〕1号", today=D(2026, 3, 2))
    # 10 working days from Mon 2 March 2026
    assert h.rectify_due == D(2026, 3, 16) and h.state == "rectifying"
    assert FollowUp.objects.filter(source_id=str(h.pk), state="open").count() == 1
    svc.hazard_apply_acceptance(actor=world["inspector"], hazard=h, version=h.version,
                                rectified_on=D(2026, 3, 10), today=D(2026, 3, 11))
    assert h.acceptance_due == D(2026, 3, 21)  # on-site review within 10 days
    svc.hazard_accept(actor=world["chief"], hazard=h, version=h.version, passed=True,
                      today=D(2026, 3, 12))
    svc.hazard_write_off(actor=world["chief"], hazard=h, version=h.version,
                         today=D(2026, 3, 12))
    h.refresh_from_db()
    assert h.state == "closed" and h.closed_at and h.written_off_on == D(2026, 3, 12)
    assert not FollowUp.objects.filter(source_id=str(h.pk), state="open").exists()
    clocks = {c.label: c.status(D(2026, 3, 12)) for c in svc.hazard_clocks(h)}
    assert set(clocks.values()) == {"done_on_time"}


@pytest.mark.django_db
def test_write_off_without_acceptance_is_refused(world):
    h = report(world)
    with pytest.raises(ValidationFailed):
        svc.hazard_write_off(actor=world["chief"], hazard=h, version=h.version)
    svc.hazard_order(actor=world["inspector"], hazard=h, version=h.version)
    svc.hazard_apply_acceptance(actor=world["inspector"], hazard=h, version=h.version)
    with pytest.raises(ValidationFailed):
        svc.hazard_write_off(actor=world["chief"], hazard=h, version=h.version)
    assert Hazard.objects.get(pk=h.pk).state == "acceptance"


@pytest.mark.django_db
def test_failed_acceptance_goes_back_with_a_new_deadline(world):
    h = report(world)
    svc.hazard_rectified_on_spot(actor=world["inspector"], hazard=h, version=h.version,
                                 today=D(2026, 3, 2))
    with pytest.raises(ValidationFailed):  # a reason is required
        svc.hazard_accept(actor=world["chief"], hazard=h, version=h.version, passed=False)
    svc.hazard_accept(actor=world["chief"], hazard=h, version=h.version, passed=False,
                      note="接地电阻不合格", new_due=D(2026, 3, 20), today=D(2026, 3, 3))
    assert h.state == "rectifying" and h.rectify_due == D(2026, 3, 20)
    assert h.accepted_on is None


@pytest.mark.django_db
def test_major_hazard_needs_plan_listing_and_publication(world):
    h = report(world, grade="major")
    assert h.reported_to_department_at is not None  # reported at once
    with pytest.raises(ValidationFailed):
        svc.hazard_order(actor=world["inspector"], hazard=h, version=h.version)
    with pytest.raises(ValidationFailed):
        svc.hazard_submit_plan(actor=world["inspector"], hazard=h, version=h.version,
                               goals="", methods="m", funds="f", responsible="r",
                               time_limit=D(2026, 6, 30), safety_measures="s",
                               emergency_plan="e", principal="王总", today=D(2026, 3, 2))
    svc.hazard_submit_plan(actor=world["inspector"], hazard=h, version=h.version,
                           goals="消除泄漏", methods="更换阀门", funds="20万元", responsible="李工",
                           time_limit=D(2026, 6, 30), safety_measures="隔离警戒",
                           emergency_plan="泄漏处置方案", principal="王总", today=D(2026, 3, 2))
    assert h.state == "rectifying" and h.plan.principal == "王总"
    with pytest.raises(PermissionDenied):
        svc.hazard_list_supervision(actor=world["inspector"], hazard=h, listed_by="区安委办")
    svc.hazard_list_supervision(actor=world["chief"], hazard=h, listed_by="区安委办",
                                suspension="partial", today=D(2026, 3, 3))
    listing = Publication.objects.get(kind="listing", object_id=h.pk)
    assert listing.due_on == D(2026, 3, 10)  # 5 working days
    svc.hazard_apply_acceptance(actor=world["inspector"], hazard=h, version=h.version,
                                today=D(2026, 6, 1))
    svc.hazard_accept(actor=world["chief"], hazard=h, version=h.version, passed=True,
                      today=D(2026, 6, 5))
    svc.hazard_write_off(actor=world["chief"], hazard=h, version=h.version, today=D(2026, 6, 5))
    assert Publication.objects.filter(kind="write_off", object_id=h.pk).exists()


@pytest.mark.django_db
def test_stale_version_and_scope(world):
    h = report(world)
    svc.hazard_order(actor=world["inspector"], hazard=h, version=h.version)
    stale = Hazard.objects.get(pk=h.pk)
    stale.version -= 1
    with pytest.raises(StaleVersion):
        svc.hazard_apply_acceptance(actor=world["inspector"], hazard=stale,
                                    version=stale.version)
    with pytest.raises(NotFound):
        selectors.hazard_get(world["outsider"], pk=h.pk)
    with pytest.raises(PermissionDenied):
        svc.hazard_report(actor=world["outsider"], enterprise=world["ent"],
                          origin="self", grade="general", category="x", location="y",
                          description="z")


@pytest.mark.django_db
def test_overdue_and_statistics(world):
    from minsheng.safety import statistics

    h = report(world, today=D(2026, 1, 5))
    svc.hazard_order(actor=world["inspector"], hazard=h, version=h.version,
                     due=D(2026, 1, 20), today=D(2026, 1, 5))
    assert selectors.hazard_list(world["chief"], overdue=True, today=D(2026, 2, 1)).count() == 1
    r = statistics.hazard_statistics(world["chief"], year=2026, quarter=1)
    assert r.due_on == D(2026, 4, 15)
    assert r.by_area[0]["found"] == 1 and r.by_area[0]["overdue"] == 1
    assert statistics.period(2026, None)[2] == D(2027, 1, 31)
    assert statistics.period(2026, 4)[2] == D(2027, 1, 15)
