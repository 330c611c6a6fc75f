"""Template helpers for participants: protected identity, interruption reasons, events in words."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.placements.models import Event, EventKind, Placement
from faportal.placements.rules import InterruptionReason

register = template.Library()

REASONS: dict[str, Any] = {
    InterruptionReason.WORK: gettext_lazy("Work"),
    InterruptionReason.STUDIES: gettext_lazy("Studies"),
    InterruptionReason.OTHER_SERVICE: gettext_lazy("Needs another service"),
    InterruptionReason.SICKNESS: gettext_lazy("Sickness"),
    InterruptionReason.MOVED: gettext_lazy("Moved away"),
    InterruptionReason.CHANGED_PROVIDER: gettext_lazy("Changed provider"),
    InterruptionReason.OTHER: gettext_lazy("Other"),
}

STATUSES = {
    "upcoming": gettext_lazy("Not started"),
    "active": gettext_lazy("Ongoing"),
    "interrupted": gettext_lazy("Interrupted"),
    "ended": gettext_lazy("Ended"),
}


@register.filter
def list_name(placement: Placement) -> str:
    """The name in lists: never for a protected participant (SPEC S4.9)."""
    participant = placement.participant
    return _("Protected personal data") if participant.protected_identity else participant.full_name


@register.simple_tag
def detail_name(placement: Placement, is_supervisor: bool) -> str:
    """The name on the participant page: for a protected participant only to the assigned supervisor."""
    participant = placement.participant
    if participant.protected_identity and not is_supervisor:
        return _("Protected personal data")
    return participant.full_name


@register.filter
def reason_label(code: str | None) -> str:
    return str(REASONS.get(code or "", code or ""))


@register.filter
def status_label(code: str) -> str:
    return str(STATUSES.get(code, code))


def _date(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@register.filter
def event_text(event: Event) -> str:
    """What an event says, in words."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.DECIDED:
        return _("Decision: period %(period)s, level %(level)s") % {
            "period": data.get("period"),
            "level": data.get("level"),
        }
    if kind == EventKind.NEW_DECISION:
        return _("New decision: period %(period)s (%(next)s)") % {
            "period": data.get("period"),
            "next": data.get("next"),
        }
    if kind == EventKind.INTERRUPTED:
        return _("Interruption from %(date)s: %(reason)s") % {
            "date": _date(data.get("interrupts_on")),
            "reason": reason_label(data.get("reason")),
        }
    if kind == EventKind.INTERRUPTION_MOVED:
        return _("The interruption is moved from %(was)s to %(date)s") % {
            "was": _date(data.get("was")),
            "date": _date(data.get("interrupts_on")),
        }
    if kind == EventKind.INTERRUPTION_WITHDRAWN:
        return _("The interruption from %(was)s is withdrawn") % {"was": _date(data.get("was"))}
    if kind in {EventKind.SUPERVISOR_ASSIGNED, EventKind.SUPERVISOR_CHANGED}:
        return _("%(what)s: %(name)s") % {"what": EventKind(kind).label, "name": data.get("supervisor", "")}
    return str(EventKind(kind).label) if kind in EventKind.values else kind
