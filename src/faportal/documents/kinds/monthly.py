"""Periodisk redovisning, the monthly report (SPEC S5.4): hours per day and activity, shown as a calendar.

It pays the month's base compensation once approved (the goods receipt, S7.3). One report per placement and month;
every day is entered on its own (no "copy to all days": the funders forbid flat-rate reporting).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from faportal.core.dates import YearMonth, holiday_name
from faportal.core.problems import Problem, message
from faportal.documents import rules
from faportal.documents.kinds import DocumentKind, Draft, Due, Facts, Period, first, register, text, yes_no
from faportal.documents.models import Activity, Document, ReviewStatus
from faportal.documents.rules import Closed, Code

_CELL = re.compile(r"^hours-([a-z0-9_-]+)-(\d{4}-\d{2}-\d{2})$")

CLOSED_WORDS = {
    Closed.WEEKEND: gettext_lazy("Weekend"),
    Closed.HOLIDAY: gettext_lazy("Public holiday"),
    Closed.BEFORE_START: gettext_lazy("Before the start"),
    Closed.AFTER_END: gettext_lazy("After the end"),
    Closed.INTERRUPTED: gettext_lazy("Interrupted"),
}


def cell_name(code: str, day: datetime.date) -> str:
    return f"hours-{code}-{day.isoformat()}"


def plan_activities(placement_id: int) -> list[Activity]:
    """The activities of the placement's approved joint plans, plus own work (SPEC S5.4), in catalogue order."""
    codes: set[str] = set()
    for content in Document.objects.filter(
        placement_id=placement_id, kind="plan", review__status=ReviewStatus.APPROVED
    ).values_list("content", flat=True):
        codes.update((content or {}).get("activities", []))
    found = Activity.objects.filter(code__in=codes) | Activity.objects.filter(own_work=True, active=True)
    return list(found.order_by("own_work", "position", "name"))


@dataclass
class Day:
    day: datetime.date
    in_month: bool
    closed: Closed | None
    holiday: str = ""
    total: Decimal = Decimal(0)
    errors: list[str] = field(default_factory=list)

    @cached_property
    def iso(self) -> str:
        """The day as 2026-12-03 (the cells' data and ids): worded once a day, not once a cell."""
        return self.day.isoformat()

    @cached_property
    def long_label(self) -> str:
        """The day as "torsdag 3 december" (each cell's label names its day)."""
        return formats.date_format(self.day, "l j F")

    @property
    def closed_words(self) -> str:
        if self.closed is None:
            return ""
        return self.holiday if self.closed == Closed.HOLIDAY and self.holiday else str(CLOSED_WORDS[self.closed])


def _weeks(month: YearMonth) -> list[list[datetime.date]]:
    """The month's weeks, Monday to Sunday (days of the neighbouring months fill the first and last week)."""
    start = month.first_day - datetime.timedelta(days=month.first_day.weekday())
    weeks = []
    while start <= month.last_day:
        weeks.append([start + datetime.timedelta(days=n) for n in range(7)])
        start += datetime.timedelta(days=7)
    return weeks


def parse_cells(draft: Draft, month: YearMonth, problems: list[Problem]) -> dict[datetime.date, dict[str, Decimal]]:
    """The hours typed in a draft's calendar, per day and activity; a cell that is not hours is a problem there."""
    hours: dict[datetime.date, dict[str, Decimal]] = {}
    for name, values in draft.items():
        match = _CELL.match(name)
        if not match:
            continue
        try:
            day = datetime.date.fromisoformat(match.group(2))
        except ValueError:
            continue
        value = rules.parse_hours(str(values[0]) if values else "")
        if value is None:
            problems.append(Problem(name, Code.INVALID_HOURS))
            continue
        if value:
            hours.setdefault(day, {})[match.group(1)] = value
    return hours


