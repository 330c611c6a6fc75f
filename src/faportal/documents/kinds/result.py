"""Resultatredovisning 1 and 2, the result reports (SPEC S5.7): the participant has work or studies, with evidence.

Work or studies; full or part time (percent; part time that matches what the participant wanted counts as full time);
where; from when (and until when, if it ends); the employer's organisationsnummer (ten zeros for a sole trader or a
foreign employer); and the evidence as files (a payslip, a contract, a certificate), attached to the draft and final
with it. Each pays a result compensation once approved (S7.1); result 2, the follow-up, only after an approved result
1. One of each per placement. Both kinds are this module's: they differ only in their number.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.core.problems import Problem
from faportal.documents import files, rules
from faportal.documents.kinds import (
    FULL_OR_PART,
    WORK_OR_STUDIES,
    DocumentKind,
    Draft,
    Facts,
    Period,
    choices,
    date_field,
    draft_of,
    extent,
    first,
    register,
    text,
    values,
)
from faportal.documents.rules import Occupation

FIELDS = ("what", "extent", "percent", "as_wanted", "where", "starts_on", "ends_on", "organisationsnummer")
WHERE_MAX = 200


class ResultKind(DocumentKind):
    spec = "S5.7"
    edit_template = "documents/result_edit.html"
    view_template = "documents/result_view.html"
    takes_evidence = True

    def __init__(self, number: int) -> None:
        self.number = number
        self.key = f"result_{number}"
        self.position = 70 + number
        if number == 1:
            self.label = gettext_lazy("Result report 1")
            self.label_plural = gettext_lazy("Result reports 1")
            self.new_label = gettext_lazy("New result report 1")
        else:
            self.label = gettext_lazy("Result report 2")
            self.label_plural = gettext_lazy("Result reports 2")
            self.new_label = gettext_lazy("New result report 2")

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """One per placement, once it has begun; result 2 once result 1 is approved."""
        if facts.last_day < facts.first_day or today < facts.first_day or facts.starts_on in taken:
            return []
        if self.number == 2 and "result_1" not in facts.approved:
            return []
        return [Period(facts.starts_on, facts.ends_on)]

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        return _("%(start)s – %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        if replaced is None:
            return {}
        # The evidence comes along as files of the correction's own (services.start_correction).
        draft = draft_of(replaced, ("what", "percent", "as_wanted", "where", "starts_on", "ends_on"))
        draft["extent"] = ["full" if replaced.get("full_time") else "part"]
        draft["organisationsnummer"] = [replaced.get("organisationsnummer") or ""]
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        what = first(draft, "what")
        full_time, percent = extent(draft, problems)
        as_wanted = full_time is False and first(draft, "as_wanted") == "yes"
        where = text(draft, "where", problems, limit=WHERE_MAX, required=True)
        starts_on = date_field(draft, "starts_on", problems)
        ends_on = date_field(draft, "ends_on", problems, required=False)
        number = ""
        if what == Occupation.WORK:
            number, found = rules.employer_number_problems(
                field="organisationsnummer", value=first(draft, "organisationsnummer")
            )
            problems.extend(found)
        problems.extend(
            rules.result_problems(
                number=self.number,
                what=what,
                full_time=full_time,
                percent=percent,
                starts_on=starts_on,
                ends_on=ends_on,
                first_day=facts.first_day,
                evidence=len(facts.evidence),
                result_1_approved="result_1" in facts.approved,
            )
        )
        if problems or starts_on is None:
            return None, problems
        return {
            "what": what,
            "full_time": full_time,
            "percent": None if full_time else percent,
            "as_wanted": as_wanted,
            "counts_as_full_time": bool(full_time or as_wanted),
            "where": where,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "organisationsnummer": number or None,
            "evidence": [
                {"id": each.id, "name": each.name, "size": each.size, "content_type": each.content_type}
                for each in facts.evidence
            ],
        }, []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        value = str(content.get("where", ""))
        return [("where", value)] if value else []

    def field_label(self, field: str) -> str:
        return str(
            {
                "what": _("Work or studies"),
                "extent": _("Extent"),
                "percent": _("Percent of full time"),
                "as_wanted": _("Part time as the participant wanted"),
                "where": _("Employer or school"),
                "starts_on": _("Start date"),
                "ends_on": _("End date"),
                "organisationsnummer": _("The employer's organisationsnummer"),
                "evidence": _("Evidence"),
            }.get(field, field)
        )

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "value": values(draft, FIELDS),
            "occupations": choices(WORK_OR_STUDIES),
            "extents": choices(FULL_OR_PART),
            "evidence": facts.evidence,
            "evidence_left": rules.EVIDENCE_MAX_FILES - len(facts.evidence),
            "evidence_max": rules.EVIDENCE_MAX_FILES,
            "evidence_max_mb": rules.EVIDENCE_MAX_BYTES // 1024 // 1024,
            "accept": files.accepted_types(),
            "first_day": facts.first_day.isoformat(),
        }

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        return {
            "what_words": WORK_OR_STUDIES.get(content.get("what", ""), ""),
            "starts_on": datetime.date.fromisoformat(content["starts_on"]) if content.get("starts_on") else None,
            "ends_on": datetime.date.fromisoformat(content["ends_on"]) if content.get("ends_on") else None,
            "no_organisationsnummer": content.get("organisationsnummer") == rules.NO_ORGANISATIONSNUMMER,
        }


RESULT_1 = register(ResultKind(1))
RESULT_2 = register(ResultKind(2))
