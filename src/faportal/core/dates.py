"""Calendar helpers: Swedish working days, year-months and date ranges.

A working day is Monday to Friday and not a Swedish public holiday (the `holidays` package's Sweden
calendar: its public holidays, without ordinary Sundays, plus its de facto holidays Midsummer Eve, Christmas Eve
and New Year's Eve, which Swedish employers and Arbetsförmedlingen treat as holidays).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays

# The dates the portal accepts from people and systems. Python's calendar ends on 9999-12-31, and a six-month
# period or ten working days from a date near that end would run past it; a year outside these is a typo (0202,
# 9999), said so at its field. Everything the portal computes from an accepted date stays far inside the calendar.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def is_supported_date(day: datetime.date) -> bool:
    """Within ``EARLIEST_DATE`` … ``LATEST_DATE``: a date the portal can count working days and periods from."""
    return EARLIEST_DATE <= day <= LATEST_DATE


@lru_cache(maxsize=64)
def swedish_holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays (and the de facto holiday eves) in one year, without ordinary Sundays."""
    calendar = holidays.country_holidays(
        "SE", years=year, include_sundays=False, categories=(holidays.PUBLIC, holidays.DE_FACTO)
    )
    return frozenset(calendar.keys())


@lru_cache(maxsize=128)
def _holiday_names(year: int, language: str) -> dict[datetime.date, str]:
    calendar = holidays.country_holidays(
        "SE", years=year, include_sundays=False, categories=(holidays.PUBLIC, holidays.DE_FACTO), language=language
    )
    return dict(calendar.items())


def holiday_name(day: datetime.date, language: str = "sv") -> str:
    """The name of the holiday on ``day`` ("Nationaldagen"; in English with ``language="en_US"``), or ""."""
    return _holiday_names(day.year, language).get(day, "")


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Swedish holiday."""
    return day.weekday() < 5 and day not in swedish_holidays(day.year)


@lru_cache(maxsize=4096)
def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``start`` (``start`` itself is not counted). Kept for the dates asked
    for again (a list's rows share their deadlines' starts).
    """
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


@lru_cache(maxsize=4096)
def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(days=n)))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (first_of_next - datetime.timedelta(days=1)).day
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError("month must be 1..12")

    @classmethod
    def of(cls, day: datetime.date) -> YearMonth:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    def next(self) -> YearMonth:
        return YearMonth(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> YearMonth:
        return YearMonth(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def days(self) -> list[datetime.date]:
        return DateRange(self.first_day, self.last_day).days()

    @classmethod
    def parse(cls, text: str) -> YearMonth | None:
        """``YYYY-MM`` as a month, or None."""
        try:
            year, month = (int(part) for part in text.split("-"))
            return cls(year, month) if 1 <= year <= 9999 else None
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of dates."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end before start")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]
