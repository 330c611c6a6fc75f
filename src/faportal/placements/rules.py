"""Pure rules for placements (SPEC S4): dates of a period, deadlines, and what a decision may say.

Plain values in, problems out (``core.problems.Problem``: a field, a ``Code`` and its values): no database and no
Django, so each rule is tested with tables of cases. Forms, pages and the API show the words of ``messages.py``.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from enum import StrEnum

from faportal.core.dates import add_months, add_working_days, is_working_day, working_days_between
from faportal.core.problems import Problem

# The service starts at the earliest this many working days after the decision (SPEC S4.2).
START_AFTER_WORKING_DAYS = 10
PERIOD_MONTHS = 6
MAX_PERIODS = 2


class Code(StrEnum):
    """Why a decision about a placement, or a provider's request about one, is refused (words: ``messages.py``)."""

    # Af's decisions (S4.1, S4.4, S4.7, S4.8, S8.2)
    START_TOO_EARLY = "start_too_early"
    START_NOT_WORKING_DAY = "start_not_working_day"
    PARTICIPANT_ALREADY_PLACED = "participant_already_placed"
    DECIDED_IN_FUTURE = "decided_in_future"
    UNKNOWN_ADDRESS = "unknown_address"
    ADDRESS_OF_OTHER_SERVICE = "address_of_other_service"
    UNKNOWN_LEVEL = "unknown_level"
    KEY_REUSED = "key_reused"
    NOT_FIRST_PERIOD = "not_first_period"
    FIRST_PERIOD_INTERRUPTED = "first_period_interrupted"
    SECOND_PERIOD_EXISTS = "second_period_exists"
    FIRST_PERIOD_ENDED = "first_period_ended"
    PLACEMENT_ENDED = "placement_ended"
    INTERRUPTION_IN_PAST = "interruption_in_past"
    INTERRUPTION_AFTER_END = "interruption_after_end"
    ALREADY_INTERRUPTED = "already_interrupted"
    NOT_INTERRUPTED = "not_interrupted"
    INTERRUPTION_PASSED = "interruption_passed"
    UNKNOWN_REASON = "unknown_reason"
    SAME_PROVIDER = "same_provider"
    LANGUAGE_MISSING = "language_missing"
    # The provider's requests (S3.3, S4.3, S4.6, S4.9)
    SUPERVISOR_NOT_ALLOWED = "supervisor_not_allowed"
    ALREADY_ASSIGNED = "already_assigned"
    NOT_INTERRUPTED_BEFORE_START = "not_interrupted_before_start"
    PROTECTED_IDENTITY = "protected_identity"


class Level(StrEnum):
    """Compensation level from the statistical assessment (nivå); fixed for the placement."""

    A = "A"
    B = "B"
    C = "C"


class InterruptionReason(StrEnum):
    """Why Af ends a placement early (avbrott, SPEC S4.7)."""

    WORK = "work"
    STUDIES = "studies"
    OTHER_SERVICE = "other_service"
    SICKNESS = "sickness"
    MOVED = "moved"
    CHANGED_PROVIDER = "changed_provider"
    OTHER = "other"


@functools.cache  # a pure function of the day, asked for every decision (thousands in a batch)
def earliest_start(decided_on: datetime.date) -> datetime.date:
    """The first day the service may start: ten working days after the decision (SPEC S4.2)."""
    return add_working_days(decided_on, START_AFTER_WORKING_DAYS)


def period_end(starts_on: datetime.date) -> datetime.date:
    """The last day of a six-month period that starts on ``starts_on``."""
    return add_months(starts_on, PERIOD_MONTHS) - datetime.timedelta(days=1)


def working_days_until(today: datetime.date, day: datetime.date) -> int:
    """Working days from today until ``day`` (negative when it has passed): the intake deadline."""
    return working_days_between(today, day)


@dataclass(frozen=True)
class PeriodDates:
    starts_on: datetime.date
    ends_on: datetime.date


def first_period_problems(
    *, decided_on: datetime.date, starts_on: datetime.date, today: datetime.date
) -> list[Problem]:
    """Beslut om deltagande, period 1 (SPEC S4.1–S4.2): what is wrong with its dates, each at its date."""
    problems = []
    if decided_on > today:
        problems.append(Problem("decided_on", Code.DECIDED_IN_FUTURE))
    earliest = earliest_start(decided_on)
    if starts_on < earliest:
        problems.append(Problem("starts_on", Code.START_TOO_EARLY, {"date": earliest.isoformat()}))
    elif not is_working_day(starts_on):
        problems.append(Problem("starts_on", Code.START_NOT_WORKING_DAY))
    return problems


# A decision date further back than this is most likely a typo: the back office asks for it to be checked.
DECISION_MAX_DAYS_BACK = 30


def decided_long_ago(*, decided_on: datetime.date, today: datetime.date) -> bool:
    """A decision date more than ``DECISION_MAX_DAYS_BACK`` days back (a typo, as a rule: 2019 for 2026)."""
    return (today - decided_on).days > DECISION_MAX_DAYS_BACK


