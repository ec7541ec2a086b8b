"""The demo district builds with every module's data and is the same for the same seed.

Each test stands alone (any order, alone or together): the determinism test builds the
district twice inside one test, each build in a savepoint that is rolled back."""

import hashlib

from django.db import transaction

from minsheng.core.models import (
    Area,
    DisabilityCertificate,
    Household,
    Organization,
    Person,
    User,
)
from minsheng.demo.build import build_demo


def fingerprint() -> str:
    digest = hashlib.sha256()
    for row in Person.objects.order_by("id_number").values_list("id_number", "name",
                                                                "residence_area__code")[:500]:
        digest.update("|".join(map(str, row)).encode())
    digest.update(str(Household.objects.count()).encode())
    for row in DisabilityCertificate.objects.order_by("number", "issued_on").values_list(
            "number", "issued_on", "valid_until"):
        digest.update("|".join(map(str, row)).encode())
    return digest.hexdigest()


def build_and_fingerprint(**kwargs) -> tuple[list[str], str]:
    """Build in a savepoint, take the fingerprint, roll the build back."""
    with transaction.atomic():
        lines = build_demo(**kwargs)
        assert Area.objects.filter(level="subdistrict").count() >= 4
        assert Person.objects.filter(status="living").count() == kwargs["people"]
        assert Household.objects.exists()
        assert Organization.objects.filter(kind="enterprise").exists()
        assert User.objects.filter(username="caseworker").exists()
        value = fingerprint()
        transaction.set_rollback(True)
    return lines, value


def test_demo_builds_and_is_deterministic(db):
    lines, first = build_and_fingerprint(people=600, seed=11)
    assert any("minsheng-demo-2026" in line for line in lines)
    assert not Person.objects.exists()  # the first build was rolled back
    _lines, second = build_and_fingerprint(people=600, seed=11)
    assert first == second


def test_demo_certificates_cover_about_two_percent_and_hold_as_a_fact(db):
    from minsheng.core import facts
    from minsheng.demo.build import TODAY, build_registry

    build_registry(people=3000, seed=5)  # the core registry alone
    living = Person.objects.filter(status="living").count()
    holders = facts.holder_ids("core.disabled", TODAY)
    valid = Person.objects.filter(pk__in=holders).count()
    assert 0.01 * living <= valid <= 0.03 * living
    certificates = DisabilityCertificate.objects.all()
    assert certificates.values("category").distinct().count() >= 5
    assert all(c.number.startswith(c.person.id_number) for c in certificates.select_related(
        "person")[:50])


def test_second_build_reuses_the_district(db):
    build_demo(people=300, seed=3)
    count = Person.objects.count()
    assert "reusing" in build_demo(people=300, seed=3)[0]
    assert Person.objects.count() == count
