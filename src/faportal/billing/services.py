"""Writes for orders and invoices (SPEC S7): tariffs, orders, goods receipts, invoices, credit notes and matching.

Af's approvals issue orders and goods receipts (``react_to_decision``, from the worker); the provider's Ekonomi role
invoices and credits (``invoice_line``, ``credit_invoice``) and sends invoices from its own ERP
(``receive_document``); Af's finance staff keep the tariffs and decide the manual queue (``accept``, ``reject``).
Every received invoice or credit note is matched when it arrives (``_match``). Each write is one transaction and one
audit record; generated documents are validated with the official rules before they are kept, and handed to the
access point's outbox once committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role
from faportal.access.scoping import require, require_role
from faportal.audit.services import record
from faportal.billing import issuing, peppol, rules
from faportal.billing.events import ORDER_ISSUED
from faportal.billing.models import (
    BillingProfile,
    DocumentType,
    GoodsReceipt,
    Invoice,
    InvoiceBatch,
    InvoiceLine,
    OrderLine,
    PurchaseOrder,
    RunStatus,
    Sequence,
    Source,
    Tariff,
)
from faportal.billing.peppol.values import UNIT_MONTH, UNIT_ONE
from faportal.billing.rules import Article, Code, LineStatus, MatchStatus, Mismatch, OrderKind
from faportal.core.problems import Problem, Refused, refuse
from faportal.documents.models import Document, ReviewStatus
from faportal.placements import timeline
from faportal.placements.models import Interruption, Placement, today
from faportal.placements.rules import last_day

logger = logging.getLogger(__name__)

#: Who the worker's billing steps are done by, in the audit log and the timeline.
SYSTEM_LABEL = "Ekonomisystemet"


def system_actor() -> Actor:
    return Actor.system(SYSTEM_LABEL)


def _next_serial(key: str) -> int:
    # One row per series, locked while the number is taken: numbers are unique and without gaps (bookkeeping).
    Sequence.objects.get_or_create(key=key)
    sequence = Sequence.objects.select_for_update().get(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _order_number(day: datetime.date) -> str:
    serial = _next_serial(f"order:{day.year}")
    return rules.next_number(rules.ORDER_NUMBER_PREFIX, day.year, serial, 6)


def _invoice_number(organisation_id: int, day: datetime.date) -> str:
    while True:
        serial = _next_serial(f"invoice:{organisation_id}:{day.year}")
        number = rules.next_number(rules.INVOICE_NUMBER_PREFIX, day.year, serial, 5)
        # An invoice from the organisation's own ERP may already carry the number: the series goes past it.
        if not Invoice.objects.filter(organisation_id=organisation_id, number=number).exists():
            return number


def _placement_last_day(placement: Placement) -> datetime.date:
    interrupts_on = (
        Interruption.objects.filter(placement=placement, withdrawn_at__isnull=True)
        .values_list("interrupts_on", flat=True)
        .first()
    )
    return last_day(ends_on=placement.ends_on, interrupts_on=interrupts_on)


# --- tariffs (S7.1) ---------------------------------------------------------------------------------------------


def tariff_for(*, service_id: int, article: Article, level: str, day: datetime.date) -> Tariff:
    """Gällande pris (SPEC S7.1): the tariff row of the article (and level) in force on ``day``."""
    found = (
        Tariff.objects.filter(
            service_id=service_id,
            article=article,
            level=level if article in rules.PRICED_BY_LEVEL else "",
            valid_from__lte=day,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if found is None:
        raise refuse("", Code.NO_TARIFF, article=rules.ARTICLE_NAMES[article], date=day.isoformat())
    return found


@dataclass(frozen=True)
class TariffValues:
    service_id: int
    article: Article
    level: str
    price: Decimal
    valid_from: datetime.date
    valid_to: datetime.date | None
    example: bool = False


@transaction.atomic
def save_tariff(*, actor: Actor, values: TariffValues, tariff: Tariff | None = None) -> Tariff:
    """Ersättningsnivåer (SPEC S7.1): Af adds a dated price, or ends one. A price that orders use never changes;
    a new price from a later day ends the open one the day before.
    """
    require_role(actor, AfRole.FINANCE)
    problems: list[Problem] = []
    level = values.level if values.article in rules.PRICED_BY_LEVEL else ""
    if values.article in rules.PRICED_BY_LEVEL and values.level not in {"A", "B", "C"}:
        problems.append(Problem("level", Code.LEVEL_REQUIRED))
    if values.article not in rules.PRICED_BY_LEVEL and values.level:
        problems.append(Problem("level", Code.LEVEL_NOT_USED))
    if values.price < 0 or values.price != values.price.quantize(rules.CENT):
        problems.append(Problem("price", Code.INVALID_AMOUNT))
    if values.valid_to is not None and values.valid_to < values.valid_from:
        problems.append(Problem("valid_to", Code.TARIFF_ENDS_BEFORE_START))
    if problems:
        raise Refused(problems)
    same = Tariff.objects.select_for_update().filter(service_id=values.service_id, article=values.article, level=level)
    if tariff is not None:
        same = same.exclude(pk=tariff.pk)
        in_use = OrderLine.objects.filter(tariff=tariff).exists()
        if in_use and (
            tariff.price != values.price
            or tariff.valid_from != values.valid_from
            or tariff.article != values.article
            or tariff.level != level
        ):
            raise refuse("price", Code.TARIFF_IN_USE)
    before = None
    if tariff is not None:
        before = {"price": str(tariff.price), "valid_from": str(tariff.valid_from), "valid_to": str(tariff.valid_to)}
    elif values.valid_to is None:
        # A new price from a later day, until further notice, ends the open-ended one that started before it.
        open_row = same.filter(valid_to__isnull=True, valid_from__lt=values.valid_from).first()
        if open_row is not None:
            open_row.valid_to = values.valid_from - datetime.timedelta(days=1)
            open_row.save(update_fields=["valid_to"])
    end = values.valid_to or datetime.date.max
    for other in same:
        other_end = other.valid_to or datetime.date.max
        if other.valid_from <= end and values.valid_from <= other_end:
            raise refuse("valid_from", Code.TARIFF_OVERLAPS)
    row = tariff or Tariff(created_by=actor.person)
    row.service_id = values.service_id
    row.article = values.article
    row.level = level
    row.price = values.price
    row.valid_from = values.valid_from
    row.valid_to = values.valid_to
    row.example = values.example
    row.save()
    record(
        actor,
        "billing.tariff_saved",
        row,
        article=str(values.article),
        level=level,
        price=str(values.price),
        valid_from=values.valid_from.isoformat(),
        valid_to=values.valid_to.isoformat() if values.valid_to else None,
        before=before,
    )
    return row


# --- orders and goods receipts (S7.2, S7.3) ---------------------------------------------------------------------


def react_to_decision(*, document_id: int, kind: str, approved: bool) -> None:
    """Af approved a document: a plan or a result report issues its order, a monthly report is the month's goods
    receipt (SPEC S7.2, S7.3). Anything else, or a rejection, changes nothing. Safe to repeat.
    """
    if not approved:
        return
    if kind in rules.ORDER_FOR_DOCUMENT_KIND:
        try:
            issue_order(document_id=document_id)
        except Refused as refused:
            if not refused.has(Code.NO_TARIFF):
                raise
            # Af has not entered the price yet: the monthly run issues the order once it has.
            logger.warning("No tariff for the order of document %s: the monthly run will issue it", document_id)
    elif kind == rules.GOODS_RECEIPT_KIND:
        receive_goods(document_id=document_id)


def _approval_day(document: Document) -> datetime.date | None:
    review = getattr(document, "review", None)
    if review is None or review.status != ReviewStatus.APPROVED or review.decided_at is None:
        return None
    return timezone.localdate(review.decided_at)


@transaction.atomic
def issue_order(*, document_id: int) -> PurchaseOrder | None:
    """Inköpsorder (SPEC S7.2): the approved plan's base order for the placement period (one line per calendar
    month, partial months pro rata), or the approved result report's result order. One per placement and kind.
    """
    document = Document.objects.select_related("review", "placement__organisation").get(pk=document_id)
    order_kind = rules.ORDER_FOR_DOCUMENT_KIND.get(document.kind)
    day = _approval_day(document)
    if order_kind is None or day is None:
        return None
    placement = Placement.objects.select_for_update().select_related("organisation").get(pk=document.placement_id)
    existing = PurchaseOrder.objects.filter(placement=placement, kind=order_kind).first()
    if existing is not None:
        return existing  # a revised plan, or the same approval told twice: the order never changes
    profile = BillingProfile.objects.filter(organisation=placement.organisation).first()
    vat = issuing.vat_of(profile)
    specs: list[tuple[issuing.LineSpec, Tariff]] = []
    if order_kind is OrderKind.BASE:
        for month_line in rules.base_order_lines(starts_on=placement.starts_on, ends_on=placement.ends_on):
            tariff = tariff_for(
                service_id=placement.service_id, article=Article.BASE, level=placement.level, day=month_line.start
            )
            spec = issuing.LineSpec(
                month_line.number,
                Article.BASE,
                month_line.start,
                month_line.end,
                month_line.quantity,
                UNIT_MONTH,
                tariff.price,
            )
            specs.append((spec, tariff))
        period: tuple[datetime.date, datetime.date] | None = (placement.starts_on, placement.ends_on)
    else:
        article = Article(order_kind.value)
        tariff = tariff_for(service_id=placement.service_id, article=article, level=placement.level, day=day)
        specs.append((issuing.LineSpec("1", article, None, None, Decimal(1), UNIT_ONE, tariff.price), tariff))
        period = None
    number = _order_number(day)
    value = issuing.order_document(
        number=number,
        day=day,
        seller=issuing.seller_of(placement.organisation, profile),
        genomforandereferens=placement.genomforandereferens,
        period=period,
        lines=[spec for spec, _tariff in specs],
        vat=vat,
    )
    xml, _warnings = issuing.checked_xml(peppol.write_order(value))
    order = PurchaseOrder.objects.create(
        number=number,
        kind=order_kind,
        organisation=placement.organisation,
        placement=placement,
        genomforandereferens=placement.genomforandereferens,
        level=placement.level,
        issue_date=day,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        document=document,
        total=sum((line.net_amount for line in value.lines), Decimal("0.00")),
        xml=xml,
    )
    created = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                number=spec.number,
                organisation=placement.organisation,
                placement=placement,
                article=spec.article,
                period_start=spec.start,
                period_end=spec.end,
                quantity=spec.quantity,
                unit_code=spec.unit_code,
                unit_price=spec.unit_price,
                amount=peppol.line_net_amount(spec.quantity, spec.unit_price),
                tariff=tariff,
            )
            for spec, tariff in specs
        ]
    )
    actor = system_actor()
    record(actor, "billing.order_issued", order, number=number, kind=str(order_kind), total=str(order.total))
    timeline.record_event(placement=placement, kind=ORDER_ISSUED, actor=actor, number=number, order_kind=order_kind)
    if order_kind is OrderKind.BASE:
        # Months whose reports Af approved before the plan (a late plan): delivered at once.
        for report_id in Document.objects.filter(
            placement=placement, kind=rules.GOODS_RECEIPT_KIND, review__status=ReviewStatus.APPROVED
        ).values_list("pk", flat=True):
            receive_goods(document_id=report_id)
    else:
        # A result is delivered when Af approves it: its order line is invoiceable at once.
        _receive(created[0], document, day, rules.Delivered(0, Decimal(1), created[0].amount, interrupted=False))
    _hand_on(order.organisation_id, "Order", order.number, "0007:2021002114", placement.organisation.peppol_id, xml)
    return order


@transaction.atomic
def receive_goods(*, document_id: int) -> GoodsReceipt | None:
    """Inleverans (SPEC S7.3): the approved monthly report makes its month's base-order line invoiceable, pro rata
    up to an interruption; a month after the interruption delivers nothing. Safe to repeat.
    """
    document = Document.objects.select_related("review").get(pk=document_id)
    day = _approval_day(document)
    if document.kind != rules.GOODS_RECEIPT_KIND or day is None:
        return None
    month_start = document.period_start.replace(day=1)
    line = (
        OrderLine.objects.select_for_update()
        .filter(
            placement_id=document.placement_id,
            order__kind=OrderKind.BASE,
            period_start__gte=month_start,
            period_start__lte=document.period_end,
        )
        .first()
    )
    if line is None:
        return None  # no order yet: issuing it receives the months already approved
    existing = GoodsReceipt.objects.filter(order_line=line).first()
    if existing is not None:
        return existing
    assert line.period_start is not None
    assert line.period_end is not None
    delivered = rules.delivered(
        line_start=line.period_start,
        line_end=line.period_end,
        last_day=_placement_last_day(line.placement),
        monthly_price=line.unit_price,
    )
    if delivered is None:
        if line.invoice_id is None:
            line.status = LineStatus.NOT_INVOICEABLE
            line.save(update_fields=["status"])
        return None
    return _receive(line, document, day, delivered)


def _receive(line: OrderLine, document: Document, day: datetime.date, delivered: rules.Delivered) -> GoodsReceipt:
    receipt = GoodsReceipt.objects.create(
        order_line=line,
        document=document,
        received_on=day,
        days=delivered.days or None,
        quantity=delivered.quantity,
        amount=delivered.amount,
        interrupted=delivered.interrupted,
    )
    if line.invoice_id is None:  # an invoice from the ERP may have come first: it keeps the line
        line.status = LineStatus.INVOICEABLE
        line.save(update_fields=["status"])
    record(system_actor(), "billing.goods_received", receipt, line=line.pk, amount=str(delivered.amount))
    return receipt


# --- the provider's billing details (S7.4) ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileValues:
    street: str
    postcode: str
    town: str
    vat: rules.VatChoice
    exemption_reason: str
    f_skatt: bool
    account_kind: str
    account_number: str
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@transaction.atomic
def save_profile(*, actor: Actor, values: ProfileValues) -> BillingProfile:
    """Faktureringsuppgifter (SPEC S7.4): the address, VAT, F-skatt and account the organisation's invoices carry."""
    require_role(actor, Role.FINANCE)
    assert actor.organisation_id is not None
    profile = BillingProfile.objects.filter(organisation_id=actor.organisation_id).first() or BillingProfile(
        organisation_id=actor.organisation_id
    )
    for field, value in values.__dict__.items():
        setattr(profile, field, value.strip() if isinstance(value, str) else value)
    profile.updated_at = timezone.now()
    profile.updated_by = actor.account
    try:
        issuing.seller_of(profile.organisation, profile)
        issuing.account_of(profile)
        issuing.vat_of(profile)
    except peppol.InvalidValue as exc:
        raise refuse("", Code.PROFILE_INVALID, problem=exc.swedish) from exc
    profile.save()
    record(actor, "billing.profile_saved", profile, vat=str(values.vat), account_kind=values.account_kind)
    return profile


