"""Orders and invoices (SPEC S7): tariffs, purchase orders and their lines, goods receipts, invoices and credit notes.

An order (``PurchaseOrder``) is issued when Af approves a period's joint plan (the base order, one line per month) or
a result report (a result order); a month's line becomes invoiceable when Af approves that month's report (the
``GoodsReceipt``). The provider turns an invoiceable line into a PEPPOL invoice with one action; invoices from the
provider's own ERP are uploaded. Every received invoice is matched by Af (``Invoice.match_status``).

Issued documents never change: the querysets refuse to update anything but the fields that follow a document's
life afterwards (an order line's state, an invoice's matching, payment and delivery), and refuse every delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faportal.access.models import StaffAccount
from faportal.billing.rules import Article, LineStatus, MatchStatus, OrderKind, VatChoice
from faportal.documents.models import Document
from faportal.identity.models import Person
from faportal.placements.models import Placement
from faportal.registry.models import Organisation, Service


class FinalRowError(Exception):
    """An issued order, line, receipt or invoice was about to change or go: they never do."""


class FinalQuerySet(models.QuerySet[Any]):
    """Refuses every delete, and every update except of the fields in ``mutable`` (the document's later life)."""

    mutable: ClassVar[frozenset[str]] = frozenset()

    def _check(self, names: Iterable[str]) -> None:
        fixed = set(names) - self.mutable
        if fixed:
            raise FinalRowError(f"{self.model.__name__} never changes: {', '.join(sorted(fixed))}")

    def update(self, **kwargs: Any) -> int:
        self._check(kwargs)
        return super().update(**kwargs)

    def _update(self, values: Any) -> Any:
        self._check(field.name for field, _model, _value in values)
        return super()._update(values)  # type: ignore[misc]

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FinalRowError(f"{self.model.__name__} is never deleted.")


class _Final(models.Model):
    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FinalRowError(f"{type(self).__name__} is never deleted.")


class Tariff(models.Model):
    """Ersättning (SPEC S7.1): the price of one article (at one level) from ``valid_from`` to ``valid_to``.

    Data that Af edits; ``example`` marks the demo prices, which are not Af's real ones.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tariffs")
    article = models.CharField(_("article"), max_length=20, choices=[(a.value, a.value) for a in Article])
    level = models.CharField(_("level"), max_length=1, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    example = models.BooleanField(_("example price"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["service", "article", "level", "valid_from"]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="tariff_price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="tariff_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} {self.level} {self.price} ({self.valid_from}–{self.valid_to or ''})"


class BillingProfile(models.Model):
    """Faktureringsuppgifter: what the organisation's invoices say besides the registry's name and number (S7.4)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="billing_profile")
    street = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    town = models.CharField(_("town"), max_length=100)
    vat = models.CharField(_("VAT"), max_length=20, choices=[(c.value, c.value) for c in VatChoice])
    exemption_reason = models.CharField(_("reason for the exemption"), max_length=300, blank=True)
    f_skatt = models.BooleanField(_("approved for F-tax"), default=True)
    account_kind = models.CharField(_("account"), max_length=20)
    account_number = models.CharField(_("account number"), max_length=40)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        verbose_name = _("billing details")
        verbose_name_plural = _("billing details")

    def __str__(self) -> str:
        return str(self.organisation)


