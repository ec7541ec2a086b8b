"""Hazard pages on the module kit: the enterprise search field instead of a cut-off
dropdown, refusals in place, suspension of a major hazard from the page and the API, the
clock table, and inspection plans moving through their workflow."""

import datetime

import pytest

from minsheng.core.access import system_actor
from minsheng.core.models import AuditEntry
from minsheng.safety.models import Hazard, InspectionPlan
from minsheng.safety.services import hazards as hz
from minsheng.safety.services import inspections as insp
from tests import factories

D = datetime.date(2026, 3, 2)


@pytest.fixture
def chief(client, world):
    client.force_login(world["chief"].user)
    return client


def _major(world):
    return hz.hazard_report(actor=world["chief"], enterprise=world["ent"], origin="inspection",
                            grade="major", category="危险化学品", location="罐区",
                            description="安全阀失效", found_on=D, today=D)


@pytest.mark.django_db
def test_enterprise_search_field_is_never_cut(chief, world):
    for i in range(30):
        factories.organization(world["areas"]["c12"], f"滨海物流{i:02d}有限公司")
    page = chief.get("/safety/hazards/new/").content.decode()
    assert 'name="enterprise"' in page and "<select name=\"enterprise\"" not in page
    options = chief.get("/safety/organizations/options/", {"field": "enterprise",
                                                           "enterprise": "滨海物流"})
    html = options.content.decode()
    assert html.count("<option") == 20 and "另有 10 个匹配" in html
    # a name picked from the suggestions, or a credit code, names the enterprise
    for text in (world["ent"].name, world["ent"].uscc):
        r = chief.post("/safety/hazards/new/", {
            "enterprise": text, "origin": "self", "grade": "general", "category": "消防安全",
            "location": "仓库", "description": "通道堵塞"})
        assert r.status_code == 302, r.content.decode()[-1500:]
    assert Hazard.objects.filter(enterprise=world["ent"]).count() == 2


@pytest.mark.django_db
def test_two_enterprises_with_one_name_are_told_apart(chief, world):
    twin = factories.organization(world["areas"]["c12"], world["ent"].name)
    r = chief.post("/safety/hazards/new/", {
        "enterprise": world["ent"].name, "origin": "self", "grade": "general",
        "category": "消防安全", "location": "仓库", "description": "通道堵塞"})
    assert r.status_code == 422 and "统一社会信用代码" in r.content.decode()
    options = chief.get("/safety/organizations/options/", {"q": world["ent"].name}).content
    assert twin.uscc in options.decode()


@pytest.mark.django_db
def test_refused_step_shows_in_place_with_the_input(chief, world):
    h = hz.hazard_report(actor=world["chief"], enterprise=world["ent"], origin="self",
                         grade="general", category="电气安全", location="车间",
                         description="x", found_on=D, today=D)
    r = chief.post(f"/safety/hazards/{h.pk}/order/", {"version": h.version,
                                                      "order_number": "责改〔2026〕9号",
                                                      "due": "2000-01-01"})
    html = r.content.decode()
    assert r.status_code == 422 and "期限不能早于今天" in html
    assert 'value="责改〔2026〕9号"' in html and 'id="action-order"' in html
    assert Hazard.objects.get(pk=h.pk).state == "reported"


@pytest.mark.django_db
def test_suspension_from_the_page_and_the_api(chief, world):
    h = _major(world)
    page = chief.get(f"/safety/hazards/{h.pk}/").content.decode()
    assert 'id="action-list"' in page and 'id="action-suspension"' not in page
    hz.hazard_list_supervision(actor=world["chief"], hazard=h, listed_by="区安委会",
                               version=h.version)
    page = chief.get(f"/safety/hazards/{h.pk}/").content.decode()
    assert 'id="action-suspension"' in page
    r = chief.post(f"/safety/hazards/{h.pk}/suspension/", {
        "version": h.version, "suspension": "full", "note": "责令全面停产"})
    assert r.status_code == 302
    h.refresh_from_db()
    assert (h.suspension, h.suspension_note) == ("full", "责令全面停产")
    r = chief.post(f"/api/safety/hazards/{h.pk}/suspension", data={
        "version": h.version, "suspension": "partial", "note": "部分复产"},
        content_type="application/json")
    assert r.status_code == 200 and r.json()["suspension"] == "partial"
    stale = chief.post(f"/api/safety/hazards/{h.pk}/suspension", data={
        "version": h.version, "suspension": "none"}, content_type="application/json")
    assert stale.status_code == 409
    assert AuditEntry.objects.filter(object_type="safety.hazard",
                                     changes__has_key="suspension").count() == 3


@pytest.mark.django_db
def test_hazard_page_uses_the_shared_clock_table(chief, world):
    h = _major(world)
    hz.hazard_submit_plan(actor=world["chief"], hazard=h, version=h.version, goals="g",
                          methods="m", funds="f", responsible="r",
                          time_limit=D + datetime.timedelta(days=300), safety_measures="s",
                          emergency_plan="e", principal="王总", today=D)
    html = chief.get(f"/safety/hazards/{h.pk}/").content.decode()
    assert 'class="clocks"' in html
    assert "重大隐患报告监管部门（1个工作日）" in html  # from the configured limit
    assert "整改" in html and "done_on_time" not in html  # words, never codes


@pytest.mark.django_db
def test_inspection_plan_moves_through_its_workflow(world):
    for i in range(3):
        factories.organization(world["areas"]["c12"], f"抽查企业{i}")
    for i in range(2):
        factories.user(f"insp{i}", "caseworker", world["areas"]["district"],
                       department=world["dept"])
    plan = insp.plan_create(actor=world["chief"], name="2026年第一批",
                            area=world["areas"]["district"], department=world["dept"],
                            sample_size=2)
    assert plan.state == "planned"
    insp.plan_draw(actor=world["chief"], plan=plan, seed=5, version=plan.version)
    assert plan.state == "drawn" and plan.drawn_at and plan.seed == 5
    insp.plan_publish_results(actor=world["chief"], plan=plan, version=plan.version)
    plan = InspectionPlan.objects.get()
    assert plan.state == "published" and plan.published_at
    actions = [c["action"] for c in AuditEntry.objects.filter(
        object_type="safety.inspectionplan", action="transition").order_by("id").values_list(
        "changes", flat=True)]
    assert actions == ["draw", "publish"]
    assert AuditEntry.objects.filter(object_type="safety.publication").exists()
    from minsheng.core.errors import ValidationFailed
    with pytest.raises(ValidationFailed):
        insp.plan_publish_results(actor=system_actor(), plan=plan)


@pytest.mark.django_db
def test_an_all_digit_credit_code_names_its_enterprise(chief, world):
    # credit codes may be all digits; such a code was read as a record id and refused
    code = next(c for c in (factories.credit_code(n) for n in range(1000, 1100))
                if c.isdigit())
    ent = factories.organization(world["areas"]["c12"], "数字码物流有限公司", uscc=code)
    r = chief.post("/safety/hazards/new/", {
        "enterprise": code, "origin": "self", "grade": "general", "category": "消防安全",
        "location": "仓库", "description": "通道堵塞"})
    assert r.status_code == 302, r.content.decode()[-1500:]
    assert Hazard.objects.filter(enterprise=ent).count() == 1
