"""Enterprise safety profile pages: view, create, edit with an optimistic version,
certificates with expiry highlighted, training records, and scope."""

import datetime

import pytest

from minsheng.safety.models import SafetyProfile
from tests import factories


@pytest.fixture
def chief(client, world):
    client.force_login(world["chief"].user)
    return client


def _profile_form(**overrides):
    data = {"industry_code": "2614", "category": "hazchem", "risk_level": "high",
            "principal": "王建国", "principal_phone": "13800000000", "safety_manager": "周磊",
            "safety_staff": "3", "employees": "120"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_and_edit_profile_with_version(chief, world):
    ent = world["ent"]
    page = chief.get(f"/safety/enterprises/{ent.pk}/").content.decode()
    assert "尚未建立安全生产档案" in page
    r = chief.post(f"/safety/enterprises/{ent.pk}/edit/", _profile_form())
    assert r.status_code == 302
    profile = SafetyProfile.objects.get(enterprise=ent)
    assert profile.risk_level == "high" and profile.version == 1
    form = chief.get(f"/safety/enterprises/{ent.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    r = chief.post(f"/safety/enterprises/{ent.pk}/edit/",
                   _profile_form(version="1", risk_level="major", safety_staff="5"))
    assert r.status_code == 302
    profile.refresh_from_db()
    assert (profile.risk_level, profile.safety_staff, profile.version) == ("major", 5, 2)
    # a second editor who read version 1 is refused, and nothing changes
    r = chief.post(f"/safety/enterprises/{ent.pk}/edit/",
                   _profile_form(version="1", risk_level="low"))
    assert r.status_code == 422 and "其他人" in r.content.decode()
    profile.refresh_from_db()
    assert profile.risk_level == "major"
    page = chief.get(f"/safety/enterprises/{ent.pk}/").content.decode()
    assert "重大风险（红）" in page or "重大风险" in page
    assert f"/safety/hazards/?enterprise={ent.pk}" in page


@pytest.mark.django_db
def test_certificates_expiry_and_training(chief, world):
    ent = world["ent"]
    chief.post(f"/safety/enterprises/{ent.pk}/edit/", _profile_form())
    today = datetime.date.today()
    for number, days in (("A-1", -5), ("A-2", 30), ("A-3", 400)):
        r = chief.post(f"/safety/enterprises/{ent.pk}/certificate/",
                       {"kind": "安全生产许可证", "number": number,
                        "expires_on": (today + datetime.timedelta(days=days)).isoformat()})
        assert r.status_code == 302
    r = chief.post(f"/safety/enterprises/{ent.pk}/training/",
                   {"employee": "员工01", "course": "三级安全教育", "hours": "8",
                    "held_on": today.isoformat(), "passed": "1"})
    assert r.status_code == 302
    page = chief.get(f"/safety/enterprises/{ent.pk}/").content.decode()
    assert page.count('class="row-bad"') == 1 and page.count('class="row-warn"') == 1
    assert "三级安全教育" in page
    # bad input renders the domain error, no record
    r = chief.post(f"/safety/enterprises/{ent.pk}/training/",
                   {"employee": "员工02", "course": "x", "hours": "abc",
                    "held_on": today.isoformat()})
    assert r.status_code == 422


@pytest.mark.django_db
def test_profile_list_and_hazards_of_an_enterprise(chief, world):
    chief.post(f"/safety/enterprises/{world['ent'].pk}/edit/", _profile_form())
    page = chief.get("/safety/enterprises/?risk=high").content.decode()
    assert world["ent"].name in page and world["other"].name not in page
    r = chief.get(f"/safety/hazards/?enterprise={world['ent'].pk}")
    assert r.status_code == 200 and world["ent"].name in r.content.decode()


@pytest.mark.django_db
def test_out_of_scope_profile_is_404(client, world, areas):
    outsider = factories.user("reader", "caseworker", areas["s2"])
    client.force_login(outsider)
    ent = world["ent"]  # in s1
    assert client.get(f"/safety/enterprises/{ent.pk}/").status_code == 404
    assert client.post(f"/safety/enterprises/{ent.pk}/edit/", _profile_form()).status_code == 404
    assert not SafetyProfile.objects.exists()
    assert ent.name not in client.get("/safety/enterprises/").content.decode()
    # inside scope but without the permission to edit: refused
    assert client.get(f"/safety/enterprises/{world['other'].pk}/").status_code == 200
    assert client.post(f"/safety/enterprises/{world['other'].pk}/edit/",
                       _profile_form()).status_code == 403


@pytest.mark.django_db
def test_industry_code_with_section_letter(chief, world):
    ent = world["ent"]
    assert chief.post(f"/safety/enterprises/{ent.pk}/edit/",
                      _profile_form(industry_code="G5951")).status_code == 302
    assert SafetyProfile.objects.get(enterprise=ent).industry_code == "G5951"
    assert chief.post(f"/safety/enterprises/{ent.pk}/edit/",
                      _profile_form(version="1", industry_code="ABC12")).status_code == 422