# --- invoices (S7.4) --------------------------------------------------------------------------------------------


def _profile(organisation_id: int) -> BillingProfile:
    profile = BillingProfile.objects.select_related("organisation").filter(organisation_id=organisation_id).first()
    if profile is None:
        raise refuse("", Code.NO_BILLING_PROFILE)
    return profile


@transaction.atomic
def invoice_line(*, actor: Actor, line: OrderLine) -> Invoice:
    """Fakturera (SPEC S7.4, one action): an invoiceable order line becomes a PEPPOL BIS Billing 3.0 invoice with
    the order number as order reference, the genomförandereferens as buyer reference and 30 days' terms.
    """
    require(actor, Role.FINANCE, line)
    # Locked first: two clicks at once wait for each other, and the second finds the line invoiced.
    locked = OrderLine.objects.select_for_update().get(pk=line.pk)
    if locked.invoice_id is not None or locked.status in {LineStatus.INVOICED, LineStatus.PAID}:
        raise refuse("", Code.ALREADY_INVOICED)
    if locked.status != LineStatus.INVOICEABLE:
        raise refuse("", Code.NOT_INVOICEABLE)
    receipt = GoodsReceipt.objects.get(order_line=locked)
    order = PurchaseOrder.objects.select_related("organisation").get(pk=locked.order_id)
    profile = _profile(order.organisation_id)
    issued = today()
    number = _invoice_number(order.organisation_id, issued)
    try:
        value = issuing.invoice_document(
            number=number,
            day=issued,
            seller=issuing.seller_of(order.organisation, profile),
            order_number=order.number,
            genomforandereferens=order.genomforandereferens,
            line=issuing.LineSpec(
                locked.number,
                Article(locked.article),
                locked.period_start,
                locked.period_end,
                locked.quantity,
                locked.unit_code,
                locked.unit_price,
            ),
            delivered_quantity=receipt.quantity,
            delivered_days=receipt.days,
            vat=issuing.vat_of(profile),
            account=issuing.account_of(profile),
        )
    except peppol.InvalidValue as exc:
        raise refuse("", Code.PROFILE_INVALID, problem=exc.swedish) from exc
    invoice = _keep(actor, value, Source.PORTAL, peppol.write_invoice(value))
    record(actor, "billing.invoice_issued", invoice, number=number, line=locked.pk, amount=str(invoice.payable))
    return invoice


