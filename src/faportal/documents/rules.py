"""Pure rules for documents (SPEC S5): the joint plan, the monthly report's calendar, absence and deviation reports,
the informative report, the signal, result and final reports, evidence files, deadlines, and free text.

Plain values in, problems out (``core.problems.Problem``: a field, a ``Code`` and its values). No database and no
Django: each rule is tested with tables of cases, and the monthly report's with hypothesis.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from faportal.core.dates import YearMonth, add_working_days, is_working_day, swedish_holidays
from faportal.core.identifiers import (
    InvalidIdentifier,
    normalize_organisationsnummer,
    normalize_personnummer,
)
from faportal.core.problems import Problem

# A joint plan is due within this many working days of its period's start (SPEC S5.1 says so of period 2;
# the same deadline for period 1 is assumed).
PLAN_DEADLINE_WORKING_DAYS = 5
# The detailed schedule covers the next one to four weeks (SPEC S5.1).
SCHEDULE_MAX_WEEKS = 4
MAX_HOURS_PER_DAY = Decimal(8)
HOURS_STEP = Decimal("0.25")
OTHER_INFO_MAX = 2000
FREE_TEXT_MAX = 2000
# Reports of what happened (absence, deviation, information, signal) can be written this long after the placement's
# last day, for what happened while it ran (assumed: the SPEC sets no limit).
REPORTS_AFTER_END_DAYS = 90
# Evidence attached to a result report (SPEC S5.7; issue 10): PDF, JPEG or PNG, recognised by content.
EVIDENCE_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
# An employer without a Swedish organisationsnummer (a sole trader, a foreign employer) is given as ten zeros.
NO_ORGANISATIONSNUMMER = "0000000000"


class Code(StrEnum):
    """Why a document, or a step in its life, is refused (words: ``messages.py``)."""

    # The life cycle
    NOT_A_DRAFT = "not_a_draft"
    STALE_DRAFT = "stale_draft"
    ALREADY_EXISTS = "already_exists"
    NOT_CORRECTABLE = "not_correctable"
    CORRECTION_EXISTS = "correction_exists"
    PERIOD_NOT_OPEN = "period_not_open"
    PLACEMENT_OVER = "placement_over"
    NOT_YET_SUBMITTABLE = "not_yet_submittable"
    SENSITIVE_NOT_CONFIRMED = "sensitive_not_confirmed"
    NOT_CONFIRMED = "not_confirmed"
    ALREADY_DECIDED = "already_decided"
    REASON_REQUIRED = "reason_required"
    NO_APPROVED_PLAN = "no_approved_plan"
    # Fields
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_DATE = "invalid_date"
    INVALID_TIME = "invalid_time"
    INVALID_CHOICE = "invalid_choice"
    # The joint plan (S5.1)
    MANDATORY_MISSING = "mandatory_missing"
    NO_OPTIONAL_ACTIVITY = "no_optional_activity"
    UNKNOWN_ACTIVITY = "unknown_activity"
    NOT_TOGETHER = "not_together"
    NO_SCHEDULE = "no_schedule"
    SCHEDULE_OUTSIDE_WEEKS = "schedule_outside_weeks"
    SCHEDULE_OUTSIDE_PLACEMENT = "schedule_outside_placement"
    SCHEDULE_ACTIVITY_NOT_IN_PLAN = "schedule_activity_not_in_plan"
    ENDS_BEFORE_START = "ends_before_start"
    PROVIDER_NAME_MISSING = "provider_name_missing"
    # The monthly report (S5.4)
    INVALID_HOURS = "invalid_hours"
    CLOSED_DAY = "closed_day"
    DAY_OVER_MAX = "day_over_max"
    # Dates, times and extents of the reports (S5.2–S5.8)
    TEXT_REQUIRED = "text_required"
    DATE_IN_FUTURE = "date_in_future"
    DATE_OUTSIDE_PLACEMENT = "date_outside_placement"
    DATE_BEFORE_PLACEMENT = "date_before_placement"
    ABSENCE_OUTSIDE_PLANNED = "absence_outside_planned"
    INVALID_PERCENT = "invalid_percent"
    # The signal and the result reports (S5.6, S5.7)
    RESULT_EXISTS = "result_exists"
    RESULT_1_NOT_APPROVED = "result_1_not_approved"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_TYPE = "evidence_type"
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    EVIDENCE_TOO_MANY = "evidence_too_many"
    EVIDENCE_UNREADABLE = "evidence_unreadable"
    UPLOAD_TOO_LARGE = "upload_too_large"
    # The final report (S5.8)
    FINAL_NOT_YET = "final_not_yet"
    CONTACT_MISSING = "contact_missing"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    UNKNOWN_OCCUPATION = "unknown_occupation"


# --- deadlines -----------------------------------------------------------------------------------------------


def plan_deadline(starts_on: datetime.date) -> datetime.date:
    """The last day to submit a period's joint plan: five working days after the period starts (SPEC S5.1)."""
    return add_working_days(starts_on, PLAN_DEADLINE_WORKING_DAYS)


