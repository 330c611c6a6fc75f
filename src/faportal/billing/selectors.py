"""Reads for orders and invoices (SPEC S7), scoped through ``access.visible``: the provider's Ekonomi role sees its
whole organisation; Af's finance role sees every organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role
from faportal.access.scoping import get_visible_or_404, visible
from faportal.billing.models import (
    BillingProfile,
    BillingRun,
    GoodsReceipt,
    Invoice,
    InvoiceBatch,
    OrderLine,
    OutboxEntry,
    PurchaseOrder,
    Tariff,
)
from faportal.billing.rules import Article, LineStatus, MatchStatus
from faportal.core.dates import YearMonth
from faportal.registry.models import Service

PAGE_SIZE = 50


def role_for(actor: Actor) -> Role | AfRole:
    """The role billing's pages read with: Af's finance role in the back office, Ekonomi in the portal."""
    return AfRole.FINANCE if actor.is_af else Role.FINANCE


@dataclass(frozen=True)
class LineFilters:
    """Ekonomi's filters on the order lines: states, article, month, and a search for a reference or number."""

    statuses: tuple[LineStatus, ...] = ()
    article: Article | None = None
    month: YearMonth | None = None
    q: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def order_lines(*, actor: Actor, filters: LineFilters) -> QuerySet[OrderLine]:
    """Ordrar och rader (SPEC S7.4): the organisation's order lines with their state, newest month first."""
    lines = visible(actor, Role.FINANCE, OrderLine.objects.all())
    if filters.statuses:
        lines = lines.filter(status__in=filters.statuses)
    if filters.article is not None:
        lines = lines.filter(article=filters.article)
    if filters.month is not None:
        lines = lines.filter(period_start__gte=filters.month.first_day, period_start__lte=filters.month.last_day)
    q = filters.q.strip()
    if q:
        lines = lines.filter(Q(order__number__iexact=q) | Q(order__genomforandereferens__iexact=q))
    return lines.select_related("order", "receipt", "invoice").order_by(
        "-period_start", "order__genomforandereferens", "number"
    )


def line_counts(*, actor: Actor) -> dict[str, int]:
    """How many of the organisation's lines are in each state (the filter's numbers)."""
    from django.db.models import Count

    rows = visible(actor, Role.FINANCE, OrderLine.objects.all()).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def order(*, actor: Actor, order_id: int) -> PurchaseOrder:
    """One order of the organisation (Ekonomi) or of any (Af's finance role)."""
    return get_visible_or_404(actor, role_for(actor), PurchaseOrder.objects.select_related("organisation"), pk=order_id)


def order_page_lines(*, actor: Actor, order: PurchaseOrder) -> QuerySet[OrderLine]:
    return (
        visible(actor, role_for(actor), OrderLine.objects.filter(order=order))
        .select_related("receipt", "invoice", "tariff")
        .order_by("pk")
    )


def invoices_of_order(*, actor: Actor, order: PurchaseOrder) -> QuerySet[Invoice]:
    return visible(actor, role_for(actor), Invoice.objects.filter(order=order)).order_by("created_at", "pk")


@dataclass(frozen=True)
class InvoiceFilters:
    statuses: tuple[MatchStatus, ...] = ()
    q: str = ""


def invoices(*, actor: Actor, filters: InvoiceFilters) -> QuerySet[Invoice]:
    """Fakturor och kreditnotor: the organisation's (or, for Af, every organisation's), newest first."""
    found = visible(actor, role_for(actor), Invoice.objects.all())
    if filters.statuses:
        found = found.filter(match_status__in=filters.statuses)
    q = filters.q.strip()
    if q:
        found = found.filter(
            Q(number__iexact=q)
            | Q(order_number__iexact=q)
            | Q(buyer_reference__iexact=q)
            | Q(corrects_number__iexact=q)
        )
    return found.select_related("organisation", "corrects").order_by("-created_at", "-pk")


def invoice(*, actor: Actor, invoice_id: int) -> Invoice:
    """One invoice or credit note (its organisation's Ekonomi role, or Af's finance role)."""
    return get_visible_or_404(
        actor,
        role_for(actor),
        Invoice.objects.select_related("organisation", "order", "corrects", "decided_by"),
        pk=invoice_id,
    )


