"""Construction checks: every result, the record kept, the consent case with its clock,
the decision through the workflow, and the refusals."""

import pytest
import shapely

from minsheng.casework.models import FollowUp
from minsheng.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.core.workdays import add_working_days
from minsheng.culture.geometry import Shape, read_geojson
from minsheng.culture.models import ConsentCase, ConstructionCheck
from minsheng.culture.services import checks, register
from tests.culture.conftest import A, D, east, square


def run(w, geom, actor=None, area="c11", **kwargs):
    shape = geom if isinstance(geom, Shape) else Shape(shapely.geometry.shape(geom))
    return checks.project_check(actor=actor or w["officer"], project_name="海港小区二期",
                                applicant="滨海置业有限公司", area=w["areas"][area],
                                shape=shape, today=D, **kwargs)


def test_far_from_any_zone_is_clear_and_recorded(world):
    check = run(world, {"type": "Point", "coordinates": [east(*A, 3000), A[1]]})
    assert check.result == "clear" and check.matches == []
    assert "No protection range" in check.explanation
    assert not ConsentCase.objects.exists()
    assert AuditEntry.objects.filter(object_type="culture.constructioncheck",
                                     object_id=str(check.pk)).exists()


def test_within_the_buffer_of_a_control_zone_is_nearby_without_a_case(world):
    # the control zone's edge is 400 m east; the point is 420 m east, buffer 50 m
    check = run(world, {"type": "Point", "coordinates": [east(*A, 420), A[1]]})
    assert check.result == "nearby"
    [match] = check.matches
    assert match["kind"] == "control" and not match["touches"]
    assert 15 < match["distance_m"] < 25
    assert not ConsentCase.objects.exists()


def test_buffer_zero_ignores_the_nearby_zone(world):
    check = run(world, {"type": "Point", "coordinates": [east(*A, 420), A[1]]}, buffer_m=0)
    assert check.result == "clear"


def test_inside_a_control_zone_opens_a_consent_case_with_its_legal_clock(world):
    check = run(world, square(east(*A, 250), A[1], 30))
    assert check.result == "control"
    [match] = [m for m in check.matches if m["touches"]]
    assert match["code"] == "WB0001" and match["inside"] and match["overlap_m2"] > 3000
    case = ConsentCase.objects.get(construction_check=check)
    assert case.state == "open" and case.kind == "control"
    assert case.due_on == add_working_days(D, 20)  # 行政许可法第四十二条
    assert case.site == world["site_a"]
    followup = FollowUp.objects.get(kind="culture_consent", source_id=str(case.pk))
    assert followup.due_date == case.due_on and followup.department == world["dept"]
    assert "WB0001" in check.explanation and "wholly inside" in check.explanation


def test_inside_a_protection_range_is_refused_without_a_case(world):
    check = run(world, {"type": "Point", "coordinates": list(A)})
    assert check.result == "protection"
    assert {m["kind"] for m in check.matches} == {"protection", "control"}
    assert not ConsentCase.objects.exists()
    assert "protection" in check.get_result_display().lower()


def test_the_statutory_exception_opens_the_special_procedure(world):
    with pytest.raises(ValidationFailed) as error:
        run(world, {"type": "Point", "coordinates": list(A)}, exception_requested=True)
    assert error.value.details["field"] == "exception_grounds"
    check = run(world, {"type": "Point", "coordinates": list(A)}, exception_requested=True,
                exception_grounds="供水管网抢修")
    assert check.result == "exception"
    assert ConsentCase.objects.get(construction_check=check).kind == "exception"


def test_a_project_overlapping_two_sites_lists_both(world):
    from tests.culture.conftest import B

    big = {"type": "Polygon", "coordinates": [[[A[0], A[1]], [B[0], A[1]], [B[0], B[1]],
                                               [A[0], B[1]], [A[0], A[1]]]]}
    check = run(world, big)
    assert {m["code"] for m in check.matches} == {"WB0001", "WB0002"}
    assert check.result == "protection"


def test_a_redrawn_zone_is_used_at_once_and_the_old_one_kept(world):
    point = {"type": "Point", "coordinates": [east(*A, 230), A[1]]}
    assert run(world, point).result == "control"
    register.zone_set(actor=world["officer"], site=world["site_a"], kind="control",
                      shape=Shape(shapely.geometry.shape(square(*A, 200))), source="test",
                      today=D)
    assert run(world, point).result == "nearby"  # 30 m from the new edge, 50 m buffer
    assert world["site_a"].zones.filter(kind="control").count() == 2


def test_check_in_an_area_outside_scope_is_refused_and_records_nothing(world):
    with pytest.raises(PermissionDenied):
        run(world, {"type": "Point", "coordinates": list(A)}, actor=world["outsider"])
    assert not ConstructionCheck.objects.exists()


def test_bad_buffer_and_missing_names_are_refused(world):
    point = {"type": "Point", "coordinates": list(A)}
    with pytest.raises(ValidationFailed):
        run(world, point, buffer_m=-1)
    with pytest.raises(ValidationFailed) as error:
        checks.project_check(actor=world["officer"], project_name=" ", applicant="x",
                             area=world["areas"]["c11"],
                             shape=Shape(shapely.geometry.shape(point)), today=D)
    assert error.value.details["field"] == "project_name"


def test_a_project_given_in_another_crs_is_checked_after_transformation(world):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(east(*A, 250), A[1])
    [shape] = read_geojson({"type": "Point", "coordinates": [x, y]}, crs="EPSG:3857",
                           polygon_only=False)
    check = run(world, shape)
    assert check.result == "control"
    assert "Pseudo-Mercator" in check.input_note


def _case(world):
    return ConsentCase.objects.get(construction_check=run(
        world, {"type": "Point", "coordinates": [east(*A, 250), A[1]]}))


def test_consent_given_with_reason_closes_case_and_followup(world):
    case = _case(world)
    checks.consent_decide(actor=world["approver"], case=case, version=case.version,
                          decision="approve", reason="方案不影响历史风貌", conditions="限高12米",
                          today=D)
    case.refresh_from_db()
    assert case.state == "approved" and case.decided_on == D and case.closed_at
    assert case.conditions == "限高12米"
    assert FollowUp.objects.get(source_id=str(case.pk)).state == "done"
    assert checks.consent_clock(case).status() == "done_on_time"


def test_consent_needs_a_reason_the_permission_and_the_current_version(world):
    case = _case(world)
    with pytest.raises(ValidationFailed):
        checks.consent_decide(actor=world["approver"], case=case, version=case.version,
                              decision="refuse", reason="", today=D)
    with pytest.raises(PermissionDenied):  # caseworkers check, approvers decide
        checks.consent_decide(actor=world["officer"], case=case, version=case.version,
                              decision="approve", reason="ok", today=D)
    with pytest.raises(StaleVersion):
        checks.consent_decide(actor=world["approver"], case=case, version=case.version + 5,
                              decision="approve", reason="ok", today=D)
    case.refresh_from_db()
    assert case.state == "open"


def test_the_clock_is_overdue_after_twenty_working_days(world):
    case = _case(world)
    clock = checks.consent_clock(case)
    assert clock.status(D) == "running"
    assert clock.status(add_working_days(D, 21)) == "overdue"


def test_check_of_a_site_outside_scope_cannot_be_read(world):
    from minsheng.culture import selectors

    check = run(world, {"type": "Point", "coordinates": list(A)})
    with pytest.raises(NotFound):
        selectors.check_get(world["outsider"], pk=check.pk)
