"""Demo data: a family-doctor team per community, one medical alliance, a year of contracts
(more of them among the elderly), enrolment extracts of the pension and medical schemes with
planted gaps, referrals in every state and outreach cases. Deterministic for ctx.seed;
contracts and enrolments are bulk-inserted (set-based), the handful of cases go through the
services so their timelines are real."""

from __future__ import annotations

import datetime

import numpy as np
from django.utils import timezone

from minsheng.core import facts
from minsheng.core.access import system_actor
from minsheng.core.dates import add_months
from minsheng.core.identifiers import id_check_digit
from minsheng.core.models import Organization, Person
from minsheng.primarycare import services
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import (
    Alliance,
    Contract,
    Enrolment,
    EnrolmentImport,
    Outreach,
    Team,
)

DOCTORS = "张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def build(ctx) -> None:
    rng = ctx.rng(1701)
    clinics = {o.area_id: o for o in Organization.objects.filter(
        kind="clinic", area__in=ctx.subdistricts).order_by("id")}
    hospitals = list(Organization.objects.filter(kind="hospital",
                                                 area__in=ctx.subdistricts).order_by("id"))
    teams = _teams(ctx, clinics)
    if hospitals and clinics:
        alliance = Alliance.objects.create(name=f"{ctx.district.name}紧密型医联体",
                                           lead=hospitals[0])
        alliance.members.set([*hospitals, *clinics.values()])
    contracts = _contracts(ctx, rng, teams)
    enrolled = _enrolments(ctx, rng)
    referrals = _referrals(ctx, rng, hospitals, clinics) if hospitals and clinics else 0
    outreach = _outreach(ctx, rng)
    ctx.notes.append(f"primarycare: {len(teams)} teams, {contracts} contracts, {enrolled} "
                     f"enrolments, {referrals} referrals, {outreach} outreach cases")


def _teams(ctx, clinics) -> dict[int, Team]:
    rows = []
    for i, community in enumerate(ctx.communities):
        clinic = clinics.get(community.parent_id)
        if clinic is None:
            continue
        rows.append(Team(name=f"{community.name}家庭医生团队", clinic=clinic, area=community,
                         leader=f"{DOCTORS[i % len(DOCTORS)]}医生"))
    Team.objects.bulk_create(rows)
    return {t.area_id: t for t in Team.objects.all()}


