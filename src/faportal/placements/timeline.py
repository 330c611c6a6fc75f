"""The placement's timeline (Händelser, SPEC S4.5–S4.6): one public seam that every app writes through.

``record_event(placement=…, kind=…, actor=…, **data)`` appends what happened, with who (by name and organisation)
and when. Each app adds its own event kinds with ``register_event_kind``: a code, a label, the words for one event
(``describe``) and, when the provider should notice it, the unread flag it raises (``unread``). The flags are
registered too (``register_unread_flag``): the participant list counts and filters by them, and tags its rows.

    DECIDED = register_event_kind(EventKind("decided", _("New participant"), unread="new", describe=…))
    record_event(placement=placement, kind=DECIDED, actor=actor, period=1, level="B")

``data`` holds codes, dates and names for the words, never a personnummer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.access.actor import Actor
from faportal.placements.models import Event, Placement
from faportal.placements.rules import InterruptionReason

AF_NAME = "Arbetsförmedlingen"


@dataclass(frozen=True)
class UnreadFlag:
    """Something the provider should notice, counted and filtered in the participant list since they last looked."""

    key: str
    label: Any  # the filter's words ("Interruptions")
    tag: Any  # the row's tag ("Interruption")
    color: str = "info"  # the tag's colour in the design system (brand, info, warning, danger, success)


@dataclass(frozen=True)
class EventKind:
    """One kind of thing that happens to a placement."""

    code: str
    label: Any
    unread: str = ""  # the key of the UnreadFlag an event of this kind raises ("" for none)
    describe: Callable[[Mapping[str, Any]], str] | None = None

    def text(self, data: Mapping[str, Any]) -> str:
        """What one event of this kind says, in words."""
        return self.describe(data) if self.describe is not None else str(self.label)


_KINDS: dict[str, EventKind] = {}
_FLAGS: dict[str, UnreadFlag] = {}


def flag_field(key: str) -> str:
    """The placement's column that keeps when the flag was last raised (lists filter and count by it)."""
    return f"flag_{key}_at"


def flag_fields() -> dict[str, str]:
    """Each unread flag's key, and the placement's column for it."""
    return {key: flag_field(key) for key in _FLAGS}


def register_unread_flag(flag: UnreadFlag) -> UnreadFlag:
    """Add an unread flag (once per key); the placement has a column for it (``Placement.flag_<key>_at``)."""
    field_names = {field.name for field in Placement._meta.get_fields()}
    if flag_field(flag.key) not in field_names:
        raise ValueError(f"Unread flag {flag.key!r} needs the column Placement.{flag_field(flag.key)}")
    existing = _FLAGS.setdefault(flag.key, flag)
    if existing is not flag:
        raise ValueError(f"Unread flag {flag.key!r} is registered twice")
    return flag


def register_event_kind(kind: EventKind) -> EventKind:
    """Add an event kind (once per code); its unread flag must be registered first."""
    if kind.unread and kind.unread not in _FLAGS:
        raise ValueError(f"Event kind {kind.code!r} raises the unknown unread flag {kind.unread!r}")
    if len(kind.code) > Event._meta.get_field("kind").max_length:  # type: ignore[operator]
        raise ValueError(f"Event kind code {kind.code!r} is too long")
    existing = _KINDS.setdefault(kind.code, kind)
    if existing is not kind:
        raise ValueError(f"Event kind {kind.code!r} is registered twice")
    return kind


def event_kind(code: str) -> EventKind | None:
    return _KINDS.get(code)


def event_kinds() -> list[EventKind]:
    return list(_KINDS.values())


def unread_flags() -> list[UnreadFlag]:
    return list(_FLAGS.values())


def unread_kinds() -> dict[str, list[str]]:
    """Each unread flag's key, and the codes of the event kinds that raise it."""
    return {flag.key: kinds_raising(flag.key) for flag in _FLAGS.values()}


def kinds_raising(flag: str) -> list[str]:
    """The codes of the event kinds that raise ``flag``."""
    return [kind.code for kind in _KINDS.values() if kind.unread == flag]


def event_text(event: Event) -> str:
    """What an event says, in words (its code, for a kind no app registers any more)."""
    kind = _KINDS.get(event.kind)
    return kind.text(event.data or {}) if kind is not None else event.kind


def actor_names(actor: Actor) -> tuple[str, str]:
    """Who acted, as a timeline shows it: the person's (or job's) name, and the organisation they acted for."""
    if actor.is_af or actor.kind == "system":
        return actor.label, AF_NAME
    organisation = actor.account.organisation.name if actor.account is not None else ""
    return actor.label, organisation


