"""Beds as history: figures for any past date, changes that never rewrite the past,
admissions and discharges, and the bad input of the issue."""

import datetime

import pytest

from minsheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.eldercare import figures, selectors
from minsheng.eldercare.models import BedPeriod, Stay
from minsheng.eldercare.services import institutions as inst_svc
from minsheng.eldercare.services import stays as stay_svc
from tests import factories
from tests.eldercare.conftest import DAY0, add_beds, elder

D = datetime.date


@pytest.fixture
def beds(world):
    return add_beds(world["inst"], 3) + add_beds(world["inst"], 1, "nursing", room="102")


def test_figures_for_any_past_date_stay_what_they_were(world, beds):
    inst = world["inst"]
    inst_svc.bed_change(actor=world["worker"], bed=beds[0], on=D(2025, 1, 1),
                        bed_type="nursing", status="in_service", note="改造为护理型")
    inst_svc.bed_change(actor=world["worker"], bed=beds[1], on=D(2025, 6, 1),
                        bed_type="general", status="out_of_service")
    before = figures.by_institution(D(2024, 12, 31), [inst.pk])[inst.pk]
    after = figures.by_institution(D(2025, 7, 1), [inst.pk])[inst.pk]
    assert (before.beds, before.nursing) == (4, 1)
    assert (after.beds, after.nursing) == (3, 2)
    assert after.nursing_share == pytest.approx(2 / 3)
    # the past is not rewritten: a period is closed, a new one opened
    assert list(beds[0].periods.values_list("bed_type", "valid_from", "valid_to")) == [
        ("general", DAY0, D(2025, 1, 1)), ("nursing", D(2025, 1, 1), None)]
    assert figures.by_institution(D(2023, 12, 31), [inst.pk]) == {}


def test_beds_per_1000_elders_and_occupancy(world, beds):
    areas = world["areas"]
    people = [elder(areas["c11"], name=f"老人{k}") for k in range(3)]
    factories.person(areas["c11"], name="年轻人", birth=D(1990, 1, 1))
    stay_svc.stay_admit(actor=world["worker"], person=people[0], bed=beds[0],
                        admitted_on=D(2025, 2, 1))
    data = selectors.figures(world["supervisor"], on=D(2025, 3, 1))
    total = data["total"]
    assert (total.beds, total.occupied, total.elders) == (4, 1, 3)
    assert total.per_1000_elders == pytest.approx(4000 / 3)
    assert total.occupancy == pytest.approx(0.25)
    # before the admission nobody was in care
    assert selectors.figures(world["supervisor"], on=D(2025, 1, 1))["total"].occupied == 0


def test_a_bed_cannot_hold_two_residents_on_overlapping_dates(world, beds):
    a, b = elder(world["areas"]["c11"], "甲"), elder(world["areas"]["c11"], "乙")
    stay_svc.stay_admit(actor=world["worker"], person=a, bed=beds[0], admitted_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed) as err:
        stay_svc.stay_admit(actor=world["worker"], person=b, bed=beds[0],
                            admitted_on=D(2025, 3, 1))
    assert err.value.details["field"] == "bed"
    assert Stay.objects.count() == 1


def test_admission_to_a_full_institution_is_refused(world):
    bed = add_beds(world["inst"], 1)[0]
    a, b = elder(world["areas"]["c11"], "甲"), elder(world["areas"]["c11"], "乙")
    stay_svc.stay_admit(actor=world["worker"], person=a, bed=bed, admitted_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed, match="full"):
        stay_svc.stay_admit(actor=world["worker"], person=b, bed=bed, admitted_on=D(2025, 2, 1))


def test_a_person_cannot_stay_in_two_institutions(world, beds):
    other_bed = add_beds(world["inst2"], 1)[0]
    a = elder(world["areas"]["c11"])
    stay_svc.stay_admit(actor=world["worker"], person=a, bed=beds[0], admitted_on=D(2025, 1, 1))
    with pytest.raises(Conflict, match="already stays"):
        stay_svc.stay_admit(actor=factories.SYSTEM(), person=a, bed=other_bed,
                            admitted_on=D(2025, 5, 1))


def test_admission_refused_for_out_of_service_bed_and_deceased_person(world, beds):
    inst_svc.bed_change(actor=world["worker"], bed=beds[1], on=D(2025, 1, 1),
                        bed_type="general", status="out_of_service")
    a = elder(world["areas"]["c11"])
    with pytest.raises(ValidationFailed, match="not in service"):
        stay_svc.stay_admit(actor=world["worker"], person=a, bed=beds[1],
                            admitted_on=D(2025, 2, 1))
    dead = elder(world["areas"]["c11"], status="deceased", status_date=D(2025, 1, 5))
    with pytest.raises(ValidationFailed):
        stay_svc.stay_admit(actor=world["worker"], person=dead, bed=beds[0],
                            admitted_on=D(2025, 2, 1))


