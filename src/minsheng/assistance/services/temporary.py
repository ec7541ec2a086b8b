"""Temporary assistance (LSJZ): emergency grants paid first with the paperwork after,
expenditure grants investigated and approved at the level the amount needs. State
changes go through the TEMPORARY workflow."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.assistance import eligibility
from minsheng.assistance.config import setting
from minsheng.assistance.models import TemporaryGrant
from minsheng.assistance.permissions import APPLY, DECIDE
from minsheng.assistance.services.moves import move, today_or
from minsheng.assistance.services.references import new_reference
from minsheng.casework import workflow
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry, HouseholdMember, Person


def temporary_apply(*, actor, kind: str, applicant: Person, cause: str, amount,
                    description: str = "", per_capita_income=None, override_reason: str = "",
                    idempotency_key: str = "", today=None) -> TemporaryGrant:
    """Register a temporary-assistance case. Emergency grants can then be paid at once
    (help first) with the checks left as open obligations."""
    actor = as_actor(actor)
    today = today_or(today)
    key = idempotency_key.strip()[:64] or None
    if key and (found := TemporaryGrant.objects.filter(idempotency_key=key).first()):
        return found
    membership = HouseholdMember.objects.filter(person=applicant).select_related(
        "household__area").first()
    if membership is None:
        raise ValidationFailed(_("The applicant is not registered in a household"),
                               field="applicant_id_number")
    household = membership.household
    require(actor, APPLY, household.area)
    if kind not in TemporaryGrant.Kind.values:
        raise ValidationFailed(_("Unknown type"), field="kind")
    amount = eligibility.money(amount)
    if amount <= 0:
        raise ValidationFailed(_("The amount must be positive"), field="amount")
    level = eligibility.temporary_limit_level(amount)
    if not cause.strip():
        raise ValidationFailed(_("Give the cause"), field="cause")
    if kind == "expenditure":
        if per_capita_income is None:
            raise ValidationFailed(_("The expenditure type needs the per-capita income"),
                                   field="per_capita_income")
        pci = eligibility.money(per_capita_income)
        if pci < 0:
            raise ValidationFailed(_("Income cannot be negative"), field="per_capita_income")
        if pci >= setting("LAST_YEAR_AVERAGE_MONTHLY_INCOME"):
            raise ValidationFailed(_("Per-capita income is not below last year's local "
                                     "average"), field="per_capita_income")
    year_start = today.replace(month=1, day=1)
    repeat = TemporaryGrant.objects.filter(household=household, cause=cause.strip(),
                                           accepted_on__gte=year_start).exclude(
        state="refused").exists()
    if repeat and not override_reason.strip():
        raise ValidationFailed(_("This household already had a grant for this cause this year;"
                                 " give a reason to override"), field="override_reason")
    obligations = ([str(_("Household economic check")), str(_("Signed application")),
                    str(_("Supporting documents"))] if kind == "emergency" else [])
    try:
        with transaction.atomic():
            grant = TemporaryGrant.objects.create(
                reference=new_reference("LS"), kind=kind, household=household,
                applicant=applicant, area=household.area, state="applied",
                cause=cause.strip()[:40], description=description, amount=amount,
                approval_level=level, per_capita_income=per_capita_income,
                override_reason=override_reason[:300], obligations=obligations,
                accepted_on=today, idempotency_key=key)
            audit.record(actor, AuditEntry.Action.CREATE, obj=grant)
    except IntegrityError:
        return TemporaryGrant.objects.get(idempotency_key=key)
    return grant


def temporary_grant_now(*, actor, grant, version: int | None = None,
                        today=None) -> TemporaryGrant:
    """Help first: an emergency grant within the subdistrict's limit is paid at once, and a
    follow-up tracks the paperwork."""
    from minsheng.casework.services import followup_open

    today = today_or(today)
    if grant.kind != "emergency":
        raise ValidationFailed(_("Only emergency assistance is granted before the checks"))
    if grant.approval_level != "subdistrict":
        raise ValidationFailed(_("Above the subdistrict limit the district must approve"))
    with transaction.atomic():
        move(actor, grant, "grant_emergency", version=version, today=today,
             changes={"decided_on": today})
        followup_open(actor=actor, kind="assistance.help_first", area=grant.area,
                      department=None, title=_("Complete the paperwork of emergency grant "
                                               "%s") % grant.reference,
                      source_type="assistance.temporarygrant", source_id=grant.pk,
                      working_days=setting("TEMPORARY_EMERGENCY_PAPERWORK_WORKING_DAYS"),
                      today=today)
    return grant


def temporary_obligation_done(*, actor, grant, obligation: str,
                              version: int | None = None) -> TemporaryGrant:
    actor = as_actor(actor)
    require(actor, APPLY, grant.area)
    if obligation not in grant.obligations:
        raise ValidationFailed(_("Not an open obligation"), field="obligation")
    with transaction.atomic():
        old = list(grant.obligations)
        save_versioned(grant, version,
                       values={"obligations": [o for o in old if o != obligation]})
        workflow.record_event(grant, actor=actor, note=_("Done: %s") % obligation)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=grant,
                     changes={"obligations": [old, grant.obligations]})
    return grant


def temporary_complete(*, actor, grant, version: int | None = None,
                       today=None) -> TemporaryGrant:
    from minsheng.casework.models import FollowUp
    from minsheng.casework.services import followup_close

    today = today_or(today)
    with transaction.atomic():
        move(actor, grant, "complete", version=version, today=today)
        for item in FollowUp.objects.filter(source_type="assistance.temporarygrant",
                                            source_id=str(grant.pk), state="open"):
            followup_close(actor=actor, followup=item, outcome=_("Paperwork completed"),
                           version=item.version)
    return grant


def temporary_investigate(*, actor, grant, version: int | None = None,
                          today=None) -> TemporaryGrant:
    return move(actor, grant, "investigate", version=version, today=today_or(today))


def temporary_decide(*, actor, grant, approve: bool, note: str = "",
                     version: int | None = None, today=None):
    """Expenditure type, after the investigation: approve at the level the amount needs
    (subdistrict up to its limit, district above)."""
    today = today_or(today)
    if not approve:
        if not note.strip():
            raise ValidationFailed(_("Give the reason"), field="note")
        return move(actor, grant, "refuse", version=version, today=today, note=note,
                    changes={"decided_on": today})
    name = "approve_subdistrict" if grant.approval_level == "subdistrict" else "approve"
    actor = as_actor(actor)
    if name == "approve_subdistrict" and actor.covers(DECIDE, grant.area):
        name = "approve"  # the district may also approve small grants
    return move(actor, grant, name, version=version, today=today, note=note,
                changes={"decided_on": today})
