"""Informativ rapport, the informative report (SPEC S5.5): something Arbetsförmedlingen should know, in words.

What it concerns comes from a list Af edits (``InformationTopic``: another labour-market programme would help, an
interpreter is needed, changed circumstances, other …); then the text, and how to reach the writer (filled in from
their account). There can be many; each is dated the day it is written.
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
    Writer,
    draft_of,
    first,
    register,
    text,
    values,
)
from faportal.documents.models import InformationTopic
from faportal.documents.rules import Code

CONTACT = ("contact_name", "contact_phone", "contact_email")
CONTACT_MAX = 200


def topics() -> list[InformationTopic]:
    """The topics in use, in Af's order."""
    return list(InformationTopic.objects.filter(active=True).order_by("position", "name"))


class InformativeKind(DayKind):
    key = "informative"
    label = gettext_lazy("Informative report")
    label_plural = gettext_lazy("Informative reports")
    new_label = gettext_lazy("New informative report")
    spec = "S5.5"
    position = 50
    edit_template = "documents/informative_edit.html"
    view_template = "documents/informative_view.html"

    def dated(self, draft: Draft, period: Period, today: datetime.date) -> Period:
        """The day it was last written (the day it is submitted, once it is)."""
        return Period.day(today)

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        return draft_of(replaced, ("topic", "text", *CONTACT)) if replaced else {}

    def prefill(self, draft: Draft, writer: Writer) -> Draft:
        draft.setdefault("contact_name", [writer.name])
        draft.setdefault("contact_email", [writer.email])
        return draft

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        problems: list[Problem] = []
        known = {topic.code: topic.name for topic in topics()}
        topic = first(draft, "topic")
        if topic not in known:
            problems.append(Problem("topic", Code.REQUIRED if not topic else Code.INVALID_CHOICE))
        body = text(draft, "text", problems, limit=rules.FREE_TEXT_MAX, required=True)
        contact = {name: text(draft, name, problems, limit=CONTACT_MAX) for name in CONTACT}
        problems.extend(
            rules.contact_problems(
                name=contact["contact_name"], phone=contact["contact_phone"], email=contact["contact_email"]
            )
        )
        if problems:
            return None, problems
        return {"topic": topic, "topic_name": known[topic], "text": body, **contact}, []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        value = str(content.get("text", ""))
        return [("text", value)] if value else []

    def field_label(self, field: str) -> str:
        return str(
            {
                "topic": _("What it concerns"),
                "text": _("Information"),
                "contact_name": _("Your name"),
                "contact_phone": _("Phone"),
                "contact_email": _("E-mail"),
            }.get(field, field)
        )

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        return {
            "value": values(draft, ("topic", "text", *CONTACT)),
            "topics": [(topic.code, topic.name) for topic in topics()],
            "text_max": rules.FREE_TEXT_MAX,
        }


INFORMATIVE = register(InformativeKind())