class Sequence(models.Model):
    """A number series (orders per year, each organisation's invoices per year): locked while a number is taken."""

    key = models.CharField(max_length=100, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class OrderQuerySet(FinalQuerySet):
    pass


class PurchaseOrder(_Final):
    """Inköpsorder (SPEC S7.2): Af's order for one placement period (base) or one result; never changes once issued."""

    number = models.CharField(_("order number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, k.value) for k in OrderKind])
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orders")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="orders")
    genomforandereferens = models.CharField(_("genomförandereferens"), max_length=20)
    level = models.CharField(_("level"), max_length=1)
    issue_date = models.DateField(_("order date"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    # The approved document that issued it: the period's joint plan, or the result report.
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # The PEPPOL BIS Ordering 3.0 Order, as issued (validated before it was kept).
    xml = models.BinaryField()
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrderQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        base_manager_name = "objects"
        ordering = ["-issue_date", "-id"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind"], name="one_order_per_placement_and_kind"),
        ]
        indexes = [models.Index(fields=["organisation", "-issue_date"])]

    def __str__(self) -> str:
        return self.number


class OrderLineQuerySet(FinalQuerySet):
    mutable = frozenset({"status", "invoice"})


class OrderLine(_Final):
    """Orderrad: one month of the base compensation, or one result compensation. Only its state moves on."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="lines")
    number = models.CharField(_("line"), max_length=10)
    # Copied from the order for the lists' indexes and the scoping.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    article = models.CharField(_("article"), max_length=20, choices=[(a.value, a.value) for a in Article])
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=4)
    unit_code = models.CharField(_("unit"), max_length=4)
    unit_price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+")
    # The line's state (SPEC S7.3), and the invoice that holds it while it is invoiced.
    status = models.CharField(
        _("status"), max_length=20, choices=[(s.value, s.value) for s in LineStatus], default=LineStatus.NOT_DELIVERED
    )
    invoice = models.ForeignKey("Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = OrderLineQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "placement__address"

    class Meta:
        base_manager_name = "objects"
        ordering = ["order", "number"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="one_line_number_per_order")]
        indexes = [
            models.Index(fields=["organisation", "status", "period_start"], name="order_line_org_status"),
            # The monthly run: lines of a month not yet delivered.
            models.Index(fields=["period_start", "status"], name="order_line_month_status"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.number}"


class GoodsReceiptQuerySet(FinalQuerySet):
    pass


class GoodsReceipt(_Final):
    """Inleverans (SPEC S7.3): Af's approval of a month's report (or of a result), which makes the line invoiceable."""

    order_line = models.OneToOneField(OrderLine, on_delete=models.PROTECT, related_name="receipt")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("delivered"))
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    interrupted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GoodsReceiptQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "order_line__organisation"
    SCOPE_ADDRESS_PATH: ClassVar[str] = "order_line__placement__address"

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")

    def __str__(self) -> str:
        return f"{self.order_line} {self.received_on}"


class DocumentType(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Source(models.TextChoices):
    PORTAL = "portal", _("Made in the portal")
    ERP = "erp", _("From the organisation's own system")


class InvoiceQuerySet(FinalQuerySet):
    # The XML, the amounts and the references never change; Af's matching, the payment and the hand-over do.
    mutable = frozenset(
        {
            "match_status",
            "match_reasons",
            "matched_at",
            "decided_at",
            "decided_by",
            "decision_note",
            "approved_on",
            "paid_on",
            "credited_at",
        }
    )


class Invoice(_Final):
    """Faktura or kreditnota (SPEC S7.4): a PEPPOL BIS Billing 3.0 document of the organisation to Af, made in the
    portal or received from its ERP, and how Af matched it (S7.6).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invoices")
    document_type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    source = models.CharField(_("made"), max_length=10, choices=Source.choices)
    number = models.CharField(_("number"), max_length=100)
    issue_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # BT-13 as written, and the order it names (None when no order of the organisation has that number).
    order_number = models.CharField(_("order number"), max_length=100)
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    # A credit note's invoice (BT-25) as written, and the invoice it names.
    corrects_number = models.CharField(_("credits invoice"), max_length=100, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes", verbose_name=_("credits")
    )
    line_extension = models.DecimalField(_("amount excluding VAT"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    payable = models.DecimalField(_("amount to pay"), max_digits=12, decimal_places=2)
    xml = models.BinaryField()
    pdf = models.BinaryField()
    # The official rules' warnings (a valid document may have some), as (rule id, Swedish text).
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    created_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Af's matching (S7.6).
    match_status = models.CharField(
        _("matching"), max_length=20, choices=[(s.value, s.value) for s in MatchStatus], db_index=True
    )
    match_reasons = models.JSONField(default=list, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision_note = models.TextField(blank=True)
    # Approved for payment on this day (the due date), and paid.
    approved_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    # An invoice that a credit note cancelled.
    credited_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="one_invoice_number_per_organisation"),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="invoice_org_created"),
            models.Index(fields=["match_status", "created_at"], name="invoice_match_queue"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.document_type == DocumentType.CREDIT_NOTE

    @property
    def file_stem(self) -> str:
        kind = "kreditnota" if self.is_credit_note else "faktura"
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in self.number)[:80]
        return f"{kind}-{safe}"


class InvoiceLineQuerySet(FinalQuerySet):
    pass


class InvoiceLine(_Final):
    """Fakturarad: what one line of an invoice or credit note says, and the order line it was matched to."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    number = models.CharField(_("line"), max_length=100)
    order_line_number = models.CharField(max_length=100, blank=True)  # BT-132 as written
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=22, decimal_places=10)
    unit_code = models.CharField(_("unit"), max_length=4)
    unit_price = models.DecimalField(_("price"), max_digits=22, decimal_places=10)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    vat_category = models.CharField(max_length=2)
    vat_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    objects = InvoiceLineQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "invoice__organisation"

    class Meta:
        base_manager_name = "objects"
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return f"{self.invoice_id}:{self.number}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class InvoiceBatch(models.Model):
    """Fakturera markerade: many invoiceable lines turned into invoices, one per line, with progress (S7.4)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="+")
    line_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    invoice_ids = models.JSONField(default=list)
    # Lines that could not be invoiced, as {"line": id, "code": rules.Code}.
    problems = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}


class BillingRun(models.Model):
    """Månadskörningen: the worker's pass over every order line of the months that have ended (S7.3)."""

    started_by = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # {"orders": n, "invoiceable": n, "not_invoiceable": n, "paid": n}
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.pk}"


class OutboxEntry(models.Model):
    """Utkorgen till accesspunkten (docs/peppol-outbox.md): one generated document handed on as a file and, where
    configured, by an API call to the access point.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # "Order", "Invoice" or "CreditNote" (the UBL document), its number, and who sends it to whom (PEPPOL ids).
    document = models.CharField(max_length=20)
    number = models.CharField(max_length=100)
    sender = models.CharField(max_length=30)
    receiver = models.CharField(max_length=30)
    file_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    written_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["document", "number", "sender"], name="one_outbox_entry")]

    def __str__(self) -> str:
        return f"{self.document} {self.number}"