def _keep(actor: Actor, value: peppol.Invoice | peppol.CreditNote, source: Source, xml: bytes) -> Invoice:
    """Keep a document made in the portal (checked with the official rules), match it, hand it on."""
    from faportal.billing.pdf import render

    checked, warnings = issuing.checked_xml(xml)
    invoice = _store(actor, value, source, checked, warnings, render(value))
    _hand_on(
        invoice.organisation_id,
        "CreditNote" if invoice.is_credit_note else "Invoice",
        invoice.number,
        value.seller.peppol_id,
        value.buyer.peppol_id,
        checked,
    )
    return invoice


def _store(
    actor: Actor,
    value: peppol.Invoice | peppol.CreditNote,
    source: Source,
    xml: bytes,
    warnings: list[tuple[str, str]],
    pdf: bytes,
) -> Invoice:
    """Keep a received or made document, its lines and the order it names, and match it at once (SPEC S7.6)."""
    from faportal.registry.models import Organisation

    organisation = Organisation.objects.get(organisationsnummer=value.seller.organisationsnummer)
    amounts = peppol.totals(value.lines, round_to_whole_kronor=value.round_to_whole_kronor)
    order = PurchaseOrder.objects.filter(organisation=organisation, number=value.order_number).first()
    is_credit = isinstance(value, peppol.CreditNote)
    corrects = None
    if isinstance(value, peppol.CreditNote):
        corrects = Invoice.objects.filter(
            organisation=organisation, number=value.corrects.number, document_type=DocumentType.INVOICE
        ).first()
    invoice = Invoice.objects.create(
        organisation=organisation,
        document_type=DocumentType.CREDIT_NOTE if is_credit else DocumentType.INVOICE,
        source=source,
        number=value.number,
        issue_date=value.issue_date,
        due_date=value.due_date if isinstance(value, peppol.Invoice) else None,
        order_number=value.order_number,
        order=order,
        placement_id=order.placement_id if order is not None else None,
        buyer_reference=value.buyer_reference or "",
        corrects_number=value.corrects.number if isinstance(value, peppol.CreditNote) else "",
        corrects=corrects,
        line_extension=amounts.line_extension,
        vat_amount=amounts.tax_amount,
        payable=amounts.payable,
        xml=xml,
        pdf=pdf,
        warnings=warnings,
        created_by=actor.account,
        match_status=MatchStatus.MANUAL,
    )
    matched = _match(invoice, value)
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                number=line.id,
                order_line_number=line.order_line_id or "",
                order_line=order_line,
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                amount=line.net_amount,
                period_start=line.period.start if line.period else None,
                period_end=line.period.end if line.period else None,
                vat_category=line.vat.category.value,
                vat_percent=line.vat.percent,
            )
            for line, order_line in zip(value.lines, matched, strict=True)
        ]
    )
    return invoice


