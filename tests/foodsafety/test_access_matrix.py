"""Who may see and do what: every role, in and out of area scope, inside and outside the
market regulation department, through pages and the API. A refused write changes nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from minsheng.foodsafety.models import Inspection, Licence
from tests import factories as f

TODAY = datetime.date.today()
ROLES = ["system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor", "data_entry", "auditor"]
# may record a licence (MANAGE), with the department
MANAGES = {"system_admin", "department_admin", "caseworker"}


def client(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def licence_post(c, operator):
    return c.post(reverse("foodsafety:operator_action", args=[operator.pk, "licence"]),
                  {"kind": "food_business", "number": "JY9", "scope": "热食类",
                   "issued_on": TODAY.isoformat(),
                   "expires_on": (TODAY + datetime.timedelta(days=900)).isoformat()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("dept", ["market", "civil"])
@pytest.mark.parametrize("where", ["s1", "s2"])
def test_licence_write_and_operator_read(food, areas, role, dept, where):
    department = food["market"] if dept == "market" else food["civil"]
    user = f.user(f"u_{role}", role, areas["s1"], department=department)
    c = client(user)
    operator = food["o1"] if where == "s1" else food["o2"]
    read = c.get(reverse("foodsafety:operator", args=[operator.pk]))
    api = c.get("/api/foodsafety/operators")
    if where == "s2":
        assert read.status_code == 404
        assert operator.organization.name not in api.content.decode()
    else:
        assert read.status_code == 200
        assert api.status_code == 200 and api.json()["count"] == 1
    r = licence_post(c, operator)
    allowed = (where == "s1" and role in MANAGES
               and (dept == "market" or role == "system_admin"))
    if allowed:
        assert r.status_code == 302
        assert Licence.objects.count() == 1
    else:
        assert r.status_code in (403, 404)
        assert not Licence.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_draw_through_the_api_is_the_planners(food, areas, role):
    from minsheng.foodsafety.models import InspectionPlan

    user = f.user(f"p_{role}", role, areas["district"], department=food["market"])
    plan = InspectionPlan.objects.create(
        name="p", year=TODAY.year, area=areas["district"], department=food["market"],
        sample_size=1, checklist=food["checklist"])
    r = client(user).post(f"/api/foodsafety/plans/{plan.pk}/draw", {"seed": 5},
                          content_type="application/json")
    if role in ("system_admin", "department_admin", "approver"):
        assert r.status_code == 200, r.content
        assert r.json()["seed"] == 5 and r.json()["reproduces"] is True
        again = client(user).post(f"/api/foodsafety/plans/{plan.pk}/draw", {"seed": 6},
                                  content_type="application/json")
        assert again.status_code == 409
    else:
        assert r.status_code == 403
        plan.refresh_from_db()
        assert plan.state == "planned" and not Inspection.objects.exists()


def test_anonymous_sees_only_public_pages(food):
    c = Client()
    assert c.get(reverse("foodsafety:home")).status_code == 302
    assert c.get("/api/foodsafety/operators").status_code in (401, 403)
    assert c.get(reverse("foodsafety:public")).status_code == 200
    assert c.get(reverse("foodsafety:public_feed")).status_code == 200
