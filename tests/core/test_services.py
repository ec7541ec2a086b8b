import datetime

import pytest

from minsheng.core import services
from minsheng.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry, Person
from tests import factories


@pytest.fixture
def caseworker(areas):
    return factories.actor("cw", "caseworker", areas["s1"])


def test_create_person_derives_birth_and_sex_and_audits(areas, caseworker):
    number = factories.id_number(datetime.date(1990, 1, 2), male=False)
    person = services.person_create(actor=caseworker, id_number=number, name="李四",
                                    residence_area=areas["c11"], phone="13800001111")
    assert (person.birth_date, person.sex) == (datetime.date(1990, 1, 2), "F")
    entry = AuditEntry.objects.get(object_type="core.person", object_id=str(person.pk))
    assert entry.action == "create" and entry.actor_name == "cw"


def test_birth_date_must_agree_with_id(areas, caseworker):
    number = factories.id_number(datetime.date(1990, 1, 2))
    with pytest.raises(ValidationFailed, match="disagrees"):
        services.person_create(actor=caseworker, id_number=number, name="王五",
                               residence_area=areas["c11"], birth_date=datetime.date(1991, 1, 2))
    assert not Person.objects.exists()


def test_duplicate_id_is_a_conflict(areas, caseworker):
    number = factories.id_number()
    services.person_create(actor=caseworker, id_number=number, name="甲",
                           residence_area=areas["c11"])
    with pytest.raises(Conflict):
        services.person_create(actor=caseworker, id_number=number, name="乙",
                               residence_area=areas["c12"])
    assert Person.objects.count() == 1


def test_caseworker_cannot_create_outside_scope(areas, caseworker):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=caseworker, id_number=factories.id_number(), name="丙",
                               residence_area=areas["c21"])


def test_huge_text_is_refused(areas, caseworker):
    with pytest.raises(ValidationFailed, match="too long"):
        services.person_create(actor=caseworker, id_number=factories.id_number(), name="丁",
                               residence_area=areas["c11"], address="x" * 10_000_000)


def test_stale_edit_is_refused_and_nothing_overwritten(areas, caseworker):
    person = factories.person(areas["c11"], address="旧地址")
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    services.person_update(actor=caseworker, person=first, version=first.version,
                           address="新地址一")
    with pytest.raises(StaleVersion):
        services.person_update(actor=caseworker, person=second, version=second.version,
                               address="新地址二")
    person.refresh_from_db()
    assert person.address == "新地址一" and person.version == 2


def test_update_audits_old_and_new_values(areas, caseworker):
    person = factories.person(areas["c11"], address="旧")
    services.person_update(actor=caseworker, person=person, version=1, address="新")
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes == {"address": ["旧", "新"]}


def test_reveal_needs_permission_and_is_audited(areas, caseworker):
    person = factories.person(areas["c11"])
    assert services.person_reveal(actor=caseworker, person=person,
                                  field="id_number") == person.id_number
    assert AuditEntry.objects.filter(action="reveal", object_id=str(person.pk)).count() == 1
    supervisor = factories.actor("sup", "plan_supervisor", areas["district"])
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=supervisor, person=person, field="id_number")
    assert AuditEntry.objects.filter(action="reveal").count() == 1


def test_household_needs_one_head_and_free_members(areas, caseworker):
    a, b = factories.person(areas["c11"]), factories.person(areas["c11"])
    with pytest.raises(ValidationFailed, match="head"):
        services.household_create(actor=caseworker, number="H1", area=areas["c11"],
                                  members=[(a, "spouse"), (b, "child")])
    services.household_create(actor=caseworker, number="H1", area=areas["c11"],
                              members=[(a, "head"), (b, "spouse")])
    c = factories.person(areas["c11"])
    with pytest.raises(Conflict, match="already belongs"):
        services.household_create(actor=caseworker, number="H2", area=areas["c11"],
                                  members=[(c, "head"), (b, "child")])


def test_enterprise_needs_valid_credit_code(areas):
    admin = factories.actor("adm", "system_admin", areas["district"])
    with pytest.raises(ValidationFailed):
        services.organization_create(actor=admin, name="某公司", kind="enterprise",
                                     area=areas["c11"], uscc="91120199XXXXXXXX")
    org = services.organization_create(actor=admin, name="某公司", kind="enterprise",
                                       area=areas["c11"], uscc=factories.credit_code(),
                                       industry_code="C3011")
    assert org.uscc


def test_area_codes_extend_parents(areas):
    admin = factories.actor("adm", "system_admin", areas["district"])
    with pytest.raises(ValidationFailed):
        services.area_create(actor=admin, code="120198001003", name="错", parent=areas["s1"])
    area = services.area_create(actor=admin, code="120199001003", name="甲三社区",
                                parent=areas["s1"])
    assert area.path == "120199/120199001/120199001003" and area.level == "community"


def test_audit_entries_cannot_be_changed_or_deleted(areas):
    entry = AuditEntry.objects.create(action="read", object_type="x")
    entry.object_type = "y"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_organization_update_is_audited_and_unchanged_values_write_nothing(areas, caseworker):
    org = factories.organization(areas["c11"], address="旧址")
    services.organization_update(actor=caseworker, organization=org, version=1,
                                 address="旧址", name=org.name)
    org.refresh_from_db()
    assert org.version == 1 and not AuditEntry.objects.exists()
    services.organization_update(actor=caseworker, organization=org, version=1,
                                 address="新址")
    org.refresh_from_db()
    assert org.address == "新址" and org.version == 2
    assert AuditEntry.objects.get().changes == {"address": ["旧址", "新址"]}
    with pytest.raises(ValidationFailed, match="credit code"):
        services.organization_update(actor=caseworker, organization=org, version=2, uscc="")
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=caseworker, organization=org, version=2,
                                     area=areas["c21"])
    org.refresh_from_db()
    assert org.area == areas["c11"] and org.version == 2


def test_household_members_must_be_in_scope_and_listed_once(areas, caseworker):
    a, outside = factories.person(areas["c11"]), factories.person(areas["c21"])
    with pytest.raises(PermissionDenied):
        services.household_create(actor=caseworker, number="H9", area=areas["c11"],
                                  members=[(a, "head"), (outside, "spouse")])
    with pytest.raises(ValidationFailed, match="twice"):
        services.household_create(actor=caseworker, number="H9", area=areas["c11"],
                                  members=[(a, "head"), (a, "spouse")])
    with pytest.raises(ValidationFailed, match="number"):
        services.household_create(actor=caseworker, number="  ", area=areas["c11"],
                                  members=[(a, "head")])


def test_area_code_taken_is_a_conflict(areas):
    admin = factories.actor("adm", "system_admin", areas["district"])
    with pytest.raises(Conflict):
        services.area_create(actor=admin, code="120199001001", name="重复", parent=areas["s1"])


def test_household_members_read_follows_the_household_scope(areas, caseworker):
    from minsheng.core import selectors
    from minsheng.core.errors import NotFound

    head = factories.person(areas["c21"])
    household = factories.household(areas["c21"], [(head, "head")])
    with pytest.raises(NotFound):
        list(selectors.household_members(caseworker, household=household))
    moved = factories.person(areas["c11"])
    factories.household(areas["c21"], [(factories.person(areas["c21"]), "head"),
                                       (moved, "child")])
    assert selectors.person_household(caseworker, person=moved) is None
