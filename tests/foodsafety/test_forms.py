"""Bad input on every form: refused in place (422), the input kept, nothing written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minsheng.core.models import AuditEntry
from minsheng.foodsafety.models import InspectionPlan
from minsheng.foodsafety.services import inspections as svc
from minsheng.foodsafety.services import operators as ops
from minsheng.foodsafety.services import samples as smp
from tests.foodsafety.conftest import all_pass

TODAY = datetime.date.today()
FUTURE = (TODAY + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def world(food):
    a, o1 = food["admin"], food["o1"]
    licence = ops.licence_issue(actor=a, operator=o1, kind="food_business", number="JY1",
                                scope="热食类", issued_on=TODAY,
                                expires_on=TODAY + datetime.timedelta(days=900))
    inspection = svc.inspection_schedule(actor=a, operator=o1, kind="routine",
                                         scheduled_on=TODAY, checklist=food["checklist"],
                                         inspectors=food["inspectors"][:2])
    done = svc.inspection_schedule(actor=a, operator=o1, kind="routine", scheduled_on=TODAY,
                                   checklist=food["checklist"],
                                   inspectors=food["inspectors"][2:4])
    svc.inspection_record(actor=a, inspection=done, version=done.version, done_on=TODAY,
                          answers=all_pass(food["checklist"], **{"2": "fail"}))
    sample = smp.sample_take(actor=a, operator=o1, number="CJ1", product="米",
                             sampled_on=TODAY)
    smp.sample_result(actor=a, sample=sample, qualified=False, reported_on=TODAY,
                      failed_item="镉")
    plan = InspectionPlan.objects.create(name="p", year=TODAY.year, area=o1.area,
                                         department=food["market"], sample_size=1,
                                         checklist=food["checklist"])
    return {"o1": o1, "licence": licence, "inspection": inspection,
            "rect": done.rectification, "sample": sample, "plan": plan}


def cases(w, food):
    o1 = w["o1"].pk
    return [
        ("foodsafety:operators", [], {"organization": "KEEP-不存在", "category": "catering"}),
        ("foodsafety:operators", [], {"organization": "KEEP-x", "category": "nonsense"}),
        ("foodsafety:operator_action", [o1, "licence"],
         {"kind": "food_business", "number": "KEEP-1", "scope": "x", "issued_on": "2026-13-01",
          "expires_on": FUTURE}),
        ("foodsafety:operator_action", [o1, "schedule"],
         {"kind": "routine", "scheduled_on": TODAY.isoformat(), "note": "KEEP-note",
          "checklist": food["checklist"].pk, "inspectors": [food["inspectors"][0].pk]}),
        ("foodsafety:operator_action", [o1, "close"], {"version": w["o1"].version,
                                                        "note": ""}),
        ("foodsafety:licence_action", [w["licence"].pk, "change"],
         {"version": w["licence"].version, "scope": "KEEP-scope",
          "issued_on": TODAY.isoformat(), "expires_on": TODAY.isoformat()}),
        ("foodsafety:licence_action", [w["licence"].pk, "cancel"],
         {"version": w["licence"].version, "note": ""}),
        ("foodsafety:inspection_action", [w["inspection"].pk, "record"],
         {"version": w["inspection"].version, "done_on": FUTURE, "item_1": "pass",
          "note": "KEEP-n"}),
        ("foodsafety:rectification_reinspect", [w["rect"].pk],
         {"version": w["rect"].version, "scheduled_on": "KEEP-date"}),
        ("foodsafety:plans", [], {"name": "KEEP-plan", "year": "1800", "kind": "random",
                                  "area": w["o1"].area.pk, "sample_size": "0", "team_size": "1",
                                  "checklist": food["checklist"].pk}),
        ("foodsafety:plan_action", [w["plan"].pk, "draw"], {"version": "x", "seed": "-5"}),
        ("foodsafety:inspectors", [], {"form": "inspector", "name": "KEEP-name",
                                       "badge": food["inspectors"][0].badge}),
        ("foodsafety:inspectors", [], {"form": "recusal", "inspector": food["inspectors"][0].pk,
                                       "operator": o1, "reason": ""}),
        ("foodsafety:samples", [], {"form": "sample", "number": "CJ1", "operator": o1,
                                    "product": "KEEP-prod", "sampled_on": TODAY.isoformat()}),
        ("foodsafety:sample_handle", [w["sample"].pk],
         {"version": w["sample"].version, "measure": "recall", "handled_on": FUTURE}),
    ]


@pytest.mark.parametrize("index", range(15))
def test_bad_input(food, world, index):
    name, args, data = cases(world, food)[index]
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(food["admin"].user)
    before = AuditEntry.objects.count()
    r = c.post(reverse(name, args=args), data)
    assert r.status_code == 422, (name, r.status_code)
    keep = [v for v in data.values() if isinstance(v, str) and v.startswith("KEEP")]
    body = r.content.decode()
    assert all(k in body for k in keep), keep
    assert AuditEntry.objects.count() == before


def test_results_upload_with_unknown_sample_lists_the_line(food, world):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(food["admin"].user)
    upload = SimpleUploadedFile("r.csv", f"编号,结果,日期\nNOPE,合格,{TODAY}\n".encode())
    r = c.post(reverse("foodsafety:samples"), {"form": "import", "file": upload})
    assert r.status_code == 422 and "第 2 行：未知样品 NOPE" in r.content.decode()
    wrong = SimpleUploadedFile("r.pdf", b"%PDF")
    r = c.post(reverse("foodsafety:samples"), {"form": "import", "file": wrong})
    assert r.status_code == 422
