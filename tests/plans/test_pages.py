"""Pages and API, given the demo world (query counts do not grow with subdistricts)."""

import pytest
from django.test import Client

from minsheng.plans.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(world):
    def make(name):
        c = Client()
        c.force_login(world["users"][name])
        return c
    return make


def test_overview_shows_every_target_with_status_and_projection(world, client_for):
    response = client_for("supervisor").get("/plans/")
    assert response.status_code == 200
    html = response.content.decode()
    for t in Target.objects.filter(parent=None):
        assert t.name in html
    assert 'data-status="at_risk"' in html and "<polyline" in html
    chapter = world["plan"].items.get(number="三")
    filtered = client_for("supervisor").get(f"/plans/?chapter={chapter.pk}").content.decode()
    assert "职工参保率" not in filtered or "新增就业" not in filtered


def test_overview_query_count_is_independent_of_subdistricts(world, client_for,
                                                             django_assert_max_num_queries):
    from django.core.cache import cache

    from tests import factories

    c = client_for("supervisor")
    cache.clear()
    with django_assert_max_num_queries(40) as before:
        c.get("/plans/")
    for i in range(3, 7):
        factories.area(f"12019900{i}", f"新{i}街道", world["areas"]["district"])
    cache.clear()
    with django_assert_max_num_queries(len(before.captured_queries)):
        c.get("/plans/")


def test_target_page_has_chart_data_and_methods(world, client_for):
    target = Target.objects.get(indicator__code="registered_unemployment_rate", parent=None)
    html = client_for("supervisor").get(f"/plans/targets/{target.pk}/").content.decode()
    assert 'id="chart-data" type="application/json"' in html
    assert "plotly/plotly.min.js" in html and "plans/chart.js" in html
    assert "<script>" not in html  # nothing inline to execute under CSP


@pytest.mark.parametrize("url", ["/plans/league/", "/plans/report/", "/plans/supervision/",
                                 "/indicators/values/"])
def test_pages_render(world, client_for, url):
    assert client_for("supervisor").get(url).status_code == 200


def test_review_page_and_exports(world, client_for):
    c = client_for("supervisor")
    html = c.get(f"/plans/{world['plan'].pk}/review/").content.decode()
    # the importer's reasons in the page's language, not in its English
    assert "广告或联系方式提示" in html and "advertisement" not in html
    response = c.get("/plans/export/tasks.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert c.get("/plans/export/targets.xlsx").content[:2] == b"PK"


def test_api_targets_and_open_data(world, client_for):
    c = client_for("supervisor")
    page = c.get(f"/api/plans/{world['plan'].pk}/targets").json()
    data = page["items"]
    assert page["count"] == len(data) == 8
    assert {t["status"] for t in data} >= {"at_risk", "off_track"}
    assert len(data[0]["results"]) == 3  # district + two subdistricts
    open_data = Client().get("/indicators/open-data/indicators.json").json()
    assert open_data["license"] and open_data["indicators"] and open_data["values"]
    csv_text = Client().get("/indicators/open-data/indicators.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("indicator,area_code,area_name")
