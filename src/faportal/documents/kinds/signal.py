"""Signal om arbete eller studier (SPEC S5.6): the participant has got work or will study.

Work or studies, full or part time (in percent), and the day it starts; for studies that start after the service
ends, the day the participant applied. Pointless, and refused, once a result report is submitted: the result says it.
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
    FULL_OR_PART,
    WORK_OR_STUDIES,
    DayKind,
    Draft,
    Facts,
    Period,
    choices,
    date_field,
    draft_of,
    extent,
    first,
    register,
    values,
)
from faportal.documents.rules import Occupation

RESULT_KINDS = ("result_1", "result_2")
FIELDS = ("what", "extent", "percent", "day", "applied")


class SignalKind(DayKind):
    key = "signal"
    label = gettext_lazy("Signal of work or studies")
    label_plural = gettext_lazy("Signals of work or studies")
    new_label = gettext_lazy("New signal of work or studies")
    spec = "S5.6"
    position = 60
    edit_template = "documents/signal_edit.html"
    view_template = "documents/signal_view.html"

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """While reports can be written, until a result report is submitted."""
        if any(kind in facts.submitted for kind in RESULT_KINDS):
            return []
        return super().new_periods(facts, taken, today)

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            return {}
        draft = draft_of(replaced, ("what", "percent", "day", "applied"))
        draft["extent"] = ["full" if replaced.get("full_time") else "part"]
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        what = first(draft, "what")
        full_time, percent = extent(draft, problems)
        day = date_field(draft, "day", problems)
        applied = what == Occupation.STUDIES and first(draft, "applied") == "yes"
        problems.extend(
            rules.signal_problems(
                what=what,
                full_time=full_time,
                percent=percent,
                day=day,
                applied=applied,
                first_day=facts.first_day,
                today=today,
                result_submitted=any(kind in facts.submitted for kind in RESULT_KINDS),
            )
        )
        if problems or day is None:
            return None, problems
        return {
            "what": what,
            "full_time": full_time,
            "percent": None if full_time else percent,
            "day": day.isoformat(),
            "applied": applied,
        }, []

    def field_label(self, field: str) -> str:
        return str(
            {
                "what": _("Work or studies"),
                "extent": _("Extent"),
                "percent": _("Percent of full time"),
                "day": _("Start date, or date of application"),
                "applied": _("The studies start after the programme ends"),
            }.get(field, field)
        )

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "value": values(draft, FIELDS),
            "occupations": choices(WORK_OR_STUDIES),
            "extents": choices(FULL_OR_PART),
            "first_day": facts.first_day.isoformat(),
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        return {
            "what_words": WORK_OR_STUDIES.get(content.get("what", ""), ""),
            "day": datetime.date.fromisoformat(content["day"]) if content.get("day") else None,
        }


SIGNAL = register(SignalKind())
