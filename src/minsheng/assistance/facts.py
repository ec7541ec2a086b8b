"""Facts social assistance publishes about a person (core.facts), for other modules to
read without importing this one: each is a queryset of periods (person_id, since, until;
until None = still holds), so a reader can filter a population in SQL."""

from __future__ import annotations

from django.db.models import Case, DateField, F, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from minsheng.core.facts import Fact, register

MODULE = "minsheng.assistance"


def dibao_household_periods():
    """Members of a household's dibao benefit, from its first paid month to its last day:
    open while it pays, the end of the gradual exit while one runs, the day it ended (or
    the last day of a finished gradual exit) once it has."""
    from minsheng.assistance.models import BenefitMember

    until = Case(
        When(benefit__state="active", then=None),
        When(benefit__state="gradual_exit", then=F("benefit__gradual_exit_until")),
        default=Coalesce(F("benefit__gradual_exit_until"), F("benefit__exited_on")),
        output_field=DateField())
    return (BenefitMember.objects.annotate(since=F("benefit__start_month"), until=until)
            .values("person_id", "since", "until"))


def tekun_periods():
    """People receiving extreme-poverty support, from the first paid month until support
    ended."""
    from minsheng.assistance.models import TekunPerson

    return (TekunPerson.objects.annotate(since=F("start_month"), until=F("ended_on"))
            .values("person_id", "since", "until"))


def register_facts() -> None:
    register(Fact("assistance.dibao_household",
                  _("Member of a household receiving dibao"), MODULE,
                  dibao_household_periods))
    register(Fact("assistance.tekun", _("Receives extreme-poverty (tekun) support"), MODULE,
                  tekun_periods))
