"""Postings, registrations and benefits move only through the workflow engine (timeline,
audit, permission per move, guards); the services that were never called are wired; the
facts the module publishes."""

import datetime

import pytest
from django.utils import timezone

from minsheng.casework.models import CaseEvent
from minsheng.core import facts
from minsheng.core.access import system_actor
from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.employment import services
from minsheng.employment.models import (
    BenefitClaim,
    Employment,
    JobPosting,
    Placement,
    UnemploymentRegistration,
)
from tests import factories
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def events(record):
    return list(CaseEvent.objects.filter(case_type=record._meta.label_lower, case_id=record.pk)
                .values_list("transition", "from_state", "to_state"))


def registered(world, area_key="c12", years=6, on=TODAY):
    seeker = make_seeker(world, area_key=area_key)
    reg = services.registration_open(actor=system_actor(), seeker=seeker, registered_on=on,
                                     separation_reason="layoff", contribution_years=years)
    return seeker, reg


def test_posting_review_edit_and_close_are_workflow_moves(world):
    posting = make_posting(world, publish=False, description="先交押金再上岗")
    with pytest.raises(ValidationFailed) as refused:
        services.posting_review(actor=world["reviewer"], posting=posting, approve=True,
                                version=posting.version)
    assert refused.value.details["field"] == "note"
    services.posting_review(actor=world["reviewer"], posting=posting, approve=True,
                            note="已电话核实，押金为工服费并已取消", version=posting.version)
    services.posting_update(actor=world["caseworker"], posting=posting, version=posting.version,
                            occupation_code="4-02-07-02", title="快递员", description="派送",
                            salary_min=5000, salary_max=7000,
                            valid_until=TODAY + datetime.timedelta(days=20))
    assert posting.state == "pending" and posting.fraud_flags == []
    with pytest.raises(PermissionDenied):  # closing is the caseworker's, not the reviewer's
        services.posting_close(actor=world["reviewer"], posting=posting,
                               version=posting.version)
    services.posting_close(actor=world["caseworker"], posting=posting, version=posting.version,
                           note="已招满")
    assert events(posting) == [("publish", "pending", "published"),
                               ("edit", "published", "pending"),
                               ("close", "pending", "closed")]
    assert JobPosting.objects.get(pk=posting.pk).state == "closed"
    with pytest.raises(ValidationFailed):
        services.posting_update(actor=world["caseworker"], posting=posting,
                                version=posting.version, title="再改")
    assert AuditEntry.objects.filter(object_type="employment.jobposting",
                                     action="transition").count() == 3


def test_two_reviewers_at_once_one_wins(world):
    posting = make_posting(world, publish=False)
    first = JobPosting.objects.get(pk=posting.pk)
    second = JobPosting.objects.get(pk=posting.pk)
    services.posting_review(actor=world["reviewer"], posting=first, approve=True, note="可",
                            version=first.version)
    with pytest.raises((StaleVersion, ValidationFailed)):
        services.posting_review(actor=world["admin"], posting=second, approve=False,
                                note="不可", version=second.version)
    assert JobPosting.objects.get(pk=posting.pk).state == "published"


def test_posting_page_shows_timeline_and_close_button(client, world):
    posting = make_posting(world)
    client.force_login(world["caseworker"].user)
    page = client.get(f"/employment/postings/{posting.pk}/").content.decode()
    assert 'id="timeline"' in page and "发布" in page and "关闭岗位" in page
    r = client.post(f"/employment/postings/{posting.pk}/close/",
                    {"version": posting.version, "note": "已招满"})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "岗位已关闭" in page and "已招满" in page
    assert client.get(f"/employment/public/posts/{posting.pk}/").status_code == 404


def test_flagged_publish_without_reason_is_refused_in_place(client, world):
    posting = make_posting(world, publish=False, description="入职需交押金")
    client.force_login(world["reviewer"].user)
    queue = client.get("/employment/review/").content.decode()
    assert "收费或押金措辞：押金" in queue and "fee:押金" not in queue
    r = client.post(f"/employment/postings/{posting.pk}/review/",
                    {"version": posting.version, "decision": "approve", "note": ""})
    assert r.status_code == 422
    page = r.content.decode()
    assert posting.title in page and "说明" in page and 'id="form-review"' in page
    r = client.post(f"/employment/postings/{posting.pk}/review/",
                    {"version": posting.version, "decision": "approve", "note": "已核实"})
    assert r.status_code == 302
    assert "岗位已发布" in client.get(r["Location"]).content.decode()