def _order_line_facts(order: PurchaseOrder, invoice: Invoice) -> dict[str, tuple[OrderLine, rules.OrderLineFacts]]:
    lines = OrderLine.objects.select_for_update().filter(order=order).order_by("pk")
    receipts = {receipt.order_line_id: receipt for receipt in GoodsReceipt.objects.filter(order_line__order=order)}
    found = {}
    for line in lines:
        receipt = receipts.get(line.pk)
        found[line.number] = (
            line,
            rules.OrderLineFacts(
                number=line.number,
                start=line.period_start,
                end=line.period_end,
                delivered_amount=receipt.amount if receipt is not None else None,
                held=line.invoice_id is not None and line.invoice_id != invoice.pk,
            ),
        )
    return found


def _match(invoice: Invoice, value: peppol.Invoice | peppol.CreditNote) -> list[OrderLine | None]:
    """Af's matching (SPEC S7.6): reference, period and amount. A match is approved for payment on its due date
    (a credit note cancels its invoice); anything else goes to the manual queue with the reasons. Returns the order
    line each of the document's lines was matched to.
    """
    now = timezone.now()
    reasons: list[Mismatch] = []
    found: list[OrderLine | None] = [None] * len(value.lines)
    if isinstance(value, peppol.CreditNote):
        corrected = invoice.corrects
        if corrected is None or corrected.credited_at is not None or corrected.order_number != invoice.order_number:
            reasons.append(Mismatch.UNKNOWN_INVOICE)
        elif corrected.payable != invoice.payable:
            reasons.append(Mismatch.AMOUNT_DIFFERS)
        if not reasons:
            assert corrected is not None
            _apply_credit(corrected, now)
    elif invoice.order is None:
        reasons.append(Mismatch.UNKNOWN_ORDER)
    else:
        order = invoice.order
        if value.buyer_reference is not None and value.buyer_reference != order.genomforandereferens:
            reasons.append(Mismatch.REFERENCE_DIFFERS)
        facts = _order_line_facts(order, invoice)
        matched = rules.match_lines(
            [
                rules.InvoicedLine(
                    order_line=line.order_line_id,
                    start=line.period.start if line.period else None,
                    end=line.period.end if line.period else None,
                    amount=line.net_amount,
                )
                for line in value.lines
            ],
            {number: fact for number, (_line, fact) in facts.items()},
        )
        reasons.extend(reason for reason in matched.reasons if reason not in reasons)
        for index, number in enumerate(matched.lines):
            if number is None:
                continue
            order_line, fact = facts[number]
            found[index] = order_line
            if not fact.held and order_line.invoice_id is None:
                # Any received invoice holds the free lines it names: a second one for the same month is
                # "already invoiced" until the first is credited.
                order_line.invoice = invoice
                order_line.status = LineStatus.INVOICED
                order_line.save(update_fields=["invoice", "status"])
    invoice.match_status = MatchStatus.MANUAL if reasons else MatchStatus.MATCHED
    invoice.match_reasons = [str(reason) for reason in reasons]
    invoice.matched_at = now
    if not reasons and not invoice.is_credit_note:
        invoice.approved_on = invoice.due_date
    invoice.save(update_fields=["match_status", "match_reasons", "matched_at", "approved_on"])
    record(
        system_actor(),
        "billing.matched",
        invoice,
        number=invoice.number,
        status=invoice.match_status,
        reasons=invoice.match_reasons,
    )
    return found


