"""Every write to the core registry. Each function checks permission, validates, writes
and audits in one transaction.

The package: this module (areas, people, households, organizations, users, API tokens,
the working-day calendar), `disabilities` (the disability certificate register, re-exported
here) and `imports` (the audited all-or-nothing imports of registry files)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit, identifiers, workdays
from minsheng.core.access import Actor, as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import Conflict, ValidationFailed
from minsheng.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    CalendarYear,
    Household,
    HouseholdMember,
    Organization,
    Person,
    RoleAssignment,
    User,
    WorkingDayOverride,
)

PERSON_EDITABLE = ["name", "phone", "residence_area", "hukou_area", "address", "status",
                   "status_date"]
ORGANIZATION_EDITABLE = ["name", "kind", "uscc", "area", "address", "industry_code"]
TEXT_LIMITS = {"name": 60, "address": 300}
ORGANIZATION_TEXT_LIMITS = {"name": 200, "address": 300}


def check_length(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s is too long (%(length)s characters, at most %(limit)s)")
            % {"field": field, "length": len(value), "limit": limit}, field=field)
    return value


def person_facts(id_number: str, birth_date: datetime.date | None = None,
                 sex: str | None = None) -> tuple[str, datetime.date, str]:
    """Validate an ID and cross-check a given birth date and sex against it."""
    number = identifiers.clean_id_number(id_number)
    id_birth, id_sex = identifiers.facts_from_id(number)
    if birth_date and birth_date != id_birth:
        raise ValidationFailed(
            _("Birth date %(given)s disagrees with the ID number (%(id_birth)s)")
            % {"given": birth_date, "id_birth": id_birth}, field="birth_date")
    if sex and sex != id_sex:
        raise ValidationFailed(_("Sex disagrees with the ID number"), field="sex")
    if id_birth > datetime.date.today():
        raise ValidationFailed(_("ID number has a birth date in the future"), field="id_number")
    return number, id_birth, id_sex


def area_create(*, actor, code: str, name: str, parent: Area | None) -> Area:
    actor = as_actor(actor)
    require(actor, "core.change_registry", parent)
    if not identifiers.AREA_CODE.match(code or ""):
        raise ValidationFailed(_("Area code must be 6, 9 or 12 digits"), field="code")
    level = {6: Area.Level.DISTRICT, 9: Area.Level.SUBDISTRICT, 12: Area.Level.COMMUNITY}[
        len(code)]
    if parent is None and level != Area.Level.DISTRICT:
        raise ValidationFailed(_("Only a district can be a root area"), field="parent")
    if parent is not None and not code.startswith(parent.code):
        raise ValidationFailed(_("An area code must extend its parent's code"), field="code")
    name = check_length("name", name, 100)
    if not name:
        raise ValidationFailed(_("Name is required"), field="name")
    try:
        with transaction.atomic():
            # Area.save() sets the path from the parent (the one place that rule lives)
            area = Area.objects.create(code=code, name=name, level=level, parent=parent)
            audit.record(actor, AuditEntry.Action.CREATE, obj=area,
                         changes={"code": [None, code], "name": [None, name]})
    except IntegrityError:
        raise Conflict(_("An area with this code already exists"), field="code") from None
    return area


def person_create(*, actor, id_number: str, name: str, residence_area: Area,
                  phone: str = "", hukou_area: Area | None = None, address: str = "",
                  birth_date: datetime.date | None = None, sex: str | None = None) -> Person:
    actor = as_actor(actor)
    require(actor, "core.change_registry", residence_area)
    number, birth, sex = person_facts(id_number, birth_date, sex)
    person = Person(id_number=number, name=check_length("name", name, 60), sex=sex,
                    birth_date=birth, phone=identifiers.clean_phone(phone),
                    residence_area=residence_area, hukou_area=hukou_area,
                    address=check_length("address", address, 300))
    if not person.name:
        raise ValidationFailed(_("Name is required"), field="name")
    try:
        with transaction.atomic():
            person.save()
            audit.record(actor, AuditEntry.Action.CREATE, obj=person,
                         changes={"name": [None, person.name],
                                  "residence_area": [None, residence_area.pk]})
    except IntegrityError:
        raise Conflict(_("A person with this ID number is already registered"),
                       field="id_number") from None
    return person


def person_update(*, actor, person: Person, version: int, **changes) -> Person:
    actor = as_actor(actor)
    require(actor, "core.change_registry", person.residence_area)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "residence_area" in changes:
        require(actor, "core.change_registry", changes["residence_area"])
    if "phone" in changes:
        changes["phone"] = identifiers.clean_phone(changes["phone"])
    for field, limit in TEXT_LIMITS.items():
        if field in changes:
            changes[field] = check_length(field, changes[field], limit)
    if "status" in changes and changes["status"] not in Person.Status.values:
        raise ValidationFailed(_("Unknown status"), field="status")
    changed = audit.diff(audit.snapshot(person, changes), changes)
    if not changed:  # saving what is already there changes nothing, not even the version
        return person
    changes = {field: changes[field] for field in changed}
    with transaction.atomic():
        save_versioned(person, version, values=changes)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=person, changes=changed)
    return person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """Show an unmasked personal number; needs a permission and is always audited."""
    actor = as_actor(actor)
    require(actor, "core.reveal_personal", person.residence_area)
    if field not in {"id_number", "phone"}:
        raise ValidationFailed(_("This field cannot be revealed"), field="field")
    audit.record(actor, AuditEntry.Action.REVEAL, obj=person, changes={"field": field})
    return getattr(person, field)


def household_create(*, actor, number: str, area: Area, address: str = "",
                     members: list[tuple[Person, str]]) -> Household:
    actor = as_actor(actor)
    require(actor, "core.change_registry", area)
    number = check_length("number", number, 30)
    if not number:
        raise ValidationFailed(_("Household number is required"), field="number")
    people = [p for p, _rel in members]
    if len(set(people)) != len(people):
        raise ValidationFailed(_("A person is listed twice"), field="members")
    for person, _rel in members:
        require(actor, "core.change_registry", person.residence_area)
    heads = [p for p, rel in members if rel == HouseholdMember.Relationship.HEAD]
    if len(heads) != 1:
        raise ValidationFailed(_("A household needs exactly one head"), field="members")
    for _person, rel in members:
        if rel not in HouseholdMember.Relationship.values:
            raise ValidationFailed(_("Unknown relationship: %s") % rel, field="members")
    taken = HouseholdMember.objects.filter(person__in=[p for p, _ in members]).select_related(
        "person", "household")
    if taken:
        m = taken[0]
        raise Conflict(_("%(name)s already belongs to household %(number)s")
                       % {"name": m.person.name, "number": m.household.number},
                       field="members")
    try:
        with transaction.atomic():
            household = Household.objects.create(number=number, area=area,
                                                 address=check_length("address", address, 300),
                                                 head=heads[0])
            HouseholdMember.objects.bulk_create(
                HouseholdMember(household=household, person=p, relationship=rel)
                for p, rel in members)
            audit.record(actor, AuditEntry.Action.CREATE, obj=household,
                         changes={"members": [None, [p.pk for p, _ in members]]})
    except IntegrityError:
        raise Conflict(_("Household number already exists"), field="number") from None
    return household


def organization_create(*, actor, name: str, kind: str, area: Area, uscc: str = "",
                        address: str = "", industry_code: str = "",
                        department_code: str | None = None) -> Organization:
    actor = as_actor(actor)
    require(actor, "core.change_registry", area)
    if kind not in Organization.Kind.values:
        raise ValidationFailed(_("Unknown organization type"), field="kind")
    org = Organization(name=check_length("name", name, 200), kind=kind, area=area,
                       uscc=identifiers.clean_uscc(uscc) if uscc else None,
                       address=check_length("address", address, 300),
                       industry_code=identifiers.clean_industry_code(industry_code),
                       department_code=department_code)
    if kind == Organization.Kind.ENTERPRISE and not org.uscc:
        raise ValidationFailed(_("An enterprise needs its unified social credit code"),
                               field="uscc")
    try:
        with transaction.atomic():
            org.save()
            audit.record(actor, AuditEntry.Action.CREATE, obj=org, changes={"name": [None, name]})
    except IntegrityError:
        raise Conflict(_("An organization with this credit code already exists"),
                       field="uscc") from None
    return org


def organization_update(*, actor, organization: Organization, version: int,
                        **changes) -> Organization:
    actor = as_actor(actor)
    require(actor, "core.change_registry", organization.area)
    unknown = set(changes) - set(ORGANIZATION_EDITABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "uscc" in changes:
        changes["uscc"] = identifiers.clean_uscc(changes["uscc"]) if changes["uscc"] else None
    if "industry_code" in changes:
        changes["industry_code"] = identifiers.clean_industry_code(changes["industry_code"])
    if "area" in changes:
        require(actor, "core.change_registry", changes["area"])
    for field, limit in ORGANIZATION_TEXT_LIMITS.items():
        if field in changes:
            changes[field] = check_length(field, changes[field], limit)
    if "name" in changes and not changes["name"]:
        raise ValidationFailed(_("Name is required"), field="name")
    changed = audit.diff(audit.snapshot(organization, changes), changes)
    if not changed:
        return organization
    changes = {field: changes[field] for field in changed}
    uscc = changes.get("uscc", organization.uscc)
    if organization.kind == Organization.Kind.ENTERPRISE and not uscc:
        raise ValidationFailed(_("An enterprise needs its unified social credit code"),
                               field="uscc")
    try:
        with transaction.atomic():
            save_versioned(organization, version, values=changes)
            audit.record(actor, AuditEntry.Action.UPDATE, obj=organization, changes=changed)
    except IntegrityError:
        raise Conflict(_("An organization with this credit code already exists"),
                       field="uscc") from None
    return organization


def user_create(*, actor, username: str, password: str, full_name: str = "",
                department: Organization | None = None,
                roles: list[tuple[str, Area]] = ()) -> User:
    """A staff account. The password must pass AUTH_PASSWORD_VALIDATORS (length, kinds of
    characters, not common, not like the user name). Roles asked for by a person become
    role change requests that a security administrator decides (separation of duties);
    only the operator's CLI (the platform itself) grants them at once, to set up the
    first administrators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from minsheng.core.services.roles import role_change_request

    actor = as_actor(actor)
    for _role, area in roles:
        require(actor, "core.manage_users", area)
    if not roles:
        require(actor, "core.manage_users")
    username = check_length("username", username, 150)
    if not username:
        raise ValidationFailed(_("User name is required"), field="username")
    if User.objects.filter(username=username).exists():
        raise Conflict(_("This user name is taken"), field="username")
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), field="password") from None
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password,
                                        full_name=full_name, department=department)
        if actor.system:
            RoleAssignment.objects.bulk_create(
                RoleAssignment(user=user, role=role, area=area) for role, area in roles)
        audit.record(actor, AuditEntry.Action.CREATE, obj=user,
                     changes={"roles": [None, [[r, a.code] for r, a in roles]],
                              "granted": actor.system})
        if not actor.system:
            for role, area in roles:
                role_change_request(actor=actor, user=user, role=role, area=area,
                                    reason=_("New account"))
    return user


