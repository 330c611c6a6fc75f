"""The audit log (SPEC S9): who, acting for which organisation, did or read what, when — including denials."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# audit sits below every app that records into it, so it names their models by label and imports none of them.
ORGANISATION_MODEL = "registry.Organisation"


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    """One audited action or read. Append-only: nothing in the code updates or deletes these rows."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=200)
    actor_kind = models.CharField(max_length=20)
    acting_for = models.ForeignKey(
        ORGANISATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting for"),
    )
    # The organisation the event concerns: its administrators read it in their log.
    organisation = models.ForeignKey(
        ORGANISATION_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=80)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(_("concerns"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["-at", "-id"]
        # Every way the log is read ends in (at, id), its order: a page of any filter is one index range scan, as
        # fast at a hundred million entries as at a thousand (ADR "scale"). An organisation's administrators read
        # their organisation's part, Af's auditors all of it; either by person, by event, by date, or together.
        indexes = [
            models.Index(fields=["at", "id"], name="audit_at_idx"),
            models.Index(fields=["organisation", "at", "id"], name="audit_org_at_idx"),
            models.Index(fields=["organisation", "actor", "at", "id"], name="audit_org_actor_at_idx"),
            models.Index(fields=["organisation", "action", "at", "id"], name="audit_org_action_at_idx"),
            # One person's latest events: the log filtered by person, and record_shown's "shown just now".
            models.Index(fields=["actor", "at", "id"], name="audit_actor_at_idx"),
            models.Index(fields=["action", "at", "id"], name="audit_action_at_idx"),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
