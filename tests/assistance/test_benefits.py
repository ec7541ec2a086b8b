"""After approval: a household's benefit and a person's tekun support move only through
their workflows (timeline, audit, version); the daily sweep ends gradual exits and
minors' support; staff exit, recover fraud, record refused jobs and returned payments
through the pages; the facts other modules read; clocks from the district's settings."""

import json
from decimal import Decimal

import pytest
from django.test import override_settings
from typer.testing import CliRunner

from minsheng.assistance import services
from minsheng.assistance.commands import app
from minsheng.assistance.models import DibaoBenefit, PaymentLine, TekunPerson
from minsheng.assistance.services import clocks
from minsheng.casework.workflow import timeline
from minsheng.core import facts
from minsheng.core.models import AuditEntry
from tests import factories
from tests.assistance.conftest import D
from tests.assistance.test_dibao import apply, run_to_notice
from tests.assistance.test_management import approved

pytestmark = pytest.mark.django_db
PW = "pw-for-tests-123"


def transitions(record):
    return [e.transition for e in timeline(record) if e.transition]


def audited(record, action="transition"):
    return AuditEntry.objects.filter(action=action, object_type=record._meta.label_lower,
                                     object_id=str(record.pk))


def test_gradual_exit_ends_through_the_workflow_with_audit_and_version(world):
    benefit = approved(world)
    services.benefit_exit(actor=world["approver"], benefit=benefit, version=benefit.version,
                          reason="就业后收入超过标准", gradual=True, today=D(2026, 11, 20))
    assert benefit.state == "gradual_exit" and benefit.gradual_exit_until == D(2027, 5, 31)
    version = benefit.version
    assert services.gradual_exits_close(today=D(2027, 5, 31)) == 0  # still running
    assert services.gradual_exits_close(today=D(2027, 7, 15)) == 1  # a late sweep
    benefit.refresh_from_db()
    assert benefit.state == "exited" and benefit.version == version + 1
    assert benefit.exited_on == D(2027, 6, 1)  # the day after the period, not the sweep day
    assert transitions(benefit) == ["gradual_exit", "gradual_exit_end"]
    assert audited(benefit).count() == 2
    # June is not paid, even though the sweep ran in July
    june = services.roster_create(actor=world["approver"], area=world["s1"],
                                  month=D(2027, 6, 1))
    assert june.lines_count == 0


def test_exit_is_refused_when_stale_and_changes_nothing(world):
    benefit = approved(world)
    from minsheng.core.errors import StaleVersion, ValidationFailed

    with pytest.raises(ValidationFailed):
        services.benefit_exit(actor=world["approver"], benefit=benefit,
                              version=benefit.version, reason=" ")
    with pytest.raises(StaleVersion):
        services.benefit_exit(actor=world["approver"], benefit=benefit,
                              version=benefit.version - 1, reason="收入超标")
    benefit.refresh_from_db()
    assert benefit.state == "active" and not audited(benefit).exists()


def test_re_review_approval_replaces_the_benefit_through_the_workflow(world):
    from minsheng.core.access import system_actor
    from minsheng.core.services import calendar_year_confirm

    calendar_year_confirm(actor=system_actor(), year=2027, source="test: weekdays only")
    old = approved(world)
    result = services.reviews_open(actor=world["caseworker"], until=D(2027, 6, 1),
                                   today=D(2026, 12, 1))
    assert result["opened"] == 1
    review = old.review_cases.get()
    services.dibao_first_review(actor=world["reviewer"], case=review, version=review.version,
                                opinion="复核符合", today=D(2026, 12, 2))
    services.dibao_publish_notice(actor=world["caseworker"], case=review,
                                  version=review.version, today=D(2026, 12, 2))
    services.dibao_send_file(actor=world["caseworker"], case=review, version=review.version,
                             today=D(2026, 12, 9))
    services.dibao_decide(actor=world["approver"], case=review, version=review.version,
                          approve=True, today=D(2026, 12, 10))
    old.refresh_from_db()
    assert old.state == "exited" and old.exited_on == D(2027, 1, 1)
    assert transitions(old) == ["replace"]
    new = DibaoBenefit.objects.exclude(pk=old.pk).get()
    assert new.start_month == D(2027, 1, 1)
    december = services.roster_create(actor=world["approver"], area=world["s1"],
                                      month=D(2026, 12, 1))
    assert december.lines_count == 1  # the old benefit pays through its last month


