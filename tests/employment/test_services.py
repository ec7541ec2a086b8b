import datetime
import decimal

import pytest
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.employment import services
from minsheng.employment.models import BenefitClaim, Employment, JobSeeker, Recommendation
from tests import factories
from tests.employment.conftest import make_posting, make_seeker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_posting_salary_min_above_max_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        make_posting(world, salary_min=9000, salary_max=5000)
    assert err.value.details["field"] == "salary_min"


def test_expired_posting_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        make_posting(world, valid_until=TODAY - datetime.timedelta(days=1))
    assert err.value.details["field"] == "valid_until"


@pytest.mark.parametrize("code", ["9-99-99-99", "4-02-07", "快递员", ""])
def test_unknown_occupation_code_is_refused(world, code):
    with pytest.raises(ValidationFailed):
        make_posting(world, occupation_code=code)


def test_huge_description_is_refused(world):
    with pytest.raises(ValidationFailed) as err:
        make_posting(world, description="很长" * 5000)
    assert err.value.details["field"] == "description"


def test_fee_and_training_loan_wording_is_flagged_and_needs_a_note(world):
    posting = make_posting(world, publish=False,
                           description="入职先交押金300元，可办理培训贷，包分配")
    assert "fee:押金" in posting.fraud_flags and "fee:培训贷" in posting.fraud_flags
    with pytest.raises(ValidationFailed):
        services.posting_review(actor=world["reviewer"], posting=posting, approve=True,
                                version=posting.version)
    services.posting_review(actor=world["reviewer"], posting=posting, approve=False,
                            note="收取押金，违反规定", version=posting.version)
    posting.refresh_from_db()
    assert posting.state == "rejected"


def test_markup_is_flagged(world):
    posting = make_posting(world, publish=False, description="<script>alert(1)</script>招聘")
    assert "markup" in posting.fraud_flags


def test_caseworker_cannot_review_postings(world):
    posting = make_posting(world, publish=False)
    with pytest.raises(PermissionDenied):
        services.posting_review(actor=world["caseworker"], posting=posting, approve=True,
                                note="", version=posting.version)


def test_seeker_without_valid_id_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.seeker_create(actor=system_actor(), id_number="")
    with pytest.raises(ValidationFailed):
        services.seeker_create(actor=system_actor(), id_number="110105198001011234")
    with pytest.raises(NotFound):  # valid checksum but not in the registry
        services.seeker_create(actor=system_actor(), id_number=factories.id_number())


def test_seeker_occupation_codes_validated_and_difficulty_derived(world):
    seeker = make_seeker(world)
    assert seeker.difficulty is True
    with pytest.raises(ValidationFailed):
        make_seeker(world, occupation_codes=["1-23-45-67"])
    with pytest.raises(ValidationFailed):
        make_seeker(world, salary_min=9000, salary_max=3000)


def test_duplicate_seeker_and_registration_conflict(world):
    seeker = make_seeker(world)
    with pytest.raises(Conflict):
        services.seeker_create(actor=system_actor(), person=seeker.person)
    services.registration_open(actor=world["caseworker"], seeker=seeker, registered_on=TODAY,
                               separation_reason="layoff", contribution_years=3)
    with pytest.raises(Conflict):
        services.registration_open(actor=world["caseworker"], seeker=seeker,
                                   registered_on=TODAY)


def test_benefit_rules(world):
    seeker = make_seeker(world)
    reg = services.registration_open(actor=system_actor(), seeker=seeker,
                                     registered_on=TODAY, separation_reason="layoff",
                                     contribution_years=6)
    result = services.benefit_assess(reg)
    assert result["eligible"] and result["months"] == 18
    assert result["monthly_amount"] == decimal.Decimal("2088.00")  # 90% of 2,320
    claim = services.benefit_grant(actor=system_actor(), registration=reg, start_date=TODAY)
    assert claim.months == 18
    services.benefit_stop(actor=system_actor(), claim=claim, reason="无正当理由拒绝推荐工作",
                          stopped_on=TODAY, refused_offer=True)
    assert BenefitClaim.objects.get(pk=claim.pk).state == "stopped"


@pytest.mark.parametrize("years,reason,months", [(0.5, "layoff", 0), (3, "resignation", 0),
                                                 (3, "layoff", 12), (12, "closure", 24)])
def test_benefit_eligibility_and_duration(world, years, reason, months):
    seeker = make_seeker(world)
    reg = services.registration_open(actor=system_actor(), seeker=seeker,
                                     registered_on=TODAY, separation_reason=reason,
                                     contribution_years=years)
    assert services.benefit_assess(reg)["months"] == months


def test_placement_closes_registration_and_counts_as_new_job(world):
    seeker = make_seeker(world)
    services.registration_open(actor=system_actor(), seeker=seeker, registered_on=TODAY,
                               separation_reason="layoff", contribution_years=2)
    posting = make_posting(world)
    services.placement_record(actor=world["caseworker"], seeker=seeker,
                              employer=world["employer"], placed_on=TODAY, posting=posting)
    seeker.refresh_from_db()
    assert seeker.status == "employed"
    assert seeker.registrations.get().close_reason == "employed"
    assert Employment.objects.get(person=seeker.person).start_kind == "new"


def test_minimum_contact_rule(world):
    seeker = make_seeker(world)
    later = TODAY + datetime.timedelta(days=40)
    assert services.contact_overdue(seeker, later)
    services.contact_record(actor=world["caseworker"], seeker=seeker, contacted_on=TODAY,
                            channel="phone", note="电话回访")
    assert not services.contact_overdue(seeker, TODAY + datetime.timedelta(days=10))


def test_override_is_recorded(world):
    seeker = make_seeker(world)
    posting = make_posting(world)
    rec = services.recommendation_override(actor=world["caseworker"], seeker=seeker,
                                           posting=posting, action="pin", note="本人意愿强烈")
    assert rec.status == "pinned" and rec.override_by == world["caseworker"].user
    assert AuditEntry.objects.filter(object_type="employment.recommendation",
                                     actor=world["caseworker"].user).exists()
    with pytest.raises(ValidationFailed):
        services.recommendation_override(actor=world["caseworker"], seeker=seeker,
                                         posting=posting, action="hide", note=" ")
    assert Recommendation.objects.get(pk=rec.pk).status == "pinned"


def test_headcount_report_with_reductions_above_headcount_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.headcount_report_submit(actor=system_actor(), enterprise=world["employer"],
                                         month=TODAY, baseline=10, additions=2,
                                         reduced_layoff=13)
    services.headcount_report_submit(actor=system_actor(), enterprise=world["employer"],
                                     month=TODAY, baseline=10, reduced_layoff=3)
    with pytest.raises(Conflict):
        services.headcount_report_submit(actor=system_actor(), enterprise=world["employer"],
                                         month=TODAY, baseline=10)


def test_caseworker_outside_area_cannot_register_seeker(world):
    person = factories.person(world["areas"]["c21"], "王五")
    with pytest.raises(PermissionDenied):
        services.seeker_create(actor=world["caseworker"], person=person)
    assert not JobSeeker.objects.exists()
