"""Every write of social assistance, by subject:

- `dibao`: applications from intake to the district's decision, the clock sweep
- `verification`: registry extract imports, verification runs, resolving findings
- `benefits`: a household's benefit after approval (reviews, exits, fraud, job refusals)
- `temporary`: temporary assistance grants
- `tekun`: extreme-poverty recognition and support, self-care assessments
- `spot_checks`: the district's reproducible re-check draw of tekun recognitions
- `payments`: monthly rosters and returned payments
- `clocks`: every legal clock (built from the district's settings; no writes)

Each write is `<noun>_<verb>(*, actor, ...)`: permission and area checked, one
transaction, the audit row in it; records with states move only through their workflow
(workflows.py). The names below are the public services, importable from here."""

from minsheng.assistance.services.benefits import (
    benefit_exit,
    fraud_recovery_record,
    gradual_exits_close,
    job_offer_refusal_record,
    review_trigger,
    reviews_open,
)
from minsheng.assistance.services.dibao import (
    dibao_accept,
    dibao_apply,
    dibao_apply_code,
    dibao_approver_visit,
    dibao_authorise,
    dibao_clock_sweep,
    dibao_close,
    dibao_decide,
    dibao_extend,
    dibao_first_review,
    dibao_investigate,
    dibao_materials_supplied,
    dibao_objection,
    dibao_publish_notice,
    dibao_refusal_notified,
    dibao_request_verification,
    dibao_send_file,
    dibao_start_verification,
)
from minsheng.assistance.services.payments import (
    payment_returned,
    roster_create,
    roster_write_xlsx,
)
from minsheng.assistance.services.spot_checks import spot_check_draw
from minsheng.assistance.services.tekun import (
    adl_assess,
    tekun_apply,
    tekun_change_reported,
    tekun_step,
    tekun_support_end,
    tekun_support_end_check,
)
from minsheng.assistance.services.temporary import (
    temporary_apply,
    temporary_complete,
    temporary_decide,
    temporary_grant_now,
    temporary_investigate,
    temporary_obligation_done,
)
from minsheng.assistance.services.verification import (
    discrepancy_resolve,
    registry_import,
    verification_batch,
    verification_run,
)

__all__ = [
    "adl_assess", "benefit_exit", "dibao_accept", "dibao_apply", "dibao_apply_code",
    "dibao_approver_visit",
    "dibao_authorise", "dibao_clock_sweep", "dibao_close", "dibao_decide", "dibao_extend",
    "dibao_first_review", "dibao_investigate", "dibao_materials_supplied", "dibao_objection",
    "dibao_publish_notice", "dibao_refusal_notified", "dibao_request_verification",
    "dibao_send_file", "dibao_start_verification", "discrepancy_resolve",
    "fraud_recovery_record", "gradual_exits_close", "job_offer_refusal_record",
    "payment_returned", "registry_import", "review_trigger", "reviews_open", "roster_create",
    "roster_write_xlsx", "spot_check_draw", "tekun_apply", "tekun_change_reported",
    "tekun_step", "tekun_support_end", "tekun_support_end_check", "temporary_apply",
    "temporary_complete", "temporary_decide", "temporary_grant_now", "temporary_investigate",
    "temporary_obligation_done", "verification_batch", "verification_run",
]
