import datetime

import pandas as pd
import pytest
from django.utils import timezone

from minsheng.health import services
from minsheng.health.models import Disease
from tests import factories


@pytest.fixture
def health(areas):
    """A district with a health department, a doctor (caseworker of health), a clinic and a
    hospital, and a civil-affairs caseworker who must not see case data."""
    d = areas["district"]
    dept = factories.department(d, "health", "卫健委")
    civil = factories.department(d, "civil_affairs", "民政局")
    return {
        **areas,
        "doctor": factories.actor("doctor", "caseworker", d, department=dept),
        "other": factories.actor("mz", "caseworker", d, department=civil),
        "clinic": factories.organization(areas["s1"], "甲街道社区卫生服务中心", kind="clinic"),
        "hospital": factories.organization(areas["s2"], "乙街道人民医院", kind="hospital"),
        "department": dept,
    }


def report(h, *, disease="hfmd", community="c11", on=None, delay_hours=2.0, person=None,
           onset_days=1, status="clinical"):
    on = on or timezone.localdate()
    reported_at = min(timezone.make_aware(datetime.datetime.combine(on, datetime.time(12, 0))),
                      timezone.now() - datetime.timedelta(minutes=1))
    person = person or factories.person(h[community], birth=datetime.date(2019, 3, 1))
    return services.case_report_create(
        actor=h["doctor"], person=person, disease=Disease.objects.get(code=disease),
        facility=h["clinic"], onset_date=on - datetime.timedelta(days=onset_days),
        diagnosed_at=reported_at - datetime.timedelta(hours=delay_hours),
        reported_at=reported_at, status=status)


def fake_detect(method, counts, dates, **params):
    """Alarm wherever a period has 3 or more cases (threshold 2)."""
    counts = list(counts)
    return pd.DataFrame({"date": list(dates), "count": counts, "expected": [1.0] * len(counts),
                         "upper": [2.0] * len(counts), "alarm": [c >= 3 for c in counts],
                         "reason": [""] * len(counts)})
