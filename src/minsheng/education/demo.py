"""Demo data for education, deterministic for ctx.seed: the register of schools (public
and inclusive kindergartens, primary and junior secondary schools), rolls with history
back to the 2012 intake (kindergarten, primary, junior; transfers, suspensions, dropouts,
deaths and departures), a few roll entries with a mistyped ID or name, two registry
comparisons, and out-of-school cases at every step; preschool aid for low-income
families."""

from __future__ import annotations

import datetime

from minsheng.core.identifiers import id_check_digit
from minsheng.core.models import Organization, Person
from minsheng.core.services import organization_create
from minsheng.education.models import DropoutCase, Enrolment, School
from minsheng.education.services import aid, dropout, rolls, schools

FIRST_INTAKE = 2012  # the oldest grade-1 cohort on the demo's rolls
HOMOPHONES = {"伟": "玮", "丽": "莉", "静": "婧", "军": "君", "敏": "民", "杰": "捷",
              "强": "蔷", "磊": "垒", "洋": "阳", "艳": "燕", "勇": "永", "娟": "鹃"}


def _sept(year: int) -> datetime.date:
    return datetime.date(year, 9, 1)


def _june(year: int) -> datetime.date:
    return datetime.date(year, 6, 30)


def _register(ctx) -> dict[int, dict[str, School]]:
    """School profiles for the registry's schools, one inclusive kindergarten more in every
    other subdistrict; catchment = the subdistrict's communities."""
    by_sub: dict[int, dict[str, School]] = {}
    communities: dict[int, list] = {}
    for c in ctx.communities:
        communities.setdefault(c.parent_id, []).append(c)
    for index, sub in enumerate(ctx.subdistricts):
        orgs = list(Organization.objects.filter(area=sub, kind__in=("school", "kindergarten"))
                    .order_by("id"))
        if index % 2 == 0:
            orgs.append(organization_create(actor=ctx.actor, name=f"{sub.name[:2]}阳光幼儿园",
                                            kind="kindergarten", area=sub,
                                            industry_code="P8310"))
        entry: dict[str, School] = {}
        for org in orgs:
            if org.kind == "kindergarten":
                key = "kg_public" if "kg_public" not in entry else "kg_inclusive"
                stage, sponsor = "kindergarten", ("public" if key == "kg_public"
                                                  else "inclusive")
            else:
                key = stage = "junior" if org.name.endswith("中学") else "primary"
                sponsor = "public"
            entry[key] = schools.school_register(
                actor=ctx.actor, organization=org, catchment=communities.get(sub.id, []),
                stage=stage, sponsorship=sponsor, places=0, classes=0, teachers=0,
                qualified_teachers=0)
        by_sub[sub.id] = entry
    return by_sub


def _mistype(number: str, rng) -> str:
    """A valid ID one sequence digit away (the check digit recomputed): not the child's."""
    body = list(number[:17])
    pos = 14 + int(rng.integers(0, 2))
    body[pos] = str((int(body[pos]) + 1 + int(rng.integers(0, 8))) % 10)
    first17 = "".join(body)
    return first17 + id_check_digit(first17)


def _variant(name: str) -> str:
    for plain, homophone in HOMOPHONES.items():
        if plain in name[1:]:
            return name[0] + name[1:].replace(plain, homophone, 1)
    return name[:-1] + "玮" if len(name) > 2 else name


