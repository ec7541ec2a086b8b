"""Every read of the eldercare module. Each selector takes the actor first and returns
only what it may see: lists are scoped to the actor's areas, single records outside them
are "not found"; reads of a recipient's bank data are written to the audit log."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum

from minsheng.casework.workflow import timeline
from minsheng.core import audit, dates
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.eldercare import figures as F
from minsheng.eldercare import permissions as P
from minsheng.eldercare.config import setting
from minsheng.eldercare.models import (
    Allowance,
    Bed,
    BedPeriod,
    DeathMatch,
    Institution,
    PaymentLine,
    PaymentList,
    Recovery,
    Stay,
)

# --- institutions, beds and figures ---------------------------------------------------


def institution_list(actor, *, area: Area | None = None):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    qs = scoped(Institution.objects.select_related("organization", "area"), actor, P.VIEW)
    if area is not None:
        qs = qs.filter(Q(area=area) | Q(area__path__startswith=area.path + "/"))
    return qs.order_by("organization__name", "id")


def institution_get(actor, *, pk: int, permission: str = P.VIEW) -> Institution:
    return get_in_scope(Institution.objects.select_related("organization", "area"),
                        as_actor(actor), permission, pk=pk)


def area_get(actor, *, pk: int) -> Area:
    """The area of the figures' filter. Areas are not secret and the institutions shown
    are scoped anyway: an actor of one subdistrict following the district's figure sees
    the institutions of theirs."""
    require(as_actor(actor), P.VIEW)
    area = Area.objects.filter(pk=pk).first()
    if area is None:
        raise NotFound()
    return area


def figures(actor, *, on: datetime.date, area: Area | None = None) -> dict:
    """The figures on `on` for the actor's institutions (in `area`): per institution and
    in total, with residents aged 60+ of the area (the district when none is given)."""
    actor = as_actor(actor)
    institutions = list(institution_list(actor, area=area))
    per = F.by_institution(on, [i.pk for i in institutions])
    total = F.BedFigures()
    rows = []
    for inst in institutions:
        fig = per.get(inst.pk, F.BedFigures())
        total.add(fig)
        rows.append((inst, fig))
    scope = area or Area.objects.filter(parent=None).order_by("id").first()
    total.elders = F.elders_on(on, scope, setting("ELDER_AGE"))
    return {"on": on, "area": scope, "rows": rows, "total": total,
            "goal": setting("NURSING_SHARE_GOAL")}


def figures_by_month(actor, *, months: int, end: datetime.date, area: Area | None = None):
    """Month-end totals for the last `months` months (the last one on `end`), from one
    read of the bed periods and one of the stays."""
    actor = as_actor(actor)
    ids = list(institution_list(actor, area=area).values_list("pk", flat=True))
    month = dates.month_start(end)
    days = [min(dates.month_end(dates.add_months(month, -k)), end)
            for k in range(months - 1, -1, -1)]
    return list(zip(days, F.series(days, ids), strict=True))


def beds_on(actor, *, institution: Institution, on: datetime.date) -> list[Bed]:
    """The institution's beds with their period and occupant on `on` (three queries)."""
    actor = as_actor(actor)
    require(actor, P.VIEW, institution.area)
    periods = BedPeriod.objects.filter(F.covering(on, "valid_from", "valid_to"))
    stays = Stay.objects.filter(F.covering(on, "admitted_on", "discharged_on")).select_related(
        "person")
    beds = list(institution.beds.prefetch_related(
        Prefetch("periods", queryset=periods, to_attr="now"),
        Prefetch("stays", queryset=stays, to_attr="occupants")))
    people = actor.covers(P.VIEW_PEOPLE, institution.area)
    for bed in beds:
        bed.period = bed.now[0] if bed.now else None
        bed.occupant = bed.occupants[0] if bed.occupants else None
        bed.show_occupant = people
    return beds


def bed_get(actor, *, pk: int, permission: str = P.VIEW) -> Bed:
    return get_in_scope(Bed.objects.select_related("institution__organization",
                                                   "institution__area"),
                        as_actor(actor), permission, "institution__area", pk=pk)


def bed_history(actor, *, bed: Bed) -> dict:
    actor = as_actor(actor)
    stays = []
    if actor.covers(P.VIEW_PEOPLE, bed.institution.area):
        stays = list(bed.stays.select_related("person").order_by("-admitted_on"))
    return {"periods": list(bed.periods.order_by("-valid_from")), "stays": stays}


def organizations_to_register(actor):
    """Elderly-care organizations of the registry not registered as institutions yet."""
    actor = as_actor(actor)
    return scoped(Organization.objects.filter(kind=Organization.Kind.ELDERCARE,
                                              eldercare_institution__isnull=True),
                  actor, P.INSTITUTIONS).order_by("name")


def organization_get(actor, *, pk: int) -> Organization:
    return get_in_scope(Organization.objects.filter(kind=Organization.Kind.ELDERCARE),
                        as_actor(actor), P.INSTITUTIONS, pk=pk)


# --- residents ----------------------------------------------------------------------


def person_by_id_number(actor, *, id_number: str, permission: str) -> Person:
    """A person of the registry by resident ID, inside the actor's scope."""
    return get_in_scope(Person.objects.select_related("residence_area"), as_actor(actor),
                        permission, "residence_area", id_number=id_number.strip().upper())


def stay_list(actor, *, institution: Institution | None = None, state: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE)
    qs = scoped(Stay.objects.select_related("person", "bed", "institution__organization"),
                actor, P.VIEW_PEOPLE)
    if institution is not None:
        qs = qs.filter(institution=institution)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-admitted_on", "id")