@dataclass(frozen=True)
class Span:
    """The first and last day a placement runs (the day before its interruption, when it is interrupted)."""

    first_day: datetime.date
    last_day: datetime.date


def last_day(*, ends_on: datetime.date, interrupts_on: datetime.date | None) -> datetime.date:
    """The last day a placement runs: its end, or the day before the interruption when that comes first."""
    if interrupts_on is not None and interrupts_on <= ends_on:
        return interrupts_on - datetime.timedelta(days=1)
    return ends_on


def has_ended(*, last_day: datetime.date, today: datetime.date) -> bool:
    """A placement is over once its last day (``last_day()``, or simply its end) has passed."""
    return last_day < today


def contact_details_shown(*, last_day: datetime.date, today: datetime.date) -> bool:
    """A participant's home address and contact details serve the work: the provider sees them until the placement's
    last day, not after it ended or was interrupted (by then the participant may be another provider's, S4.8).
    """
    return not has_ended(last_day=last_day, today=today)


def overlaps(new: Span, others: list[Span]) -> bool:
    """Would a new placement run at the same time as one of the participant's others? One service at a time.

    A placement interrupted before it started never runs (its last day comes before its first): it takes no time.
    """
    return any(
        new.first_day <= other.last_day and other.first_day <= new.last_day
        for other in others
        if other.first_day <= other.last_day
    )


def language_missing(*, needs_language_support: bool, language: str) -> bool:
    """Language support is asked for without saying which language (SPEC S4.1)."""
    return needs_language_support and not language.strip()


def second_period_dates(first: PeriodDates) -> PeriodDates:
    """Period 2 follows period 1 without a gap and lasts six months (SPEC S4.4)."""
    starts_on = first.ends_on + datetime.timedelta(days=1)
    return PeriodDates(starts_on, period_end(starts_on))


def second_period_problems(
    *,
    first_period: int,
    first_interrupted: bool,
    has_second: bool,
    first_ends_on: datetime.date,
    decided_on: datetime.date,
    today: datetime.date,
) -> list[Problem]:
    """Can period 2 be decided? Only after an uninterrupted period 1, once, at most 12 months in all, and while
    it can still follow period 1 without a gap: period 2 never starts in the past (S4.4).
    """
    problems = []
    if first_period != 1:
        problems.append(Problem("placement", Code.NOT_FIRST_PERIOD))
    if first_interrupted:
        problems.append(Problem("placement", Code.FIRST_PERIOD_INTERRUPTED))
    if has_second:
        problems.append(Problem("placement", Code.SECOND_PERIOD_EXISTS))
    if first_ends_on + datetime.timedelta(days=1) < today:
        problems.append(Problem("placement", Code.FIRST_PERIOD_ENDED))
    if decided_on > today:
        problems.append(Problem("decided_on", Code.DECIDED_IN_FUTURE))
    return problems


def provider_change_problems(*, ends_on: datetime.date, interrupted: bool, today: datetime.date) -> list[Problem]:
    """Can the participant change provider from this placement (S4.8)? Not once it has ended or is interrupted."""
    problems = []
    if has_ended(last_day=ends_on, today=today):
        problems.append(Problem("placement", Code.PLACEMENT_ENDED))
    if interrupted:
        problems.append(Problem("placement", Code.ALREADY_INTERRUPTED))
    return problems


def interruption_problems(
    *, interrupts_on: datetime.date, today: datetime.date, starts_on: datetime.date, ends_on: datetime.date
) -> list[Problem]:
    """Avbrott (SPEC S4.7): the date is today or later, never earlier, and not after the placement ends."""
    problems = []
    if interrupts_on < today:
        problems.append(Problem("interrupts_on", Code.INTERRUPTION_IN_PAST))
    if interrupts_on > ends_on:
        problems.append(Problem("interrupts_on", Code.INTERRUPTION_AFTER_END))
    return problems


def interruption_can_change(*, interrupts_on: datetime.date, today: datetime.date) -> bool:
    """A future interruption can be moved or withdrawn until its date passes (SPEC S4.7)."""
    return interrupts_on > today


def interrupted_before_start(*, interrupts_on: datetime.date | None, starts_on: datetime.date) -> bool:
    """Interrupted before the service started: the provider may remove it from Nya deltagare (SPEC S3.3)."""
    return interrupts_on is not None and interrupts_on <= starts_on


def status_on(
    *, day: datetime.date, starts_on: datetime.date, ends_on: datetime.date, interrupts_on: datetime.date | None
) -> str:
    """A placement's state on ``day`` (as ``selectors.with_status`` computes it in SQL): interrupted once its
    interruption date has come, else ended after its end, upcoming before its start, and otherwise active.
    """
    if interrupts_on is not None and interrupts_on <= day:
        return "interrupted"
    if ends_on < day:
        return "ended"
    if starts_on > day:
        return "upcoming"
    return "active"