def test_discharge_frees_the_bed_and_checks_dates(world, beds):
    a, b = elder(world["areas"]["c11"], "甲"), elder(world["areas"]["c11"], "乙")
    stay = stay_svc.stay_admit(actor=world["worker"], person=a, bed=beds[0],
                               admitted_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        stay_svc.stay_discharge(actor=world["worker"], stay=stay, version=stay.version,
                                on=D(2024, 12, 1), reason="home")
    stay_svc.stay_discharge(actor=world["worker"], stay=stay, version=stay.version,
                            on=D(2025, 4, 1), reason="home")
    stay.refresh_from_db()
    assert stay.state == "discharged" and stay.discharged_on == D(2025, 4, 1)
    stay_svc.stay_admit(actor=world["worker"], person=b, bed=beds[0], admitted_on=D(2025, 4, 1))
    assert figures.by_institution(D(2025, 3, 1))[world["inst"].pk].occupied == 1


def test_deaths_in_care_close_the_stay(world, beds):
    a = elder(world["areas"]["c11"])
    stay = stay_svc.stay_admit(actor=world["worker"], person=a, bed=beds[0],
                               admitted_on=D(2025, 1, 1))
    type(a).objects.filter(pk=a.pk).update(status="deceased", status_date=D(2025, 3, 9))
    assert stay_svc.deaths_in_care_close(actor=factories.SYSTEM()) == 1
    stay.refresh_from_db()
    assert (stay.state, stay.discharged_on, stay.discharge_reason) == (
        "discharged", D(2025, 3, 9), "death")


def test_bed_change_rules(world, beds):
    with pytest.raises(ValidationFailed, match="after"):
        inst_svc.bed_change(actor=world["worker"], bed=beds[0], on=DAY0, bed_type="nursing",
                            status="in_service")
    with pytest.raises(ValidationFailed, match="Nothing changes"):
        inst_svc.bed_change(actor=world["worker"], bed=beds[0], on=D(2025, 1, 1),
                            bed_type="general", status="in_service")
    stay_svc.stay_admit(actor=world["worker"], person=elder(world["areas"]["c11"]),
                        bed=beds[0], admitted_on=D(2025, 1, 1))
    with pytest.raises(ValidationFailed, match="occupies"):
        inst_svc.bed_change(actor=world["worker"], bed=beds[0], on=D(2025, 2, 1),
                            bed_type="general", status="out_of_service")
    assert BedPeriod.objects.filter(bed=beds[0]).count() == 1


def test_bed_add_refuses_duplicates_and_bad_codes(world, beds):
    with pytest.raises(Conflict):
        inst_svc.bed_add(actor=world["worker"], institution=world["inst"], room="101",
                         number="1", bed_type="general", valid_from=DAY0)
    with pytest.raises(ValidationFailed):
        inst_svc.bed_add(actor=world["worker"], institution=world["inst"], room="一〇一",
                         number="1", bed_type="general", valid_from=DAY0)
    with pytest.raises(ValidationFailed):
        inst_svc.bed_add(actor=world["worker"], institution=world["inst"], room="103",
                         number="1", bed_type="luxury", valid_from=DAY0)


def test_institution_rules_and_scope(world):
    org = factories.organization(world["areas"]["s1"], "某公司")
    with pytest.raises(ValidationFailed):
        inst_svc.institution_register(actor=world["worker"], organization=org,
                                      ownership="public")
    with pytest.raises(Conflict):
        inst_svc.institution_register(actor=world["worker"],
                                      organization=world["inst"].organization,
                                      ownership="public")
    with pytest.raises(PermissionDenied):  # another subdistrict
        inst_svc.bed_add(actor=world["worker"], institution=world["inst2"], room="1",
                         number="1", bed_type="general", valid_from=DAY0)
    with pytest.raises(PermissionDenied):  # not the civil-affairs department
        inst_svc.bed_add(actor=world["other_dept"], institution=world["inst"], room="1",
                         number="1", bed_type="general", valid_from=DAY0)
    inst = world["inst"]
    inst_svc.institution_update(actor=world["worker"], institution=inst, version=inst.version,
                                ownership="public_private", star_rating=4)
    inst.refresh_from_db()
    assert (inst.ownership, inst.star_rating) == ("public_private", 4)
    assert AuditEntry.objects.filter(object_type="eldercare.institution",
                                     action="update").exists()
    with pytest.raises(ValidationFailed):
        inst_svc.institution_update(actor=world["worker"], institution=inst,
                                    version=inst.version, ownership="public", star_rating=6)
