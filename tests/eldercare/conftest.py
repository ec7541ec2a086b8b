import datetime

import pytest

from minsheng.eldercare.services import institutions as inst_svc
from tests import factories

DAY0 = datetime.date(2024, 1, 1)


@pytest.fixture
def world(areas):
    dept = factories.department(areas["district"], "civil_affairs", "民政局")
    org = factories.organization(areas["s1"], "甲街道颐养院", kind="eldercare")
    org2 = factories.organization(areas["s2"], "乙街道敬老院", kind="eldercare")
    worker = factories.actor("worker", "caseworker", areas["s1"], department=dept)
    approver = factories.actor("boss", "approver", areas["district"], department=dept)
    payer = factories.actor("payer", "department_admin", areas["district"], department=dept)
    outsider = factories.actor("outsider", "caseworker", areas["s2"], department=dept)
    other_dept = factories.actor("hrworker", "caseworker", areas["district"])
    supervisor = factories.actor("super", "plan_supervisor", areas["district"])
    inst = inst_svc.institution_register(actor=factories.SYSTEM(), organization=org,
                                         ownership="public", licence_no="津民养001",
                                         star_rating=3)
    inst2 = inst_svc.institution_register(actor=factories.SYSTEM(), organization=org2,
                                          ownership="private")
    return {"areas": areas, "dept": dept, "inst": inst, "inst2": inst2, "worker": worker,
            "approver": approver, "payer": payer, "outsider": outsider,
            "other_dept": other_dept, "supervisor": supervisor}


def add_beds(inst, n, bed_type="general", room="101", since=DAY0):
    return [inst_svc.bed_add(actor=factories.SYSTEM(), institution=inst, room=room,
                             number=str(k + 1), bed_type=bed_type, valid_from=since)
            for k in range(n)]


def elder(at, name="李奶奶", birth=datetime.date(1940, 3, 5), male=False, **kw):
    return factories.person(at, name=name, birth=birth, male=male, **kw)
