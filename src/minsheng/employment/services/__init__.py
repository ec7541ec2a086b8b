"""Every write of the employment module: permission and area scope, validation, one
transaction, the audit row in it. States move only through `casework.workflow.transition`
with the workflows of `employment.workflows`.

- `seekers`: the seeker register, profiles, plans, contacts;
- `postings`: job postings and their review;
- `registrations`: unemployment registration, benefits, placements, training;
- `matching`: recommendations, overrides and the batch matching job;
- `warnings`: headcount reports and the unemployment early-warning scan.
"""

from minsheng.employment.services.locations import area_locations_load
from minsheng.employment.services.matching import (
    match_job_queued,
    match_run,
    match_start,
    recommendation_override,
    recommendations_refresh,
    recommendations_store,
)
from minsheng.employment.services.postings import (
    POSTING_FIELDS,
    fraud_flags,
    posting_close,
    posting_create,
    posting_review,
    posting_update,
)
from minsheng.employment.services.registrations import (
    benefit_assess,
    benefit_grant,
    benefit_stop,
    placement_record,
    placements_confirm_from_insurance,
    registration_close,
    registration_open,
    training_enrol,
)
from minsheng.employment.services.seekers import (
    SEEKER_FIELDS,
    contact_due,
    contact_overdue,
    contact_record,
    seeker_create,
    seeker_occupations_confirm,
    seeker_plan_update,
    seeker_update,
)
from minsheng.employment.services.warnings import (
    REDUCTIONS,
    headcount_report_submit,
    match_laid_off_workers,
    warnings_scan,
)

__all__ = [
    "POSTING_FIELDS", "REDUCTIONS", "SEEKER_FIELDS", "area_locations_load", "benefit_assess",
    "benefit_grant",
    "benefit_stop", "contact_due", "contact_overdue", "contact_record", "fraud_flags",
    "headcount_report_submit", "match_job_queued", "match_laid_off_workers", "match_run",
    "match_start", "placement_record", "placements_confirm_from_insurance", "posting_close",
    "posting_create", "posting_review", "posting_update", "recommendation_override",
    "recommendations_refresh", "recommendations_store", "registration_close",
    "registration_open", "seeker_create", "seeker_occupations_confirm",
    "seeker_plan_update", "seeker_update",
    "training_enrol", "warnings_scan",
]