def event_row(placement: Placement, kind: EventKind, actor: Actor, *, at: datetime.datetime, **data: Any) -> Event:
    """An event of the placement's timeline, not yet saved (for writing many at once): who, what, when."""
    if _KINDS.get(kind.code) is not kind:
        raise ValueError(f"Event kind {kind.code!r} is not registered")
    name, organisation = actor_names(actor)
    return Event(
        placement=placement, kind=kind.code, at=at, actor_name=name, actor_organisation=organisation, data=data
    )


def record_event(
    *, placement: Placement, kind: EventKind, actor: Actor, at: datetime.datetime | None = None, **data: Any
) -> Event:
    """Append one event to the placement's timeline (in the caller's transaction), and note on the placement when
    the unread flag it raises was raised (``Placement.flag_<key>_at``, which the lists filter and count by).
    """
    event = event_row(placement, kind, actor, at=at or timezone.now(), **data)
    event.save()
    if kind.unread:
        field = flag_field(kind.unread)
        Placement.objects.filter(
            Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": event.at}), pk=placement.pk
        ).update(**{field: event.at})
    return event


# --- the placement's own kinds -----------------------------------------------------------------------------------


def date_words(value: Any) -> str:
    """An ISO date from an event's data, as a Swedish short date."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


REASONS: dict[str, Any] = {
    InterruptionReason.WORK: gettext_lazy("Work"),
    InterruptionReason.STUDIES: gettext_lazy("Studies"),
    InterruptionReason.OTHER_SERVICE: gettext_lazy("Needs another service"),
    InterruptionReason.SICKNESS: gettext_lazy("Sickness"),
    InterruptionReason.MOVED: gettext_lazy("Moved away"),
    InterruptionReason.CHANGED_PROVIDER: gettext_lazy("Changed provider"),
    InterruptionReason.OTHER: gettext_lazy("Other"),
}


def reason_words(code: str | None) -> str:
    return str(REASONS.get(code or "", code or ""))


NEW = register_unread_flag(UnreadFlag("new", gettext_lazy("New participants"), gettext_lazy("New"), "brand"))
INTERRUPTION = register_unread_flag(
    UnreadFlag("interruption", gettext_lazy("Interruptions"), gettext_lazy("Interruption"), "danger")
)
DECISION = register_unread_flag(
    UnreadFlag("decision", gettext_lazy("New decisions"), gettext_lazy("New decision"), "info")
)

DECIDED = register_event_kind(
    EventKind(
        "decided",
        gettext_lazy("New participant"),
        unread=NEW.key,
        describe=lambda data: (
            _("Decision: period %(period)s, level %(level)s")
            % {"period": data.get("period"), "level": data.get("level")}
        ),
    )
)
NEW_DECISION = register_event_kind(
    EventKind(
        "new_decision",
        gettext_lazy("New decision"),
        unread=DECISION.key,
        describe=lambda data: (
            _("New decision: period %(period)s (%(next)s)") % {"period": data.get("period"), "next": data.get("next")}
        ),
    )
)
INTERRUPTED = register_event_kind(
    EventKind(
        "interrupted",
        gettext_lazy("Interruption"),
        unread=INTERRUPTION.key,
        describe=lambda data: (
            _("Interruption from %(date)s: %(reason)s")
            % {"date": date_words(data.get("interrupts_on")), "reason": reason_words(data.get("reason"))}
        ),
    )
)
INTERRUPTION_MOVED = register_event_kind(
    EventKind(
        "interruption_moved",
        gettext_lazy("Interruption moved"),
        unread=INTERRUPTION.key,
        describe=lambda data: (
            _("The interruption is moved from %(was)s to %(date)s")
            % {"was": date_words(data.get("was")), "date": date_words(data.get("interrupts_on"))}
        ),
    )
)
INTERRUPTION_WITHDRAWN = register_event_kind(
    EventKind(
        "interruption_withdrawn",
        gettext_lazy("Interruption withdrawn"),
        unread=INTERRUPTION.key,
        describe=lambda data: _("The interruption from %(was)s is withdrawn") % {"was": date_words(data.get("was"))},
    )
)
SUPERVISOR_ASSIGNED = register_event_kind(
    EventKind(
        "supervisor_assigned",
        gettext_lazy("Supervisor assigned"),
        describe=lambda data: (
            _("%(what)s: %(name)s") % {"what": _("Supervisor assigned"), "name": data.get("supervisor", "")}
        ),
    )
)
SUPERVISOR_CHANGED = register_event_kind(
    EventKind(
        "supervisor_changed",
        gettext_lazy("Supervisor changed"),
        describe=lambda data: (
            _("%(what)s: %(name)s") % {"what": _("Supervisor changed"), "name": data.get("supervisor", "")}
        ),
    )
)
REMOVED = register_event_kind(EventKind("removed", gettext_lazy("Removed from new participants")))
