"""Participants and their placements (SPEC S4): decisions from Af, supervisors, interruptions, events.

A ``Participant`` is the person (one row per personnummer, with the latest data Af sent); a ``Placement`` is one
period of that person at one unit and address of one organisation, created by a decision. Everything the provider
sees about a participant is reached through a placement, and placements are scoped to their address.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faportal.access.models import StaffAccount
from faportal.core.identifiers import format_personnummer
from faportal.placements.rules import InterruptionReason, Level
from faportal.registry.models import Address, Organisation, Service, Unit


class Participant(models.Model):
    """A job seeker placed in a service (deltagare): the latest personal data from Af's decisions."""

    personnummer = models.CharField(_("personnummer"), max_length=12, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    surname = models.CharField(_("surname"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    protected_identity = models.BooleanField(_("protected personal data"), default=False)
    needs_language_support = models.BooleanField(_("needs language support"), default=False)
    language = models.CharField(_("language"), max_length=100, blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    education = models.TextField(_("education"), blank=True)
    driving_licence = models.CharField(_("driving licence"), max_length=100, blank=True)
    has_car = models.BooleanField(_("access to a car"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Seen only through placements: the organisations and addresses of the placements the person has had.
    SCOPE_ORGANISATION_PATH: ClassVar[str] = "placements__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placements__address"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        # Never the personnummer (str() ends up in logs and audit labels), nor the name of a protected person.
        return _("Protected participant") if self.protected_identity else self.full_name  # type: ignore[return-value]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}".strip()

    @property
    def personnummer_display(self) -> str:
        return format_personnummer(self.personnummer)


class PlacementQuerySet(models.QuerySet["Placement"]):
    def awaiting_supervisor(self) -> PlacementQuerySet:
        """Nya deltagare: no supervisor yet, and not removed by the provider."""
        return self.filter(supervisor__isnull=True, removed_at__isnull=True)


class Placement(models.Model):
    """One period of one participant at one unit and address (beslut/anvisning), keyed by genomforandereferens."""

    genomforandereferens = models.CharField(_("genomförandereferens"), max_length=20, unique=True)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="placements")
    # Without an index of their own: the indexes below begin with them, and alone they lead PostgreSQL's planner
    # to combine the two (a bitmap of every row at the addresses) where one covering index answers.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="placements", db_index=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="placements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="placements", db_index=False)
    level = models.CharField(_("level"), max_length=1, choices=[(level.value, level.value) for level in Level])
    period = models.PositiveSmallIntegerField(_("period"), choices=[(1, "1"), (2, "2")])
    # Period 2 follows this placement; a provider change follows the interrupted placement at the old provider.
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_placement"
    )
    decided_on = models.DateField(_("decision date"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    supervisor = models.ForeignKey(
        StaffAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
        verbose_name=_("supervisor"),
    )
    supervisor_assigned_at = models.DateTimeField(null=True, blank=True)
    # Removed from Nya deltagare by the provider because it was interrupted before it started (SPEC S3.3).
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Copies kept by the services that write what they copy, so a list filters and sorts by them through an index
    # instead of a subquery per row (ADR "scale"): the interruption in force (``Interruption`` is the record) …
    interrupts_on = models.DateField(_("interruption date"), null=True, blank=True)
    interruption_reason = models.CharField(_("interruption reason"), max_length=20, blank=True, default="")
    # … and when the latest event raising each unread flag happened (``timeline.UnreadFlag``; ``Event`` is the
    # record). Each registered flag has its column here, named ``flag_<key>_at``: "review" is the documents' (a
    # review's outcome), the others the placement's own.
    flag_new_at = models.DateTimeField(null=True, blank=True)
    flag_interruption_at = models.DateTimeField(null=True, blank=True)
    flag_decision_at = models.DateTimeField(null=True, blank=True)
    flag_review_at = models.DateTimeField(null=True, blank=True)
    # … and how far its reporting has come, for Deltagarlista's "report due" filter (the documents app keeps them
    # when a document is submitted; ``Document`` is the record): when the first joint plan was submitted, and the
    # latest month (its first day) with a submitted monthly report; and whether a document Af did not approve waits
    # for its correction ("not approved").
    # The supervisor's name, for the list's sort by supervisor (kept by services.keep_supervisor, and by the receiver
    # of a person's new name): joined at sort time, every staff account in the country was read to sort one list.
    sort_supervisor_surname = models.CharField(max_length=100, null=True, blank=True)
    sort_supervisor_given_name = models.CharField(max_length=100, null=True, blank=True)
    # When a finished export (Exportera deltagare) first contained the placement: "exported before", a copy of the
    # export history (exports.services keeps it), which grows with every export and is too long to ask per row.
    exported_at = models.DateTimeField(null=True, blank=True)
    plan_submitted_at = models.DateTimeField(null=True, blank=True)
    latest_report_month = models.DateField(null=True, blank=True)
    has_open_rejection = models.BooleanField(default=False)
    # … and the participant's name as Deltagarlista sorts by it (protected participants last, their names blank)
    # and searches it ("given name surname", searched only where the name may be shown).
    sort_protected = models.BooleanField(default=False)
    sort_surname = models.CharField(max_length=100, blank=True, default="")
    sort_given_name = models.CharField(max_length=100, blank=True, default="")
    search_name = models.CharField(max_length=201, blank=True, default="")

    objects = PlacementQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "address"

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["address", "supervisor"]),
            models.Index(fields=["organisation", "decided_on"]),
            # Deltagarlista, within the organisation (its addresses filtered on the way): the sort by start, which
            # also answers every count and filter from the index alone (the columns they read are included); the
            # sorts by name and reference; Nya deltagare, the few without a supervisor. See ADR "scale".
            models.Index(
                fields=["organisation", "starts_on", "id"],
                condition=Q(removed_at__isnull=True),
                include=[
                    "address",
                    "supervisor",
                    "participant",
                    "period",
                    "ends_on",
                    "interrupts_on",
                    "flag_new_at",
                    "flag_interruption_at",
                    "flag_decision_at",
                    "flag_review_at",
                    "plan_submitted_at",
                    "latest_report_month",
                    "has_open_rejection",
                    "genomforandereferens",
                    "sort_protected",
                ],
                name="placement_list_idx",
            ),
            models.Index(
                fields=["organisation", "sort_protected", "sort_surname", "sort_given_name", "id"],
                condition=Q(removed_at__isnull=True),
                include=["address"],
                name="placement_list_name_idx",
            ),
            models.Index(
                F("organisation"),
                F("sort_protected"),
                F("sort_surname").desc(),
                F("sort_given_name").desc(),
                F("id").desc(),
                condition=Q(removed_at__isnull=True),
                include=["address"],
                name="placement_list_name_desc_idx",
            ),
            models.Index(
                fields=["organisation", "genomforandereferens"],
                condition=Q(removed_at__isnull=True),
                include=["address"],
                name="placement_list_reference_idx",
            ),
            models.Index(  # Deltagarlista sorted by supervisor (a backward scan serves the descending sort)
                fields=["organisation", "sort_supervisor_surname", "sort_supervisor_given_name", "id"],
                condition=Q(removed_at__isnull=True),
                include=["address"],
                name="placement_list_supervisor_idx",
            ),
            models.Index(  # "Not approved" (the report column's filter): the few whose document awaits a correction
                fields=["organisation", "starts_on", "id"],
                condition=Q(has_open_rejection=True, removed_at__isnull=True),
                include=["address"],
                name="placement_rejected_idx",
            ),
            models.Index(  # Exportera deltagare: by decision date
                fields=["organisation", "decided_on", "genomforandereferens"],
                condition=Q(removed_at__isnull=True),
                include=["address"],
                name="placement_export_idx",
            ),
            models.Index(
                fields=["organisation", "starts_on", "decided_on", "id"],
                condition=Q(supervisor__isnull=True, removed_at__isnull=True),
                include=["address"],
                name="placement_awaiting_idx",
            ),
            # A supervisor's placements (only mine, moving them), and skipping from one supervisor to the next.
            models.Index(fields=["organisation", "supervisor", "address"], name="placement_supervisor_idx"),
            models.Index(fields=["created_at"], name="placement_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"),
            models.CheckConstraint(condition=Q(period__in=[1, 2]), name="placement_period_1_or_2"),
        ]

    def __str__(self) -> str:
        return self.genomforandereferens


class Interruption(models.Model):
    """Af's decision to end a placement early (avbrott, SPEC S4.7). A future date can be moved or withdrawn."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="interruptions")
    reason = models.CharField(
        _("reason"), max_length=20, choices=[(reason.value, reason.value) for reason in InterruptionReason]
    )
    interrupts_on = models.DateField(_("interruption date"))
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"], condition=Q(withdrawn_at__isnull=True), name="one_interruption_per_placement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.interrupts_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Event(models.Model):
    """One thing that happened to a placement, for its timeline: who (by name), what, when.

    ``kind`` is the code of a registered ``timeline.EventKind``: every app adds its own (``timeline.record_event``).
    """

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_name = models.CharField(max_length=200, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["placement", "-at"])]

    def __str__(self) -> str:
        return f"{self.placement} {self.kind}"


class PlacementView(models.Model):
    """When a staff account last opened a placement: what happened after it is unread (SPEC S4.5)."""

    account = models.ForeignKey(StaffAccount, on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="views")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "placement"], name="one_view_per_account")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.placement_id}"


class DecisionKind(models.TextChoices):
    PLACEMENT = "placement", _("Placement decision")
    SECOND_PERIOD = "second_period", _("Period 2 decision")
    INTERRUPTION = "interruption", _("Interruption")
    INTERRUPTION_CHANGE = "interruption_change", _("Interruption moved or withdrawn")
    PROVIDER_CHANGE = "provider_change", _("Change of provider")


class Decision(models.Model):
    """A decision as Af delivered it (back office or integration API), keyed for idempotency (SPEC S8.2).

    The same key delivered twice returns the first result and changes nothing; the key is Af's own id for the
    decision (``decision_id`` in the API), or a fresh one for a decision made in the back office.
    """

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    payload = models.JSONField(default=dict)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, null=True, related_name="decisions")
    created_at = models.DateTimeField(default=timezone.now)
    created_by_label = models.CharField(max_length=200, blank=True)

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


def today() -> datetime.date:
    """Today's date in Sweden (the portal's time zone), the day every date rule is judged against."""
    return timezone.localdate()
