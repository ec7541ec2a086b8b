"""Facts primary care publishes about a person (read by others through `core.facts`)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from minsheng.core.facts import Fact
from minsheng.primarycare.models import Contract, Enrolment


def contracted():
    """Family-doctor contracts: from their start to their end (or the day they ended)."""
    return Contract.objects.exclude(state="terminated", ended_on__isnull=True).values(
        "person_id", since=F("start_date"), until=F("end_date"))


def medical_insured():
    """Basic medical insurance enrolments linked to the person."""
    return Enrolment.objects.filter(
        person__isnull=False, scheme__in=("medical_employee", "medical_resident")).values(
        "person_id", since=F("start_date"), until=F("end_date"))


FACTS = [
    Fact("primarycare.family_doctor_contract", _("Has a family-doctor contract"),
         "minsheng.primarycare", contracted),
    Fact("primarycare.medical_insured", _("Enrolled in basic medical insurance"),
         "minsheng.primarycare", medical_insured),
]