def months_of(first_day: datetime.date, last_day: datetime.date) -> list[YearMonth]:
    """The calendar months a placement runs in (none when it never ran: interrupted before it started)."""
    if last_day < first_day:
        return []
    months, month = [], YearMonth.of(first_day)
    while month.first_day <= last_day:
        months.append(month)
        month = month.next()
    return months


def report_due_months(*, first_day: datetime.date, last_day: datetime.date, today: datetime.date) -> list[YearMonth]:
    """The months whose monthly report can be submitted now: the month is over, or the placement is (S5.4)."""
    return [
        month
        for month in months_of(first_day, last_day)
        if monthly_submittable(month=month, last_day=last_day, today=today)
    ]


def monthly_submittable(*, month: YearMonth, last_day: datetime.date, today: datetime.date) -> bool:
    """A month's report can be submitted once the month has ended, or the placement has (its last day passed)."""
    return month.last_day < today or last_day < today


# --- free text: what must not be there ------------------------------------------------------------------------

_PERSONNUMMER_SHAPE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?\d{4}(?!\d)")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    """Something in a free text that may not belong there: a personnummer, or a word suggesting sensitive data."""

    field: str
    kind: str  # "personnummer" or the sensitive term's category
    match: str  # what was found (a personnummer is never repeated: its shape only)
    excerpt: str  # the words around it, so the writer finds the place


def _excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return f"{'…' if start > width else ''}{before}[…]{after}{'…' if end + width < len(text) else ''}".strip()


def free_text_findings(
    texts: Iterable[tuple[str, str]], terms: Sequence[tuple[str, str]], *, today: datetime.date
) -> list[Finding]:
    """Warnings before submitting (SPEC S5): a personnummer, anyone's, or a word from Af's list of terms that
    suggest health or other sensitive personal data, with the field and the words around it.

    ``texts`` are (field, text); ``terms`` are (term, category), each matching the start of a word.
    """
    lowered = [(term.casefold(), category) for term, category in terms if term.strip()]
    findings: list[Finding] = []
    for field, text in texts:
        for match in _PERSONNUMMER_SHAPE.finditer(text):
            try:
                normalize_personnummer(match.group(0).replace(" ", ""), today=today)
            except InvalidIdentifier:
                continue
            excerpt = _excerpt(text, match.start(), match.end())
            findings.append(Finding(field, "personnummer", "", excerpt))
        for word in _WORD.finditer(text):
            folded = word.group(0).casefold()
            for term, category in lowered:
                if folded.startswith(term):
                    excerpt = _excerpt(text, word.start(), word.end()).replace("[…]", f"[{word.group(0)}]", 1)
                    findings.append(Finding(field, category, word.group(0), excerpt))
                    break
    return findings


# --- the joint plan (S5.1) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleItem:
    """One entry of the plan's detailed schedule: what, when, where, by whom, and notes."""

    activity: str
    day: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time | None
    place: str
    provider: str  # "provider", "af" or "other"
    provider_name: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CatalogueActivity:
    code: str
    name: str
    mandatory: bool