def _release(line: OrderLine) -> None:
    """An order line whose invoice was credited is free again: invoiceable if delivered."""
    if GoodsReceipt.objects.filter(order_line=line).exists():
        line.status = LineStatus.INVOICEABLE
    else:
        assert line.placement is not None
        final_day = _placement_last_day(line.placement)
        after = rules.line_status_after_interruption(line_start=line.period_start, last_day=final_day)
        line.status = LineStatus.NOT_INVOICEABLE if after else LineStatus.NOT_DELIVERED
    line.invoice = None
    line.save(update_fields=["invoice", "status"])


def _apply_credit(corrected: Invoice, now: datetime.datetime) -> None:
    corrected.credited_at = now
    corrected.save(update_fields=["credited_at"])
    for line in OrderLine.objects.select_for_update(of=("self",)).select_related("placement").filter(invoice=corrected):
        _release(line)


@transaction.atomic
def credit_invoice(*, actor: Actor, invoice: Invoice, reissue: bool = True) -> tuple[Invoice, list[Invoice]]:
    """Kreditera (SPEC S7.4): a credit note for the whole invoice (naming it, BT-25, with the same order number);
    its lines are free again, and with ``reissue`` each delivered one is invoiced anew with today's details.
    """
    require(actor, Role.FINANCE, invoice)
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.is_credit_note:
        raise refuse("", Code.NOT_AN_INVOICE)
    if locked.credited_at is not None or locked.credit_notes.filter(match_status=MatchStatus.MATCHED).exists():
        raise refuse("", Code.ALREADY_CREDITED)
    original = peppol.read_billing_document(bytes(locked.xml)).document
    assert isinstance(original, peppol.Invoice)
    profile = BillingProfile.objects.filter(organisation_id=locked.organisation_id).first()
    issued = today()
    number = _invoice_number(locked.organisation_id, issued)
    value = issuing.credit_note_document(
        original=original,
        number=number,
        day=issued,
        account=issuing.account_of(profile) if profile is not None else None,
    )
    credit_note = _keep(actor, value, Source.PORTAL, peppol.write_credit_note(value))
    record(actor, "billing.credit_note_issued", credit_note, number=number, credits=locked.number)
    reissued = []
    if reissue and credit_note.match_status == MatchStatus.MATCHED:
        for line in OrderLine.objects.filter(pk__in=_lines_of(locked), status=LineStatus.INVOICEABLE):
            reissued.append(invoice_line(actor=actor, line=line))
    return credit_note, reissued


