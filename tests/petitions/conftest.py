import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.petitions import services as S
from tests import factories

D = datetime.date(2026, 3, 2)  # a Monday


@pytest.fixture
def world(areas):
    office = factories.department(areas["district"], "petitions", "信访办公室")
    civil = factories.department(areas["district"], "civil_affairs", "民政局")
    hrss = factories.department(areas["district"], "hrss", "人社局")
    resident = factories.person(areas["c11"], name="李秀英")
    return {
        "areas": areas, "office": office, "civil": civil, "hrss": hrss,
        "resident": resident,
        "clerk": factories.actor("clerk", "caseworker", areas["district"], department=office),
        "handler": factories.actor("handler", "caseworker", areas["s1"], department=civil),
        "other_dept": factories.actor("other", "caseworker", areas["s1"], department=hrss),
        "head": factories.actor("head", "approver", areas["district"], department=civil),
        "reviewer": factories.actor("rev", "reviewer", areas["district"], department=office),
        "outsider": factories.actor("outsider", "caseworker", areas["s2"], department=civil),
    }


def register(world, *, actor=None, today=D, **kw):
    values = dict(channel="visit", category="claim", petitioner_name="李秀英",
                  petitioner_id_number=world["resident"].id_number,
                  petitioner_phone="13812345678", area=world["areas"]["c11"],
                  subject="低保申请被退回",
                  content="我家去年申请低保，街道说收入超标退回了，可是我爱人已经失业半年，请求重新核对。",
                  department=world["civil"], received_on=today, today=today)
    values.update(kw)
    return S.petition_register(actor=actor or world["clerk"], **values)


def fresh(p):
    p.refresh_from_db()
    return p


def through_reply(world, today=D):
    p = register(world, today=today)
    S.petition_accept(actor=world["clerk"], petition=p, version=p.version, today=today,
                      note="受理")
    p = fresh(p)
    replied = today + datetime.timedelta(days=20)
    S.petition_reply(actor=world["handler"], petition=p, version=p.version, reply="已核实处理",
                     today=replied)
    return fresh(p), replied


@pytest.fixture
def sys_actor():
    return system_actor()