def plan_problems(
    *,
    activities: Sequence[str],
    catalogue: Sequence[CatalogueActivity],
    weeks: int,
    schedule: Sequence[ScheduleItem],
    together: bool,
    planned_on: datetime.date,
    first_day: datetime.date,
    last_day: datetime.date,
) -> list[Problem]:
    """Gemensam planering (SPEC S5.1): every mandatory activity and at least one optional one; a schedule for the
    next one to four weeks, inside the placement, of the plan's activities; made together with the participant.
    """
    problems: list[Problem] = []
    known = {activity.code: activity for activity in catalogue}
    chosen = [code for code in activities if code in known]
    for code in activities:
        if code not in known:
            problems.append(Problem("activities", Code.UNKNOWN_ACTIVITY))
    missing = [activity.name for activity in catalogue if activity.mandatory and activity.code not in chosen]
    if missing:
        problems.append(Problem("activities", Code.MANDATORY_MISSING, {"activities": ", ".join(missing)}))
    if not any(not known[code].mandatory for code in chosen):
        problems.append(Problem("activities", Code.NO_OPTIONAL_ACTIVITY))
    if not schedule:
        problems.append(Problem("schedule", Code.NO_SCHEDULE))
    until = planned_on + datetime.timedelta(days=7 * weeks - 1)
    for index, item in enumerate(schedule):
        where = f"schedule-{index}"
        if item.activity not in chosen:
            problems.append(Problem(f"{where}-activity", Code.SCHEDULE_ACTIVITY_NOT_IN_PLAN))
        if not planned_on <= item.day <= until:
            problems.append(
                Problem(
                    f"{where}-day",
                    Code.SCHEDULE_OUTSIDE_WEEKS,
                    {"first": planned_on.isoformat(), "last": until.isoformat(), "weeks": weeks},
                )
            )
        elif not first_day <= item.day <= last_day:
            problems.append(
                Problem(
                    f"{where}-day",
                    Code.SCHEDULE_OUTSIDE_PLACEMENT,
                    {"first": first_day.isoformat(), "last": last_day.isoformat()},
                )
            )
        if item.ends_at is not None and item.ends_at <= item.starts_at:
            problems.append(Problem(f"{where}-ends_at", Code.ENDS_BEFORE_START))
        if item.provider == "other" and not item.provider_name.strip():
            problems.append(Problem(f"{where}-provider_name", Code.PROVIDER_NAME_MISSING))
    if not together:
        problems.append(Problem("together", Code.NOT_TOGETHER))
    return problems


# --- the monthly report (S5.4) --------------------------------------------------------------------------------