def stay_get(actor, *, pk: int) -> Stay:
    return get_in_scope(Stay.objects.select_related("person", "bed",
                                                    "institution__organization", "area"),
                        as_actor(actor), P.VIEW_PEOPLE, pk=pk)


def free_beds(actor, *, institution: Institution, on: datetime.date):
    """In-service beds of the institution nobody occupies from `on`."""
    actor = as_actor(actor)
    require(actor, P.VIEW, institution.area)
    taken = Stay.objects.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=on))
    return (institution.beds.filter(periods__in=BedPeriod.objects.filter(
        F.covering(on, "valid_from", "valid_to"), status=BedPeriod.Status.IN_SERVICE))
        .exclude(pk__in=taken.values("bed_id")).order_by("room", "number"))


# --- allowances and payments --------------------------------------------------------------


def allowance_list(actor, *, state: str = "", kind: str = "", q: str = ""):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE)
    qs = scoped(Allowance.objects.select_related("person", "area"), actor, P.VIEW_PEOPLE)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(person__name__startswith=q) | Q(person__id_number=q.upper()))
    return qs.order_by("-applied_on", "-id")


def allowance_counts(actor) -> list[tuple[str, int]]:
    """(state label, count) of the actor's allowances."""
    actor = as_actor(actor)
    rows = dict(scoped(Allowance.objects.all(), actor, P.VIEW_PEOPLE).values("state")
                .order_by().annotate(n=Count("id")).values_list("state", "n"))
    return [(label, rows[state]) for state, label in Allowance.workflow.states.items()
            if state in rows]


def allowance_detail(actor, *, pk: int) -> dict:
    """The allowance with its payments, matches and timeline; the bank account is
    personal data, so the read is audited."""
    actor = as_actor(actor)
    allowance = get_in_scope(Allowance.objects.select_related("person", "area"), actor,
                             P.VIEW_PEOPLE, pk=pk)
    with transaction.atomic():
        audit.record(actor, AuditEntry.Action.READ, obj=allowance,
                     object_repr=f"{allowance.person.name} {allowance.get_kind_display()}",
                     changes={"fields": ["bank_account"]})
    return {"allowance": allowance,
            "lines": list(allowance.lines.select_related("payment_list").order_by("-month")[:24]),
            "lines_total": allowance.lines.count(),
            "matches": list(allowance.matches.select_related("record")),
            "recoveries": list(allowance.recoveries.select_related("line")),
            "timeline": timeline(allowance),
            "moves": Allowance.workflow.allowed(actor, allowance)}


def allowance_get(actor, *, pk: int, permission: str = P.VIEW_PEOPLE) -> Allowance:
    return get_in_scope(Allowance.objects.select_related("person", "area"), as_actor(actor),
                        permission, pk=pk)


def payment_lists(actor):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE)
    return scoped(PaymentList.objects.select_related("area"), actor, P.VIEW_PEOPLE).order_by(
        "-month", "area__code")


def pay_areas(actor):
    """The district and subdistricts where the actor may build payment lists."""
    actor = as_actor(actor)
    return Area.objects.filter(pk__in=actor.area_ids(P.PAY), level__in=(
        "district", "subdistrict")).order_by("path")


def pay_area_get(actor, *, pk: int) -> Area:
    area = pay_areas(actor).filter(pk=pk).first()
    if area is None:
        raise NotFound()
    return area


def payment_list_get(actor, *, pk: int, permission: str = P.VIEW_PEOPLE) -> PaymentList:
    return get_in_scope(PaymentList.objects.select_related("area"), as_actor(actor),
                        permission, pk=pk)


def payment_lines(actor, *, payment_list: PaymentList):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE, payment_list.area)
    return payment_list.lines.select_related("person", "allowance").order_by("id")


def death_matches(actor, *, state: str = "pending"):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE)
    qs = scoped(DeathMatch.objects.select_related("allowance__person", "record"), actor,
                P.VIEW_PEOPLE)
    return qs.filter(state=state) if state else qs


def death_match_get(actor, *, pk: int) -> DeathMatch:
    return get_in_scope(DeathMatch.objects.select_related("allowance__person", "record",
                                                          "area"),
                        as_actor(actor), P.VIEW_PEOPLE, pk=pk)


def recoveries(actor, *, state: str = "open"):
    actor = as_actor(actor)
    require(actor, P.VIEW_PEOPLE)
    qs = scoped(Recovery.objects.select_related("allowance__person", "line"), actor,
                P.VIEW_PEOPLE)
    return qs.filter(state=state) if state else qs


def recovery_get(actor, *, pk: int) -> Recovery:
    return get_in_scope(Recovery.objects.select_related("allowance__person", "line", "area"),
                        as_actor(actor), P.VIEW_PEOPLE, pk=pk)


def paid_after_death(actor) -> dict:
    """Payments for a month after the recipient's death month (the goal is none)."""
    actor = as_actor(actor)
    qs = scoped(PaymentLine.objects.filter(person__status=Person.Status.DECEASED,
                                           month__gt=_death_month()), actor, P.VIEW_PEOPLE,
                "payment_list__area")
    return qs.aggregate(n=Count("id"), amount=Sum("amount"))


def _death_month():
    """SQL: the first day of the month after the person's death date, minus one month."""
    from django.db.models import F as Field
    from django.db.models.functions import TruncMonth

    return TruncMonth(Field("person__status_date"))