def test_tekun_support_of_minors_ends_at_the_age_limit_from_the_daily_sweep(world):
    child = factories.person(world["c11"], "小明", D(2008, 6, 1))
    pupil = factories.person(world["c11"], "小红", D(2008, 6, 1))
    supports = []
    for person, in_school in ((child, False), (pupil, True)):
        case = services.tekun_apply(actor=world["caseworker"], person=person,
                                    in_school=in_school, today=D(2020, 9, 1))
        for step in ("investigate", "publish_notice"):
            services.tekun_step(actor=world["caseworker"], case=case, name=step,
                                today=D(2020, 9, 2))
        services.tekun_step(actor=world["caseworker"], case=case, name="send_file",
                            today=D(2020, 9, 10))
        services.tekun_step(actor=world["approver"], case=case, name="approve",
                            today=D(2020, 9, 15))
        supports.append(TekunPerson.objects.get(case=case))
    assert supports[0].support_until == D(2026, 6, 1)
    result = CliRunner().invoke(app, ["sweep"])  # today is past the 18th birthday
    assert result.exit_code == 0, result.output
    assert "1 tekun support(s) ended" in result.output
    ended, kept = (TekunPerson.objects.get(pk=s.pk) for s in supports)
    assert ended.state == "ended" and ended.version == supports[0].version + 1
    assert kept.state == "active"  # still in school
    assert transitions(ended) == ["age_limit"] and audited(ended).count() == 1
    assert services.tekun_support_end_check() == 0  # once


def test_staff_exit_and_recover_through_the_benefit_page(client, world):
    benefit = approved(world)
    client.login(username="ap", password=PW)
    page = client.get(f"/assistance/benefits/{benefit.pk}/").content.decode()
    assert "6222000011112222" not in page and "2222" in page  # account masked
    assert 'data-action="exit"' in page and 'data-action="fraud"' in page
    assert 'data-action="review_trigger"' not in page  # the approver takes no applications
    r = client.post(f"/assistance/benefits/{benefit.pk}/act/fraud/",
                    {"amount": "1000", "fine_factor": "2", "note": "隐瞒收入"})
    assert r.status_code == 302
    assert benefit.recoveries.get().fine == Decimal("2000.00")
    r = client.post(f"/assistance/benefits/{benefit.pk}/act/exit/",
                    {"version": benefit.version, "reason": "就业", "gradual": "on"})
    assert r.status_code == 302
    benefit.refresh_from_db()
    assert benefit.state == "gradual_exit"
    page = client.get(r["Location"]).content.decode()
    assert 'id="benefit-state"' in page and "渐退" in page and "就业" in page
    assert AuditEntry.objects.filter(action="read", object_id=str(benefit.pk),
                                     object_type="assistance.dibaobenefit").exists()


def test_caseworker_records_refused_jobs_and_triggers_a_review(client, world):
    benefit = approved(world)
    son = benefit.benefit_members.get(person=world["son"])
    client.login(username="cw", password=PW)
    url = f"/assistance/benefits/{benefit.pk}/act/"
    for n in range(3):
        r = client.post(url + "job_refusal/", {"member": son.pk, "job": f"保安 {n}"})
        assert r.status_code == 302
    benefit.refresh_from_db()
    assert benefit.monthly_amount == Decimal("830.00")
    page = client.get(f"/assistance/benefits/{benefit.pk}/").content.decode()
    assert "3 / 3" in page
    r = client.post(url + "review_trigger/", {"version": benefit.version,
                                              "reason": "成员新登记车辆"})
    assert r.status_code == 302
    benefit.refresh_from_db()
    assert benefit.review_trigger == "成员新登记车辆"
    assert client.post(url + "exit/", {"version": benefit.version,
                                       "reason": "x"}).status_code == 403


def test_review_trigger_keeps_month_ends(world):
    benefit = approved(world)
    services.review_trigger(actor=world["caseworker"], benefit=benefit, reason="死亡",
                            today=D(2026, 4, 30))
    assert benefit.next_review_due == D(2026, 7, 31)  # a month end stays a month end