def test_closing_a_registration_ends_the_benefit(world):
    seeker, reg = registered(world)
    claim = services.benefit_grant(actor=system_actor(), registration=reg, start_date=TODAY)
    services.registration_close(actor=world["caseworker"], registration=reg, closed_on=TODAY,
                                reason="moved", version=reg.version)
    reg.refresh_from_db()
    claim.refresh_from_db()
    assert reg.state == "closed" and reg.closed_on == TODAY and reg.close_reason == "moved"
    assert claim.state == "ended" and claim.end_date == TODAY
    assert events(reg) == [("close", "open", "closed")]
    assert events(claim) == [("end", "paying", "ended")]
    with pytest.raises(ValidationFailed):  # already closed
        services.registration_close(actor=world["caseworker"], registration=reg,
                                    closed_on=TODAY, reason="other")


def test_registration_close_guard(world):
    seeker, reg = registered(world, on=TODAY - datetime.timedelta(days=3))
    with pytest.raises(ValidationFailed) as refused:
        services.registration_close(actor=world["caseworker"], registration=reg,
                                    closed_on=TODAY - datetime.timedelta(days=10),
                                    reason="moved")
    assert refused.value.details["field"] == "closed_on"
    with pytest.raises(ValidationFailed) as refused:
        services.registration_close(actor=world["caseworker"], registration=reg,
                                    closed_on=TODAY, reason="bored")
    assert refused.value.details["field"] == "reason"
    assert UnemploymentRegistration.objects.get(pk=reg.pk).state == "open"


def test_benefit_stop_page_and_refusal_rule(client, world, settings):
    seeker, reg = registered(world)
    claim = services.benefit_grant(actor=system_actor(), registration=reg, start_date=TODAY)
    client.force_login(world["caseworker"].user)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert 'id="form-benefit-stop"' in page
    settings.MINSHENG_EMPLOYMENT = {"BENEFIT_STOP_ON_REFUSAL": False}
    url = f"/employment/seekers/{seeker.pk}/benefits/{claim.pk}/stop/"
    r = client.post(url, {"stopped_on": TODAY.isoformat(), "reason": "拒绝推荐的工作",
                          "refused_offer": "on", "version": claim.version})
    assert r.status_code == 422 and "拒绝推荐的工作" in r.content.decode()
    settings.MINSHENG_EMPLOYMENT = {}
    r = client.post(url, {"stopped_on": TODAY.isoformat(), "reason": "拒绝推荐的工作",
                          "refused_offer": "on", "version": claim.version})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "stopped" and claim.stop_reason == "拒绝推荐的工作"
    page = client.get(r["Location"]).content.decode()
    assert "失业保险金已停发" in page and "停发失业保险金" in page  # message, timeline


def test_benefit_for_whole_months_keeps_the_month_end(world):
    """31 Jan + 12 months ends on 31 Jan, not on the 28th (the old local add_months)."""
    start = datetime.date(TODAY.year - 1, 1, 31)
    seeker, reg = registered(world, years=3, on=start)
    claim = services.benefit_grant(actor=system_actor(), registration=reg, start_date=start)
    assert claim.months == 12 and claim.end_date == datetime.date(TODAY.year, 1, 31)


def test_placement_closes_registration_and_ends_benefit_through_the_workflows(world):
    seeker, reg = registered(world)
    claim = services.benefit_grant(actor=system_actor(), registration=reg, start_date=TODAY)
    services.placement_record(actor=world["caseworker"], seeker=seeker,
                              employer=world["employer"], placed_on=TODAY)
    assert events(reg) == [("close", "open", "closed")]
    assert events(claim) == [("end", "paying", "ended")]
    seeker.refresh_from_db()
    assert seeker.status == "employed"


