import datetime
import re

import pytest

from tests import factories


@pytest.fixture
def world(areas):
    """Staff with their scopes and a two-person household in 甲一社区."""
    a = areas
    head = factories.person(a["c11"], "王秀英", datetime.date(1968, 3, 2), male=False,
                            address="和平路12号3栋101室", phone="13800001111")
    son = factories.person(a["c11"], "王磊", datetime.date(1996, 7, 9),
                           address="和平路12号3栋101室")
    household = factories.household(a["c11"], [(head, "head"), (son, "child")])
    return {
        **a, "head": head, "son": son, "household": household,
        "caseworker": factories.actor("cw", "caseworker", a["s1"]),
        "reviewer": factories.actor("rv", "reviewer", a["s1"]),
        "approver": factories.actor("ap", "approver", a["district"]),
        "approver2": factories.actor("ap2", "approver", a["district"]),
        "other_cw": factories.actor("cw2", "caseworker", a["s2"]),
        "admin": factories.actor("admin", "system_admin", a["district"]),
    }


def members(world, wages_head="300", wages_son="500", authorised=True):
    return [
        {"id_number": world["head"].id_number, "income": {"wages": wages_head},
         "assets": {"deposits": "2000", "properties": 1}, "authorised": authorised},
        {"id_number": world["son"].id_number, "income": {"wages": wages_son},
         "authorised": authorised},
    ]


D = datetime.date


def sent_code() -> str:
    """The one-time code in the last text message sent."""
    from minsheng.core.sms import MemoryGateway

    return re.search(r"\d{6}", MemoryGateway.outbox[-1][1]).group()


def public_apply(client, person, data: dict):
    """A resident's public application: ask for the code, then post the application with
    the code that reached the registered phone."""
    first = client.post("/assistance/apply/", {"applicant_name": person.name,
                                               "applicant_id_number": person.id_number})
    assert first.status_code == 302, first.content.decode()[-800:]
    return client.post("/assistance/apply/details/", {"code": sent_code(), **data})