def credit_notes_of(*, actor: Actor, invoice: Invoice) -> QuerySet[Invoice]:
    return visible(actor, role_for(actor), Invoice.objects.filter(corrects=invoice)).order_by("created_at")


def invoices_after_credit(*, actor: Actor, invoice: Invoice) -> QuerySet[Invoice]:
    """The invoices made for the same order lines after ``invoice`` was credited (the corrected ones)."""
    line_ids = invoice.lines.exclude(order_line=None).values("order_line_id")
    return (
        visible(actor, role_for(actor), Invoice.objects.filter(lines__order_line_id__in=line_ids))
        .filter(document_type="invoice", created_at__gt=invoice.created_at)
        .exclude(pk=invoice.pk)
        .distinct()
        .order_by("created_at")
    )


def outbox_entry(*, actor: Actor, invoice: Invoice) -> OutboxEntry | None:
    document = "CreditNote" if invoice.is_credit_note else "Invoice"
    return (
        visible(actor, role_for(actor), OutboxEntry.objects.filter(document=document, number=invoice.number))
        .filter(organisation=invoice.organisation)
        .first()
    )


def batch(*, actor: Actor, batch_id: int) -> InvoiceBatch:
    """A batch the signed-in account started (nobody else's)."""
    return get_visible_or_404(actor, Role.FINANCE, InvoiceBatch.objects.filter(created_by=actor.account), pk=batch_id)


def batch_invoices(*, actor: Actor, batch: InvoiceBatch) -> QuerySet[Invoice]:
    return visible(actor, Role.FINANCE, Invoice.objects.filter(pk__in=batch.invoice_ids)).order_by("pk")


def profile(*, actor: Actor) -> BillingProfile | None:
    """The organisation's billing details (None until entered)."""
    return visible(actor, Role.FINANCE, BillingProfile.objects.all()).first()


def receipts_of(*, actor: Actor, order: PurchaseOrder) -> dict[int, GoodsReceipt]:
    found = visible(actor, role_for(actor), GoodsReceipt.objects.filter(order_line__order=order))
    return {receipt.order_line_id: receipt for receipt in found}


# --- Af (S6, S7.1, S7.6) ----------------------------------------------------------------------------------------


def manual_queue(*, actor: Actor) -> QuerySet[Invoice]:
    """Manuell hantering (SPEC S7.6): the received invoices that did not match, the oldest first."""
    return (
        visible(actor, AfRole.FINANCE, Invoice.objects.filter(match_status=MatchStatus.MANUAL))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def tariffs(*, actor: Actor) -> QuerySet[Tariff]:
    """Ersättningsnivåer (SPEC S7.1): every dated price, per article and level."""
    return visible(actor, AfRole.FINANCE, Tariff.objects.select_related("service")).order_by(
        "service__name", "article", "level", "-valid_from"
    )


def tariff_service() -> Service:
    """The service whose tariffs the back office edits: Rusta och matcha (services are data, SPEC S2.3)."""
    return Service.objects.get(code="rusta-och-matcha")


def tariff(*, actor: Actor, tariff_id: int) -> Tariff:
    return get_visible_or_404(actor, AfRole.FINANCE, Tariff.objects.all(), pk=tariff_id)


def tariffs_in_use(*, actor: Actor) -> set[int]:
    """The tariffs that orders use (their price and first day can no longer change)."""
    ids = visible(actor, AfRole.FINANCE, Tariff.objects.all()).values("pk")
    return set(OrderLine.objects.filter(tariff_id__in=ids).values_list("tariff_id", flat=True).distinct())


def latest_runs(*, actor: Actor) -> QuerySet[BillingRun]:
    return visible(actor, AfRole.FINANCE, BillingRun.objects.all())[:5]


def orders_of_placement(*, actor: Actor, placement_id: int) -> QuerySet[PurchaseOrder]:
    """A placement's orders (Af's placement page): linked by the genomförandereferens."""
    return visible(actor, AfRole.FINANCE, PurchaseOrder.objects.filter(placement_id=placement_id)).order_by("pk")