def test_placements_confirmed_from_insurance_in_the_area_only(client, world):
    near, near_reg = registered(world, "c12", on=TODAY - datetime.timedelta(days=20))
    far, far_reg = registered(world, "c21", on=TODAY - datetime.timedelta(days=20))
    for seeker in (near, far):
        Employment.objects.create(person=seeker.person, employer=world["far"],
                                  residence_area=seeker.area, workplace_area=world["far"].area,
                                  start_date=TODAY - datetime.timedelta(days=5), insured=True)
    client.force_login(world["caseworker"].user)
    assert "根据社保参保记录确认就业" in client.get("/employment/").content.decode()
    r = client.post("/employment/seekers/placements/confirm/")
    assert r.status_code == 302
    assert "确认就业 1 人" in client.get(r["Location"]).content.decode()
    placement = Placement.objects.get()
    assert placement.seeker == near and placement.source == "insurance"
    near_reg.refresh_from_db()
    far_reg.refresh_from_db()
    assert near_reg.state == "closed" and far_reg.state == "open"
    assert Employment.objects.count() == 2  # insurance placements add no spell
    r = client.post("/api/employment/placements/confirm-from-insurance")
    assert r.json() == {"placements": 0}
    assert services.placements_confirm_from_insurance(actor=system_actor()) == 1
    reviewer = factories.actor("rv2", "reviewer", world["areas"]["s1"])
    with pytest.raises(PermissionDenied):
        services.placements_confirm_from_insurance(actor=reviewer)


def test_seeker_history_on_the_page(client, world):
    seeker, reg = registered(world)
    services.registration_close(actor=world["caseworker"], registration=reg, closed_on=TODAY,
                                reason="moved")
    client.force_login(world["caseworker"].user)
    page = client.get(f"/employment/seekers/{seeker.pk}/").content.decode()
    assert 'id="timeline"' in page and "注销失业登记" in page and "失业登记" in page


def test_edit_without_changes_keeps_the_version(world):
    seeker = make_seeker(world)
    version = seeker.version
    services.seeker_update(actor=world["caseworker"], seeker=seeker, version=version,
                           salary_min=seeker.salary_min)
    assert seeker.version == version
    services.seeker_update(actor=world["caseworker"], seeker=seeker, version=version,
                           salary_min=seeker.salary_min + 1)
    assert seeker.version == version + 1
    with pytest.raises(StaleVersion):
        services.seeker_update(actor=world["caseworker"], seeker=seeker, version=version,
                               salary_min=seeker.salary_min)


def test_facts_published_by_employment(world):
    seeker, reg = registered(world, on=TODAY - datetime.timedelta(days=40))
    claim = services.benefit_grant(actor=system_actor(), registration=reg,
                                   start_date=TODAY - datetime.timedelta(days=30))
    Employment.objects.create(person=seeker.person, employer=world["employer"],
                              residence_area=seeker.area, workplace_area=world["employer"].area,
                              start_date=TODAY - datetime.timedelta(days=2), insured=True)
    names = ["employment.registered_unemployed", "employment.insured_employment",
             "employment.benefit_recipient", "employment.employment_difficulty"]
    now = facts.of(world["caseworker"], seeker.person, names)
    assert all(now[name].holds for name in names)
    assert now["employment.registered_unemployed"].since == reg.registered_on
    assert now["employment.benefit_recipient"].until == claim.end_date
    services.registration_close(actor=system_actor(), registration=reg, closed_on=TODAY,
                                reason="employed")
    later = TODAY + datetime.timedelta(days=1)
    after = facts.of(world["caseworker"], seeker.person, names, on=later)
    assert not after["employment.registered_unemployed"].holds
    assert not after["employment.benefit_recipient"].holds
    assert after["employment.insured_employment"].holds
    on_close = facts.of(world["caseworker"], seeker.person, names, on=TODAY)
    assert on_close["employment.registered_unemployed"].until == TODAY
    assert seeker.person_id in set(facts.holder_ids("employment.insured_employment")
                                   .values_list("person_id", flat=True))
    outsider = factories.actor("o", "caseworker", world["areas"]["s2"])
    with pytest.raises(PermissionDenied):
        facts.of(outsider, seeker.person, names)
    assert BenefitClaim.objects.get(pk=claim.pk).state == "ended"
