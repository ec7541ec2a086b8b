"""Family-doctor teams, medical alliances and yearly contracts."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.workflow import transition
from minsheng.core import audit, facts
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.dates import add_months
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization, Person
from minsheng.primarycare.config import setting
from minsheng.primarycare.models import Alliance, Contract, Team
from minsheng.primarycare.permissions import ALLIANCE, CONTRACT

FACILITY_KINDS = (Organization.Kind.CLINIC, Organization.Kind.HOSPITAL)
# key groups the doctor declares at signing (the platform has no register of them yet)
DECLARED_GROUPS = ("pregnant", "hypertension", "diabetes", "tuberculosis", "mental")


def alliance_create(*, actor, name: str, lead: Organization,
                    members: list[Organization]) -> Alliance:
    actor = as_actor(actor)
    require(actor, ALLIANCE, lead.area)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the alliance a name"), field="name")
    if lead.kind != Organization.Kind.HOSPITAL:
        raise ValidationFailed(_("The lead of an alliance is a hospital"), field="lead")
    wrong = [m.name for m in members if m.kind not in FACILITY_KINDS]
    if wrong:
        raise ValidationFailed(_("Not a health facility: %s") % "、".join(wrong),
                               field="members")
    if Alliance.objects.filter(name=name).exists():
        raise ValidationFailed(_("An alliance with this name exists"), field="name")
    with transaction.atomic():
        alliance = Alliance.objects.create(name=name, lead=lead)
        alliance.members.set({lead, *members})
        audit.record(actor, AuditEntry.Action.CREATE, obj=alliance,
                     changes={"members": [None, sorted(m.name for m in {lead, *members})]})
    return alliance


def team_create(*, actor, name: str, clinic: Organization, area: Area, leader: str) -> Team:
    actor = as_actor(actor)
    require(actor, CONTRACT, area)
    name, leader = (name or "").strip(), (leader or "").strip()
    if not name:
        raise ValidationFailed(_("Give the team a name"), field="name")
    if not leader:
        raise ValidationFailed(_("Name the lead doctor"), field="leader")
    if clinic.kind != Organization.Kind.CLINIC:
        raise ValidationFailed(_("A family-doctor team belongs to a community health centre"),
                               field="clinic")
    if area.level != Area.Level.COMMUNITY:
        raise ValidationFailed(_("A team serves a community"), field="area")
    if Team.objects.filter(clinic=clinic, name=name).exists():
        raise ValidationFailed(_("This centre already has a team with this name"),
                               field="name")
    with transaction.atomic():
        team = Team.objects.create(name=name, clinic=clinic, area=area, leader=leader)
        audit.record(actor, AuditEntry.Action.CREATE, obj=team)
    return team


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def key_groups_of(actor, person: Person, on: datetime.date,
                  declared: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The key groups a resident belongs to on a date: age from the registry, disability
    and low income from the facts registry (a scoped, audited read), the rest as the
    doctor declared them."""
    groups = set(g for g in declared if g in DECLARED_GROUPS)
    age = _age(person.birth_date, on)
    if age >= setting("ELDERLY_AGE"):
        groups.add("elderly")
    if age <= setting("CHILD_MAX_AGE"):
        groups.add("child")
    wanted = {g: f for g, f in setting("KEY_GROUP_FACTS").items() if f in facts.FACTS}
    if wanted:
        values = facts.of(actor, person, list(wanted.values()), on=on)
        groups.update(g for g, f in wanted.items() if values[f].holds)
    return sorted(groups)


