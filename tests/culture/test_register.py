"""The heritage register: sites with their history, zones superseded with history, the
statutory delimitation limit, patrols, the all-or-nothing zone import."""

import datetime

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from minsheng.culture import geometry, selectors
from minsheng.culture.geometry import Shape
from minsheng.culture.models import HeritageSite, ProtectionZone
from minsheng.culture.services import register
from tests.culture.conftest import A, B, D, square


def _new(world, **over):
    values = dict(code="WB0100", area=world["areas"]["c12"], name="潮音寺", level="county",
                  category="building", era="明", address="潮音路8号", lon=117.75, lat=39.05,
                  responsible_person="李志强", designated_on=datetime.date(2024, 1, 10),
                  today=D)
    values.update(over)
    return register.site_create(actor=world["officer"], **values)


def test_site_registered_and_edits_kept_as_history(world):
    site = _new(world)
    register.site_update(actor=world["officer"], site=site, version=site.version,
                         risk="poor", responsible_person="赵德明", today=D)
    site.refresh_from_db()
    assert site.risk == "poor" and site.version == 2
    history = selectors.site_history(world["officer"], site)
    assert history[0].changes["responsible_person"] == ["李志强", "赵德明"]
    assert ("responsible person", "李志强", "赵德明") in [
        (str(label), old, new) for label, old, new in history[0].rows]
    assert ("risk status", "Good", "Poor") in [
        (str(label), old, new) for label, old, new in history[0].rows]
    assert history[-1].action == "create"
    with pytest.raises(StaleVersion):
        register.site_update(actor=world["officer"], site=site, version=1, risk="good", today=D)


@pytest.mark.parametrize("over, field", [
    ({"code": "WB0001"}, "code"),  # taken
    ({"lon": 116.4, "lat": 39.9}, "lon"),  # Beijing: outside the district
    ({"lon": 39.05, "lat": 117.75}, "lon"),  # swapped
    ({"designated_on": None}, "designated_on"),  # a protected site has a designation date
    ({"designated_on": D + datetime.timedelta(days=1)}, "designated_on"),
    ({"level": "world"}, "level"),
    ({"name": ""}, "name"),
])
def test_bad_site_input_is_refused_on_its_field(world, over, field):
    with pytest.raises(ValidationFailed) as error:
        _new(world, **over)
    assert error.value.details["field"] == field
    assert not HeritageSite.objects.filter(code=over.get("code", "WB0100"), name="潮音寺")\
        .exists()


def test_registered_relic_needs_no_designation_date(world):
    site = _new(world, level="registered", designated_on=None)
    assert selectors.delimit_due(site) is None


def test_register_is_kept_by_the_culture_department_only(world):
    with pytest.raises(PermissionDenied):
        _new(world, actor=None) if False else register.site_create(
            actor=world["planner"], code="WB0101", area=world["areas"]["c11"], name="x",
            level="county", category="site", era="明", address="x", lon=117.7, lat=39.0,
            responsible_person="x", designated_on=D, today=D)


def test_delimitation_overdue_after_the_statutory_year(world):
    site = _new(world, designated_on=datetime.date(2024, 1, 10))
    rows = selectors.site_list(world["officer"], overdue=True, today=D)
    assert [s.code for s in rows] == ["WB0100"]
    register.zone_set(actor=world["officer"], site=site, kind="protection",
                      shape=Shape(shapely.geometry.shape(square(117.75, 39.05, 80))),
                      source="test", today=D)
    assert not selectors.site_list(world["officer"], overdue=True, today=D).exists()


def test_a_recent_designation_is_not_overdue_yet(world):
    _new(world, designated_on=D - datetime.timedelta(days=100))
    assert not selectors.site_list(world["officer"], overdue=True, today=D).exists()


def test_redrawing_a_zone_supersedes_the_old_one(world):
    site = world["site_a"]
    old = site.zones.get(kind="protection", superseded_at__isnull=True)
    new = register.zone_set(actor=world["officer"], site=site, kind="protection",
                            shape=Shape(shapely.geometry.shape(square(*A, 120))),
                            source="test", today=D)
    old.refresh_from_db()
    assert old.superseded_at is not None and new.superseded_at is None
    assert 55_000 < new.area_m2 < 60_000  # 240 m × 240 m
    assert len(selectors.site_zones(world["officer"], site, history=True)) == 3


def test_control_zone_must_surround_the_protection_range(world):
    with pytest.raises(ValidationFailed, match="surround"):
        register.zone_set(actor=world["officer"], site=world["site_a"], kind="control",
                          shape=Shape(shapely.geometry.shape(square(*A, 50))), source="test",
                          today=D)


def test_import_is_all_or_nothing_and_lists_every_bad_feature(world):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"site": "WB0001", "kind": "保护范围"},
         "geometry": square(*A, 90)},
        {"type": "Feature", "properties": {"site": "WB9999", "kind": "protection"},
         "geometry": square(*A, 90)},
        {"type": "Feature", "properties": {"site": "WB0001", "kind": "buffer"},
         "geometry": square(*A, 90)}]}
    before = ProtectionZone.objects.count()
    with pytest.raises(ValidationFailed) as error:
        register.zones_import(actor=world["officer"], shapes=geometry.read_geojson(fc),
                              source="geojson", today=D)
    assert len(error.value.details["errors"]) == 2
    assert ProtectionZone.objects.count() == before
    fc["features"] = fc["features"][:1]
    [zone] = register.zones_import(actor=world["officer"], shapes=geometry.read_geojson(fc),
                                   source="geojson", today=D)
    assert zone.kind == "protection" and zone.site == world["site_a"]


def test_import_refuses_sites_outside_the_actors_area(world):
    fc = {"type": "Feature", "properties": {"site": "WB0002", "kind": "protection"},
          "geometry": square(*B, 90)}
    from tests import factories

    local = factories.actor("local", "caseworker", world["areas"]["s1"], department=world["dept"])
    with pytest.raises(ValidationFailed, match="outside your area"):
        register.zones_import(actor=local, shapes=geometry.read_geojson(fc), source="geojson")


def test_patrol_sets_the_risk_status_and_keeps_the_photo(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("crack.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    patrol = register.patrol_record(actor=world["officer"], site=world["site_a"],
                                    kind="patrol", done_on=D, inspector="王建国",
                                    condition="endangered", findings="东墙开裂", photos=[photo],
                                    today=D)
    world["site_a"].refresh_from_db()
    assert world["site_a"].risk == "endangered" and patrol.photos.count() == 1
    with pytest.raises(ValidationFailed):
        register.patrol_record(actor=world["officer"], site=world["site_a"], kind="patrol",
                               done_on=D, inspector="x", condition="good", findings="x",
                               photos=[SimpleUploadedFile("x.exe", b"MZ")], today=D)
