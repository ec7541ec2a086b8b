"""The unemployment-claims warning runs EARS C2 in minsheng.detection and nothing else:
too short a history is said on the warnings page (detection's message), never replaced by
another rule."""

import datetime

import numpy as np
import pytest
from django.utils import timezone

from minsheng.core.access import system_actor
from minsheng.core.dates import add_months, month_start
from minsheng.employment import early_warning, selectors, services
from minsheng.employment.config import setting
from minsheng.employment.models import UnemploymentWarning
from tests.employment.conftest import make_seeker

TODAY = timezone.localdate()


def _months(n, end=None):
    last = month_start(end or TODAY)
    return [add_months(last, i - n + 1) for i in range(n)]


def _written_rule(y, b, g, k, min_sd):
    alarm = np.zeros(len(y), dtype=bool)
    for t in range(b + g, len(y)):
        base = y[t - g - b:t - g]
        alarm[t] = y[t] > base.mean() + k * max(base.std(ddof=1), min_sd)
    return alarm


def test_claims_rule_is_ears_c2_of_detection_with_the_settings():
    rng = np.random.default_rng(7)
    for _ in range(20):
        y = rng.poisson(30, 30)
        y[rng.integers(10, 30)] += 40
        check = early_warning.claims_alarm(y.tolist(), _months(30))
        assert check.error is None and check.method == "ears_c2"
        expected = _written_rule(y.astype(float), setting("CLAIMS_BASELINE_MONTHS"),
                                 setting("CLAIMS_GUARD_MONTHS"), setting("CLAIMS_Z"),
                                 setting("CLAIMS_MIN_SD"))
        assert check.alarm.tolist() == expected.tolist()
        assert all(r.startswith("not enough history") for r in check.reasons[:9])
        assert all(r.startswith("alarm") for r, a in zip(check.reasons, check.alarm, strict=True)
                   if a)


def test_short_history_gives_detections_message_and_no_alarm():
    y = [2, 3, 2, 3, 2, 60]  # a spike, but only 6 months: nothing may judge it
    check = early_warning.claims_alarm(y, _months(6))
    assert not check.alarm.any()
    assert check.error.startswith("ears_c2 needs more than 9 months of data")
    assert "the series has 6 months" in check.error


def test_other_detection_errors_are_not_swallowed(monkeypatch):
    import minsheng.detection

    def broken(*args, **kwargs):
        raise RuntimeError("detection broke")

    monkeypatch.setattr(minsheng.detection, "detect", broken)
    with pytest.raises(RuntimeError):
        early_warning.claims_alarm([1] * 20, _months(20))


def test_district_setting_reaches_detection(settings):
    settings.MINSHENG_EMPLOYMENT = {"CLAIMS_BASELINE_MONTHS": 3, "CLAIMS_GUARD_MONTHS": 1}
    check = early_warning.claims_alarm([5] * 5, _months(5))  # 3 + 1 earlier months suffice
    assert check.error is None and check.reasons[4] == "no alarm"
    assert check.reasons[3].startswith("not enough history: needs 4 earlier months")


def _claim(world, start_date, area="c12"):
    seeker = make_seeker(world, area)
    reg = services.registration_open(actor=system_actor(), seeker=seeker,
                                     registered_on=start_date, separation_reason="layoff",
                                     contribution_years=3)
    return services.benefit_grant(actor=system_actor(), registration=reg,
                                  start_date=start_date)


def test_series_starts_with_the_first_claim_on_record(world):
    first = add_months(month_start(TODAY), -3)
    _claim(world, first + datetime.timedelta(days=2))
    months, counts = early_warning.claims_series(add_months(TODAY, -12), TODAY)
    assert months[0] == first and len(months) == 4  # no invented zeros before the registry
    assert counts == [1, 0, 0, 0]
    check = early_warning.claims_check(month_start(TODAY), TODAY)
    assert check.error and "the series has 4 months" in check.error


def test_page_and_scan_say_the_history_is_too_short(client, world):
    _claim(world, add_months(month_start(TODAY), -2))
    made = services.warnings_scan(actor=system_actor(), start=TODAY, end=TODAY, today=TODAY)
    assert not [w for w in made if w.kind == "claims"]
    client.force_login(world["admin"].user)
    page = client.get("/employment/warnings/").content.decode()
    assert 'id="claims-not-judged"' in page
    assert "ears_c2 needs more than 9 months of data" in page
    assert "EARS C2" in page
    r = client.post("/employment/warnings/scan/", {"start": TODAY.strftime("%Y-%m"),
                                                   "end": TODAY.strftime("%Y-%m")},
                    follow=True)
    assert "ears_c2 needs more than 9 months of data" in r.content.decode()


def test_scan_stores_the_detection_alarm(monkeypatch, world):
    months = _months(13)
    counts = [10, 12, 11, 9, 10, 12, 11, 10, 9, 11, 10, 12, 60]
    monkeypatch.setattr(early_warning, "claims_series", lambda start, end: (months, counts))
    services.warnings_scan(actor=system_actor(), start=TODAY, end=TODAY, today=TODAY)
    warning = UnemploymentWarning.objects.get(kind="claims")
    assert warning.month == month_start(TODAY)
    assert warning.details["method"] == "ears_c2"
    assert warning.details["reason"].startswith("alarm: count 60 above threshold")


def test_caseworker_of_a_subdistrict_sees_no_district_claims_rule(world):
    assert selectors.claims_check(world["caseworker"]) is None
