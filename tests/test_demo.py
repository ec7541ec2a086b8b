"""The demo district builds with every module's data and is the same for the same seed."""

import hashlib

import pytest

from minsheng.core.models import Area, Household, Organization, Person, User
from minsheng.demo.build import build_demo

FINGERPRINTS: dict[str, str] = {}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for row in Person.objects.order_by("id_number").values_list("id_number", "name",
                                                                "residence_area__code")[:500]:
        digest.update("|".join(map(str, row)).encode())
    digest.update(str(Household.objects.count()).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("run", ["first", "second"])
def test_demo_builds_and_is_deterministic(db, run):
    lines = build_demo(people=600, seed=11)
    assert Area.objects.filter(level="subdistrict").count() >= 4
    assert Person.objects.filter(status="living").count() == 600
    assert Household.objects.exists() and Organization.objects.filter(kind="enterprise").exists()
    assert User.objects.filter(username="caseworker").exists()
    assert any("minsheng-demo-2026" in line for line in lines)
    FINGERPRINTS[run] = fingerprint()
    if run == "second":
        assert FINGERPRINTS["first"] == FINGERPRINTS["second"]


def test_second_build_reuses_the_district(db):
    build_demo(people=300, seed=3)
    count = Person.objects.count()
    assert "reusing" in build_demo(people=300, seed=3)[0]
    assert Person.objects.count() == count