def _contracts(ctx, rng, teams) -> int:
    today = ctx.today
    people = list(Person.objects.filter(status=Person.Status.LIVING,
                                        residence_area_id__in=list(teams))
                  .order_by("id").values_list("id", "residence_area_id", "birth_date"))
    if not people:
        return 0
    disabled = set(facts.holder_ids("core.disabled", today).values_list("person_id", flat=True))
    ages = np.array([(today - b).days // 365 for _, _, b in people])
    elderly = ages >= setting("ELDERLY_AGE")
    child = ages <= setting("CHILD_MAX_AGE")
    pid = np.array([p for p, _, _ in people])
    dis = np.isin(pid, list(disabled))
    share = np.where(elderly, 0.78, np.where(child | dis, 0.7, 0.32))
    signed = rng.random(len(people)) < share
    days_ago = rng.integers(0, 365, len(people))
    rows = []
    for k in np.flatnonzero(signed):
        person_id, area_id, _ = people[k]
        start = today - datetime.timedelta(days=int(days_ago[k]))
        groups = (["elderly"] if elderly[k] else []) + (["child"] if child[k] else []) \
            + (["disabled"] if dis[k] else [])
        package = "elderly" if elderly[k] else "maternal" if child[k] else \
            "disability" if dis[k] else "basic"
        previous = Contract(person_id=person_id, team=teams[area_id], area_id=area_id,
                            package=package, start_date=add_months(start, -12),
                            end_date=start - datetime.timedelta(days=1), key_groups=groups,
                            state="renewed", ended_on=start - datetime.timedelta(days=1))
        rows.append(previous)
        rows.append(Contract(person_id=person_id, team=teams[area_id], area_id=area_id,
                             package=package, start_date=start,
                             end_date=add_months(start, 12) - datetime.timedelta(days=1),
                             key_groups=groups))
    Contract.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _valid_other_id(number: str, k: int) -> str:
    """The same number with one digit of the sequence part changed, check digit redone: a
    mistyped ID that still passes the check (the linkage engine's fuzzy case)."""
    body = number[:14] + str((int(number[14]) + 1 + k % 8) % 10) + number[15:17]
    return body + id_check_digit(body)


def _enrolments(ctx, rng) -> int:
    today = ctx.today
    people = list(Person.objects.filter(status=Person.Status.LIVING).order_by("id")
                  .values_list("id", "id_number", "name", "birth_date"))
    if not people:
        return 0
    n = len(people)
    batch = EnrolmentImport.objects.create(file_name="demo-extract.xlsx", as_of=today,
                                           schemes=["pension_employee", "pension_resident",
                                                    "medical_employee", "medical_resident"],
                                           rows=0)
    employee = rng.random(n) < 0.55
    pension = rng.random(n) < 0.93
    medical = rng.random(n) < 0.965
    mistyped = rng.random(n) < 0.004
    years_ago = rng.integers(1, 15, n)
    rows = []
    codes = {"pension_employee": "110", "pension_resident": "170",
             "medical_employee": "310", "medical_resident": "390"}
    for k, (pid, number, name, birth) in enumerate(people):
        start = max(birth + datetime.timedelta(days=16 * 366),
                    today.replace(month=1, day=1) - datetime.timedelta(days=365 * int(
                        years_ago[k])))
        if start > today:
            start = birth  # children: resident medical insurance from birth
        for covered, scheme in ((pension[k], "pension_employee" if employee[k]
                                 else "pension_resident"),
                                (medical[k], "medical_employee" if employee[k]
                                 else "medical_resident")):
            if not covered:
                continue
            if mistyped[k] and scheme.startswith("pension"):
                rows.append(Enrolment(batch=batch, line=len(rows) + 2, scheme=scheme,
                                      scheme_code=codes[scheme],
                                      id_number=_valid_other_id(number, k), name=name,
                                      start_date=start, candidate_id=pid, match="probable",
                                      match_weight=round(float(rng.uniform(8, 16)), 1)))
                continue
            rows.append(Enrolment(batch=batch, line=len(rows) + 2, scheme=scheme,
                                  scheme_code=codes[scheme], id_number=number, name=name,
                                  start_date=start, person_id=pid, match="exact"))
    Enrolment.objects.bulk_create(rows, batch_size=5000)
    EnrolmentImport.objects.filter(pk=batch.pk).update(
        rows=len(rows), exact=sum(r.match == "exact" for r in rows),
        probable=sum(r.match == "probable" for r in rows))
    return len(rows)


def _referrals(ctx, rng, hospitals, clinics) -> int:
    actor = system_actor()
    people = list(Person.objects.filter(status=Person.Status.LIVING,
                                        residence_area__parent__in=list(clinics))
                  .order_by("id")[:400])
    if not people:
        return 0
    picks = rng.choice(len(people), size=min(24, len(people)), replace=False)
    now = timezone.now()
    n = 0
    for i, k in enumerate(picks):
        person = people[int(k)]
        clinic = clinics[person.residence_area.parent_id]
        hospital = hospitals[i % len(hospitals)]
        up = i % 3 != 2
        referral = services.referral_send(
            actor=actor, person=person, from_facility=clinic if up else hospital,
            to_facility=hospital if up else clinic, direction="up" if up else "down",
            urgency="urgent" if i % 4 == 0 else "routine",
            reason="血压控制不佳，需专科评估" if up else "出院后社区康复随访")
        n += 1
        stage = i % 6
        if stage == 0:
            continue  # still waiting, within its limit
        if stage == 1:  # sent days ago and never acknowledged: escalated by the sweep
            type(referral).objects.filter(pk=referral.pk).update(
                sent_at=now - datetime.timedelta(days=4))
            continue
        services.referral_acknowledge(actor=actor, referral=referral, version=referral.version)
        if stage >= 3:
            services.referral_complete(actor=actor, referral=referral, version=referral.version,
                                       outcome="已完成专科诊治" if up else "已建立随访计划")
    services.referrals_escalate(now=now)
    return n


def _outreach(ctx, rng) -> int:
    from minsheng.primarycare.selectors import uninsured

    actor = system_actor()
    found = list(uninsured(actor)[:30])
    for i, person in enumerate(found):
        missing = "both" if not person.has_pension and not person.has_medical else \
            "pension" if not person.has_pension else "medical"
        case = services.outreach_open(actor=actor, person=person, missing=missing)
        if i % 3 == 1:
            services.outreach_contact(actor=actor, case=case, version=case.version,
                                      note="电话联系，已告知参保政策")
        elif i % 3 == 2 and i < 12:
            services.outreach_enrol(actor=actor, case=case, version=case.version,
                                    scheme="medical_resident", start_date=ctx.today)
    return Outreach.objects.count()
