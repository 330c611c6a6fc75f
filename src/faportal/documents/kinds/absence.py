"""Avvikelserapport – Frånvaro, the absence report (SPEC S5.2): one day the participant was away, and why.

There can be many (one per absence); each is about the day its form names, never a future one, and while the
placement ran. Part of a day gives the planned time and the time away, inside it. Every reason has room for a
comment (providers asked for it); "another known reason: other" needs one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.core.problems import Problem
from faportal.documents import rules
from faportal.documents.kinds import (
    DayKind,
    Draft,
    Facts,
    Period,
    choices,
    date_field,
    draft_of,
    first,
    register,
    text,
    time_field,
    values,
)
from faportal.documents.rules import AbsenceReason, Code, OtherKnownReason

REASONS = {
    AbsenceReason.ILLNESS: gettext_lazy("Illness"),
    AbsenceReason.CHILD_CARE: gettext_lazy("Care of a child"),
    AbsenceReason.WORK: gettext_lazy("Work"),
    AbsenceReason.EDUCATION: gettext_lazy("Education"),
    AbsenceReason.OTHER_KNOWN: gettext_lazy("Another known reason"),
    AbsenceReason.UNKNOWN: gettext_lazy("Unknown reason"),
}
OTHER_REASONS = {
    OtherKnownReason.DOCTOR: gettext_lazy("Visit to a doctor or dentist"),
    OtherKnownReason.FAMILY: gettext_lazy("Family matter"),
    OtherKnownReason.AUTHORITY: gettext_lazy("Meeting with an authority"),
    OtherKnownReason.OTHER: gettext_lazy("Other"),
}
EXTENTS = {"whole": gettext_lazy("The whole day"), "part": gettext_lazy("Part of the day")}
TIMES = ("planned_from", "planned_to", "absent_from", "absent_to")
FIELDS = ("reason", "other_reason", "day", "extent", *TIMES, "comment")


class AbsenceKind(DayKind):
    key = "absence"
    label = gettext_lazy("Absence report")
    label_plural = gettext_lazy("Absence reports")
    new_label = gettext_lazy("New absence report")
    spec = "S5.2"
    position = 30
    edit_template = "documents/absence_edit.html"
    view_template = "documents/absence_view.html"

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            return {"extent": ["whole"]}
        draft = draft_of(replaced, ("reason", "other_reason", "day", "comment", *TIMES))
        draft["extent"] = ["whole" if replaced.get("whole_day") else "part"]
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        reason = first(draft, "reason")
        other_reason = first(draft, "other_reason") if reason == AbsenceReason.OTHER_KNOWN else ""
        day = date_field(draft, "day", problems)
        extent = first(draft, "extent")
        if extent not in EXTENTS:
            problems.append(Problem("extent", Code.REQUIRED))
        part = extent == "part"
        times = {name: time_field(draft, name, problems) if part else None for name in TIMES}
        comment = text(draft, "comment", problems, limit=rules.FREE_TEXT_MAX)
        problems.extend(
            rules.absence_problems(
                reason=reason,
                other_reason=other_reason,
                comment=comment,
                day=day,
                first_day=facts.first_day,
                last_day=facts.last_day,
                today=today,
                part_of_day=part,
                **times,
            )
        )
        if problems or day is None:
            return None, problems
        return {
            "day": day.isoformat(),
            "reason": reason,
            "other_reason": other_reason,
            "whole_day": not part,
            **{name: value.strftime("%H:%M") for name, value in times.items() if value is not None},
            "comment": comment,
        }, []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        value = str(content.get("comment", ""))
        return [("comment", value)] if value else []

    def field_label(self, field: str) -> str:
        return str(
            {
                "reason": _("Reason"),
                "other_reason": _("Which other reason"),
                "day": _("Date of the absence"),
                "extent": _("Absent"),
                "planned_from": _("Planned from"),
                "planned_to": _("Planned until"),
                "absent_from": _("Absent from"),
                "absent_to": _("Absent until"),
                "comment": _("Comment"),
            }.get(field, field)
        )

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "value": values(draft, FIELDS),
            "reasons": choices(REASONS),
            "other_reasons": choices(OTHER_REASONS),
            "extents": choices(EXTENTS),
            "text_max": rules.FREE_TEXT_MAX,
            "latest_day": min(today, facts.last_day).isoformat(),
            "first_day": facts.first_day.isoformat(),
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        reason = REASONS.get(content.get("reason", ""), content.get("reason", ""))
        other = OTHER_REASONS.get(content.get("other_reason", ""), "")
        return {
            "reason_words": f"{reason}: {other}" if other else reason,
            "day": datetime.date.fromisoformat(content["day"]) if content.get("day") else None,
        }


ABSENCE = register(AbsenceKind())