def test_returned_payment_through_the_roster_page_and_api(client, world):
    approved(world)
    roster = services.roster_create(actor=world["approver"], area=world["s1"],
                                    month=D(2026, 11, 1))
    line = roster.lines.get()
    client.login(username="cw", password=PW)  # a caseworker sees the roster, masked
    page = client.get(f"/assistance/payments/{roster.pk}/").content.decode()
    assert "6222000011112222" not in page and "data-line" not in page
    client.logout()
    client.login(username="ap", password=PW)
    page = client.get(f"/assistance/payments/{roster.pk}/").content.decode()
    assert "6222000011112222" in page and f'data-line="{line.pk}"' in page
    r = client.post(f"/assistance/payments/lines/{line.pk}/returned/",
                    {"version": line.version, "reason": "账户已销户"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.state == "returned" and line.return_reason == "账户已销户"
    again = client.post(f"/api/assistance/payments/lines/{line.pk}/returned",
                        json.dumps({"version": line.version, "reason": "再次"}),
                        content_type="application/json")
    assert again.status_code == 409
    assert PaymentLine.objects.get(pk=line.pk).version == line.version


def test_facts_published_about_people(world):
    benefit = approved(world)
    admin = world["admin"]
    head = world["head"]
    on_nov = D(2026, 11, 15)
    result = facts.of(admin, head, ["assistance.dibao_household", "assistance.tekun"],
                      on=on_nov)
    assert result["assistance.dibao_household"].holds
    assert result["assistance.dibao_household"].since == D(2026, 11, 1)
    assert result["assistance.dibao_household"].until is None
    assert not result["assistance.tekun"].holds
    assert not facts.of(admin, head, ["assistance.dibao_household"],
                        on=D(2026, 10, 31))["assistance.dibao_household"].holds
    services.benefit_exit(actor=world["approver"], benefit=benefit, version=benefit.version,
                          reason="就业", gradual=True, today=D(2026, 11, 20))
    services.gradual_exits_close(today=D(2027, 6, 3))
    period = facts.of(admin, world["son"], ["assistance.dibao_household"],
                      on=D(2027, 5, 31))["assistance.dibao_household"]
    assert period.holds and period.until == D(2027, 5, 31)
    assert not facts.of(admin, world["son"], ["assistance.dibao_household"],
                        on=D(2027, 6, 1))["assistance.dibao_household"].holds
    holders = set(facts.holder_ids("assistance.dibao_household", D(2027, 1, 1))
                  .values_list("person_id", flat=True))
    assert holders == {head.pk, world["son"].pk}
    from minsheng.core.models import Person

    people = facts.filter_people(admin, Person.objects.all(), "assistance.dibao_household",
                                 on=D(2027, 1, 1))
    assert set(people) == {head, world["son"]}


def test_tekun_fact(world):
    elder = factories.person(world["c11"], "孙老汉", D(1940, 1, 1))
    case = services.tekun_apply(actor=world["caseworker"], person=elder, today=D(2026, 9, 1))
    for step, day in (("investigate", D(2026, 9, 2)), ("publish_notice", D(2026, 9, 3)),
                      ("send_file", D(2026, 9, 10))):
        services.tekun_step(actor=world["caseworker"], case=case, name=step, today=day)
    services.tekun_step(actor=world["approver"], case=case, name="approve",
                        today=D(2026, 9, 15))
    value = facts.of(world["admin"], elder, ["assistance.tekun"],
                     on=D(2026, 10, 2))["assistance.tekun"]
    assert value.holds and value.since == D(2026, 10, 1) and value.until is None


@override_settings(MINSHENG_ASSISTANCE={"DECISION_WORKING_DAYS": 7, "NOTICE_DAYS": 5,
                                        "INVESTIGATION_START_WORKING_DAYS": 2})
def test_clock_labels_carry_the_district_limits(client, world):
    case = run_to_notice(world, apply(world))
    titles = [c.title for c in clocks.dibao_clocks(case, D(2026, 10, 10))]
    assert "Investigation starts (2 working days)" in titles
    assert "Public notice (5 days)" in titles  # calendar days, never working days
    notice = next(c for c in clocks.dibao_clocks(case, D(2026, 10, 10))
                  if c.label == "Public notice")
    assert notice.unit == "days" and notice.due == D(2026, 10, 14)
    assert notice.status(D(2026, 10, 14)) != "overdue"
    assert clocks.dibao_clocks(case, D(2026, 10, 15))[2].status() == "done_on_time"
    services.dibao_send_file(actor=world["caseworker"], case=case, version=case.version,
                             today=D(2026, 10, 14))
    assert clocks.decision_clock(case).title == "District decision (7 working days)"
    client.login(username="ap", password=PW)
    page = client.get(f"/assistance/cases/{case.pk}/").content.decode()
    assert "区级审批（7个工作日）" in page and "公示（5天）" in page
    assert "工作日" not in page.split("公示（5天）")[1].split("</td>")[0]


def test_case_page_and_api_detail_build_for_every_state(client, world):
    """The API detail used to fail for every record (response schema); an action answers
    with the case it moved."""
    case = run_to_notice(world, apply(world))
    client.login(username="cw", password=PW)
    r = client.get(f"/api/assistance/cases/{case.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == "notice" and body["clocks"][0]["title"]
    assert world["head"].id_number not in r.content.decode()
    r = client.post(f"/api/assistance/cases/{case.pk}/actions/send_file",
                    json.dumps({"version": case.version}), content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "file_sent"
    assert r.json()["version"] == case.version + 1
    stale = client.post(f"/api/assistance/cases/{case.pk}/actions/withdraw",
                        json.dumps({"version": case.version, "note": "x"}),
                        content_type="application/json")
    assert stale.status_code == 422  # not possible at the district: nothing moved
    case.refresh_from_db()
    assert case.state == "file_sent"
