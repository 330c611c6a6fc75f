"""Documents the provider submits about a placement, and Af's review of them (SPEC S5, S6).

One ``Document`` row per document, whatever its kind: the kind (``kinds`` registry) says what its content is and
which rules it follows. A draft holds what was typed, field by field (``draft``), and is saved as the person types
(``version`` guards against a second tab or a colleague overwriting it). Submitting stores the clean ``content`` and
the row never changes again: the queryset refuses to update or delete a submitted row, and so does a trigger in the
database. A correction is a new document of the same kind that ``corrects`` the one it replaces. Af's review lives
in ``Review``, created at submission; once decided it never changes either.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faportal.access.models import StaffAccount
from faportal.placements.models import Placement


class FinalRowError(Exception):
    """A submitted document (or a decided review) was about to change: they never do."""


class Activity(models.Model):
    """An activity of the catalogue (aktivitet), which Af edits; a joint plan chooses among them (SPEC S5.1)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    # "Eget arbete enligt gemensam planering med anordnare": always offered in the monthly report (SPEC S5.4).
    own_work = models.BooleanField(_("own work under the joint plan"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name


class SensitiveTerm(models.Model):
    """A word that suggests sensitive personal data in a free text (känsliga personuppgifter), which Af edits.

    A term matches the start of a word ("sjuk" finds "sjukskriven"); the writer is warned before submitting.
    """

    class Category(models.TextChoices):
        HEALTH = "health", _("Health")
        ETHNICITY = "ethnicity", _("Ethnic origin")
        RELIGION = "religion", _("Religion or belief")
        POLITICS = "politics", _("Political opinions")
        UNION = "union", _("Trade union membership")
        SEXUALITY = "sexuality", _("Sex life or sexual orientation")
        CRIME = "crime", _("Offences")
        SOCIAL = "social", _("Social circumstances")

    term = models.CharField(_("term"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    active = models.BooleanField(_("in use"), default=True)

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["term"]
        verbose_name = _("sensitive term")
        verbose_name_plural = _("sensitive terms")

    def __str__(self) -> str:
        return self.term


class InformationTopic(models.Model):
    """What an informative report concerns (informativ rapport, SPEC S5.5): a list Af edits."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic of an informative report")
        verbose_name_plural = _("topics of informative reports")

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet["Document"]):
    """Refuses to change or delete a submitted document: ``update``, ``delete`` and ``Model.save`` (which updates
    through ``_update``) all check first.
    """

    def _refuse_submitted(self) -> None:
        if self.filter(submitted_at__isnull=False).exists():
            raise FinalRowError("A submitted document never changes: submit a correction instead.")

    def update(self, **kwargs: Any) -> int:
        self._refuse_submitted()
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:
        self._refuse_submitted()
        return super()._update(values)  # type: ignore[misc]

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(submitted_at__isnull=False).exists():
            raise FinalRowError("A submitted document is never deleted.")
        return super().delete()

    def drafts(self) -> DocumentQuerySet:
        return self.filter(submitted_at__isnull=True)

    def submitted(self) -> DocumentQuerySet:
        return self.filter(submitted_at__isnull=False)


class Document(models.Model):
    """One document about one placement (handling): a draft until submitted, then final."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30)
    # The days it covers: a month for a monthly report, the placement's period for a joint plan.
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction", verbose_name=_("corrects")
    )
    # The first document of its line of corrections (null for that first one): versions are shown together.
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions")
    version = models.PositiveIntegerField(default=1)
    # Kinds there can be many of (an absence report, a deviation): their number for the placement, 1, 2, …; none for
    # kinds with one per period (a plan, a month's report), which the period tells apart.
    number = models.PositiveIntegerField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)
    content = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = DocumentQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        base_manager_name = "objects"  # Model.save() updates through DocumentQuerySet too
        ordering = ["-period_start", "kind", "created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["placement", "kind", "period_start"]),
            models.Index(fields=["kind", "period_start"], name="document_kind_period"),
        ]
        constraints = [
            # One plan per period, one report per placement and month: a correction continues the same line.
            models.UniqueConstraint(
                fields=["placement", "kind", "period_start"],
                condition=Q(original__isnull=True, number__isnull=True),
                name="one_document_per_kind_and_period",
            ),
            models.UniqueConstraint(
                fields=["placement", "kind", "number"],
                condition=Q(original__isnull=True, number__isnull=False),
                name="one_number_per_kind",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="document_period"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.kind} {self.period_start:%Y-%m}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # Model.delete goes by the collector, not the queryset: refuse here too.
        if type(self).objects.filter(pk=self.pk, submitted_at__isnull=False).exists():
            raise FinalRowError("A submitted document is never deleted.")
        return super().delete(*args, **kwargs)


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class ReviewQuerySet(models.QuerySet["Review"]):
    """Refuses to change or delete a decided review."""

    def _refuse_decided(self) -> None:
        if self.filter(decided_at__isnull=False).exists():
            raise FinalRowError("A decided review never changes.")

    def update(self, **kwargs: Any) -> int:
        self._refuse_decided()
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:
        self._refuse_decided()
        return super()._update(values)  # type: ignore[misc]

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FinalRowError("A review is never deleted.")

    def pending(self) -> ReviewQuerySet:
        return self.filter(decided_at__isnull=True)


class Review(models.Model):
    """Af's review of one submitted document (granskning): submitted → received → approved or rejected (S6)."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="review")
    # Copied from the document for the queues' index: per kind, oldest first.
    kind = models.CharField(max_length=30)
    submitted_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = ReviewQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "document__placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "document__placement__address"

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(
                fields=["kind", "submitted_at", "id"], condition=Q(decided_at__isnull=True), name="review_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reason=""), name="a_rejection_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.status}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FinalRowError("A review is never deleted.")


class DocumentFileQuerySet(models.QuerySet["DocumentFile"]):
    """Refuses to change or delete the files of a submitted document: they are final with it."""

    def _refuse_final(self) -> None:
        if self.filter(document__submitted_at__isnull=False).exists():
            raise FinalRowError("The files of a submitted document never change.")

    def update(self, **kwargs: Any) -> int:
        self._refuse_final()
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:
        self._refuse_final()
        return super()._update(values)  # type: ignore[misc]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_final()
        return super().delete()


class DocumentFile(models.Model):
    """A file of a document: evidence attached to a result report (underlag, SPEC S5.7), or the PDF copy made when a
    document is submitted (kopia). The bytes live in the "documents" storage, outside the web root, under a random
    name; they are served only through the access check.
    """

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        COPY = "copy", _("PDF copy")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    stored_name = models.CharField(max_length=100, unique=True)
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = DocumentFileQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "document__placement__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "document__placement__address"

    class Meta:
        base_manager_name = "objects"
        ordering = ["created_at", "pk"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=Q(purpose="copy"), name="one_copy_per_document"),
        ]

    def __str__(self) -> str:
        return self.file_name

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if type(self).objects.filter(pk=self.pk, document__submitted_at__isnull=False).exists():
            raise FinalRowError("The files of a submitted document are never deleted.")
        return super().delete(*args, **kwargs)