class Closed(StrEnum):
    """Why a day of the calendar takes no hours."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    BEFORE_START = "before_start"
    AFTER_END = "after_end"
    INTERRUPTED = "interrupted"


def closed_days(
    *,
    month: YearMonth,
    starts_on: datetime.date,
    ends_on: datetime.date,
    interrupts_on: datetime.date | None,
) -> dict[datetime.date, Closed]:
    """The days of ``month`` that take no hours, and why: weekends, Swedish public holidays, days outside the
    placement and days from an interruption on (SPEC S5.4). Every other day is open.
    """
    closed: dict[datetime.date, Closed] = {}
    holidays = swedish_holidays(month.year)
    for day in month.days():
        if interrupts_on is not None and day >= interrupts_on and interrupts_on <= ends_on:
            closed[day] = Closed.INTERRUPTED
        elif day < starts_on:
            closed[day] = Closed.BEFORE_START
        elif day > ends_on:
            closed[day] = Closed.AFTER_END
        elif day.weekday() >= 5:
            closed[day] = Closed.WEEKEND
        elif day in holidays or not is_working_day(day):
            closed[day] = Closed.HOLIDAY
    return closed


def parse_hours(text: str) -> Decimal | None:
    """Hours as typed: "2", "1,5", "0.75" or "1:30"; None when it is not a whole number of quarter hours ≥ 0.

    An empty cell is zero hours.
    """
    value = text.strip().replace(" ", "")
    if not value:
        return Decimal(0)
    if ":" in value:
        hours_text, _sep, minutes_text = value.partition(":")
        if not (hours_text.isascii() and hours_text.isdigit() and minutes_text.isascii() and minutes_text.isdigit()):
            return None
        if len(minutes_text) != 2 or int(minutes_text) >= 60 or len(hours_text) > 2:
            return None
        hours = Decimal(int(hours_text)) + Decimal(int(minutes_text)) / 60
    else:
        if not re.fullmatch(r"[0-9]{1,2}([.,][0-9]{1,2})?", value):
            return None
        try:
            hours = Decimal(value.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    if hours % HOURS_STEP != 0:
        return None
    return hours.quantize(Decimal("0.01"))


def monthly_report_problems(
    *,
    hours: Mapping[datetime.date, Mapping[str, Decimal]],
    closed: Mapping[datetime.date, Closed],
    month: YearMonth,
    activities: Iterable[str],
) -> list[Problem]:
    """Periodisk redovisning (SPEC S5.4): hours only on open days of the month, only for the plan's activities
    (and own work), in quarter hours, at most eight hours a day in all. Zero hours is a valid report.

    Problems are at the day ("day-YYYY-MM-DD") or the cell ("hours-<activity>-YYYY-MM-DD").
    """
    allowed = set(activities)
    problems: list[Problem] = []
    for day in sorted(hours):
        by_activity = hours[day]
        given = {code: value for code, value in by_activity.items() if value != 0}
        if not given:
            continue
        if YearMonth.of(day) != month:
            problems.append(Problem(f"day-{day.isoformat()}", Code.CLOSED_DAY, {"day": day.isoformat()}))
            continue
        for code, value in given.items():
            cell = f"hours-{code}-{day.isoformat()}"
            if code not in allowed:
                problems.append(Problem(cell, Code.UNKNOWN_ACTIVITY))
            if value < 0 or value % HOURS_STEP != 0:
                problems.append(Problem(cell, Code.INVALID_HOURS))
        if day in closed:
            problems.append(
                Problem(f"day-{day.isoformat()}", Code.CLOSED_DAY, {"day": day.isoformat(), "why": closed[day].value})
            )
            continue
        total = sum(given.values(), Decimal(0))
        if total > MAX_HOURS_PER_DAY:
            problems.append(
                Problem(
                    f"day-{day.isoformat()}",
                    Code.DAY_OVER_MAX,
                    {"day": day.isoformat(), "total": format_hours(total), "max": format_hours(MAX_HOURS_PER_DAY)},
                )
            )
    return problems


def format_hours(value: Decimal) -> str:
    """Hours the Swedish way: "7,5", "8", "0,25"."""
    text = f"{value.normalize():f}" if value != value.to_integral() else str(int(value))
    return text.replace(".", ",")


# --- dates, times and extents the reports share (S5.2–S5.8) ----------------------------------------------------


def event_date_problems(
    *, field: str, day: datetime.date, first_day: datetime.date, last_day: datetime.date, today: datetime.date
) -> list[Problem]:
    """The day something happened (an absence, a deviation): not in the future, and while the placement ran."""
    if day > today:
        return [Problem(field, Code.DATE_IN_FUTURE, {"today": today.isoformat()})]
    if not first_day <= day <= last_day:
        window = {"first": first_day.isoformat(), "last": last_day.isoformat()}
        return [Problem(field, Code.DATE_OUTSIDE_PLACEMENT, window)]
    return []


def percent_problems(*, field: str, full_time: bool | None, percent: int | None) -> list[Problem]:
    """Part time is given in percent of full time, 1 to 99 (SPEC S5.6, S5.7)."""
    if full_time is False and (percent is None or not 1 <= percent <= 99):
        return [Problem(field, Code.INVALID_PERCENT)]
    return []


def reports_open(*, first_day: datetime.date, last_day: datetime.date, today: datetime.date) -> bool:
    """Whether reports of what happened can be written: from the placement's first day until a while after its last."""
    return first_day <= last_day and first_day <= today <= last_day + datetime.timedelta(days=REPORTS_AFTER_END_DAYS)


# --- Avvikelserapport, frånvaro (S5.2) -------------------------------------------------------------------------


class AbsenceReason(StrEnum):
    ILLNESS = "illness"
    CHILD_CARE = "child_care"
    WORK = "work"
    EDUCATION = "education"
    OTHER_KNOWN = "other_known"
    UNKNOWN = "unknown"


class OtherKnownReason(StrEnum):
    DOCTOR = "doctor"
    FAMILY = "family"
    AUTHORITY = "authority"
    OTHER = "other"