def contract_sign(*, actor, person: Person, team: Team, package: str,
                  start_date: datetime.date | None = None,
                  declared_groups: list[str] | tuple[str, ...] = ()) -> Contract:
    """Sign a resident with a team for a year. A resident has one active contract: a
    second is refused here, and the partial unique index refuses it if two are signed at
    the same moment."""
    actor = as_actor(actor)
    require(actor, CONTRACT, person.residence_area)
    start = start_date or timezone.localdate()
    if package not in Contract.Package.values:
        raise ValidationFailed(_("Unknown service package"), field="package")
    if person.status != Person.Status.LIVING:
        raise ValidationFailed(_("Only a living resident can sign a contract"),
                               field="id_number")
    if not team.active:
        raise ValidationFailed(_("This team no longer takes contracts"), field="team")
    unknown = set(declared_groups) - set(DECLARED_GROUPS)
    if unknown:
        raise ValidationFailed(_("Unknown key group"), field="declared_groups")
    if Contract.objects.filter(person=person, state="active").exists():
        raise Conflict(_("This resident already has an active contract"),
                       details={"field": "id_number"})
    groups = key_groups_of(actor, person, start, declared_groups)
    end = add_months(start, setting("CONTRACT_MONTHS")) - datetime.timedelta(days=1)
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                person=person, team=team, area=person.residence_area, package=package,
                start_date=start, end_date=end, key_groups=groups)
            audit.record(actor, AuditEntry.Action.CREATE, obj=contract,
                         changes={"team": [None, team.name], "key_groups": [None, groups]})
    except IntegrityError:
        raise Conflict(_("This resident already has an active contract"),
                       details={"field": "id_number"}) from None
    return contract


def contract_renew(*, actor, contract: Contract, version: int, package: str | None = None,
                   declared_groups: list[str] | tuple[str, ...] | None = None) -> Contract:
    """Renew for the next year with the same team: the old contract becomes "renewed" and
    the new one starts the day after it ends (or today, if it already expired)."""
    actor = as_actor(actor)
    package = package or contract.package
    if package not in Contract.Package.values:
        raise ValidationFailed(_("Unknown service package"), field="package")
    today = timezone.localdate()
    start = max(contract.end_date + datetime.timedelta(days=1), today) \
        if contract.state == "expired" else contract.end_date + datetime.timedelta(days=1)
    declared = [g for g in contract.key_groups if g in DECLARED_GROUPS] \
        if declared_groups is None else list(declared_groups)
    groups = key_groups_of(actor, contract.person, start, declared)
    end = add_months(start, setting("CONTRACT_MONTHS")) - datetime.timedelta(days=1)
    with transaction.atomic():
        transition(actor=actor, case=contract, name="renew", version=version,
                   changes={"ended_on": contract.end_date})
        try:
            with transaction.atomic():
                renewal = Contract.objects.create(
                    person=contract.person, team=contract.team, area=contract.area,
                    package=package, start_date=start, end_date=end, key_groups=groups,
                    renewed_from=contract)
        except IntegrityError:
            raise Conflict(_("This resident already has an active contract"),
                           details={"field": "id_number"}) from None
        audit.record(actor, AuditEntry.Action.CREATE, obj=renewal,
                     changes={"renewed_from": [None, contract.pk]})
    return renewal


def contract_terminate(*, actor, contract: Contract, version: int, reason: str,
                       on: datetime.date | None = None) -> Contract:
    on = on or timezone.localdate()
    if on > contract.end_date:
        raise ValidationFailed(_("The contract has ended by then"), field="on")
    return transition(actor=actor, case=contract, name="terminate", version=version,
                      note=(reason or "").strip(), data={"reason": reason or ""},
                      changes={"ended_on": on})


def contracts_expire(*, today: datetime.date | None = None) -> int:
    """The daily sweep: active contracts past their end become expired (the platform's
    rule, so the platform is the actor; each through the workflow)."""
    today = today or timezone.localdate()
    actor = system_actor()
    n = 0
    for contract in Contract.objects.filter(state="active", end_date__lt=today).select_related(
            "area").iterator(chunk_size=500):
        transition(actor=actor, case=contract, name="expire",
                   changes={"ended_on": contract.end_date})
        n += 1
    return n
