"""The registry (SPEC S2): organisations, services, contracts, units and their addresses.

Units and addresses come from Af's contract registry KA-webb (see ``registry.ka_import``); they are never
created by hand in the portal. A retired unit or address is kept (grants and placements point at it) but can
no longer be granted.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from faportal.core.identifiers import format_organisationsnummer, peppol_participant_id
from faportal.registry.ka_import import ImportSummary, Problem


class Municipality(models.Model):
    """A Swedish municipality (kommun) with its official four-digit code (kommunkod)."""

    code = models.CharField(_("municipality code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A provider (fristående aktör, leverantör), keyed by its organisationsnummer."""

    organisationsnummer = models.CharField(_("organisationsnummer"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "pk"

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def peppol_id(self) -> str:
        """The PEPPOL participant id, 0007:<organisationsnummer> (SPEC S2.1)."""
        return peppol_participant_id(self.organisationsnummer)

    @property
    def organisationsnummer_display(self) -> str:
        return format_organisationsnummer(self.organisationsnummer)


class Service(models.Model):
    """A labour-market service bought from providers (tjänst), e.g. Rusta och matcha. Data, not code."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class DeliveryArea(models.Model):
    """A geographic area a contract covers (leveransområde)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="delivery_areas")

    class Meta:
        ordering = ["name"]
        verbose_name = _("delivery area")
        verbose_name_plural = _("delivery areas")

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A provider's contract (avtal, KA-nummer) for one service in one delivery area."""

    ka_number = models.CharField(_("KA number"), max_length=50, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="contracts")
    delivery_area = models.ForeignKey(DeliveryArea, on_delete=models.PROTECT, related_name="contracts")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["organisation__name", "service__name", "delivery_area__name"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.ka_number


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(retired_at__isnull=True)


class Unit(models.Model):
    """A performing unit (utförande verksamhet) of one organisation for one service, as registered in KA-webb."""

    ka_id = models.CharField(_("KA-webb id"), max_length=50, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "addresses"

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class AddressQuerySet(models.QuerySet["Address"]):
    def active(self) -> AddressQuerySet:
        return self.filter(retired_at__isnull=True, unit__retired_at__isnull=True)


class Address(models.Model):
    """An office of a unit (adress); the smallest scope of access."""

    ka_id = models.CharField(_("KA-webb id"), max_length=50, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="addresses")
    street = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    town = models.CharField(_("town"), max_length=100)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="addresses")
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = AddressQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "unit__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "pk"

    class Meta:
        ordering = ["unit__name", "street"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.CheckConstraint(condition=Q(postcode__regex=r"^[0-9]{5}$"), name="address_postcode_five_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode_display} {self.town}"

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:3]} {self.postcode[3:]}"

    @property
    def label_with_municipality(self) -> str:
        """The address, and its municipality where the town's name does not already say it."""
        return self.label_of(self.street, self.postcode, self.town, self.municipality.name)

    @staticmethod
    def label_of(street: str, postcode: str, town: str, municipality: str) -> str:
        """``label_with_municipality`` from the values alone (for long lists read without their models)."""
        label = f"{street}, {postcode[:3]} {postcode[3:]} {town}"
        return label if municipality == town else f"{label} ({municipality})"


class KaImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class KaImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    # Nothing was applied: ``problems`` says why (bad rows, or an unexpected error).
    FAILED = "failed", _("Not imported")


class KaImportPhase(models.TextChoices):
    NONE = "", _("Not started")
    CHECKING = "checking", _("Checking rows")
    APPLYING = "applying", _("Saving changes")


class KaImportRun(models.Model):
    """One KA-webb import (SPEC S2.2): the uploaded file, its progress in the worker and its result.

    Af's own data (``SCOPE_AF_ONLY``): ``access.visible`` shows it to Af roles only. Each organisation sees its
    part in its audit log instead.
    """

    SCOPE_AF_ONLY: ClassVar[bool] = True

    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=KaImportFormat.choices)
    # Kept so a run can be re-read or retried; empty when the file was not UTF-8 (see ``problems``).
    content = models.TextField(_("file content"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=KaImportStatus.choices, default=KaImportStatus.QUEUED, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=10, choices=KaImportPhase.choices, blank=True, default="")
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # ``registry.ka_import.ImportSummary.as_dict()`` once applied; ``Problem.as_dict()`` for each problem.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # Who started the run as the audit log names them: the worker records its events as that actor.
    actor_label = models.CharField(_("started by"), max_length=200, blank=True)
    actor_kind = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("KA-webb import")
        verbose_name_plural = _("KA-webb imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in {KaImportStatus.DONE, KaImportStatus.FAILED}

    def problem_list(self) -> list[Problem]:
        """The stored problems, each with its line number and code."""
        return [Problem.from_dict(problem) for problem in self.problems]

    def summary_data(self) -> ImportSummary | None:
        """The stored summary of what was added, changed and retired (None until applied)."""
        return ImportSummary.from_dict(self.summary) if self.summary else None
