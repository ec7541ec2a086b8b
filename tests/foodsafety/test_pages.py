"""Pages: the whole day through forms (draw -> inspection -> finding -> rectification ->
re-inspection -> published), refusals in place with the input kept, access by role and
department, query counts that do not grow with rows."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.foodsafety.models import Inspection, InspectionPlan, Licence, Rectification
from minsheng.foodsafety.services import operators as ops
from tests import factories as f

TODAY = datetime.date.today()


def client_for(actor):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(actor.user)
    return c


def test_day_in_the_life_through_the_pages(food):
    c = client_for(food["admin"])
    r = c.post(reverse("foodsafety:plans"), {
        "name": "双随机", "year": TODAY.year, "kind": "random", "area": food["o1"].area.parent
        .parent.pk, "sample_size": 1, "team_size": 2, "checklist": food["checklist"].pk,
        "category": "catering"})
    assert r.status_code == 302, r.content.decode()[:2000]
    plan = InspectionPlan.objects.get()
    r = c.post(reverse("foodsafety:plan_action", args=[plan.pk, "draw"]),
               {"version": plan.version, "seed": 77})
    assert r.status_code == 302
    page = c.get(reverse("foodsafety:plan", args=[plan.pk])).content.decode()
    assert "77" in page and "结果一致" in page
    inspection = Inspection.objects.get(plan=plan)
    answers = {f"item_{n}": "pass" for n in range(1, 5)}
    r = c.post(reverse("foodsafety:inspection_action", args=[inspection.pk, "record"]),
               {**answers, "item_3": "fail", "remark_3": "无进货查验记录",
                "version": inspection.version, "done_on": TODAY.isoformat()})
    assert r.status_code == 302
    rect = Rectification.objects.get()
    ins = food["inspectors"]
    team = {i.pk for i in inspection.inspectors.all()}
    others = [i.pk for i in ins if i.pk not in team][:2]
    r = c.post(reverse("foodsafety:rectification_reinspect", args=[rect.pk]),
               {"version": rect.version, "scheduled_on": TODAY.isoformat(),
                "inspectors": others})
    assert r.status_code == 302
    follow = Inspection.objects.get(kind="follow_up")
    assert "无进货查验记录" in c.get(reverse("foodsafety:inspection",
                                      args=[follow.pk])).content.decode()
    r = c.post(reverse("foodsafety:inspection_action", args=[follow.pk, "record"]),
               {**answers, "version": follow.version, "done_on": TODAY.isoformat()})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.state == "passed"
    plan.refresh_from_db()
    r = c.post(reverse("foodsafety:plan_action", args=[plan.pk, "publish"]),
               {"version": plan.version})
    assert r.status_code == 302
    public = Client().get(reverse("foodsafety:public")).content.decode()
    assert food["o1"].organization.name in public
    feed = Client().get(reverse("foodsafety:public_feed")).json()
    assert feed["count"] == 1 and feed["results"][0]["score"] == 67


def test_bad_licence_dates_come_back_in_place_with_input_kept(food):
    c = client_for(food["staff"])
    r = c.post(reverse("foodsafety:operator_action", args=[food["o1"].pk, "licence"]),
               {"kind": "food_business", "number": "JY-KEEP-ME", "scope": "热食类",
                "issued_on": TODAY.isoformat(),
                "expires_on": (TODAY - datetime.timedelta(days=3)).isoformat()})
    assert r.status_code == 422
    body = r.content.decode()
    assert "JY-KEEP-ME" in body and "有效期截止日必须晚于发证日期" in body
    assert not Licence.objects.exists()


@pytest.mark.parametrize("data", [{"seed": "-1"}, {"seed": "abc"}, {}])
def test_bad_draw_input_is_refused(food, data):
    c = client_for(food["admin"])
    plan = InspectionPlan.objects.create(
        name="p", year=TODAY.year, area=food["o1"].area, department=food["market"],
        sample_size=1, checklist=food["checklist"])
    r = c.post(reverse("foodsafety:plan_action", args=[plan.pk, "draw"]), data)
    assert r.status_code == 422
    plan.refresh_from_db()
    assert plan.state == "planned"


def test_recused_inspector_refused_on_the_page(food):
    from minsheng.inspections import services as engine

    engine.recusal_record(actor=food["admin"], permission="foodsafety.plan",
                          inspector=food["inspectors"][0], organization=food["o1"].organization,
                          reason="亲属")
    c = client_for(food["staff"])
    r = c.post(reverse("foodsafety:operator_action", args=[food["o1"].pk, "schedule"]),
               {"kind": "routine", "scheduled_on": TODAY.isoformat(),
                "checklist": food["checklist"].pk,
                "inspectors": [food["inspectors"][0].pk, food["inspectors"][1].pk]})
    assert r.status_code == 422 and "须回避" in r.content.decode()
    assert not Inspection.objects.exists()


def test_access_by_role_department_and_area(food, areas):
    other_dept = f.actor("mz", "caseworker", areas["district"], department=food["civil"])
    street = f.actor("street", "caseworker", areas["s1"], department=food["market"])
    o2 = food["o2"]  # in s2
    # another department's caseworker may look but not act
    c = client_for(other_dept)
    assert c.get(reverse("foodsafety:operators")).status_code == 200
    r = c.post(reverse("foodsafety:operator_action", args=[o2.pk, "licence"]),
               {"kind": "drug_retail", "number": "X", "scope": "Y",
                "issued_on": TODAY.isoformat(),
                "expires_on": (TODAY + datetime.timedelta(days=9)).isoformat()})
    assert r.status_code in (403, 422)
    assert not Licence.objects.exists()
    # a street's staff do not see another street's operator
    c = client_for(street)
    assert c.get(reverse("foodsafety:operator", args=[o2.pk])).status_code == 404
    assert c.get(reverse("foodsafety:operator", args=[food["o1"].pk])).status_code == 200
    # anonymous: only the public pages
    assert Client().get(reverse("foodsafety:operators")).status_code == 302
    assert Client().get(reverse("foodsafety:public")).status_code == 200


@pytest.mark.parametrize("url", ["foodsafety:operators", "foodsafety:inspections",
                                 "foodsafety:home", "foodsafety:samples"])
def test_list_query_counts_do_not_grow(food, areas, url):
    from minsheng.core.access import system_actor

    c = client_for(food["staff"])
    c.get(reverse(url))
    with CaptureQueriesContext(connection) as few:
        assert c.get(reverse(url)).status_code == 200
    for i in range(6):
        ops.operator_register(actor=system_actor(), organization=f.organization(
            areas["c12"], f"餐馆{i}"), category="catering")
    with CaptureQueriesContext(connection) as many:
        c.get(reverse(url))
    assert len(many) <= len(few) + 1


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_checklist_takes_photos_and_refuses_other_files(food, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minsheng.foodsafety.services import inspections as svc

    settings.MEDIA_ROOT = tmp_path
    i = svc.inspection_schedule(actor=food["staff"], operator=food["o1"], kind="routine",
                                scheduled_on=TODAY, checklist=food["checklist"],
                                inspectors=food["inspectors"][:2])
    c = client_for(food["staff"])
    data = {**{f"item_{n}": "pass" for n in range(1, 5)}, "version": i.version,
            "done_on": TODAY.isoformat()}
    url = reverse("foodsafety:inspection_action", args=[i.pk, "record"])
    r = c.post(url, {**data, "photos": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 422 and "照片须为" in r.content.decode()
    i.refresh_from_db()
    assert i.state == "scheduled"
    r = c.post(url, {**data, "photos": [SimpleUploadedFile("a.png", PNG),
                                        SimpleUploadedFile("b.jpg", PNG)]})
    assert r.status_code == 302
    assert i.photos.count() == 2
