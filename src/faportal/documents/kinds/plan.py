"""Gemensam planering, the joint plan (SPEC S5.1): one per period, updated as the work goes on."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.core.problems import Problem
from faportal.documents import rules
from faportal.documents.kinds import (
    DocumentKind,
    Draft,
    Due,
    Facts,
    Period,
    first,
    parse_date,
    parse_time,
    register,
    text,
    yes_no,
)
from faportal.documents.models import Activity
from faportal.documents.rules import Code, ScheduleItem

PROVIDERS = {
    "provider": gettext_lazy("The provider"),
    "af": gettext_lazy("Arbetsförmedlingen"),
    "other": gettext_lazy("Another actor"),
}
_ROW = re.compile(r"^schedule-(\d+)-")
ROW_FIELDS = ("activity", "day", "starts_at", "ends_at", "place", "provider", "provider_name", "notes")
NOTES_MAX = 500
PLACE_MAX = 200


def too_long(field: str, value: str, limit: int) -> Problem:
    return Problem(field, Code.TOO_LONG, {"limit": limit, "length": len(value)})


def catalogue() -> list[Activity]:
    """The activities a plan chooses among: those in use, in the catalogue's order."""
    return list(Activity.objects.filter(active=True, own_work=False).order_by("position", "name"))


def schedule_rows(draft: Draft) -> list[int]:
    """The indices of the schedule's rows in a draft, in order."""
    return sorted({int(match.group(1)) for name in draft if (match := _ROW.match(name))})


def _row_is_empty(draft: Draft, index: int) -> bool:
    return all(not first(draft, f"schedule-{index}-{name}").strip() for name in ROW_FIELDS if name != "provider")