class MonthlyReportKind(DocumentKind):
    key = "monthly_report"
    label = gettext_lazy("Monthly report")
    label_plural = gettext_lazy("Monthly reports")
    new_label = gettext_lazy("New monthly report")
    spec = "S5.4"
    position = 20
    edit_template = "documents/monthly_edit.html"
    view_template = "documents/monthly_view.html"
    names_its_period = True

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """Every month of the placement that has begun and has no report yet."""
        return [
            Period(month.first_day, month.last_day)
            for month in rules.months_of(facts.first_day, facts.last_day)
            if month.first_day <= today and month.first_day not in taken
        ]

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        return formats.date_format(start, "YEAR_MONTH_FORMAT")

    def due(self, facts: Facts, documents: list[Any], today: datetime.date) -> list[Due]:
        """Every month that is over (or whose placement is) without a submitted report."""
        sent = {d.period_start for d in documents if d.kind == self.key and not d.is_draft}
        return [
            Due(Period(month.first_day, month.last_day), None, True)
            for month in rules.report_due_months(first_day=facts.first_day, last_day=facts.last_day, today=today)
            if month.first_day not in sent
        ]

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            return {}
        draft: Draft = {
            "language_support": ["yes" if replaced.get("language_support") else "no"],
            "suggested_jobs": ["yes" if replaced.get("suggested_jobs") else "no"],
            "other_info": [replaced.get("other_info", "")],
        }
        for day, by_activity in replaced.get("hours", {}).items():
            for code, value in by_activity.items():
                draft[f"hours-{code}-{day}"] = [rules.format_hours(Decimal(value))]
        return draft

    def closed(self, facts: Facts, month: YearMonth) -> dict[datetime.date, Closed]:
        return rules.closed_days(
            month=month, starts_on=facts.starts_on, ends_on=facts.ends_on, interrupts_on=facts.interrupts_on
        )

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        month = YearMonth.of(period.start)
        problems: list[Problem] = []
        activities = plan_activities(facts.placement_id)
        if not any(not activity.own_work for activity in activities):
            problems.append(Problem("", Code.NO_APPROVED_PLAN))
        hours = parse_cells(draft, month, problems)
        problems.extend(
            rules.monthly_report_problems(
                hours=hours,
                closed=self.closed(facts, month),
                month=month,
                activities=[activity.code for activity in activities],
            )
        )
        language_support = yes_no(draft, "language_support", problems)
        suggested_jobs = yes_no(draft, "suggested_jobs", problems)
        other_info = text(draft, "other_info", problems, limit=rules.OTHER_INFO_MAX)
        if problems:
            return None, problems
        total = sum((value for by_activity in hours.values() for value in by_activity.values()), Decimal(0))
        return {
            "month": str(month),
            "activities": [activity.code for activity in activities],
            "activity_names": {activity.code: activity.name for activity in activities},
            "hours": {
                day.isoformat(): {code: str(value) for code, value in sorted(by_activity.items())}
                for day, by_activity in sorted(hours.items())
            },
            "total": str(total),
            "language_support": language_support,
            "suggested_jobs": suggested_jobs,
            "other_info": other_info,
        }, []

    def submit_problems(self, facts: Facts, period: Period, today: datetime.date) -> list[Problem]:
        month = YearMonth.of(period.start)
        if rules.monthly_submittable(month=month, last_day=facts.last_day, today=today):
            return []
        # The first day it can be sent: after the month, or after the placement's last day if that comes first.
        from_day = min(month.last_day, facts.last_day) + datetime.timedelta(days=1)
        return [Problem("", Code.NOT_YET_SUBMITTABLE, {"date": from_day.isoformat()})]

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        value = str(content.get("other_info", ""))
        return [("other_info", value)] if value else []

    def field_label(self, field: str) -> str:
        labels = {
            "language_support": _("Did the participant get language support?"),
            "suggested_jobs": _("Did you suggest jobs to apply for?"),
            "other_info": _("Other information"),
        }
        if field in labels:
            return str(labels[field])
        match = re.match(r"^(?:day|hours-[a-z0-9_-]+)-(\d{4}-\d{2}-\d{2})$", field)
        if match:
            day = datetime.date.fromisoformat(match.group(1))
            return formats.date_format(day, "l j F").capitalize()
        return field

    def calendar(
        self,
        facts: Facts,
        month: YearMonth,
        activities: list[Activity],
        values: Mapping[str, str],
        errors: Mapping[str, list[str]],
    ) -> list[dict[str, Any]]:
        """The month's weeks, each with its days and one row of cells per activity, for the templates."""
        closed = self.closed(facts, month)
        language = "sv" if (get_language() or "sv").startswith("sv") else "en_US"
        weeks = []
        for dates in _weeks(month):
            days = []
            for day in dates:
                in_month = day.month == month.month
                reason = closed.get(day) if in_month else None
                entry = Day(
                    day=day,
                    in_month=in_month,
                    closed=reason,
                    holiday=holiday_name(day, language) if reason == Closed.HOLIDAY else "",
                    errors=errors.get(f"day-{day.isoformat()}", []),
                )
                for activity in activities:
                    parsed = rules.parse_hours(values.get(cell_name(activity.code, day), ""))
                    entry.total += parsed or 0
                days.append(entry)
            rows = [
                {
                    "activity": activity,
                    "cells": [
                        {
                            "day": entry,
                            "name": cell_name(activity.code, entry.day),
                            "value": values.get(cell_name(activity.code, entry.day), ""),
                            "errors": errors.get(cell_name(activity.code, entry.day), []),
                        }
                        for entry in days
                    ],
                }
                for activity in activities
            ]
            weeks.append({"number": dates[0].isocalendar().week, "days": days, "rows": rows})
        return weeks

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        month = YearMonth.of(period.start)
        activities = plan_activities(facts.placement_id)
        values = {name: first(draft, name) for name in draft if _CELL.match(name)}
        return {
            "weeks": self.calendar(facts, month, activities, values, errors),
            "activities": activities,
            "has_plan": any(not activity.own_work for activity in activities),
            "value": {name: first(draft, name) for name in ("language_support", "suggested_jobs", "other_info")},
            "other_info_max": rules.OTHER_INFO_MAX,
            "max_per_day": rules.format_hours(rules.MAX_HOURS_PER_DAY),
            "submit_notice": " ".join(message(problem) for problem in self.submit_problems(facts, period, today)),
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        month = YearMonth.of(period.start)
        names = content.get("activity_names", {})
        activities = [Activity(code=code, name=names.get(code, code)) for code in content.get("activities", [])]
        values = {
            cell_name(code, datetime.date.fromisoformat(day)): rules.format_hours(Decimal(value))
            for day, by_activity in content.get("hours", {}).items()
            for code, value in by_activity.items()
        }
        weeks = self.calendar(facts, month, activities, values, {})
        return {
            "weeks": weeks,
            "total": rules.format_hours(Decimal(content.get("total", "0"))),
            "days_reported": len(content.get("hours", {})),
        }


MONTHLY_REPORT = register(MonthlyReportKind())