def _rolls(ctx, by_sub) -> list[int]:
    """Roll entries for every registry child of the cohorts since FIRST_INTAKE; returns the
    ids of living children left off the current rolls (the out-of-school truth)."""
    rng = ctx.rng(1313)
    today = ctx.today
    year_now = dropout.school_year_start(today)
    first_birth = datetime.date(FIRST_INTAKE - 7, 9, 1)
    people = list(Person.objects.filter(birth_date__gte=first_birth,
                                        birth_date__lte=today - datetime.timedelta(days=3 * 365))
                  .select_related("residence_area", "membership__household__head")
                  .order_by("id"))
    rows: list[Enrolment] = []
    missing: list[int] = []
    for p in people:
        sub = p.residence_area.parent_id
        sch = by_sub.get(sub)
        if not sch:
            continue
        k = p.birth_date.year + (3 if (p.birth_date.month, p.birth_date.day) <= (8, 31) else 4)
        g1 = k + 3
        ended = p.status_date if p.status != "living" else None
        reason = {"deceased": "deceased", "moved_out": "moved_away"}.get(p.status, "")
        member = getattr(p, "membership", None)
        guardian = member.household.head.name if member and member.household.head_id \
            and member.household.head_id != p.pk else ""
        base = {"person": p, "id_number": p.id_number, "name": p.name,
                "birth_date": p.birth_date, "sex": p.sex, "guardian_name": guardian}
        stays = []
        # kindergarten, 3 years; attendance rises from 86% to 95% over the decade
        if k + 3 >= 2019 and _sept(k) <= today and rng.random() < 0.86 + 0.009 * (k - 2016):
            kg = sch.get("kg_inclusive") if "kg_inclusive" in sch and rng.random() < 0.35 \
                else sch["kg_public"]
            stays.append((kg, _sept(k), _june(k + 3), min(3, year_now - k + 1), k, 3))
        if g1 >= FIRST_INTAKE and _sept(g1) <= today:
            stays.append((sch["primary"], _sept(g1), _june(g1 + 6), min(6, year_now - g1 + 1),
                          g1, 6))
            if _sept(g1 + 6) <= today:
                stays.append((sch["junior"], _sept(g1 + 6), _june(g1 + 9),
                              min(9, year_now - g1 + 1), g1, 9))
        compulsory_now = g1 <= year_now < g1 + 9
        # ~0.6% of a compulsory cohort drop out, during their last compulsory stay
        compulsory = [s for s in stays if s[0].stage != "kindergarten"]
        drop_in = compulsory[-1][0] if compulsory and rng.random() < 0.006 else None
        # ~1% of today's pupils are simply missing from every roll (never transferred in)
        if compulsory_now and ended is None and drop_in is None and rng.random() < 0.01:
            missing.append(p.pk)
            stays = [s for s in stays if s[0].stage == "kindergarten"]
        for school, entry, graduate_on, grade, intake, final in stays:
            if ended is not None and ended < entry:
                break
            left, why = None, ""
            if graduate_on <= today:
                left, why, grade = graduate_on, "graduated", final
            if ended is not None and (left is None or ended < left):
                left, why = ended, reason
            if school is drop_in:
                gone = entry + datetime.timedelta(days=int(rng.integers(30, 300)))
                if gone <= (left or today):
                    left, why = gone, "dropped_out"
                    grade = min(final, grade)
                    if ended is None and compulsory_now:
                        missing.append(p.pk)
            rows.append(Enrolment(school=school, area=school.area, grade=grade,
                                  class_name=f"{grade}年级{int(rng.integers(1, 5))}班",
                                  intake_year=intake, entry_date=entry, left_on=left,
                                  exit_reason=why, state=why or "enrolled", **base))
            if why and why != "graduated":
                break
    # planted recording errors on today's rolls: a mistyped ID (1%), with a homophone
    # name for a third of them; the registry person is then unknown to the roll
    for e in rows:
        if e.state == "enrolled" and e.school.stage != "kindergarten" and rng.random() < 0.01:
            e.id_number = _mistype(e.id_number, rng)
            e.person = None
            if rng.random() < 0.35:
                e.name = _variant(e.name)
    seen: set[str] = set()
    rows = [e for e in rows if e.state != "enrolled" or not (e.id_number in seen
                                                             or seen.add(e.id_number))]
    Enrolment.objects.bulk_create(rows, batch_size=2000)
    for school in {e.school for e in rows}:
        active = sum(1 for e in rows if e.school_id == school.pk and e.state == "enrolled")
        size = 30 if school.stage == "kindergarten" else 42
        classes = max(1, -(-active // size))
        teachers = max(2, round(active / (12 if school.stage == "kindergarten" else 14)))
        schools.school_update(actor=ctx.actor, school=school, version=school.version,
                              places=active + max(20, active // 10), classes=classes,
                              teachers=teachers, qualified_teachers=teachers - teachers // 20)
    return missing


def _walk(ctx, rng, cases: list[DropoutCase], start: datetime.date) -> None:
    """Take the first run's cases through the steps, leaving some at each."""
    a = ctx.actor
    for i, case in enumerate(cases):
        day = start
        if case.suggested_id:
            dropout.case_act(actor=a, case=case, action="confirm_on_roll", version=case.version,
                             note="学籍核对：同一人，身份证号录入有误", today=day + _d(2))
            continue
        stage = i % 6
        if stage == 0:
            continue  # still being verified (late)
        cause = ["economic", "truancy", "work", "family", "disability"][i % 5]
        dropout.case_act(actor=a, case=case, action="confirm_out", version=case.version,
                         cause=cause, school_officer="王校长", street_officer="李社工",
                         today=day + _d(3))
        if stage == 1:
            continue
        dropout.case_act(actor=a, case=case, action="visit", version=case.version,
                         note="入户走访，家长同意配合劝返", today=day + _d(8))
        if stage == 2:
            continue
        school = School.objects.filter(area=case.person.residence_area.parent,
                                       stage="junior" if _age(case.person, day) >= 12
                                       else "primary").first()
        if school is None:
            continue
        grade = max(1, min(9, _age(case.person, day) - 5))
        grade = min(max(grade, 7), 9) if school.stage == "junior" else min(grade, 6)
        rolls.enrolment_create(actor=a, school=school, id_number=case.person.id_number,
                               name=case.person.name, grade=grade,
                               intake_year=dropout.school_year_start(day) - grade + 1,
                               entry_date=day + _d(15), today=day + _d(15))
        dropout.case_act(actor=a, case=case, action="return", version=case.version,
                         note="已返校就读", today=day + _d(15))
        if stage == 3:
            continue
        dropout.case_act(actor=a, case=case, action="write_off", version=case.version,
                         note="观察期满，在校正常就读", today=day + _d(200))


def _d(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days)


def _age(person, on: datetime.date) -> int:
    b = person.birth_date
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _aid(ctx) -> int:
    """Applications for kindergarten children of dibao / tekun / disabled families."""
    from minsheng.core import facts

    made = 0
    kids = Enrolment.objects.filter(state="enrolled", school__stage="kindergarten",
                                    person__isnull=False).select_related("school", "person")
    holders = set()
    for name in ("assistance.dibao_household", "assistance.tekun", "core.disabled"):
        if name in facts.FACTS:
            holders |= set(facts.holder_ids(name, ctx.today).values_list("person_id",
                                                                         flat=True))
    for i, enrolment in enumerate(k for k in kids if k.person_id in holders):
        application = aid.aid_apply(actor=ctx.actor, enrolment=enrolment, today=ctx.today)
        made += 1
        if i % 3 == 0:
            continue
        aid.aid_decide(actor=ctx.actor, application=application, action="approve",
                       version=application.version, today=ctx.today)
        if i % 3 == 2:
            aid.aid_decide(actor=ctx.actor, application=application, action="pay",
                           version=application.version, today=ctx.today)
    return made


def build(ctx) -> None:
    rng = ctx.rng(1301)
    by_sub = _register(ctx)
    missing = _rolls(ctx, by_sub)
    first_on = ctx.today - _d(220)  # in the spring term
    first = dropout.rolls_match(actor=ctx.actor, area=ctx.district, on=first_on)
    _walk(ctx, rng, list(first.cases.order_by("id").select_related("person__residence_area")),
          first_on)
    second = dropout.rolls_match(actor=ctx.actor, area=ctx.district, on=ctx.today)
    late = dropout.cases_escalate(today=ctx.today)
    aids = _aid(ctx)
    ctx.notes.append(
        f"education: {School.objects.count()} schools, {Enrolment.objects.count()} roll "
        f"entries, {len(missing)} children planted off the rolls; registry comparisons "
        f"opened {first.opened} + {second.opened} case(s) ({late} late); "
        f"{aids} aid application(s)")
