"""Bad input on every form comes back in place (422) with the input kept."""

import pytest
from django.test import Client

from tests.culture.conftest import A


@pytest.fixture
def client(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(world["chief"].user)
    return c


def _forms(world):
    site = world["site_a"].pk
    return [
        ("/culture/sites/new/", {"code": "WB0009", "name": "保留的名字", "level": "county",
                                 "category": "site", "era": "明", "area": "120199001001",
                                 "address": "x", "lon": "abc", "lat": "39",
                                 "responsible_person": "王"}, "保留的名字"),
        (f"/culture/sites/{site}/edit/", {"version": "1", "name": "改后的名字", "level": "county",
                                           "category": "site", "era": "明", "address": "x",
                                           "lon": "116.4", "lat": "39.9", "risk": "good",
                                           "responsible_person": "王",
                                           "designated_on": "2024-05-01"}, "改后的名字"),
        (f"/culture/sites/{site}/zones/", {"kind": "protection", "geometry": "{bad json"},
         "{bad json"),
        (f"/culture/sites/{site}/patrols/", {"kind": "patrol", "done_on": "2999-01-01",
                                              "inspector": "巡查员甲", "condition": "good",
                                              "findings": "正常"}, "巡查员甲"),
        ("/culture/checks/new/", {"project_name": "保留项目", "applicant": "a",
                                  "area": "120199001001", "geometry": '{"type": "Polygon", '
                                  '"coordinates": [[[117.70, 39.00], [117.71, 39.01], '
                                  '[117.71, 39.00], [117.70, 39.01], [117.70, 39.00]]]}'},
         "保留项目"),
        ("/culture/intangible/new/", {"code": "FY9", "name": "保留非遗", "category": "none",
                                      "level": "county", "area": "120199001001",
                                      "protection_unit": "x", "listed_on": "2020-01-01"},
         "保留非遗"),
        ("/culture/facilities/new/", {"name": "保留设施", "kind": "station",
                                      "area": "120199001001", "floor_area_m2": "-5",
                                      "opened_on": "2020-01-01"}, "保留设施"),
        ("/culture/consents/999999/", {"version": "1", "decision": "approve"}, None),
    ]


def test_every_form_refuses_bad_input_in_place(world, client):
    for url, data, kept in _forms(world):
        response = client.post(url, data)
        if kept is None:
            assert response.status_code == 404
            continue
        assert response.status_code == 422, (url, response.status_code)
        assert kept in response.content.decode(), url


def test_self_intersecting_zone_reason_on_the_page(world, client):
    bowtie = ('{"type": "Polygon", "coordinates": [[[117.70, 39.00], [117.71, 39.01], '
              '[117.71, 39.00], [117.70, 39.01], [117.70, 39.00]]]}')
    response = client.post(f"/culture/sites/{world['site_a'].pk}/zones/",
                           {"kind": "protection", "geometry": bowtie})
    assert response.status_code == 422
    assert "Self-intersection" in response.content.decode()
    response = client.post(f"/culture/sites/{world['site_a'].pk}/zones/",
                           {"kind": "protection", "geometry": bowtie, "repair": "on"})
    assert response.status_code == 302


def test_kml_with_layers_on_the_import_page(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.culture.test_geometry import _kml

    content = _kml(("保护范围", [("WB0001", 100)]), ("底图", [("道路", 900)]))
    response = client.post("/culture/zones/import/", {
        "file": SimpleUploadedFile("zones.kml", content)})
    assert response.status_code == 422 and "底图" in response.content.decode()
    assert A  # the site the layer's placemark names exists (conftest)