def _lines_of(invoice: Invoice) -> list[int]:
    return [pk for pk in invoice.lines.exclude(order_line=None).values_list("order_line_id", flat=True) if pk]


# --- invoices from the provider's ERP (S7.4, S7.6) --------------------------------------------------------------


class DocumentRefused(Exception):
    """An uploaded document the rules refuse: the failed rules (id, Swedish text, where) and the reader's problems."""

    def __init__(self, rules_failed: list[tuple[str, str, str]], problems: list[str]) -> None:
        self.rules_failed = rules_failed
        self.problems = problems
        super().__init__(", ".join(rule_id for rule_id, _text, _where in rules_failed) or "refused")


@transaction.atomic
def receive_document(*, actor: Actor, data: bytes, organisation_id: int | None = None) -> Invoice:
    """Faktura från eget affärssystem (SPEC S7.4, S7.6): validated with the official rules (schema, EN 16931,
    PEPPOL), read, kept and matched. ``organisation_id`` for Af's access point, which posts for any seller.
    """
    if organisation_id is None:
        require_role(actor, Role.FINANCE)
        assert actor.organisation_id is not None
        organisation_id = actor.organisation_id
    report = issuing.validator().validate(data)
    if not report.valid:
        failed = [(error.code, error.message_sv, error.path or "") for error in report.schema_errors] + [
            (rule.rule_id, rule.text_sv, rule.path) for rule in report.fatal
        ]
        record(actor, "billing.document_refused", None, organisation_id=organisation_id, rules=[f[0] for f in failed])
        raise DocumentRefused(failed, [])
    result = peppol.read_billing_document(data)
    if not result.ok or result.document is None:
        problems = [problem.sv for problem in result.problems]
        record(actor, "billing.document_refused", None, organisation_id=organisation_id, problems=len(problems))
        raise DocumentRefused([], problems)
    value = result.document
    from faportal.registry.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    if value.seller.organisationsnummer != organisation.organisationsnummer:
        raise refuse("file", Code.NOT_OUR_SELLER, seller=value.seller.organisationsnummer)
    if Invoice.objects.filter(organisation=organisation, number=value.number).exists():
        raise refuse("file", Code.DUPLICATE_NUMBER, number=value.number)
    from faportal.billing.pdf import render

    invoice = _store(
        actor, value, Source.ERP, data, [(rule.rule_id, rule.text_sv) for rule in report.warnings], render(value)
    )
    record(actor, "billing.document_received", invoice, number=invoice.number, status=invoice.match_status)
    return invoice


