"""Exports of participants (SPEC S4.10): each run, its file while it is kept, and what it contained.

The file holds personal data, so it lives in the database (shared by every web process and the worker) only for
``EXPORT_RETENTION_DAYS`` and is downloadable only by the person who made it. What each export contained is kept
for good (``ExportedPlacement``): that is the history "exported before" is judged against.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from faportal.access.models import StaffAccount
from faportal.placements.models import Placement
from faportal.registry.models import Organisation


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("Semicolon-separated text (.csv)")


class SupervisorFilter(models.TextChoices):
    ALL = "all", _("With or without a supervisor")
    WITH = "with", _("Only with a supervisor")
    WITHOUT = "without", _("Only without a supervisor")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportRun(models.Model):
    """One export of participants by one staff member, with the choices it was made from."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="+")
    decided_from = models.DateField(_("decisions from"))
    decided_to = models.DateField(_("decisions until"))
    supervisor_filter = models.CharField(max_length=10, choices=SupervisorFilter.choices)
    include_exported = models.BooleanField(_("including those exported before"), default=False)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("participants"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    content = models.BinaryField(default=b"", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    purged_at = models.DateTimeField(_("file removed"), null=True, blank=True)

    # Organisation-wide rows; the selectors also narrow them to the person who made them.
    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.DONE and self.purged_at is None

    @property
    def file_name(self) -> str:
        return f"deltagare-{self.decided_from:%Y%m%d}-{self.decided_to:%Y%m%d}-{self.pk}.{self.format}"


class ExportedPlacement(models.Model):
    """A placement that a finished export contained (the export history, SPEC S4.10).

    Written only by ``services._keep_history``, tens of thousands at a time, with the ids that the same export has
    just read. The database keeps no foreign-key constraints on them (ADR 0017): PostgreSQL checks one row at a
    time at commit, which cost more than the rest of the export; Django still cascades and protects on delete.
    The unique constraint's index finds an export's rows: the export has no index of its own.
    """

    export = models.ForeignKey(
        ExportRun, on_delete=models.CASCADE, related_name="rows", db_constraint=False, db_index=False
    )
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+", db_constraint=False)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "placement"], name="placement_once_per_export")]

    def __str__(self) -> str:
        return f"{self.export_id} {self.placement_id}"
