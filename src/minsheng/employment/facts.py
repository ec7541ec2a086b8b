"""Facts the employment service publishes about a person (registered in AppConfig.ready,
read by other modules through `core.facts`). Each gives the periods in which it held:
`person_id`, `since`, `until` (None: still holds)."""

from django.db.models import DateField, F, Value
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from minsheng.core.facts import Fact
from minsheng.employment.models import (
    BenefitClaim,
    Employment,
    JobSeeker,
    UnemploymentRegistration,
)


def registered_unemployed():
    """Unemployment registrations: from the registration date to the closing date."""
    return UnemploymentRegistration.objects.values(
        person_id=F("seeker__person_id"), since=F("registered_on"), until=F("closed_on"))


def insured_employment():
    """Insured employment spells (social insurance and contract records)."""
    return Employment.objects.filter(insured=True).values(
        "person_id", since=F("start_date"), until=F("end_date"))


def benefit_recipient():
    """Unemployment insurance benefit: from its start to its end (the scheduled end, or the
    day it stopped or ended)."""
    return BenefitClaim.objects.values(
        person_id=F("seeker__person_id"), since=F("start_date"), until=F("end_date"))


def employment_difficulty():
    """People on the seeker register recognised as employment-difficulty persons (key
    groups 4050, disabled, dibao, zero-employment household, long-term unemployed), from
    the day their seeker record was made; they stop being counted when no longer seeking
    work (employed or inactive)."""
    return (JobSeeker.objects.filter(difficulty=True)
            .exclude(status__in=(JobSeeker.Status.EMPLOYED, JobSeeker.Status.INACTIVE))
            .values("person_id", since=TruncDate("created_at"),
                    until=Value(None, output_field=DateField())))


FACTS = [
    Fact("employment.registered_unemployed",
         _("Registered as unemployed (open unemployment registration)"),
         "minsheng.employment", registered_unemployed),
    Fact("employment.insured_employment",
         _("In insured employment (an open employment spell with social insurance)"),
         "minsheng.employment", insured_employment),
    Fact("employment.benefit_recipient", _("Receives unemployment insurance benefit"),
         "minsheng.employment", benefit_recipient),
    Fact("employment.employment_difficulty",
         _("Employment-difficulty person still looking for work"),
         "minsheng.employment", employment_difficulty),
]
