"""Slutredovisning, the final report (SPEC S5.8): where the participant stands when the placement ends.

Two steps. First the participant's main occupation now: work (occupational area → occupation group from SSYK 2012,
the type of employment, the extent), education (level, length, direction), still seeking work (a reason from a list;
"other" in words) or something else (in words). Then what was done in each activity of the approved plan, the
participant's progress, and the recommended next step. Every free text is required. It can be written from the
placement's last month (an interruption brings that forward); one per placement.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.core.problems import Problem
from faportal.documents import rules, ssyk
from faportal.documents.kinds import (
    FULL_OR_PART,
    DocumentKind,
    Draft,
    Due,
    Facts,
    Period,
    choices,
    extent,
    first,
    register,
    text,
    values,
)
from faportal.documents.kinds.monthly import plan_activities
from faportal.documents.models import Activity
from faportal.documents.rules import FinalOccupation

OCCUPATIONS = {
    FinalOccupation.WORK: gettext_lazy("Work"),
    FinalOccupation.EDUCATION: gettext_lazy("Education"),
    FinalOccupation.SEEKING: gettext_lazy("Still seeking work"),
    FinalOccupation.OTHER: gettext_lazy("Something else"),
}
# The lists the SPEC leaves open (assumed; kept here, beside the words that show them).
EMPLOYMENTS = {
    "permanent": gettext_lazy("Permanent employment"),
    "fixed_term": gettext_lazy("Fixed-term employment"),
    "hourly": gettext_lazy("Employment by the hour"),
    "supported": gettext_lazy("Employment with wage support"),
    "own_business": gettext_lazy("Own business"),
}
EDUCATION_LEVELS = {
    "adult_basic": gettext_lazy("Municipal adult education, basic level"),
    "upper_secondary": gettext_lazy("Upper secondary level"),
    "folk_high_school": gettext_lazy("Folk high school"),
    "vocational": gettext_lazy("Higher vocational education"),
    "university": gettext_lazy("University or university college"),
    "other": gettext_lazy("Other education"),
}
EDUCATION_LENGTHS = {
    "short": gettext_lazy("Less than six months"),
    "medium": gettext_lazy("Six to twelve months"),
    "long": gettext_lazy("More than a year"),
}
SEEKING_REASONS = {
    "no_match_yet": gettext_lazy("Has not yet found work in the occupations sought"),
    "needs_education": gettext_lazy("Needs education to reach the occupations sought"),
    "needs_other_support": gettext_lazy("Needs another programme or other support"),
    "other": gettext_lazy("Other reason"),
}
CHOICES: dict[str, tuple[str, Mapping[str, Any]]] = {
    "employment": (FinalOccupation.WORK, EMPLOYMENTS),
    "level": (FinalOccupation.EDUCATION, EDUCATION_LEVELS),
    "length": (FinalOccupation.EDUCATION, EDUCATION_LENGTHS),
    "seeking_reason": (FinalOccupation.SEEKING, SEEKING_REASONS),
}
STEP_1 = ("occupation", "area", "group", "employment", "extent", "percent", "level", "length", "direction")
STEP_1_TEXTS = ("seeking_reason", "seeking_other", "occupation_other")
SHORT_TEXT_MAX = 200


def activities_of(facts: Facts) -> list[Activity]:
    """The activities of the placement's approved plans (not own work), in the catalogue's order."""
    return [activity for activity in plan_activities(facts.placement_id) if not activity.own_work]


class FinalReportKind(DocumentKind):
    key = "final_report"
    label = gettext_lazy("Final report")
    label_plural = gettext_lazy("Final reports")
    new_label = gettext_lazy("New final report")
    spec = "S5.8"
    position = 90
    edit_template = "documents/final_edit.html"
    view_template = "documents/final_view.html"

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """One per placement, from its last month (or its last month before an interruption)."""
        if facts.last_day < facts.first_day or facts.starts_on in taken:
            return []
        if today < rules.final_report_from(first_day=facts.first_day, last_day=facts.last_day):
            return []
        return [Period(facts.starts_on, facts.ends_on)]

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        return _("%(start)s – %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}

    def due(self, facts: Facts, documents: list[Any], today: datetime.date) -> list[Due]:
        """From the last month until one is submitted; late once the placement has ended (assumed: no deadline)."""
        if not self.new_periods(facts, set(), today):
            return []
        if any(d.kind == self.key and not d.is_draft for d in documents):
            return []
        return [Due(Period(facts.starts_on, facts.ends_on), None, facts.last_day < today)]

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            return {"step": ["1"]}
        draft: Draft = {"step": ["1"]}
        for name in (*STEP_1, *STEP_1_TEXTS, "progress", "next_step"):
            value = replaced.get(name)
            if value is not None and not isinstance(value, bool):
                draft[name] = [str(value)]
        if "full_time" in replaced:
            draft["extent"] = ["full" if replaced["full_time"] else "part"]
        for each in replaced.get("activities", []):
            draft[f"done-{each['code']}"] = [each.get("done", "")]
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        occupation = first(draft, "occupation")
        activities = activities_of(facts)
        names = [*STEP_1_TEXTS, "direction", *(f"done-{a.code}" for a in activities), "progress", "next_step"]
        texts = {
            name: text(draft, name, problems, limit=SHORT_TEXT_MAX if name == "direction" else rules.FREE_TEXT_MAX)
            for name in names
        }
        for name in CHOICES:
            texts[name] = first(draft, name)
        full_time, percent = (None, None)
        if occupation == FinalOccupation.WORK:
            full_time, percent = extent(draft, problems)
        area, group = first(draft, "area"), first(draft, "group")
        problems.extend(
            rules.final_report_problems(
                occupation=occupation,
                area=area,
                group=group,
                groups=ssyk.group_areas(),
                choices={name: (belongs, set(words)) for name, (belongs, words) in CHOICES.items()},
                full_time=full_time,
                percent=percent,
                texts=texts,
                activities=[a.code for a in activities],
                first_day=facts.first_day,
                last_day=facts.last_day,
                today=today,
            )
        )
        if problems:
            return None, problems
        content: dict[str, Any] = {"occupation": occupation}
        if occupation == FinalOccupation.WORK:
            content.update(
                {
                    "classification": ssyk.VERSION,
                    "area": area,
                    "area_name": ssyk.names()[area],
                    "group": group,
                    "group_name": ssyk.names()[group],
                    "employment": texts["employment"],
                    "full_time": full_time,
                    "percent": None if full_time else percent,
                }
            )
        elif occupation == FinalOccupation.EDUCATION:
            content.update({"level": texts["level"], "length": texts["length"], "direction": texts["direction"]})
        elif occupation == FinalOccupation.SEEKING:
            content["seeking_reason"] = texts["seeking_reason"]
            if texts["seeking_reason"] == "other":
                content["seeking_other"] = texts["seeking_other"]
        else:
            content["occupation_other"] = texts["occupation_other"]
        content["activities"] = [{"code": a.code, "name": a.name, "done": texts[f"done-{a.code}"]} for a in activities]
        content["progress"] = texts["progress"]
        content["next_step"] = texts["next_step"]
        return content, []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        found = [
            (name, str(content[name]))
            for name in ("direction", "seeking_other", "occupation_other", "progress", "next_step")
            if content.get(name)
        ]
        found.extend((f"done-{each['code']}", str(each["done"])) for each in content.get("activities", []))
        return found

    def field_label(self, field: str) -> str:
        labels = {
            "occupation": _("Main occupation now"),
            "area": _("Occupational area"),
            "group": _("Occupation group"),
            "employment": _("Type of employment"),
            "extent": _("Extent"),
            "percent": _("Percent of full time"),
            "level": _("Level of education"),
            "length": _("Length of the education"),
            "direction": _("Direction of the education"),
            "seeking_reason": _("Why the participant is still seeking work"),
            "seeking_other": _("The other reason"),
            "occupation_other": _("What the participant does"),
            "progress": _("The participant's progress"),
            "next_step": _("Recommended next step"),
        }
        if field in labels:
            return str(labels[field])
        if field.startswith("done-"):
            code = field.removeprefix("done-")
            name = Activity.objects.filter(code=code).values_list("name", flat=True).first() or code
            return _("What was done: %(activity)s") % {"activity": name}
        return field

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        activities = activities_of(facts)
        step = "2" if first(draft, "step") == "2" else "1"
        step_2_fields = {"progress", "next_step", *(f"done-{a.code}" for a in activities)}
        return {
            "value": values(draft, (*STEP_1, *STEP_1_TEXTS, "progress", "next_step", "step")),
            "step": step,
            # With problems shown, both steps are on the page, so every problem's link reaches its field.
            "both_steps": bool(errors),
            "step_2_has_errors": any(name in step_2_fields for name in errors),
            "occupations": choices(OCCUPATIONS),
            "areas": [(area.code, area.name) for area in ssyk.areas()],
            "ssyk": ssyk.areas(),
            "ssyk_version": ssyk.VERSION,
            "employments": choices(EMPLOYMENTS),
            "extents": choices(FULL_OR_PART),
            "levels": choices(EDUCATION_LEVELS),
            "lengths": choices(EDUCATION_LENGTHS),
            "seeking_reasons": choices(SEEKING_REASONS),
            "activities": [(a, f"done-{a.code}", first(draft, f"done-{a.code}")) for a in activities],
            "text_max": rules.FREE_TEXT_MAX,
            "short_max": SHORT_TEXT_MAX,
            "hide_preview": step == "1" and not errors,
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        return {
            "occupation_words": OCCUPATIONS.get(content.get("occupation", ""), ""),
            "employment_words": EMPLOYMENTS.get(content.get("employment", ""), ""),
            "level_words": EDUCATION_LEVELS.get(content.get("level", ""), ""),
            "length_words": EDUCATION_LENGTHS.get(content.get("length", ""), ""),
            "seeking_words": SEEKING_REASONS.get(content.get("seeking_reason", ""), ""),
        }


FINAL_REPORT = register(FinalReportKind())