# --- Af's manual queue (S7.6) -----------------------------------------------------------------------------------


@transaction.atomic
def accept(*, actor: Actor, invoice: Invoice, note: str = "") -> Invoice:
    """Godkänn för betalning (SPEC S7.6): Af accepts an invoice from the manual queue. Never more than the order:
    every line must name a line of the order that no other invoice holds, for no more than it orders.
    """
    require_role(actor, AfRole.FINANCE)
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.match_status != MatchStatus.MANUAL:
        raise refuse("", Code.NOT_IN_QUEUE)
    value = peppol.read_billing_document(bytes(locked.xml)).document
    now = timezone.now()
    if isinstance(value, peppol.CreditNote):
        corrected = locked.corrects
        if corrected is None or corrected.credited_at is not None:
            raise refuse("", Code.EXCEEDS_ORDER)
        _apply_credit(corrected, now)
    else:
        assert value is not None
        order = locked.order
        if order is None:
            raise refuse("", Code.EXCEEDS_ORDER)
        facts = _order_line_facts(order, locked)
        matched = rules.match_lines(
            [
                rules.InvoicedLine(order_line=line.order_line_id, start=None, end=None, amount=line.net_amount)
                for line in value.lines
            ],
            {number: fact for number, (_line, fact) in facts.items()},
        )
        if any(number is None for number in matched.lines) or Mismatch.ALREADY_INVOICED in matched.reasons:
            raise refuse("", Code.EXCEEDS_ORDER)
        for line, number in zip(value.lines, matched.lines, strict=True):
            assert number is not None
            order_line = facts[number][0]
            if line.net_amount > order_line.amount:
                raise refuse("", Code.EXCEEDS_ORDER)
            order_line.invoice = locked
            order_line.status = LineStatus.INVOICED
            order_line.save(update_fields=["invoice", "status"])
        locked.approved_on = max(locked.due_date or today(), today())
    locked.match_status = MatchStatus.ACCEPTED
    locked.decided_at = now
    locked.decided_by = actor.person
    locked.decision_note = note.strip()[:2000]
    locked.save(update_fields=["match_status", "decided_at", "decided_by", "decision_note", "approved_on"])
    record(actor, "billing.accepted", locked, number=locked.number)
    return locked


