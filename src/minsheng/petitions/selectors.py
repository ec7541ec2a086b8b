"""Every read of the petitions module, taking the actor first. Lists are scoped to the
actor's areas; a petition outside them is "not found"; opening a petition (its text and
the petitioner's details) is written to the audit log."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from minsheng.casework.workflow import timeline
from minsheng.core import audit
from minsheng.core.access import as_actor, get_in_scope, require, scoped
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import clean_id_number, mask, mask_phone
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.petitions import permissions as P
from minsheng.petitions.clocks import petition_clocks
from minsheng.petitions.models import Petition
from minsheng.petitions.workflows import AGENCY_CLOCK_STATES, OPEN_STATES, PETITION


def petition_list(actor, *, state: str = "", overdue: bool = False,
                  department: Organization | None = None, q: str = "",
                  repeats: bool = False, channel: str = "",
                  today: datetime.date | None = None):
    actor = as_actor(actor)
    require(actor, P.VIEW)
    today = today or timezone.localdate()
    qs = scoped(Petition.objects.all(), actor, P.VIEW).select_related("area", "department")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=AGENCY_CLOCK_STATES, current_due__lt=today)
    if department is not None:
        qs = qs.filter(department=department)
    if channel:
        qs = qs.filter(channel=channel)
    if repeats:
        qs = qs.filter(repeat_of__isnull=False)
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(Q(reference=q.upper()) | Q(subject__icontains=q))
    return qs.order_by("current_due", "-received_on", "-id") if overdue else qs


def petition_counts(actor, *, today: datetime.date | None = None) -> dict:
    """Counts by state and the overdue ones, for the worklist's tabs (one query)."""
    actor = as_actor(actor)
    require(actor, P.VIEW)
    today = today or timezone.localdate()
    qs = scoped(Petition.objects.all(), actor, P.VIEW)
    states = {s: Count("id", filter=Q(state=s)) for s in PETITION.states}
    return qs.aggregate(
        **states, total=Count("id"),
        overdue=Count("id", filter=Q(state__in=AGENCY_CLOCK_STATES, current_due__lt=today)),
        repeats=Count("id", filter=Q(repeat_of__isnull=False)))


def petition_get(actor, *, pk: int) -> Petition:
    """The petition a form acts on (no audit: the page that showed it was audited)."""
    return get_in_scope(Petition.objects.select_related("area", "department"),
                        as_actor(actor), P.VIEW, pk=pk)


def petition_detail(actor, *, pk: int) -> dict:
    """One petition in full, its repeats and earlier petitions on the same matter, and
    its timeline. Reading the petitioner's matter is audited."""
    actor = as_actor(actor)
    petition = get_in_scope(Petition.objects.select_related(
        "area", "department", "repeat_of", "petitioner__residence_area"), actor, P.VIEW, pk=pk)
    audit.record(actor, AuditEntry.Action.READ, obj=petition)
    root = petition.repeat_of_id or petition.pk
    related = list(scoped(Petition.objects.filter(Q(pk=root) | Q(repeat_of_id=root))
                          .exclude(pk=petition.pk), actor, P.VIEW)
                   .order_by("received_on", "id")
                   .only("id", "reference", "received_on", "state", "subject"))
    return {"p": petition, "related": related, "events": timeline(petition),
            "id_masked": mask(petition.petitioner_id_number),
            "phone_masked": mask_phone(petition.petitioner_phone)}


def department_list(actor):
    """Government departments (district-wide) a petition can be transferred to."""
    as_actor(actor)
    return Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")


def department_get(actor, *, pk: int) -> Organization:
    department = department_list(actor).filter(pk=pk).first()
    if department is None:
        raise NotFound()
    return department


def area_choices(actor, permission: str = P.REGISTER):
    """Areas where the actor may register petitions."""
    return Area.objects.filter(id__in=as_actor(actor).area_ids(permission)).order_by("code")


def area_get(actor, *, pk: int, permission: str = P.REGISTER) -> Area:
    area = area_choices(actor, permission).filter(pk=pk).first()
    if area is None:
        raise NotFound()
    return area


def public_areas():
    """Subdistricts and communities a resident can say their matter is in (public)."""
    return Area.objects.filter(level__in=("subdistrict", "community")).order_by("code")


def public_area_get(pk: int) -> Area:
    area = public_areas().filter(pk=pk).first()
    if area is None:
        raise NotFound()
    return area


EXPORT_HEADER = ["编号", "渠道", "类别", "信访人", "身份证号", "区域", "事项", "承办部门",
                 "登记日期", "受理决定期限", "受理日期", "办理期限", "延期(日)", "答复日期",
                 "满意度", "状态", "重复信访"]


def petition_export(actor, qs) -> list[list]:
    """Rows of the xlsx export (IDs masked); the export itself is audited."""
    actor = as_actor(actor)
    require(actor, P.EXPORT)
    rows = []
    for p in qs.select_related("area", "department", "repeat_of"):
        rows.append([p.reference, p.get_channel_display(), p.get_category_display(),
                     p.petitioner_name, mask(p.petitioner_id_number), p.area.name, p.subject,
                     p.department.name if p.department_id else "", p.received_on,
                     p.accept_due, p.accepted_on, p.handle_due, p.extension_days,
                     p.replied_on, p.get_satisfaction_display() if p.satisfaction else "",
                     str(p.state_label), p.repeat_of.reference if p.repeat_of_id else ""])
    audit.record(actor, AuditEntry.Action.EXPORT, object_type="petitions.petition",
                 changes={"rows": len(rows)})
    return rows


def public_status(petition: Petition) -> dict:
    """What the petitioner sees on the portal: their own case's stage, dates and reply —
    never staff names, notes or anyone else's data."""
    return {"reference": petition.reference, "state": petition.state_label,
            "received_on": petition.received_on, "subject": petition.subject,
            "department": petition.department.name if petition.department_id else "",
            "decision_note": petition.decision_note if petition.decided_on else "",
            "reply": petition.reply, "replied_on": petition.replied_on,
            "review_opinion": petition.review_opinion,
            "re_review_opinion": petition.re_review_opinion,
            "satisfaction": petition.get_satisfaction_display() if petition.satisfaction
            else "",
            "can_rate": petition.replied_on is not None and petition.rated_on is None,
            "clocks": petition_clocks(petition)}


def public_petition(*, reference: str, id_number: str) -> Petition:
    """The petition a member of the public may see: their own (reference and ID both
    match); anything else is "not found", whether or not the reference exists."""
    try:
        number = clean_id_number(id_number)
    except ValidationFailed:
        raise NotFound() from None
    petition = (Petition.objects.filter(reference=(reference or "").strip().upper()[:20],
                                        petitioner_id_number=number)
                .select_related("department").first())
    if petition is None:
        raise NotFound()
    return petition
