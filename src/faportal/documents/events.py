"""What documents add to the placement's timeline (Händelser): submitted, approved, not approved (SPEC S5, S6).

A review's outcome raises the provider's unread flag "review": the participant list tags the row until someone opens
the participant again.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.access.actor import Actor
from faportal.documents import kinds
from faportal.documents.models import Document
from faportal.placements import timeline
from faportal.placements.models import Event

REVIEW = timeline.register_unread_flag(
    timeline.UnreadFlag("review", gettext_lazy("Reviewed documents"), gettext_lazy("Reviewed"), "warning")
)


def document_words(data: Mapping[str, Any]) -> str:
    """The document an event is about: "Monthly report, November 2026"."""
    kind = kinds.find(str(data.get("document_kind", "")))
    if kind is None:
        return str(data.get("document_kind", ""))
    try:
        start = datetime.date.fromisoformat(str(data.get("from")))
        end = datetime.date.fromisoformat(str(data.get("to")))
    except ValueError:
        return str(kind.label)
    return _("%(kind)s, %(period)s") % {"kind": kind.label, "period": kind.period_label(start, end)}


def _submitted(data: Mapping[str, Any]) -> str:
    if data.get("corrects"):
        return _("Correction submitted: %(document)s") % {"document": document_words(data)}
    return _("Submitted: %(document)s") % {"document": document_words(data)}


def _rejected(data: Mapping[str, Any]) -> str:
    return _("Not approved: %(document)s. Reason: %(reason)s") % {
        "document": document_words(data),
        "reason": data.get("reason", ""),
    }


SUBMITTED = timeline.register_event_kind(
    timeline.EventKind("document_submitted", gettext_lazy("Document submitted"), describe=_submitted)
)
APPROVED = timeline.register_event_kind(
    timeline.EventKind(
        "document_approved",
        gettext_lazy("Document approved"),
        unread=REVIEW.key,
        describe=lambda data: _("Approved: %(document)s") % {"document": document_words(data)},
    )
)
REJECTED = timeline.register_event_kind(
    timeline.EventKind(
        "document_rejected", gettext_lazy("Document not approved"), unread=REVIEW.key, describe=_rejected
    )
)


def record(actor: Actor, kind: timeline.EventKind, document: Document, **data: Any) -> Event:
    """One event about ``document`` on its placement's timeline."""
    return timeline.record_event(
        placement=document.placement,
        kind=kind,
        actor=actor,
        **{
            "document": document.pk,
            "document_kind": document.kind,
            "from": document.period_start.isoformat(),
            "to": document.period_end.isoformat(),
            **data,
        },
    )
