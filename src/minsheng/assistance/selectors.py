"""Every read in social assistance, scoped to what the actor may see."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.assistance.config import setting
from minsheng.assistance.models import (
    AdlAssessment,
    DibaoBenefit,
    DibaoCase,
    Discrepancy,
    PaymentRoster,
    SpotCheckDraw,
    TekunCase,
    TekunPerson,
    TemporaryGrant,
    VerificationRun,
)
from minsheng.assistance.workflows import DECIDE, DIBAO_OPEN_STATES
from minsheng.core import workdays
from minsheng.core.access import as_actor, get_in_scope, scoped
from minsheng.core.errors import NotFound
from minsheng.core.identifiers import clean_id_number
from minsheng.core.models import Person

VIEW = "assistance.view"


def case_list(actor, *, state: str = "", q: str = "", mine: bool = False, due: str = "",
              today: datetime.date | None = None):
    actor = as_actor(actor)
    qs = scoped(DibaoCase.objects.all(), actor, VIEW).select_related("applicant", "area",
                                                                      "assigned_to")
    if state == "open":
        qs = qs.filter(state__in=DIBAO_OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(reference__iexact=q) | Q(applicant__name__startswith=q))
    if mine and actor.is_authenticated:
        qs = qs.filter(assigned_to=actor.user)
    if due:
        today = today or timezone.localdate()
        open_q = Q(state__in=DIBAO_OPEN_STATES) | Q(decision="refused",
                                                     refusal_notified_on=None)
        qs = qs.filter(open_q, current_due__isnull=False)
        if due == "overdue":
            qs = qs.filter(current_due__lt=today)
        else:
            soon = workdays.add_working_days(today, setting("REMIND_WORKING_DAYS"))
            qs = qs.filter(current_due__gte=today, current_due__lte=soon)
        qs = qs.order_by("current_due", "id")
    return qs


def case_get(actor, *, pk: int) -> DibaoCase:
    actor = as_actor(actor)
    return get_in_scope(DibaoCase.objects.select_related("applicant", "household", "area"),
                        actor, VIEW, pk=pk)


def case_public_status(*, reference: str, id_number: str) -> DibaoCase:
    """The applicant's own view: the reference and the applicant's ID must both match."""
    try:
        number = clean_id_number(id_number)
    except Exception:
        raise NotFound() from None
    case = (DibaoCase.objects.filter(reference=reference.strip().upper(),
                                     applicant__id_number=number).first())
    if case is None:
        raise NotFound()
    return case


def approval_queue(actor):
    actor = as_actor(actor)
    return scoped(DibaoCase.objects.filter(state="file_sent"), actor, DECIDE).select_related(
        "applicant", "area").order_by("current_due", "id")


def verification_runs(actor):
    return scoped(VerificationRun.objects.all(), as_actor(actor), VIEW).select_related(
        "case", "area")


def verification_get(actor, *, pk: int) -> VerificationRun:
    return get_in_scope(VerificationRun.objects.select_related("case"), as_actor(actor), VIEW,
                        pk=pk)


def discrepancies(actor, *, run: VerificationRun | None = None, case: DibaoCase | None = None):
    qs = scoped(Discrepancy.objects.all(), as_actor(actor), VIEW).select_related("person")
    if run is not None:
        qs = qs.filter(run=run)
    if case is not None:
        qs = qs.filter(case=case)
    return qs


def discrepancy_get(actor, *, pk: int) -> Discrepancy:
    return get_in_scope(Discrepancy.objects.select_related("case", "person"), as_actor(actor),
                        VIEW, pk=pk)


def benefit_list(actor, *, status: str = ""):
    qs = scoped(DibaoBenefit.objects.all(), as_actor(actor), VIEW).select_related(
        "household", "payee", "area")
    return qs.filter(status=status) if status else qs


def benefit_get(actor, *, pk: int) -> DibaoBenefit:
    return get_in_scope(DibaoBenefit.objects.select_related("household", "payee"),
                        as_actor(actor), VIEW, pk=pk)


def reviews_due(actor, *, until: datetime.date):
    """Benefits whose re-review falls due by `until` and have no open review case."""
    open_reviews = DibaoCase.objects.filter(kind="review", state__in=DIBAO_OPEN_STATES
                                            ).values("benefit_id")
    return (benefit_list(actor).exclude(status="exited").filter(next_review_due__lte=until)
            .exclude(pk__in=open_reviews).order_by("next_review_due", "id"))


def rosters(actor):
    return scoped(PaymentRoster.objects.all(), as_actor(actor), VIEW).select_related("area")


def roster_get(actor, *, pk: int) -> PaymentRoster:
    return get_in_scope(PaymentRoster.objects.select_related("area"), as_actor(actor), VIEW,
                        pk=pk)


def temporary_list(actor, *, kind: str = "", state: str = "", open_obligations: bool = False):
    qs = scoped(TemporaryGrant.objects.all(), as_actor(actor), VIEW).select_related(
        "applicant", "area")
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(closed_at=None)
    elif state:
        qs = qs.filter(state=state)
    if open_obligations:
        # emergency grants paid first whose paperwork is still open
        qs = qs.filter(state="granted").exclude(obligations=[])
    return qs


def temporary_get(actor, *, pk: int) -> TemporaryGrant:
    return get_in_scope(TemporaryGrant.objects.select_related("applicant", "household", "area"),
                        as_actor(actor), VIEW, pk=pk)


def tekun_cases(actor, *, state: str = ""):
    qs = scoped(TekunCase.objects.all(), as_actor(actor), VIEW).select_related("person",
                                                                                "area")
    if state == "open":
        qs = qs.filter(closed_at=None)
    elif state:
        qs = qs.filter(state=state)
    return qs


def tekun_case_get(actor, *, pk: int) -> TekunCase:
    return get_in_scope(TekunCase.objects.select_related("person", "area"), as_actor(actor),
                        VIEW, pk=pk)


def tekun_persons(actor, *, reassess: bool = False):
    qs = scoped(TekunPerson.objects.all(), as_actor(actor), VIEW).select_related("person",
                                                                                  "area")
    if reassess:
        return qs.filter(status="active", reassess_due__isnull=False).order_by(
            "reassess_due", "id")
    return qs.order_by("-id")


def tekun_person_get(actor, *, pk: int) -> TekunPerson:
    return get_in_scope(TekunPerson.objects.select_related("person", "area", "case"),
                        as_actor(actor), VIEW, pk=pk)


def tekun_person_for_case(case: TekunCase) -> TekunPerson | None:
    """The support record an approved recognition created (the case is already in scope)."""
    return TekunPerson.objects.filter(case=case).first()


def adl_assessments(tekun: TekunPerson):
    return AdlAssessment.objects.filter(tekun=tekun).select_related("assessor").order_by(
        "-assessed_on", "-id")


def person_by_id_number(actor, *, id_number: str) -> Person:
    """A resident in the actor's scope, by resident ID number (404 otherwise)."""
    actor = as_actor(actor)
    number = id_number.strip().upper()
    person = scoped(Person.objects.all(), actor, VIEW, "residence_area").filter(
        id_number=number).select_related("residence_area").first()
    if person is None:
        raise NotFound(_("No resident with this ID number in your area"))
    return person


def spot_checks(actor):
    return scoped(SpotCheckDraw.objects.all(), as_actor(actor), VIEW).select_related(
        "area", "drawn_by").order_by("-drawn_at", "-id")


def spot_check_get(actor, *, pk: int) -> SpotCheckDraw:
    return get_in_scope(SpotCheckDraw.objects.select_related("area", "drawn_by"),
                        as_actor(actor), VIEW, pk=pk)


def spot_check_cases(draw: SpotCheckDraw):
    return TekunCase.objects.filter(pk__in=draw.drawn).select_related("person", "area"
                                                                      ).order_by("pk")


def spot_check_areas(actor):
    """District and subdistricts where the actor may order a spot check."""
    from minsheng.core.models import Area

    actor = as_actor(actor)
    return Area.objects.filter(level__in=("district", "subdistrict"),
                               id__in=actor.area_ids("assistance.manage")).order_by("path")


def area_for(actor, *, code: str):
    from minsheng.core.models import Area

    actor = as_actor(actor)
    area = Area.objects.filter(code=code, id__in=actor.area_ids(VIEW)).first()
    if area is None:
        raise NotFound()
    return area