def absence_problems(
    *,
    reason: str,
    other_reason: str,
    comment: str,
    day: datetime.date | None,
    first_day: datetime.date,
    last_day: datetime.date,
    today: datetime.date,
    part_of_day: bool,
    planned_from: datetime.time | None = None,
    planned_to: datetime.time | None = None,
    absent_from: datetime.time | None = None,
    absent_to: datetime.time | None = None,
) -> list[Problem]:
    """Avvikelserapport – Frånvaro (SPEC S5.2): a reason (another known reason names which, and "other" says it in
    words); a day that is not in the future and while the placement ran; for part of a day, the absence lies inside
    the planned time and each ends after it starts.

    Times that could not be read are ``None`` (their problem is already said); the rules about them are then skipped.
    """
    problems: list[Problem] = []
    if reason not in set(AbsenceReason):
        problems.append(Problem("reason", Code.REQUIRED if not reason else Code.INVALID_CHOICE))
    elif reason == AbsenceReason.OTHER_KNOWN:
        if other_reason not in set(OtherKnownReason):
            problems.append(Problem("other_reason", Code.REQUIRED if not other_reason else Code.INVALID_CHOICE))
        elif other_reason == OtherKnownReason.OTHER and not comment.strip():
            problems.append(Problem("comment", Code.TEXT_REQUIRED))
    if day is not None:
        problems.extend(event_date_problems(field="day", day=day, first_day=first_day, last_day=last_day, today=today))
    if part_of_day:
        if planned_from is not None and planned_to is not None and planned_to <= planned_from:
            problems.append(Problem("planned_to", Code.ENDS_BEFORE_START))
        if absent_from is not None and absent_to is not None and absent_to <= absent_from:
            problems.append(Problem("absent_to", Code.ENDS_BEFORE_START))
        if (
            planned_from is not None
            and planned_to is not None
            and absent_from is not None
            and absent_to is not None
            and not problems_at(problems, "planned_to", "absent_to")
        ):
            window = {"first": planned_from.strftime("%H:%M"), "last": planned_to.strftime("%H:%M")}
            if absent_from < planned_from:
                problems.append(Problem("absent_from", Code.ABSENCE_OUTSIDE_PLANNED, window))
            if absent_to > planned_to:
                problems.append(Problem("absent_to", Code.ABSENCE_OUTSIDE_PLANNED, window))
    return problems


def problems_at(problems: Iterable[Problem], *fields: str) -> bool:
    return any(problem.field in fields for problem in problems)


# --- Avvikelserapport, avvikelse (S5.3) -----------------------------------------------------------------------


class DeviationReason(StrEnum):
    DECLINED_JOB = "declined_job"
    DECLINED_ACTIVITY = "declined_activity"
    CANNOT_BENEFIT = "cannot_benefit"
    MISCONDUCT = "misconduct"
    PREVENTED_JOB = "prevented_job"


# What each reason needs said (SPEC S5.3): which job or activity and the participant's stated reason; the problem and
# what the provider did to support or adapt; how the participant acted.
DEVIATION_FIELDS: dict[DeviationReason, tuple[str, ...]] = {
    DeviationReason.DECLINED_JOB: ("which", "stated_reason"),
    DeviationReason.DECLINED_ACTIVITY: ("which", "stated_reason"),
    DeviationReason.CANNOT_BENEFIT: ("problem", "support"),
    DeviationReason.MISCONDUCT: ("conduct", "support"),
    DeviationReason.PREVENTED_JOB: ("which", "conduct"),
}


def deviation_problems(
    *,
    reason: str,
    texts: Mapping[str, str],
    day: datetime.date | None,
    first_day: datetime.date,
    last_day: datetime.date,
    today: datetime.date,
) -> list[Problem]:
    """Avvikelserapport – Avvikelse (SPEC S5.3): one event, on a day not in the future while the placement ran, with a
    reason and what that reason needs said.
    """
    problems: list[Problem] = []
    if reason not in set(DeviationReason):
        problems.append(Problem("reason", Code.REQUIRED if not reason else Code.INVALID_CHOICE))
    else:
        for name in DEVIATION_FIELDS[DeviationReason(reason)]:
            if not texts.get(name, "").strip():
                problems.append(Problem(name, Code.TEXT_REQUIRED))
    if day is not None:
        problems.extend(event_date_problems(field="day", day=day, first_day=first_day, last_day=last_day, today=today))
    return problems