@transaction.atomic
def reject(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice:
    """Avvisa (SPEC S7.6): Af rejects an invoice from the manual queue and asks for a credit note (and a new invoice);
    the provider reads the reason. The lines it holds stay held until it is credited.
    """
    require_role(actor, AfRole.FINANCE)
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise refuse("reason", Code.REASON_REQUIRED)
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.match_status != MatchStatus.MANUAL:
        raise refuse("", Code.NOT_IN_QUEUE)
    locked.match_status = MatchStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor.person
    locked.decision_note = reason[:2000]
    locked.save(update_fields=["match_status", "decided_at", "decided_by", "decision_note"])
    record(actor, "billing.rejected", locked, number=locked.number)
    return locked


@transaction.atomic
def pay_due_invoices(*, day: datetime.date | None = None) -> int:
    """Utbetalning (SPEC S7.6): Af pays every approved invoice on its due date; its order lines become paid."""
    day = day or today()
    due = Invoice.objects.select_for_update().filter(
        document_type=DocumentType.INVOICE,
        match_status__in=rules.APPROVED_FOR_PAYMENT,
        approved_on__lte=day,
        paid_on__isnull=True,
        credited_at__isnull=True,
    )
    paid = 0
    for invoice in due:
        invoice.paid_on = invoice.approved_on
        invoice.save(update_fields=["paid_on"])
        OrderLine.objects.filter(invoice=invoice).update(status=LineStatus.PAID)
        record(system_actor(), "billing.paid", invoice, number=invoice.number, paid_on=str(invoice.paid_on))
        paid += 1
    return paid


# --- the batch action (S7.4) ------------------------------------------------------------------------------------


def start_batch(*, actor: Actor, line_ids: Iterable[int]) -> InvoiceBatch:
    """Fakturera markerade (SPEC S7.4): one invoice per chosen line; a few at once, more in the worker (progress)."""
    require_role(actor, Role.FINANCE)
    assert actor.account is not None
    assert actor.organisation_id is not None
    ids = sorted(set(line_ids))
    if not ids:
        raise refuse("lines", Code.NOTHING_SELECTED)
    if len(ids) > settings.BILLING_BATCH_MAX_LINES:
        raise refuse("lines", Code.TOO_MANY_SELECTED, limit=settings.BILLING_BATCH_MAX_LINES)
    batch = InvoiceBatch.objects.create(
        organisation_id=actor.organisation_id, created_by=actor.account, line_ids=ids, total=len(ids)
    )
    record(actor, "billing.batch_started", batch, lines=len(ids))
    if len(ids) <= settings.BILLING_INLINE_MAX_LINES:
        return execute_batch(batch_id=batch.pk)
    from faportal.billing.tasks import run_batch

    transaction.on_commit(partial(run_batch.enqueue, batch_id=batch.pk))
    return batch


def execute_batch(*, batch_id: int) -> InvoiceBatch:
    """Invoices each line of a batch in its own transaction, as its maker with the rights they have now."""
    batch = InvoiceBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.is_finished:
        return batch
    batch.status = RunStatus.RUNNING
    batch.save(update_fields=["status"])
    actor = Actor.for_staff_account(batch.created_by)
    from faportal.access.scoping import visible

    lines = {line.pk: line for line in visible(actor, Role.FINANCE, OrderLine.objects.filter(pk__in=batch.line_ids))}
    for line_id in batch.line_ids:
        line = lines.get(line_id)
        try:
            if line is None:
                raise refuse("", Code.NOT_INVOICEABLE)
            invoice = invoice_line(actor=actor, line=line)
            batch.invoice_ids = [*batch.invoice_ids, invoice.pk]
        except Refused as refused:
            batch.problems = [*batch.problems, {"line": line_id, "code": str(refused.problems[0].code)}]
        batch.processed += 1
        batch.save(update_fields=["invoice_ids", "problems", "processed"])
    batch.status = RunStatus.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    return batch


def record_download(*, actor: Actor, subject: PurchaseOrder | Invoice, what: str) -> None:
    """Who downloaded which order or invoice (an invoice names a placement's genomförandereferens)."""
    record(actor, "billing.downloaded", subject, what=what, number=subject.number)


def _hand_on(organisation_id: int, document: str, number: str, sender: str, receiver: str, xml: bytes) -> None:
    from faportal.billing import outbox

    transaction.on_commit(
        partial(
            outbox.enqueue,
            organisation_id=organisation_id,
            document=document,
            number=number,
            sender=sender,
            receiver=receiver,
            xml=xml,
        )
    )
