"""Every read of the education module. Each selector takes the actor first and returns
only what it may see: roll entries by the school's area, cases and the children behind a
figure by the child's residence; single records outside scope are "not found". Lists of
named children (cases, figures, exports) are written to the audit log."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core import audit
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.education import figures
from minsheng.education import permissions as P
from minsheng.education.config import setting
from minsheng.education.models import (
    AidApplication,
    DropoutCase,
    Enrolment,
    MatchRun,
    School,
)
from minsheng.education.workflows import OPEN_CASE_STATES


def _audit_list(actor, what: str, **changes) -> None:
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, object_type=f"education.{what}",
                     object_id="list", object_repr=what, changes=changes)


# --- schools --------------------------------------------------------------------------------

def school_list(actor, *, stage: str = "", sponsorship: str = "", permission: str = P.VIEW):
    """Schools in scope with their active pupils and the standardisation figures."""
    actor = as_actor(actor)
    require(actor, permission)
    qs = (scoped(School.objects.all(), actor, permission).select_related("organization",
                                                                          "area")
          .annotate(pupils=Count("enrolments", filter=Q(
              enrolments__state__in=Enrolment.ACTIVE))))
    if stage:
        qs = qs.filter(stage=stage)
    if sponsorship:
        qs = qs.filter(sponsorship=sponsorship)
    return qs.order_by("area__path", "stage", "organization__name")


def standards(school: School) -> dict:
    """Students per class and per teacher against the district's thresholds."""
    pupils = getattr(school, "pupils", None)
    if pupils is None:
        pupils = school.enrolments.filter(state__in=Enrolment.ACTIVE).count()
    per_class = round(pupils / school.classes, 1) if school.classes else None
    per_teacher = round(pupils / school.teachers, 1) if school.teachers else None
    max_class = setting("MAX_CLASS_SIZE").get(school.stage)
    max_teacher = setting("MAX_STUDENTS_PER_TEACHER").get(school.stage)
    return {"pupils": pupils, "per_class": per_class, "per_teacher": per_teacher,
            "max_class": max_class, "max_teacher": max_teacher,
            "class_ok": per_class is None or per_class <= max_class,
            "teacher_ok": per_teacher is None or per_teacher <= max_teacher,
            "free": max(0, school.places - pupils) if school.places else None}


def school_get(actor, *, pk: int, permission: str = P.VIEW) -> School:
    return get_in_scope(School.objects.select_related("organization", "area"),
                        as_actor(actor), permission, pk=pk)


def unregistered_organizations(actor):
    """Schools and kindergartens of the core registry not yet on the bureau's register."""
    actor = as_actor(actor)
    return scoped(Organization.objects.filter(kind__in=("school", "kindergarten"),
                                              school_profile__isnull=True),
                  actor, P.SCHOOLS).order_by("name")


def organization_for_register(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind__in=("school", "kindergarten")),
                        as_actor(actor), P.SCHOOLS, pk=pk)


def communities(actor, permission: str = P.SCHOOLS):
    actor = as_actor(actor)
    return Area.objects.filter(level="community",
                               id__in=actor.area_ids(permission)).order_by("path")


def transfer_targets(actor, *, exclude: School):
    return school_list(actor, permission=P.ROLLS).exclude(pk=exclude.pk)


# --- rolls ----------------------------------------------------------------------------------

def enrolment_list(actor, *, school: School | None = None, state: str = "", q: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(Enrolment.objects.all(), actor, P.VIEW).select_related("school__organization")
    if school is not None:
        qs = qs.filter(school=school)
    if state == "active":
        qs = qs.filter(state__in=Enrolment.ACTIVE)
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(name__startswith=q) | Q(id_number=q.upper()))
    return qs.order_by("grade", "class_name", "name", "id")


def enrolment_get(actor, *, pk: int, permission: str = P.VIEW) -> Enrolment:
    enrolment = get_in_scope(Enrolment.objects.select_related("school__organization",
                                                              "person", "transfer_to"),
                             as_actor(actor), permission, pk=pk)
    return enrolment


def enrolment_timeline(actor, enrolment: Enrolment) -> list:
    return timeline(enrolment)


def enrolments_of(actor, person_id: int):
    """A child's roll entries (for a case page), limited to schools in scope."""
    return scoped(Enrolment.objects.filter(person_id=person_id), as_actor(actor), P.VIEW
                  ).select_related("school__organization").order_by("-entry_date", "-id")


# --- dropout control ------------------------------------------------------------------------

def _late_q(today: datetime.date) -> Q:
    return Q(escalated=True) & Q(state__in=OPEN_CASE_STATES[:3])


def case_list(actor, *, state: str = "", late: bool = False, low_income: bool = False,
              origin: str = "", q: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(DropoutCase.objects.all(), actor, P.VIEW).select_related("person", "area")
    if state == "open":
        qs = qs.filter(state__in=OPEN_CASE_STATES)
    elif state:
        qs = qs.filter(state=state)
    if late:
        qs = qs.filter(_late_q(timezone.localdate()))
    if low_income:
        qs = qs.filter(low_income=True)
    if origin:
        qs = qs.filter(origin=origin)
    if q:
        qs = qs.filter(Q(number=q.upper()) | Q(person__name__startswith=q))
    return qs.order_by("-discovered_on", "-id")


def case_get(actor, *, pk: int, permission: str = P.VIEW) -> DropoutCase:
    actor = as_actor(actor)
    case = get_in_scope(DropoutCase.objects.select_related(
        "person", "area", "suggested__school__organization", "returned_to__school__organization",
        "reported_enrolment__school__organization", "match_run"), actor, permission, pk=pk)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=case, changes={"person": case.person_id})
    return case


