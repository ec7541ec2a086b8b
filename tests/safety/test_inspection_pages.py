""""Double random, one public" through the pages: create a plan, draw with a seed shown on
the page, re-run it from the seed, conflicts excluded, results recorded and published."""

import datetime

import pytest

from minsheng.safety.models import InspectionCheck, InspectionPlan, Publication
from minsheng.safety.services import inspections as svc
from tests import factories


@pytest.fixture
def staffed(world):
    for i in range(6):
        factories.organization(world["areas"]["c12"], f"抽查企业{i}")
    inspectors = [factories.user(f"insp{i}", "caseworker", world["areas"]["district"],
                                 department=world["dept"]) for i in range(3)]
    return inspectors


def _create(client, world, name="2026年第一批", sample=8):
    r = client.post("/safety/inspections/", {
        "name": name, "area": world["areas"]["district"].pk, "department": world["dept"].pk,
        "sample_size": sample, "inspectors_per_check": 2, "category": ""})
    assert r.status_code == 302, r.content[:300]
    return InspectionPlan.objects.get(name=name)


@pytest.mark.django_db
def test_draw_from_the_page_is_reproducible_and_excludes_conflicts(client, world, staffed):
    client.force_login(world["chief"].user)
    plan = _create(client, world)
    r = client.post(f"/safety/inspections/{plan.pk}/conflict/",
                    {"inspector": staffed[0].pk, "enterprise": world["ent"].pk,
                     "reason": "近亲属任职"})
    assert r.status_code == 302
    r = client.post(f"/safety/inspections/{plan.pk}/draw/",
                    {"seed": "20260301", "version": plan.version})
    assert r.status_code == 302
    page = client.get(f"/safety/inspections/{plan.pk}/").content.decode()
    assert 'id="draw-seed">20260301<' in page
    assert "用该种子重新抽取得到相同结果" in page
    assert "近亲属任职" not in page and staffed[0].username in page  # excluded pair listed
    checks = InspectionCheck.objects.filter(plan=plan)
    assert checks.count() == 8
    for check in checks:
        team = set(check.inspectors.values_list("id", flat=True))
        assert len(team) == 2
        if check.enterprise_id == world["ent"].pk:
            assert staffed[0].pk not in team
    # the same inputs and seed in a second plan give the same assignment
    twin = _create(client, world, name="复核")
    client.post(f"/safety/inspections/{twin.pk}/draw/",
                {"seed": "20260301", "version": twin.version})
    twin.refresh_from_db()
    plan.refresh_from_db()
    assert twin.draw_record["assignment"] == plan.draw_record["assignment"]
    again = svc.draw(plan, plan.draw_record["enterprises"], plan.draw_record["inspectors"],
                     {tuple(c) for c in plan.draw_record["conflicts"]}, 20260301)
    assert [[e, t] for e, t in again] == plan.draw_record["assignment"]
    # drawing twice is refused
    assert client.post(f"/safety/inspections/{plan.pk}/draw/",
                       {"version": plan.version}).status_code == 422


@pytest.mark.django_db
def test_record_results_and_publish(client, world, staffed):
    client.force_login(world["chief"].user)
    plan = _create(client, world, sample=2)
    client.post(f"/safety/inspections/{plan.pk}/draw/", {"seed": "7", "version": 1})
    check = InspectionCheck.objects.filter(plan=plan).first()
    r = client.post(f"/safety/inspections/checks/{check.pk}/",
                    {"checked_on": datetime.date.today().isoformat(), "result": "未发现问题"})
    assert r.status_code == 302
    assert client.post(f"/safety/inspections/checks/{check.pk}/",
                       {"checked_on": "2999-01-01", "result": "x"}).status_code == 422
    plan.refresh_from_db()
    assert client.post(f"/safety/inspections/{plan.pk}/publish/",
                       {"version": plan.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.published_at is not None
    pub = Publication.objects.get(kind="inspection")
    assert "未发现问题" in pub.body
    page = client.get(f"/safety/inspections/{plan.pk}/").content.decode()
    assert "结果已公开" in page and "未发现问题" in page
    assert "/safety/inspections/" in client.get("/safety/inspections/").content.decode()


@pytest.mark.django_db
def test_out_of_scope_plan_is_404(client, world, staffed):
    client.force_login(world["chief"].user)
    plan = _create(client, world, sample=2)
    client.force_login(world["outsider"].user)  # caseworker in 乙街道, plan covers the district
    assert client.get(f"/safety/inspections/{plan.pk}/").status_code == 404
    assert client.post(f"/safety/inspections/{plan.pk}/draw/",
                       {"version": plan.version}).status_code == 404
    plan.refresh_from_db()
    assert plan.drawn_at is None
    # no permission to plan: refused
    r = client.post("/safety/inspections/", {
        "name": "x", "area": world["areas"]["s2"].pk, "department": world["dept"].pk,
        "sample_size": 1})
    assert r.status_code in (403, 404)