def api_token_create(*, actor: Actor, name: str, user: User | None = None) -> str:
    """A bearer token for the API; the key is returned once and only its hash is stored.
    A user creates their own tokens; creating one for someone else (the operator's CLI)
    needs `core.manage_users`."""
    actor = as_actor(actor)
    owner = user or actor.user
    if not getattr(owner, "pk", None):
        raise ValidationFailed(_("A token belongs to a user account"), field="user")
    if owner.pk != getattr(actor.user, "pk", None):
        require(actor, "core.manage_users")
    name = check_length("name", name, 60)
    if not name:
        raise ValidationFailed(_("Name the token after what will use it"), field="name")
    key = secrets.token_urlsafe(32)
    while not key[0].isalnum():  # a prefix starting with "-" reads as an option in a shell
        key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=owner, name=name,
                                        key_hash=hashlib.sha256(key.encode()).hexdigest(),
                                        prefix=key[:8])
        audit.record(actor, AuditEntry.Action.CREATE, obj=token, object_repr=name,
                     changes={"user": [None, owner.username], "prefix": [None, token.prefix]})
    return key


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token: its key stops working at once. Own tokens, or any with
    `core.manage_users`."""
    actor = as_actor(actor)
    if token.user_id != getattr(actor.user, "pk", None):
        require(actor, "core.manage_users")
    if token.revoked:
        return token
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        token.revoked = True
        audit.record(actor, AuditEntry.Action.UPDATE, obj=token, object_repr=token.name,
                     changes={"revoked": [False, True]})
    return token


def api_token_use(*, key: str) -> User | None:
    """The active user behind a bearer token, recording when it was last used."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=digest, revoked=False, user__is_active=True).first())
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def calendar_day_set(*, actor, date: datetime.date, is_working_day: bool,
                     note: str = "") -> WorkingDayOverride:
    actor = as_actor(actor)
    require(actor, "core.manage_calendar")
    with transaction.atomic():
        entry, _created = WorkingDayOverride.objects.update_or_create(
            date=date, defaults={"is_working_day": is_working_day, "note": note[:100]})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=entry, object_repr=str(date),
                     changes={"is_working_day": [None, is_working_day]})
    workdays.invalidate()
    return entry


def calendar_year_confirm(*, actor, year: int, source: str) -> CalendarYear:
    """Declare that the district's entries for `year` are complete: remaining days follow
    the ordinary Monday-Friday week."""
    actor = as_actor(actor)
    require(actor, "core.manage_calendar")
    if not source.strip():
        raise ValidationFailed(_("Name the source of the year's holiday schedule"),
                               field="source")
    with transaction.atomic():
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source[:200],
                                 "confirmed_by": actor.user if actor.is_authenticated
                                 else None})
        audit.record(actor, AuditEntry.Action.UPDATE, obj=entry, object_repr=str(year),
                     changes={"source": [None, source]})
    workdays.invalidate()
    return entry


# The disability certificate register lives in its own module of the package.
from minsheng.core.services.disabilities import (  # noqa: E402
    disability_certificate_create as disability_certificate_create,
)
from minsheng.core.services.roles import (  # noqa: E402
    role_change_approve as role_change_approve,
)
from minsheng.core.services.roles import (  # noqa: E402
    role_change_reject as role_change_reject,
)
from minsheng.core.services.roles import (  # noqa: E402
    role_change_request as role_change_request,
)