class PlanKind(DocumentKind):
    key = "plan"
    label = gettext_lazy("Joint plan")
    label_plural = gettext_lazy("Joint plans")
    new_label = gettext_lazy("New joint plan")
    spec = "S5.1"
    position = 10
    edit_template = "documents/plan_edit.html"
    view_template = "documents/plan_view.html"
    revisable = True

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """A period's first plan, while the placement has not ended (later versions follow an approved one)."""
        if facts.starts_on in taken or facts.last_day < today or facts.last_day < facts.first_day:
            return []
        return [Period(facts.starts_on, facts.ends_on)]

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        return _("%(start)s – %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}

    def due(self, facts: Facts, documents: list[Any], today: datetime.date) -> list[Due]:
        """The period's plan until one is submitted, while the placement runs: five working days after the start."""
        if facts.last_day < facts.first_day or facts.last_day < today:
            return []
        if any(d.kind == self.key and not d.is_draft for d in documents):
            return []
        deadline = rules.plan_deadline(facts.starts_on)
        return [Due(Period(facts.starts_on, facts.ends_on), deadline, deadline < today)]

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            # The mandatory activities are ticked to begin with; a new schedule starts with three empty rows.
            draft: Draft = {"activities": [a.code for a in catalogue() if a.mandatory], "weeks": ["2"]}
            for index in range(3):
                draft[f"schedule-{index}-provider"] = ["provider"]
            return draft
        draft = {
            "distance": ["yes" if replaced.get("distance") else "no"],
            "activities": list(replaced.get("activities", [])),
            "weeks": [str(replaced.get("weeks", 2))],
            "notes": [replaced.get("notes", "")],
        }
        # The schedule is for the weeks ahead: an updated plan starts a new one.
        for index in range(3):
            draft[f"schedule-{index}-provider"] = ["provider"]
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        distance = yes_no(draft, "distance", problems)
        activities = [code for code in draft.get("activities", []) if code]
        weeks_text = first(draft, "weeks")
        weeks = int(weeks_text) if weeks_text in {"1", "2", "3", "4"} else 0
        if not weeks:
            problems.append(Problem("weeks", Code.REQUIRED))
        schedule: list[ScheduleItem] = []
        row_problems: list[Problem] = []
        for index in schedule_rows(draft):
            if _row_is_empty(draft, index):
                continue
            item = self._row(draft, index, row_problems)
            if item is not None:
                schedule.append(item)
        problems.extend(row_problems)
        notes = text(draft, "notes", problems, limit=rules.FREE_TEXT_MAX)
        together = first(draft, "together") == "yes"
        known = catalogue()
        problems.extend(
            problem
            for problem in rules.plan_problems(
                activities=activities,
                catalogue=[rules.CatalogueActivity(a.code, a.name, a.mandatory) for a in known],
                weeks=weeks or rules.SCHEDULE_MAX_WEEKS,
                schedule=schedule,
                together=together,
                planned_on=today,
                first_day=facts.first_day,
                last_day=facts.last_day,
            )
            # A row that could not be read is already said; the rule would only add "no schedule".
            if not (problem.code == Code.NO_SCHEDULE and row_problems)
        )
        if problems:
            return None, problems
        return {
            "planned_on": today.isoformat(),
            "distance": distance,
            "activities": [a.code for a in known if a.code in activities],
            "activity_names": {a.code: a.name for a in known if a.code in activities},
            "weeks": weeks,
            "schedule": [
                {
                    **asdict(item),
                    "day": item.day.isoformat(),
                    "starts_at": item.starts_at.strftime("%H:%M"),
                    "ends_at": item.ends_at.strftime("%H:%M") if item.ends_at else None,
                }
                for item in sorted(schedule, key=lambda item: (item.day, item.starts_at))
            ],
            "notes": notes,
            "together": together,
        }, []

    def _row(self, draft: Draft, index: int, problems: list[Problem]) -> ScheduleItem | None:
        def value(name: str) -> str:
            return first(draft, f"schedule-{index}-{name}").strip()

        where = f"schedule-{index}"
        found = len(problems)
        day = parse_date(value("day"))
        if day is None:
            problems.append(Problem(f"{where}-day", Code.REQUIRED if not value("day") else Code.INVALID_DATE))
        starts_at = parse_time(value("starts_at"))
        if starts_at is None:
            problems.append(
                Problem(f"{where}-starts_at", Code.REQUIRED if not value("starts_at") else Code.INVALID_TIME)
            )
        ends_at = parse_time(value("ends_at")) if value("ends_at") else None
        if value("ends_at") and ends_at is None:
            problems.append(Problem(f"{where}-ends_at", Code.INVALID_TIME))
        if not value("activity"):
            problems.append(Problem(f"{where}-activity", Code.REQUIRED))
        if not value("place"):
            problems.append(Problem(f"{where}-place", Code.REQUIRED))
        elif len(value("place")) > PLACE_MAX:
            problems.append(
                Problem(f"{where}-place", Code.TOO_LONG, {"limit": PLACE_MAX, "length": len(value("place"))})
            )
        if value("provider") not in PROVIDERS:
            problems.append(Problem(f"{where}-provider", Code.REQUIRED))
        if len(value("notes")) > NOTES_MAX:
            problems.append(
                Problem(f"{where}-notes", Code.TOO_LONG, {"limit": NOTES_MAX, "length": len(value("notes"))})
            )
        if len(problems) > found or day is None or starts_at is None:
            return None
        return ScheduleItem(
            activity=value("activity"),
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            place=value("place"),
            provider=value("provider"),
            provider_name=value("provider_name") if value("provider") == "other" else "",
            notes=value("notes"),
        )

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        texts = [("notes", str(content.get("notes", "")))]
        for index, item in enumerate(content.get("schedule", [])):
            texts.append((f"schedule-{index}-notes", str(item.get("notes", ""))))
            texts.append((f"schedule-{index}-place", str(item.get("place", ""))))
        return [(field, value) for field, value in texts if value]

    def field_label(self, field: str) -> str:
        labels = {
            "distance": _("Distance participation"),
            "activities": _("Activities"),
            "weeks": _("The schedule covers"),
            "schedule": _("Schedule"),
            "notes": _("Other information"),
            "together": _("Made together with the participant"),
        }
        if field in labels:
            return str(labels[field])
        match = re.match(r"^schedule-(\d+)-(\w+)$", field)
        if match:
            column = {
                "activity": _("activity"),
                "day": _("date"),
                "starts_at": _("from"),
                "ends_at": _("to"),
                "place": _("place"),
                "provider": _("provided by"),
                "provider_name": _("name of the actor"),
                "notes": _("notes"),
            }.get(match.group(2), match.group(2))
            return _("Schedule, row %(row)d: %(column)s") % {"row": int(match.group(1)) + 1, "column": column}
        return field

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        activities = catalogue()
        chosen = set(draft.get("activities", []))
        rows: list[dict[str, Any]] = []
        for number, index in enumerate(schedule_rows(draft) or [0]):
            rows.append(
                {
                    "index": index,
                    "number": number + 1,
                    **{name: first(draft, f"schedule-{index}-{name}") for name in ROW_FIELDS},
                    "errors": {name: errors.get(f"schedule-{index}-{name}", []) for name in ROW_FIELDS},
                }
            )
        return {
            "activities": [(activity, activity.code in chosen) for activity in activities],
            "rows": rows,
            "next_row": max((int(row["index"]) for row in rows), default=-1) + 1,
            "providers": list(PROVIDERS.items()),
            "weeks_choices": [(str(n), n) for n in range(1, rules.SCHEDULE_MAX_WEEKS + 1)],
            "value": {name: first(draft, name) for name in ("distance", "weeks", "notes", "together")},
            "notes_max": rules.FREE_TEXT_MAX,
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        names = content.get("activity_names", {})
        schedule = [
            {
                **item,
                "day": datetime.date.fromisoformat(item["day"]),
                "activity_name": names.get(item["activity"], item["activity"]),
                "provider_label": item.get("provider_name") or PROVIDERS.get(item["provider"], item["provider"]),
            }
            for item in content.get("schedule", [])
        ]
        return {
            "activity_names": [names.get(code, code) for code in content.get("activities", [])],
            "schedule": schedule,
            "planned_on": datetime.date.fromisoformat(content["planned_on"]),
        }


PLAN = register(PlanKind())