# --- Informativ rapport (S5.5) --------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def contact_problems(*, name: str, phone: str, email: str) -> list[Problem]:
    """The writer's contact details (SPEC S5.5): a name, and a phone number or an e-mail address that can be used."""
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("contact_name", Code.REQUIRED))
    if not phone.strip() and not email.strip():
        problems.append(Problem("contact_phone", Code.CONTACT_MISSING))
    if phone.strip() and not _PHONE.match(phone.strip()):
        problems.append(Problem("contact_phone", Code.INVALID_PHONE))
    if email.strip() and not _EMAIL.match(email.strip()):
        problems.append(Problem("contact_email", Code.INVALID_EMAIL))
    return problems


# --- Signal om arbete eller studier (S5.6) ---------------------------------------------------------------------


class Occupation(StrEnum):
    WORK = "work"
    STUDIES = "studies"


def signal_problems(
    *,
    what: str,
    full_time: bool | None,
    percent: int | None,
    day: datetime.date | None,
    applied: bool,
    first_day: datetime.date,
    today: datetime.date,
    result_submitted: bool,
) -> list[Problem]:
    """Signal om arbete eller studier (SPEC S5.6): work or studies, full or part time (percent), and the day it starts;
    for studies that start after the service, the day the participant applied (not in the future). Not once a result
    report is submitted.
    """
    problems: list[Problem] = []
    if result_submitted:
        problems.append(Problem("", Code.RESULT_EXISTS))
    if what not in set(Occupation):
        problems.append(Problem("what", Code.REQUIRED if not what else Code.INVALID_CHOICE))
    problems.extend(percent_problems(field="percent", full_time=full_time, percent=percent))
    if day is not None:
        if day < first_day:
            problems.append(Problem("day", Code.DATE_BEFORE_PLACEMENT, {"first": first_day.isoformat()}))
        elif applied and day > today:
            problems.append(Problem("day", Code.DATE_IN_FUTURE, {"today": today.isoformat()}))
    return problems


# --- Resultatredovisning 1 and 2 (S5.7) -------------------------------------------------------------------------


def employer_number_problems(*, field: str, value: str) -> tuple[str, list[Problem]]:
    """The employer's organisationsnummer: ten digits with a valid check digit, or ten zeros for a sole trader or a
    foreign employer (SPEC S5.7). Returns it as ten digits.
    """
    raw = re.sub(r"[\s-]", "", value)
    if not raw:
        return "", [Problem(field, Code.REQUIRED)]
    if raw == NO_ORGANISATIONSNUMMER:
        return raw, []
    try:
        return normalize_organisationsnummer(raw), []
    except InvalidIdentifier as error:
        return "", [Problem(field, error.code)]


def result_problems(
    *,
    number: int,
    what: str,
    full_time: bool | None,
    percent: int | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    first_day: datetime.date,
    evidence: int,
    result_1_approved: bool,
) -> list[Problem]:
    """Resultatredovisning (SPEC S5.7): work or studies, full or part time (percent), a start from the placement's
    first day and an end after it, evidence attached (one to five files); result 2 only after an approved result 1.
    """
    problems: list[Problem] = []
    if number == 2 and not result_1_approved:
        problems.append(Problem("", Code.RESULT_1_NOT_APPROVED))
    if what not in set(Occupation):
        problems.append(Problem("what", Code.REQUIRED if not what else Code.INVALID_CHOICE))
    problems.extend(percent_problems(field="percent", full_time=full_time, percent=percent))
    if starts_on is not None and starts_on < first_day:
        problems.append(Problem("starts_on", Code.DATE_BEFORE_PLACEMENT, {"first": first_day.isoformat()}))
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems.append(Problem("ends_on", Code.ENDS_BEFORE_START))
    if evidence < 1:
        problems.append(Problem("evidence", Code.EVIDENCE_MISSING))
    elif evidence > EVIDENCE_MAX_FILES:
        problems.append(Problem("evidence", Code.EVIDENCE_TOO_MANY, {"max": EVIDENCE_MAX_FILES}))
    return problems


