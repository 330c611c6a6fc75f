"""Swedish working days (SPEC S4.2, S5.4): weekends, public holidays and the holiday eves."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faportal.core.dates import (
    DateRange,
    YearMonth,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 11, 24), True),  # a Tuesday
        (D(2026, 11, 28), False),  # Saturday
        (D(2026, 12, 24), False),  # Julafton
        (D(2026, 12, 25), False),  # Juldagen
        (D(2026, 12, 31), False),  # Nyårsafton
        (D(2027, 1, 6), False),  # Trettondedag jul
        (D(2026, 6, 19), False),  # Midsommarafton
        (D(2026, 6, 6), False),  # Nationaldagen (a Saturday in 2026)
        (D(2027, 3, 26), False),  # Långfredagen 2027
        (D(2027, 3, 29), False),  # Annandag påsk 2027
        (D(2027, 5, 6), False),  # Kristi himmelsfärdsdag 2027
        (D(2026, 5, 15), True),  # the "klämdag" after Ascension is a working day
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_ten_working_days_over_christmas_and_new_year():
    # 18 Dec 2026 (Fri) + 10 working days skips 24-26 Dec, 31 Dec, 1 Jan and 6 Jan.
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 8)


@settings(deadline=None)  # the first call per year builds the holiday calendar; timing varies under load
@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), st.integers(min_value=0, max_value=60))
def test_adding_then_counting_working_days_agree(start, count):
    end = add_working_days(start, count)
    assert working_days_between(start, end) == count
    assert count == 0 or is_working_day(end)


def test_year_months_and_ranges():
    december = YearMonth(2026, 12)
    assert december.next() == YearMonth(2027, 1)
    assert december.last_day == D(2026, 12, 31)
    assert YearMonth(2028, 2).last_day == D(2028, 2, 29)
    assert str(december) == "2026-12"
    period = DateRange(D(2026, 12, 30), D(2027, 1, 2))
    assert D(2027, 1, 1) in period
    assert len(period.days()) == 4
    with pytest.raises(ValueError, match="end before start"):
        DateRange(D(2027, 1, 2), D(2027, 1, 1))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 11, 24), 6, D(2027, 5, 24)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 31), -2, D(2025, 11, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last(day, months, expected):
    assert add_months(day, months) == expected