def case_timeline(actor, case: DropoutCase) -> list:
    return timeline(case)


def case_export(actor, qs) -> list[list]:
    """Rows of the dropout list for xlsx, ID numbers masked; the export is audited."""
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    rows = [[c.number, c.person.name, mask(c.person.id_number),
             c.person.birth_date.isoformat(), c.area.name, str(c.get_origin_display()),
             str(c.get_cause_display()), str(c.state_label), c.discovered_on.isoformat(),
             c.street_officer, c.school_officer, "是" if c.low_income else "",
             c.returned_on.isoformat() if c.returned_on else ""]
            for c in qs.select_related("person", "area")]
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.EXPORT, object_type="education.dropoutcase",
                     object_id="list", object_repr="out-of-school children",
                     changes={"rows": len(rows)})
    return rows


def match_runs(actor):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    return scoped(MatchRun.objects.select_related("area", "run_by"), actor, P.VIEW)


def match_areas(actor):
    actor = as_actor(actor)
    return Area.objects.filter(id__in=actor.area_ids(P.MATCH)).exclude(
        level="community").order_by("path")


def area_by_code(actor, *, code: str, permission: str = P.MATCH) -> Area:
    actor = as_actor(actor)
    area = Area.objects.filter(code=code).first()
    if area is None or not actor.covers(permission, area):
        raise ValidationFailed("unknown area", field="area")
    return area


def home_summary(actor) -> dict:
    actor = as_actor(actor)
    require(actor, P.VIEW)
    cases = scoped(DropoutCase.objects.all(), actor, P.VIEW)
    by_state = dict(cases.values_list("state").annotate(n=Count("id")))
    return {"schools": scoped(School.objects.all(), actor, P.VIEW).count(),
            "pupils": scoped(Enrolment.objects.filter(state__in=Enrolment.ACTIVE), actor,
                             P.VIEW).count(),
            "cases_by_state": by_state,
            "open_cases": sum(by_state.get(s, 0) for s in OPEN_CASE_STATES),
            "late": cases.filter(_late_q(timezone.localdate())).count(),
            "last_run": match_runs(actor).first()}


# --- figures: the children behind an indicator ---------------------------------------------

FIGURES = ("preschool_enrolled", "preschool_age_population", "compulsory_cohort",
           "compulsory_retained", "compulsory_not_retained", "preschool_not_enrolled")


def figure_people(actor, *, figure: str, year: int, area: Area | None = None):
    """The named children counted in one figure for `year` (as of 31 December, as the
    indicator source counts them), in the actor's area: audited as a sensitive read."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    if figure not in FIGURES:
        raise NotFound()
    on = figures.year_end(year)
    if figure == "preschool_enrolled":
        qs = figures.preschool_enrolled(on)
    elif figure == "preschool_age_population":
        qs = figures.preschool_age_population(on)
    elif figure == "preschool_not_enrolled":
        qs = figures.preschool_age_population(on).exclude(
            pk__in=figures.preschool_enrolled(on).values("pk"))
    elif figure == "compulsory_cohort":
        qs = figures.compulsory_cohort(year, on)
    elif figure == "compulsory_retained":
        qs = figures.compulsory_retained(year, on)
    else:
        qs = figures.compulsory_cohort(year, on).exclude(
            pk__in=figures.compulsory_retained(year, on).values("pk"))
    qs = scoped(qs, actor, P.VIEW, "residence_area")
    if area is not None:
        qs = qs.filter(residence_area__path__startswith=area.path)
    _audit_list(actor, "figure", figure=figure, year=year,
                area=area.code if area else "")
    return qs.select_related("residence_area").order_by("residence_area__path", "name", "id")


def figure_areas(actor):
    actor = as_actor(actor)
    return Area.objects.filter(id__in=actor.area_ids(P.VIEW)).order_by("path")


# --- preschool aid --------------------------------------------------------------------------

def aid_list(actor, *, state: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(AidApplication.objects.all(), actor, P.VIEW).select_related(
        "person", "area", "enrolment__school__organization")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-applied_on", "-id")


def aid_get(actor, *, pk: int) -> AidApplication:
    return get_in_scope(AidApplication.objects.select_related(
        "person", "area", "enrolment__school__organization"), as_actor(actor), P.VIEW, pk=pk)


def aid_timeline(actor, application: AidApplication) -> list:
    return timeline(application)


def aid_payment_rows(actor) -> list[list]:
    """The payment list: approved applications, ID numbers masked; audited."""
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    rows = [[a.number, a.person.name, mask(a.person.id_number), a.area.name,
             a.enrolment.school.name, a.school_year, str(a.get_basis_display()),
             str(a.amount), str(a.state_label)]
            for a in aid_list(actor).filter(state__in=("approved", "paid"))]
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.EXPORT, object_type="education.aidapplication",
                     object_id="list", object_repr="preschool aid payment list",
                     changes={"rows": len(rows)})
    return rows


def aid_candidates(actor, *, enrolment_pk: int) -> Enrolment:
    enrolment = enrolment_get(actor, pk=enrolment_pk)
    if enrolment.person_id is None:
        raise NotFound()
    return enrolment
