"""Every list page and list endpoint runs the same number of queries for a few rows as
for many (no query per row)."""

import datetime
import itertools

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minsheng.core.access import system_actor
from minsheng.education.models import DropoutCase
from minsheng.education.services import dropout, rolls
from tests.education.conftest import TODAY, child, enrol

_n = itertools.count(1)


def populate(world, n):
    sys = system_actor()
    for _ in range(n):
        i = next(_n)
        area = world["areas"]["c11"] if i % 2 else world["areas"]["c12"]
        kid = child(area, name=f"生{i:03d}", birth=datetime.date(2016, 1 + i % 12, 1 + i % 27))
        e = enrol(world, kid)
        rolls.enrolment_move(actor=sys, enrolment=e, action="drop_out", version=e.version,
                             on=TODAY, today=TODAY)
        case = DropoutCase.objects.get(person=kid)
        dropout.case_act(actor=sys, case=case, action="confirm_out", version=case.version,
                         cause="truancy", school_officer="王", street_officer="李",
                         today=TODAY)
        enrol(world, child(area, name=f"园{i:03d}", birth=datetime.date(2022, 2, 2)),
              school_key="k1", grade=2, intake=2025)


PAGES = ["/education/", "/education/cases/", "/education/cases/?state=open&low_income=on",
         "/education/schools/", "/education/match/", "/education/aid/",
         "/education/figures/preschool_enrolled/?year=2026",
         "/education/figures/compulsory_cohort/?year=2026",
         "/api/education/cases", "/api/education/enrolments", "/api/education/schools",
         "/api/education/figures/preschool_enrolled?year=2026"]


def _counts(client, school_url):
    out = {}
    for url in [*PAGES, school_url, school_url + "?state=dropped_out"]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        out[url] = len(ctx.captured_queries)
    return out


def test_list_query_counts_do_not_grow_with_rows(world):
    client = Client()
    client.force_login(world["bureau"])
    school = f"/education/schools/{world['p1'].pk}/"
    populate(world, 2)
    few = _counts(client, school)
    populate(world, 12)
    many = _counts(client, school)
    assert few == many
