"""Demo caseload: dibao cases at every step (some due soon, some overdue), active
households with a re-review due list, temporary grants and tekun persons. Deterministic
for ctx.seed (ctx.rng); a few hundred cases, so a per-case service call is fine."""

from __future__ import annotations

import datetime

from minsheng.core.models import CalendarYear, HouseholdMember, Person

STEPS = ("submitted", "accepted", "investigating", "verification_requested", "verifying",
         "reviewed", "notice", "file_sent", "approved")


def _confirm_2027(ctx) -> None:
    """The demo's today (2026-11-29) plus a 30-working-day clock runs into January 2027,
    a year chinese-calendar does not know. Confirm it only if the district has not."""
    from minsheng.core.services import calendar_day_set, calendar_year_confirm

    if CalendarYear.objects.filter(year=2027).exists():
        return
    # 国务院办公厅关于2027年部分节假日安排的通知 is not published yet: New Year's Day is a
    # statutory holiday (《全国年节及纪念日放假办法》art. 2); the rest of the year is
    # taken as Monday-Friday until the district enters the official schedule.
    calendar_day_set(actor=ctx.actor, date=datetime.date(2027, 1, 1), is_working_day=False,
                     note="元旦（demo）")
    calendar_year_confirm(actor=ctx.actor, year=2027,
                          source="demo: 元旦 per 全国年节及纪念日放假办法; other days Mon-Fri")
    ctx.notes.append("assistance: confirmed calendar year 2027 for the demo (New Year's Day "
                     "only; enter the State Council schedule when published)")


def build(ctx) -> None:
    from minsheng.assistance import services
    from minsheng.core import workdays

    _confirm_2027(ctx)
    rng = ctx.rng(505)
    actor = ctx.actor
    cases_per_sub = max(4, min(40, ctx.people // 2000))
    made = 0
    for sub in ctx.subdistricts:
        heads = list(HouseholdMember.objects.filter(
            relationship="head", household__area__parent=sub, person__status="living")
            .order_by("household_id").values_list("person_id", flat=True)[:cases_per_sub * 3])
        if not heads:
            continue
        chosen = rng.choice(len(heads), size=min(cases_per_sub, len(heads)), replace=False)
        for i, index in enumerate(sorted(int(x) for x in chosen)):
            head = Person.objects.get(pk=heads[index])
            household = head.membership.household
            people = [m.person for m in household.members.select_related("person")
                      if m.person.status == "living"]
            target = STEPS[i % len(STEPS)]
            # start far enough back that later steps are plausible; some are overdue
            back = int(rng.integers(2, 45))
            start = workdays.add_working_days(ctx.today - datetime.timedelta(days=back * 7 // 5
                                                                              + 3), 0)
            members = [{"id_number": p.id_number, "authorised": True,
                        "income": {"wages": str(int(rng.integers(0, 500)))}} for p in people]
            try:
                case, _ = services.dibao_apply(
                    actor=actor, channel="online" if i % 2 else "office",
                    applicant_id_number=head.id_number, applicant_name=head.name,
                    members=members, bank_account=f"6222{int(rng.integers(10**11, 10**12))}",
                    idempotency_key=f"demo-{ctx.seed}-{sub.code}-{i}", today=start)
            except Exception:  # a household the rules refuse (e.g. a child alone): skip
                continue
            _advance(services, case, target, start, actor)
            made += 1
    # re-review due list: approved benefits whose review is due soon
    from minsheng.assistance.models import DibaoBenefit

    for n, benefit in enumerate(DibaoBenefit.objects.order_by("pk")):
        if n % 2 == 0:
            DibaoBenefit.objects.filter(pk=benefit.pk).update(
                next_review_due=ctx.today + datetime.timedelta(days=int(rng.integers(-10, 60))))
    # temporary grants and tekun persons
    elders = list(Person.objects.filter(status="living", birth_date__lt=datetime.date(
        1955, 1, 1), membership__isnull=False).order_by("pk")[:20])
    for n, elder in enumerate(elders[:10]):
        try:
            grant = services.temporary_apply(
                actor=actor, kind="emergency", applicant=elder, cause="fire" if n % 2 else
                "illness", amount=1000 + 200 * n, today=ctx.today - datetime.timedelta(days=n),
                idempotency_key=f"demo-tmp-{ctx.seed}-{n}")
            services.temporary_grant_now(actor=actor, grant=grant, today=grant.accepted_on)
        except Exception:
            continue
    for n, elder in enumerate(elders[10:20]):
        try:
            tk = services.tekun_apply(actor=actor, person=elder,
                                        today=ctx.today - datetime.timedelta(days=40 + n))
            day = tk.accepted_on
            for step in ("investigate", "publish_notice"):
                day = day + datetime.timedelta(days=1)
                services.tekun_step(actor=actor, case=tk, name=step, today=day)
            day = tk.notice_end
            services.tekun_step(actor=actor, case=tk, name="send_file", today=day)
            services.tekun_step(actor=actor, case=tk, name="approve",
                                  today=day + datetime.timedelta(days=2))
        except Exception:
            continue
    services.gradual_exits_close(actor=actor, today=ctx.today)
    services.tekun_support_end_check(actor=actor, today=ctx.today)
    ctx.notes.append(f"assistance: {made} dibao cases across every step")


def _advance(services, case, target, start, actor):
    day = start
    order = STEPS.index(target)

    def nxt(n=1):
        nonlocal day
        from minsheng.core import workdays
        day = workdays.add_working_days(day, n)
        return day

    if order >= 1:
        services.dibao_accept(actor=actor, case=case, version=case.version, today=day)
    if order >= 2:
        services.dibao_investigate(actor=actor, case=case, version=case.version,
                                   investigators=["社区工作人员甲", "社区工作人员乙"],
                                   home_visit_note="入户核实家庭情况", today=nxt())
    if order >= 3:
        services.dibao_request_verification(actor=actor, case=case, version=case.version,
                                            today=nxt())
    if order >= 4:
        services.dibao_start_verification(actor=actor, case=case, version=case.version,
                                          today=nxt())
    if order >= 5:
        for finding in case.discrepancies.filter(state__in=["open", "to_confirm"]):
            services.discrepancy_resolve(actor=actor, discrepancy=finding, status="dismissed",
                                         resolution="演示数据")
        services.dibao_first_review(actor=actor, case=case, version=case.version,
                                    opinion="经审核，符合低保条件", today=nxt())
    if order >= 6 and case.eligible:
        services.dibao_publish_notice(actor=actor, case=case, version=case.version,
                                      today=nxt())
    if order >= 7 and case.eligible:
        services.dibao_send_file(actor=actor, case=case, version=case.version,
                                 today=case.notice_end)
        day = case.notice_end
    if order >= 8 and case.eligible:
        services.dibao_decide(actor=actor, case=case, version=case.version, approve=True,
                              today=nxt(2))
