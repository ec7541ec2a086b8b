"""Cascading a confirmed district target to subdistricts through the page."""

import pytest
from django.test import Client

from minsheng.plans.models import Target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(world):
    c = Client()
    c.force_login(world["users"]["supervisor"])
    return c


def _subs(target):
    return dict(Target.objects.filter(parent=target).values_list("area_id", "value"))


def _flow(world):
    return Target.objects.get(indicator__code="new_jobs", parent=None)


def _rate(world):
    return Target.objects.get(indicator__code="registered_unemployment_rate", parent=None)


def test_cascade_page_lists_subdistricts_and_the_rule(world, supervisor):
    target = _flow(world)
    html = supervisor.get(f"/plans/targets/{target.pk}/").content.decode()
    assert f"/plans/targets/{target.pk}/cascade/" in html
    html = supervisor.get(f"/plans/targets/{target.pk}/cascade/").content.decode()
    s1, s2 = world["areas"]["s1"], world["areas"]["s2"]
    assert s1.name in html and s2.name in html
    assert f'name="sub-{s1.id}"' in html and "之和须等于全区目标" in html


def test_additive_cascade_must_add_up(world, supervisor):
    target = _flow(world)
    s1, s2 = world["areas"]["s1"], world["areas"]["s2"]
    before = _subs(target)
    r = supervisor.post(f"/plans/targets/{target.pk}/cascade/",
                        {f"sub-{s1.id}": "100", f"sub-{s2.id}": "200"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    assert "分解目标合计为 300，而不是 21500" in r.content.decode()
    assert _subs(target) == before
    half = target.value / 2
    r = supervisor.post(f"/plans/targets/{target.pk}/cascade/",
                        {f"sub-{s1.id}": f"{half:g}", f"sub-{s2.id}": f"{half:g}"})
    assert r.status_code == 302 and r["Location"] == f"/plans/targets/{target.pk}/"
    assert _subs(target) == {s1.id: half, s2.id: half}
    html = supervisor.get(f"/plans/targets/{target.pk}/").content.decode()
    assert html.count('data-derived="sub-target"') == 2 and "街道分解目标" in html


def test_rate_cascade_must_average_and_shows_status_per_subdistrict(world, supervisor):
    target = _rate(world)
    s1, s2 = world["areas"]["s1"], world["areas"]["s2"]
    r = supervisor.post(f"/plans/targets/{target.pk}/cascade/",
                        {f"sub-{s1.id}": "1", f"sub-{s2.id}": "2"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "平均为 1.5" in r.content.decode()
    r = supervisor.post(f"/plans/targets/{target.pk}/cascade/",
                        {f"sub-{s1.id}": f"{target.value - 0.5:g}",
                         f"sub-{s2.id}": f"{target.value + 0.5:g}"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == f"/plans/targets/{target.pk}/"
    html = supervisor.get(f"/plans/targets/{target.pk}/").content.decode()
    for area in (s1, s2):
        row = html.split(f'data-area="{area.code}"', 1)[1].split("</tr>", 1)[0]
        assert 'data-derived="sub-target"' in row and "data-status=" in row


def test_not_a_number_is_refused(world, supervisor):
    target = _rate(world)
    s1 = world["areas"]["s1"]
    r = supervisor.post(f"/plans/targets/{target.pk}/cascade/", {f"sub-{s1.id}": "三点五"},
                        HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "不是数字" in r.content.decode()


def test_supervisor_of_another_area_gets_404(world):
    other = factories.area("120299", "别区")
    outsider = factories.user("outsider", "plan_supervisor", other)
    sub = factories.user("sub_supervisor", "plan_supervisor", world["areas"]["s1"])
    target = _flow(world)
    before = _subs(target)
    for user in (outsider, sub):
        c = Client()
        c.force_login(user)
        assert c.get(f"/plans/targets/{target.pk}/cascade/").status_code == 404
        r = c.post(f"/plans/targets/{target.pk}/cascade/",
                   {f"sub-{world['areas']['s1'].id}": "1"})
        assert r.status_code == 404
    assert _subs(target) == before


def test_department_without_supervise_permission_is_refused(world):
    c = Client()
    c.force_login(world["users"]["hrss"])
    target = _flow(world)
    assert c.get(f"/plans/targets/{target.pk}/cascade/").status_code == 403
    assert "/cascade/" not in c.get(f"/plans/targets/{target.pk}/").content.decode()
