"""Every write of primary care and insurance coverage (tests/test_write_path.py)."""

from minsheng.primarycare.services.contracts import (  # noqa: F401
    alliance_create,
    contract_renew,
    contract_sign,
    contract_terminate,
    contracts_expire,
    key_groups_of,
    team_create,
)
from minsheng.primarycare.services.coverage import (  # noqa: F401
    enrolment_decide,
    enrolments_import,
    outreach_close,
    outreach_contact,
    outreach_enrol,
    outreach_open,
)
from minsheng.primarycare.services.exports import contracts_export, uninsured_export  # noqa: F401,E402
from minsheng.primarycare.services.referrals import (  # noqa: F401
    referral_acknowledge,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_escalate,
)
