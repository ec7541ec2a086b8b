"""Dropout control (控辍保学): compare the people registry's compulsory-age children with
the school rolls on the shared linkage engine, open an out-of-school case for every child
not found, and follow each case through its steps on the working-day calendar."""

from __future__ import annotations

import datetime
import time
import uuid

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.casework import services as followups
from minsheng.casework.clocks import DAYS, WORKING_DAYS, Clock
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit, facts
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.dates import add_months
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry, HouseholdMember, Person
from minsheng.education import permissions as P
from minsheng.education.config import setting
from minsheng.education.models import DropoutCase, Enrolment, MatchRun
from minsheng.education.services.common import bureau, text, today_or
from minsheng.education.workflows import OPEN_CASE_STATES

FOLLOWUP_KIND = "education_dropout"
LOW_INCOME_FACTS = ("assistance.dibao_household", "assistance.tekun")


def school_year_start(on: datetime.date) -> int:
    month, day = setting("SCHOOL_YEAR_START")
    return on.year if (on.month, on.day) >= (month, day) else on.year - 1


def compulsory_birth_range(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Children of compulsory-school age in the school year of `on`: six by the cut-off of
    the year it started, and not yet past nine school years (born after the cut-off
    fifteen years earlier)."""
    year = school_year_start(on)
    month, day = setting("SCHOOL_AGE_CUTOFF")
    years = setting("COMPULSORY_YEARS")
    return (datetime.date(year - 6 - years, month, day), datetime.date(year - 6, month, day))


def _children(area: Area, on: datetime.date) -> pd.DataFrame:
    after, until = compulsory_birth_range(on)
    people = (Person.objects.filter(status="living", birth_date__gt=after,
                                    birth_date__lte=until,
                                    residence_area__path__startswith=area.path)
              .values_list("id", "id_number", "name", "birth_date", "sex"))
    frame = pd.DataFrame(list(people), columns=["record_id", "id_number", "name", "birth_date",
                                                "sex"])
    heads = dict(HouseholdMember.objects.filter(person_id__in=frame["record_id"].tolist())
                 .values_list("person_id", "household__head__name")) if len(frame) else {}
    frame["guardian_name"] = (frame["record_id"].map(heads).astype(object)
                             .where(lambda s: s.notna(), ""))
    return frame


def _rolls(on: datetime.date) -> pd.DataFrame:
    """Roll entries in force on `on`, at every stage (a deferred child may still be in a
    kindergarten, a gifted one in senior school)."""
    from minsheng.education.figures import active_on

    in_force = active_on(on)
    if datetime.date(on.year, 6, 1) <= on <= datetime.date(on.year, 9, 30):
        # over the summer a primary-school graduate is on the way to junior school
        in_force |= Q(exit_reason="graduated", grade=6, left_on__year=on.year,
                      left_on__lte=on)
    rows = (Enrolment.objects.filter(in_force)
            .values_list("id", "id_number", "name", "birth_date", "sex", "guardian_name"))
    return pd.DataFrame(list(rows), columns=["record_id", "id_number", "name", "birth_date",
                                             "sex", "guardian_name"])


def _number(case: DropoutCase) -> str:
    return f"KC{case.discovered_on.year}{case.pk:06d}"


def _new_cases(actor, rows: list[dict], today: datetime.date) -> list[DropoutCase]:
    cases = DropoutCase.objects.bulk_create([DropoutCase(
        number=f"T-{uuid.uuid4().hex[:17]}", state="verifying",
        discovered_on=today, step_started_on=today, area=row["person"].residence_area,
        **row) for row in rows])
    if not all(c.pk for c in cases):  # SQLite before 3.35 returns no ids
        cases = list(DropoutCase.objects.filter(number__startswith="T-"))
    for case in cases:
        case.number = _number(case)
        DropoutCase.objects.filter(pk=case.pk).update(number=case.number)
        record_event(case, actor=actor, to_state=case.state, note=_("Case opened"))
    return cases


def _low_income(actor, person_ids: list[int], on: datetime.date) -> set[int]:
    found: set[int] = set()
    for name in LOW_INCOME_FACTS:
        if name in facts.FACTS:
            found |= set(facts.filter_people(actor, Person.objects.filter(pk__in=person_ids),
                                             name, on=on).values_list("id", flat=True))
    return found


def rolls_match(*, actor, area: Area, on: datetime.date | None = None) -> MatchRun:
    """Compare the registry's compulsory-age children living in `area` with every roll in
    force: exact on the resident ID, then probable links (name, pinyin, birth date, sex,
    guardian) for a person to confirm. Every child without an exact link and without an
    open case gets a case: in `verifying`, with the suggested roll entry where there is
    one. Roll entries found by ID but not yet tied to the registry person are tied."""
    from minsheng.linkage import link_people

    actor = as_actor(actor)
    require(actor, P.MATCH, area)
    on = today_or(on)
    began = time.perf_counter()
    children, rolls = _children(area, on), _rolls(on)
    result = link_people(children, rolls, threshold=setting("MATCH_THRESHOLD"))
    exact = result.exact.drop_duplicates("left_id")
    open_people = set(DropoutCase.objects.filter(closed_at__isnull=True,
                                                 person_id__in=children["record_id"].tolist())
                      .values_list("person_id", flat=True))
    probable = {int(r.left_id): r for r in result.probable.itertuples()}
    wanted = [int(i) for i in result.unmatched_left.tolist()] + list(probable)
    wanted = [i for i in wanted if i not in open_people]
    people = Person.objects.select_related("residence_area").in_bulk(wanted)
    low = _low_income(actor, wanted, on) if wanted else set()
    rows = []
    for pid in wanted:
        link = probable.get(pid)
        rows.append({"person": people[pid], "origin": DropoutCase.Origin.REGISTRY,
                     "low_income": pid in low,
                     "suggested_id": int(link.right_id) if link is not None else None,
                     "match_probability": (round(float(link.match_probability), 4)
                                           if link is not None else None),
                     "explanation": str(link.explanation) if link is not None else ""})
    with transaction.atomic():
        untied = {int(r.right_id): int(r.left_id) for r in exact.itertuples()}
        for enrolment_id, person_id in untied.items():
            Enrolment.objects.filter(pk=enrolment_id, person__isnull=True).update(
                person_id=person_id)
        run = MatchRun.objects.create(
            run_by=actor.user if actor.is_authenticated else None, area=area, on=on,
            children=len(children), roll_entries=len(rolls), exact=len(exact),
            probable=len(probable), unmatched=len(result.unmatched_left), opened=len(rows),
            seconds=round(time.perf_counter() - began, 2),
            stats={k: v for k, v in result.stats.items()
                   if isinstance(v, (int, float, str))})
        for row in rows:
            row["match_run"] = run
        _new_cases(actor, rows, on)
        audit.record(actor, AuditEntry.Action.CREATE, obj=run,
                     changes={"opened": run.opened, "exact": run.exact,
                              "probable": run.probable})
    return run


def case_open_reported(*, actor, enrolment: Enrolment, today: datetime.date) -> DropoutCase:
    """A dropout the school reported: the same case flow, starting at the home visit (the
    school has verified), unless the child already has an open case."""
    actor = as_actor(actor)
    require(actor, P.ROLLS, enrolment.area)
    existing = DropoutCase.objects.filter(person_id=enrolment.person_id,
                                          closed_at__isnull=True).first()
    if existing is not None:
        return existing
    low = _low_income(system_actor(), [enrolment.person_id], today)
    with transaction.atomic():
        case = _new_cases(actor, [{"person": enrolment.person, "origin":
                                   DropoutCase.Origin.SCHOOL, "reported_enrolment": enrolment,
                                   "low_income": enrolment.person_id in low,
                                   "school_officer": enrolment.school.name[:60]}], today)[0]
        audit.record(actor, AuditEntry.Action.CREATE, obj=case,
                     changes={"origin": "school", "enrolment": enrolment.pk})
    return case


# -- steps ----------------------------------------------------------------------------------

STEP_LIMITS = {"verifying": ("VERIFY_WORKING_DAYS", WORKING_DAYS),
               "visiting": ("VISIT_WORKING_DAYS", WORKING_DAYS),
               "persuading": ("PERSUADE_WORKING_DAYS", WORKING_DAYS)}


def step_labels() -> dict[str, str]:
    return {"verifying": _("Verify whether the child is at school"),
            "visiting": _("Visit the family"),
            "persuading": _("Persuade the child back to school"),
            "observing": _("Observe after the return")}


def observe_until(case: DropoutCase) -> datetime.date | None:
    return add_months(case.returned_on, setting("OBSERVE_MONTHS")) if case.returned_on \
        else None


def case_clock(case: DropoutCase) -> Clock | None:
    """The current step's time limit."""
    labels = step_labels()
    if case.state == "observing" and case.returned_on:
        until = observe_until(case)
        return Clock(labels["observing"], case.returned_on, until, unit=DAYS,
                     limit=(until - case.returned_on).days)
    if case.state not in STEP_LIMITS:
        return None
    name, unit = STEP_LIMITS[case.state]
    return Clock.after(labels[case.state], case.step_started_on, setting(name), unit)


def case_act(*, actor, case: DropoutCase, action: str, version: int, note: str = "",
             cause: str = "", enrolment: Enrolment | None = None, school_officer: str = "",
             street_officer: str = "", today: datetime.date | None = None) -> DropoutCase:
    """Move a case one step: confirm on a roll, confirm out of school (with the cause and
    the two responsible officers, 双线控辍), record the visit, record the return on a roll
    entry, a relapse, the write-off after observation, or close for a departure."""
    today = today_or(today)
    note = (note or "").strip()[:2000]
    changes: dict = {"step_started_on": today}
    if action == "confirm_out":
        if cause not in DropoutCase.Cause.values:
            raise ValidationFailed(_("Choose why the child is out of school."), field="cause")
        changes.update(cause=cause,
                       school_officer=text(school_officer, "school_officer",
                                           _("School-line officer"), 60),
                       street_officer=text(street_officer, "street_officer",
                                           _("Subdistrict-line officer"), 60))
    if action == "confirm_on_roll" and enrolment is None and case.suggested_id:
        enrolment = case.suggested
    if action in ("confirm_on_roll", "return", "write_off") and enrolment is None:
        enrolment = (Enrolment.objects.filter(person_id=case.person_id,
                                              state__in=Enrolment.ACTIVE).first())
    if action == "return":
        changes.update(returned_on=today, returned_to=enrolment)
    until = observe_until(case)
    data = {"note": note, "today": today.isoformat(),
            "observe_until": until.isoformat() if until else None}
    if cause:
        data["cause"] = cause
    if enrolment is not None:
        data.update(enrolment=enrolment.pk, on_roll=enrolment.active and (
            enrolment.person_id == case.person_id
            or (enrolment.person_id is None and enrolment.pk == case.suggested_id)))
    with transaction.atomic():
        if action == "confirm_on_roll" and data.get("on_roll") and enrolment.person_id is None:
            # the caseworker confirmed the suggested link: tie the roll entry to the child
            Enrolment.objects.filter(pk=enrolment.pk, person__isnull=True).update(
                person_id=case.person_id)
            enrolment.person_id = case.person_id
        transition(actor=actor, case=case, name=action, version=version, note=note,
                   data=data, changes=changes)
    return case


def cases_escalate(*, today: datetime.date | None = None) -> int:
    """Daily sweep: a case whose current step is late opens a follow-up for the education
    bureau (idempotent per case) and is flagged; returns how many were escalated."""
    today = today_or(today)
    actor = system_actor()
    department = bureau()
    count = 0
    for case in (DropoutCase.objects.filter(state__in=OPEN_CASE_STATES[:3], escalated=False)
                 .select_related("person", "area")):
        clock = case_clock(case)
        if clock is None or clock.due >= today:
            continue
        with transaction.atomic():
            followups.followup_open(
                actor=actor, kind=FOLLOWUP_KIND, area=case.area, department=department,
                title=_("Out-of-school case %(n)s is late: %(step)s")
                % {"n": case.number, "step": clock.label},
                source_type="education.dropoutcase", source_id=case.pk, working_days=5,
                today=today)
            DropoutCase.objects.filter(pk=case.pk).update(escalated=True)
            audit.record(actor, AuditEntry.Action.UPDATE, obj=case,
                         changes={"escalated": [False, True], "due": clock.due.isoformat()})
        count += 1
    return count
