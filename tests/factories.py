"""Factory functions for tests: small, explicit, and valid by construction."""

from __future__ import annotations

import datetime
import itertools

from stdnum.cn import uscc

from minsheng.core.access import actor_for, system_actor
from minsheng.core.identifiers import id_check_digit
from minsheng.core.models import (
    Area,
    Household,
    HouseholdMember,
    Organization,
    Person,
    RoleAssignment,
    User,
)

_counter = itertools.count(1)


def id_number(birth: datetime.date = datetime.date(1980, 5, 17), male: bool = True,
              region: str = "120199") -> str:
    n = next(_counter)
    order = (n * 2 + (1 if male else 0)) % 1000
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + id_check_digit(body)


def credit_code(n: int | None = None) -> str:
    n = next(_counter) if n is None else n
    org = f"{(52_000_000 + n * 7919) % 100_000_000:08d}"
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    check = 11 - sum(int(d) * w for d, w in zip(org, weights, strict=True)) % 11
    body = f"91120199{org}{ {10: 'X', 11: '0'}.get(check, str(check)) }".replace(" ", "")
    return body + uscc.calc_check_digit(body)


def area(code: str, name: str, parent: Area | None = None) -> Area:
    level = {6: "district", 9: "subdistrict", 12: "community"}[len(code)]
    return Area.objects.create(code=code, name=name, level=level, parent=parent,
                               path=f"{parent.path}/{code}" if parent else code)


def district() -> dict[str, Area]:
    """A district with two subdistricts of two communities each."""
    d = area("120199", "测试区")
    s1 = area("120199001", "甲街道", d)
    s2 = area("120199002", "乙街道", d)
    return {"district": d, "s1": s1, "s2": s2,
            "c11": area("120199001001", "甲一社区", s1),
            "c12": area("120199001002", "甲二社区", s1),
            "c21": area("120199002001", "乙一社区", s2),
            "c22": area("120199002002", "乙二社区", s2)}


def user(username: str, role: str | None, at: Area | None, *, department=None) -> User:
    u = User.objects.create_user(username=username, password="pw-for-tests-123",
                                 department=department)
    if role:
        RoleAssignment.objects.create(user=u, role=role, area=at)
    return u


def actor(username: str, role: str, at: Area, **kwargs):
    return actor_for(user(username, role, at, **kwargs))


def person(at: Area, name: str = "张三", birth: datetime.date = datetime.date(1980, 5, 17),
           male: bool = True, **fields) -> Person:
    number = id_number(birth, male)
    return Person.objects.create(id_number=number, name=name, sex="M" if male else "F",
                                 birth_date=birth, residence_area=at, **fields)


def household(at: Area, members: list[tuple[Person, str]], number: str | None = None):
    h = Household.objects.create(number=number or f"H{next(_counter):08d}", area=at,
                                 head=members[0][0])
    for p, rel in members:
        HouseholdMember.objects.create(household=h, person=p, relationship=rel)
    return h


def organization(at: Area, name: str = "测试有限公司", kind: str = "enterprise", **fields):
    if kind == "enterprise" and "uscc" not in fields:
        fields["uscc"] = credit_code()
    return Organization.objects.create(name=name, kind=kind, area=at, **fields)


def department(at: Area, code: str, name: str | None = None) -> Organization:
    return Organization.objects.create(name=name or code, kind="department", area=at,
                                       department_code=code)


SYSTEM = system_actor
