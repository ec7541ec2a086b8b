import datetime

import pytest
from django.utils import timezone

from minsheng.casework.models import FollowUp
from minsheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minsheng.indicators.registry import SOURCES
from minsheng.primarycare import selectors, services
from minsheng.primarycare.models import Referral
from tests import factories

pytestmark = pytest.mark.django_db


def send(pc, person, **kw):
    args = {"from_facility": pc["clinic1"], "to_facility": pc["hospital"], "direction": "up",
            "urgency": "urgent", "reason": "胸痛待查"}
    args.update(kw)
    return services.referral_send(actor=pc["doctor"], person=person, **args)


def test_up_acknowledged_down_completed_opens_followup(pc):
    p = factories.person(pc["c11"])
    services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    up = send(pc, p)
    assert up.team == pc["team"] and up.state == "sent"
    services.referral_acknowledge(actor=pc["doctor_s2"], referral=up, version=up.version)
    services.referral_complete(actor=pc["doctor_s2"], referral=up, version=up.version,
                               outcome="已收治")
    down = services.referral_send(actor=pc["doctor_s2"], person=p, from_facility=pc["hospital"],
                                  to_facility=pc["clinic1"], direction="down",
                                  urgency="routine", reason="出院康复")
    services.referral_acknowledge(actor=pc["doctor_s1"], referral=down, version=down.version)
    services.referral_complete(actor=pc["doctor_s1"], referral=down, version=down.version,
                               outcome="已建立随访")
    down.refresh_from_db()
    assert down.state == "completed" and down.followup_id
    item = FollowUp.objects.get(pk=down.followup_id)
    assert item.state == "open" and item.department == pc["health"]
    assert item.area == pc["c11"]


def test_receiving_end_acts_sending_end_cannot_acknowledge(pc):
    p = factories.person(pc["c11"])
    r = send(pc, p)
    with pytest.raises(PermissionDenied):  # the hospital is in 乙街道
        services.referral_acknowledge(actor=pc["doctor_s1"], referral=r, version=r.version)
    # both ends see it
    assert selectors.referral_detail(pc["doctor_s1"], r.pk) == r
    assert selectors.referral_detail(pc["doctor_s2"], r.pk) == r


def test_referral_outside_the_alliance_refused(pc):
    p = factories.person(pc["c11"])
    with pytest.raises(ValidationFailed) as e:
        send(pc, p, to_facility=pc["outsider"])
    assert e.value.details["field"] == "to_facility"
    with pytest.raises(ValidationFailed):
        send(pc, p, direction="down")  # clinic -> hospital is not downward
    with pytest.raises(ValidationFailed):
        send(pc, p, reason="  ")
    assert not Referral.objects.exists()


def test_escalation_after_the_acknowledgement_limit(pc):
    p = factories.person(pc["c11"])
    services.contract_sign(actor=pc["doctor"], person=p, team=pc["team"], package="basic")
    urgent = send(pc, p)
    now = timezone.now()
    assert services.referrals_escalate(now=now + datetime.timedelta(hours=23)) == 0
    assert services.referrals_escalate(now=now + datetime.timedelta(hours=25)) == 1
    assert services.referrals_escalate(now=now + datetime.timedelta(hours=26)) == 0
    urgent.refresh_from_db()
    assert urgent.escalated
    assert FollowUp.objects.filter(kind="primarycare.referral_overdue",
                                   source_id=str(urgent.pk)).exists()


def test_decline_needs_reason_and_out_of_scope_read(pc):
    p = factories.person(pc["c11"])
    r = send(pc, p)
    with pytest.raises(ValidationFailed):
        services.referral_decline(actor=pc["doctor_s2"], referral=r, version=r.version,
                                  reason="")
    other = factories.actor("x", "caseworker", pc["c22"], department=pc["health"])
    with pytest.raises(NotFound):
        selectors.referral_detail(other, r.pk)


def test_ack_on_time_source(pc):
    p = factories.person(pc["c11"])
    r = send(pc, p, urgency="routine")
    services.referral_acknowledge(actor=pc["doctor_s2"], referral=r, version=r.version)
    late = send(pc, p)
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(
        hours=30))
    late.refresh_from_db()
    services.referral_acknowledge(actor=pc["doctor_s2"], referral=late, version=late.version)
    today = timezone.localdate()
    sent = dict((a, v) for a, _, v in SOURCES["primarycare.referrals_sent"].compute(today, today))
    on_time = list(SOURCES["primarycare.referrals_ack_on_time"].compute(today, today))
    assert sent[pc["c11"].id] == 2.0 or today.day == 1
    assert [v for _, _, v in on_time] == [1.0]
