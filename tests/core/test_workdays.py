import datetime

import pytest

from minsheng.core import services, workdays
from minsheng.core.access import system_actor
from minsheng.core.errors import CalendarUnknown

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    workdays.invalidate()
    yield
    workdays.invalidate()


def test_three_working_days_skip_the_weekend():
    # Thursday 2026-03-05 + 3 working days = Tuesday 2026-03-10
    assert workdays.add_working_days(D(2026, 3, 5), 3) == D(2026, 3, 10)


def test_national_day_holiday_and_adjusted_working_day():
    # 2026 National Day: 1-7 October off; Saturday 10 October is an adjusted working day
    # (per the State Council schedule that chinese-calendar ships).
    assert not workdays.is_working_day(D(2026, 10, 5))
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.is_working_day(D(2026, 10, 10))


def test_working_days_between_is_inverse_of_adding():
    start = D(2026, 9, 25)
    end = workdays.add_working_days(start, 10)
    assert workdays.working_days_between(start, end) == 10
    assert workdays.working_days_between(end, start) == -10


def test_unknown_year_is_an_error_not_a_guess():
    with pytest.raises(CalendarUnknown, match="2027"):
        workdays.add_working_days(D(2026, 12, 28), 10)


def test_district_can_confirm_a_year_and_enter_its_holidays(areas):
    actor = system_actor()
    services.calendar_day_set(actor=actor, date=D(2027, 1, 1), is_working_day=False,
                              note="元旦")
    services.calendar_year_confirm(actor=actor, year=2027,
                                   source="国务院办公厅关于2027年部分节假日安排的通知")
    # Thu 31 Dec 2026 + 1 working day skips New Year's Day (Fri) and the weekend
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
