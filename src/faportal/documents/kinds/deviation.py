"""Avvikelserapport – Avvikelse, the deviation report (SPEC S5.3): one event that Arbetsförmedlingen must know of.

A reason, and what it needs said: which job or activity and the participant's stated reason (declined a job or an
activity); the problem and what the provider did to support or adapt (cannot benefit; misconduct); how the participant
acted (misconduct; made an offered job not happen). One event per report, on a day not in the future.
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
    values,
)
from faportal.documents.rules import DEVIATION_FIELDS, DeviationReason

REASONS = {
    DeviationReason.DECLINED_JOB: gettext_lazy("Declined an offered job"),
    DeviationReason.DECLINED_ACTIVITY: gettext_lazy("Declined an activity"),
    DeviationReason.CANNOT_BENEFIT: gettext_lazy("Cannot benefit from the programme"),
    DeviationReason.MISCONDUCT: gettext_lazy("Misconduct or disturbing the activity"),
    DeviationReason.PREVENTED_JOB: gettext_lazy("Made an offered job not happen"),
}
TEXTS = {
    "which": gettext_lazy("Which job or activity"),
    "stated_reason": gettext_lazy("The participant's stated reason"),
    "problem": gettext_lazy("The problem"),
    "support": gettext_lazy("What you did to support the participant or adapt the activity"),
    "conduct": gettext_lazy("How the participant acted"),
}
TEXT_HELP = {
    "which": gettext_lazy("The employer and the job, or the activity, and when it was offered."),
    "stated_reason": gettext_lazy("What the participant said, in their own words as far as possible."),
    "problem": gettext_lazy("What happened, factually."),
    "support": gettext_lazy("What you tried, and what came of it."),
    "conduct": gettext_lazy("What the participant did or said, factually."),
}
WHICH_LIMIT = 500


def needed_by(field: str) -> list[str]:
    """The reasons that need a text field."""
    return [reason.value for reason, fields in DEVIATION_FIELDS.items() if field in fields]


class DeviationKind(DayKind):
    key = "deviation"
    label = gettext_lazy("Deviation report")
    label_plural = gettext_lazy("Deviation reports")
    new_label = gettext_lazy("New deviation report")
    spec = "S5.3"
    position = 40
    edit_template = "documents/deviation_edit.html"
    view_template = "documents/deviation_view.html"

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        return draft_of(replaced, ("reason", "day", *TEXTS)) if replaced else {}

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        reason = first(draft, "reason")
        day = date_field(draft, "day", problems)
        texts = {
            name: text(draft, name, problems, limit=WHICH_LIMIT if name == "which" else rules.FREE_TEXT_MAX)
            for name in TEXTS
        }
        problems.extend(
            rules.deviation_problems(
                reason=reason, texts=texts, day=day, first_day=facts.first_day, last_day=facts.last_day, today=today
            )
        )
        if problems or day is None:
            return None, problems
        needed = DEVIATION_FIELDS[DeviationReason(reason)]
        return {"day": day.isoformat(), "reason": reason, **{name: texts[name] for name in needed}}, []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [(name, str(content[name])) for name in TEXTS if content.get(name)]

    def field_label(self, field: str) -> str:
        labels = {"reason": _("Reason"), "day": _("Date of the event"), **TEXTS}
        return str(labels.get(field, field))

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "value": values(draft, ("reason", "day", *TEXTS)),
            "reasons": choices(REASONS),
            "texts": [
                (name, str(words), str(TEXT_HELP[name]), ",".join(needed_by(name)), name == "which")
                for name, words in TEXTS.items()
            ],
            "text_max": rules.FREE_TEXT_MAX,
            "which_max": WHICH_LIMIT,
            "latest_day": min(today, facts.last_day).isoformat(),
            "first_day": facts.first_day.isoformat(),
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        return {
            "reason_words": REASONS.get(content.get("reason", ""), content.get("reason", "")),
            "day": datetime.date.fromisoformat(content["day"]) if content.get("day") else None,
            "texts": [(str(words), content[name]) for name, words in TEXTS.items() if content.get(name)],
        }


DEVIATION = register(DeviationKind())
