"""Recording into the audit log. Every change and every read of participant data goes through ``record``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.utils import timezone

from faportal.audit.actions import is_registered
from faportal.audit.models import AuditEvent, Outcome
from faportal.core.db import insert_rows


class AuditActor(Protocol):
    """What the audit log needs to know about whoever acts (``access.Actor`` satisfies it)."""

    @property
    def person_id(self) -> int | None: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def ip_address(self) -> str | None: ...


@dataclass(frozen=True)
class Who:
    """A plain actor for layers below ``access`` (sign-in, sign-out): a person and where they came from."""

    person_id: int | None
    label: str
    kind: str
    organisation_id: int | None = None
    ip_address: str | None = None


def organisation_of(subject: models.Model | None) -> int | None:
    """The id of the organisation a row belongs to, following its model's ``SCOPE_ORGANISATION_PATH``."""
    if subject is None:
        return None
    path = getattr(type(subject), "SCOPE_ORGANISATION_PATH", None)
    if path is None:
        return None
    if path == "pk":
        return int(subject.pk)
    target: Any = subject
    *hops, last = path.split("__")
    for hop in hops:
        target = getattr(target, hop)
    value = getattr(target, f"{last}_id", None)
    return int(value) if value is not None else None


def record(
    actor: AuditActor,
    action: str,
    subject: models.Model | None = None,
    *,
    organisation_id: int | None = None,
    outcome: str = Outcome.OK,
    label: str | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event: ``actor`` did ``action`` to ``subject``; ``data`` holds ids and codes, never personnummer.

    ``action`` must be registered (``audit.actions``), so that the log can say it in words.
    """
    if not is_registered(action):
        raise ValueError(f"Audit action {action!r} is not registered: add it to its app's audit_actions.py")
    return AuditEvent.objects.create(
        actor_id=actor.person_id,
        actor_name=actor.label,
        actor_kind=actor.kind,
        acting_for_id=actor.organisation_id,
        organisation_id=organisation_id if organisation_id is not None else organisation_of(subject),
        action=action,
        outcome=outcome,
        subject_type=subject._meta.label if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=(label if label is not None else str(subject) if subject is not None else "")[:300],
        data=data,
        ip_address=actor.ip_address,
    )


def record_each(actor: AuditActor, action: str, items: Iterable[tuple[models.Model, dict[str, Any]]]) -> int:
    """``record`` for many subjects at once (one statement): ``actor`` did ``action`` to each, with its own data.
    Answers how many entries were written.
    """
    if not is_registered(action):
        raise ValueError(f"Audit action {action!r} is not registered: add it to its app's audit_actions.py")
    rows = [
        {
            "organisation": organisation_of(subject),
            "subject_type": subject._meta.label,
            "subject_id": str(subject.pk),
            "subject_label": str(subject)[:300],
            "data": data,
        }
        for subject, data in items
    ]
    insert_rows(
        AuditEvent,
        rows,
        same={
            "actor": actor.person_id,
            "actor_name": actor.label,
            "actor_kind": actor.kind,
            "acting_for": actor.organisation_id,
            "action": action,
            "outcome": Outcome.OK,
            "ip_address": actor.ip_address,
        },
    )
    return len(rows)


# Showing the same rows on the same page again within this long is the same look, not a new one (a live preview
# refreshes as one types, a list is reloaded): one event is enough.
SHOWN_AGAIN_WITHIN = datetime.timedelta(minutes=10)


def record_shown(actor: AuditActor, action: str, subjects: Iterable[models.Model], **data: Any) -> AuditEvent | None:
    """One event for a page that lists participant data: which rows ``actor`` was shown (none shown, no event).

    Nothing new is recorded when the actor's latest such event for the same page, less than ten minutes old, showed
    exactly the same rows.
    """
    shown = [subject.pk for subject in subjects]
    if not shown:
        return None
    if actor.person_id is not None and _shown_just_now(actor, action, shown, data.get("page")):
        return None
    return record(actor, action, None, organisation_id=actor.organisation_id, shown=shown, **data)


def _shown_just_now(actor: AuditActor, action: str, shown: list[Any], page: Any) -> bool:
    latest = (
        AuditEvent.objects.filter(
            actor_id=actor.person_id,
            acting_for_id=actor.organisation_id,
            action=action,
            outcome=Outcome.OK,
            at__gt=timezone.now() - SHOWN_AGAIN_WITHIN,
        )
        .filter(**({"data__page": page} if page is not None else {"data__page__isnull": True}))
        .order_by("-at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    return latest is not None and latest.get("shown") == shown