def evidence_problems(*, content_type: str | None, size: int, attached: int, name: str) -> list[Problem]:
    """An evidence file (SPEC S5.7): a PDF, JPEG or PNG by its content (not its name), at most 10 MB, at most five."""
    if attached >= EVIDENCE_MAX_FILES:
        return [Problem("evidence", Code.EVIDENCE_TOO_MANY, {"max": EVIDENCE_MAX_FILES})]
    if size > EVIDENCE_MAX_BYTES:
        return [Problem("evidence", Code.EVIDENCE_TOO_LARGE, {"name": name, "max": EVIDENCE_MAX_BYTES // 1024 // 1024})]
    if content_type not in EVIDENCE_TYPES or size == 0:
        return [Problem("evidence", Code.EVIDENCE_TYPE, {"name": name})]
    return []


# --- Slutredovisning (S5.8) --------------------------------------------------------------------------------------


class FinalOccupation(StrEnum):
    WORK = "work"
    EDUCATION = "education"
    SEEKING = "seeking"
    OTHER = "other"


def final_report_from(*, first_day: datetime.date, last_day: datetime.date) -> datetime.date:
    """The first day a final report can be written: the first day of the placement's last month (which an interruption
    brings forward: its last day is the day before the interruption) (SPEC S5.8).
    """
    return max(first_day, YearMonth.of(last_day).first_day)


def final_report_problems(
    *,
    occupation: str,
    area: str,
    group: str,
    groups: Mapping[str, str],
    choices: Mapping[str, tuple[str, set[str]]],
    full_time: bool | None,
    percent: int | None,
    texts: Mapping[str, str],
    activities: Sequence[str],
    first_day: datetime.date,
    last_day: datetime.date,
    today: datetime.date,
) -> list[Problem]:
    """Slutredovisning (SPEC S5.8): the main occupation now and what it needs (work: an occupation group of SSYK 2012
    in the chosen area, the type of employment and its extent; education: level, length and direction; still seeking
    work: a reason, "other" in words; other: in words); then what was done in each activity of the plan, the
    participant's progress and the recommended next step. Every free text is required. Not before the last month.

    ``groups`` maps each occupation group's code to its area; ``choices`` maps a field to (the occupation it belongs
    to, its allowed values); ``texts`` holds every free text by field.
    """
    problems: list[Problem] = []
    opens = final_report_from(first_day=first_day, last_day=last_day)
    if today < opens:
        problems.append(Problem("", Code.FINAL_NOT_YET, {"date": opens.isoformat()}))
    if occupation not in set(FinalOccupation):
        problems.append(Problem("occupation", Code.REQUIRED if not occupation else Code.INVALID_CHOICE))
    for field, (belongs_to, allowed) in choices.items():
        if belongs_to != occupation:
            continue
        value = texts.get(field, "")
        if value not in allowed:
            problems.append(Problem(field, Code.REQUIRED if not value else Code.INVALID_CHOICE))
    if occupation == FinalOccupation.WORK:
        if not area:
            problems.append(Problem("area", Code.REQUIRED))
        if not group:
            problems.append(Problem("group", Code.REQUIRED))
        elif groups.get(group) is None or (area and groups[group] != area):
            # Not an occupation group of SSYK 2012, or not one of the chosen area.
            problems.append(Problem("group", Code.UNKNOWN_OCCUPATION))
        problems.extend(percent_problems(field="percent", full_time=full_time, percent=percent))
    required = {
        FinalOccupation.EDUCATION: ["direction"],
        FinalOccupation.OTHER: ["occupation_other"],
        FinalOccupation.SEEKING: ["seeking_other"] if texts.get("seeking_reason") == "other" else [],
    }.get(FinalOccupation(occupation) if occupation in set(FinalOccupation) else FinalOccupation.WORK, [])
    for field in [*required, *(f"done-{code}" for code in activities), "progress", "next_step"]:
        if not texts.get(field, "").strip():
            problems.append(Problem(field, Code.TEXT_REQUIRED))
    return problems
