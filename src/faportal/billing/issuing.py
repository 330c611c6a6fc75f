"""From the models to the PEPPOL values and back: the seller, the VAT, and the checked XML of what the portal issues.

Every order, invoice and credit note the portal makes is validated with the official artefacts before it is kept
(``checked_xml``): one that the rules refuse is a fault in the portal, never sent, and raises ``NotValid``.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from faportal.billing import peppol
from faportal.billing.models import BillingProfile
from faportal.billing.peppol.validation import ValidationReport
from faportal.billing.rules import ARTICLE_NAMES, Article, VatChoice
from faportal.registry.models import Organisation

logger = logging.getLogger(__name__)

#: The exemption reason when the organisation declares one without a VATEX code (BR-E-10 needs a reason).
DEFAULT_EXEMPTION_CODE = "VATEX-EU-132"


class NotValid(RuntimeError):
    """A document the portal made fails the official rules: a fault in the portal (the rule ids say where)."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        ids = [rule.rule_id for rule in report.fatal] + [error.code for error in report.schema_errors]
        super().__init__("Generated PEPPOL document is not valid: " + ", ".join(ids))


def validator() -> peppol.Validator:
    """The process's validator for the configured artefacts (compiled once per process)."""
    return peppol.validator_for(settings.PEPPOL_ARTIFACTS_DIR)


def checked_xml(xml: bytes) -> tuple[bytes, list[tuple[str, str]]]:
    """The XML as made, once the official rules accept it; its warnings as (rule id, Swedish text)."""
    report = validator().validate(xml)
    if not report.valid:
        logger.error("Generated PEPPOL document refused: %s", report.rule_ids)
        raise NotValid(report)
    return xml, [(rule.rule_id, rule.text_sv) for rule in report.warnings]


def vat_of(profile: BillingProfile | None) -> peppol.Vat:
    """The VAT the organisation declares (SPEC S7.4): 25 %, or exempt with its reason."""
    if profile is not None and profile.vat == VatChoice.EXEMPT:
        return peppol.Vat.exempt(reason_code=DEFAULT_EXEMPTION_CODE, reason=profile.exemption_reason.strip() or None)
    return peppol.Vat.standard(Decimal(25))


def account_of(profile: BillingProfile) -> peppol.PaymentAccount:
    if profile.account_kind == peppol.AccountKind.PLUSGIRO:
        return peppol.PaymentAccount.plusgiro(profile.account_number)
    return peppol.PaymentAccount.bankgiro(profile.account_number)


def seller_of(organisation: Organisation, profile: BillingProfile | None) -> peppol.Seller:
    """The seller (SPEC S7.4): name and organisationsnummer from the registry, the rest from the billing details."""
    if profile is None:
        address = peppol.Address(country="SE")
        return peppol.Seller(
            organisationsnummer=organisation.organisationsnummer,
            name=organisation.name,
            address=address,
            vat_number=f"SE{organisation.organisationsnummer}01",
        )
    contact = None
    if profile.contact_name or profile.contact_email or profile.contact_phone:
        contact = peppol.Contact(
            name=profile.contact_name.strip() or None,
            email=profile.contact_email.strip() or None,
            phone=profile.contact_phone.strip() or None,
        )
    return peppol.Seller(
        organisationsnummer=organisation.organisationsnummer,
        name=organisation.name,
        address=peppol.Address(
            street=profile.street.strip() or None,
            city=profile.town.strip() or None,
            postal_code=profile.postcode.strip() or None,
            country="SE",
        ),
        # A Swedish company's VAT number is SE, its organisationsnummer and 01 (SE-R-001/002).
        vat_number=f"SE{organisation.organisationsnummer}01",
        f_skatt=profile.f_skatt,
        contact=contact,
    )


@dataclass(frozen=True)
class LineSpec:
    """One order line as issued: its number, article, days (None for a result), quantity, unit and price."""

    number: str
    article: Article
    start: datetime.date | None
    end: datetime.date | None
    quantity: Decimal
    unit_code: str
    unit_price: Decimal


def order_document(
    *,
    number: str,
    day: datetime.date,
    seller: peppol.Seller,
    genomforandereferens: str,
    period: tuple[datetime.date, datetime.date] | None,
    lines: list[LineSpec],
    vat: peppol.Vat,
) -> peppol.PurchaseOrder:
    """Inköpsorder as a PEPPOL value (SPEC S7.2, S7.5): the genomförandereferens as the buyer's reference, the
    delivery period, a line per month (or the result), each with its days and price.
    """
    return peppol.PurchaseOrder(
        number=number,
        issue_date=day,
        seller=seller,
        buyer_reference=genomforandereferens,
        period=peppol.Period(start=period[0], end=period[1]) if period else None,
        # A result order has no period: it can be invoiced for a year (T01-R002 wants an end).
        valid_until=None if period else day + datetime.timedelta(days=365),
        lines=tuple(
            peppol.OrderLine(
                id=line.number,
                description=ARTICLE_NAMES[line.article],
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                vat=vat,
                period=peppol.Period(start=line.start, end=line.end) if line.start and line.end else None,
            )
            for line in lines
        ),
        note=f"{ARTICLE_NAMES[lines[0].article]}, genomförandereferens {genomforandereferens}",
    )


def invoice_document(
    *,
    number: str,
    day: datetime.date,
    seller: peppol.Seller,
    order_number: str,
    genomforandereferens: str,
    line: LineSpec,
    delivered_quantity: Decimal,
    delivered_days: int | None,
    vat: peppol.Vat,
    account: peppol.PaymentAccount,
) -> peppol.Invoice:
    """Faktura for one delivered order line (SPEC S7.4): BT-13 the order number, BT-10 the genomförandereferens,
    BT-132 the order line, the delivered days as the invoice period, 30 days' terms.
    """
    period = (
        peppol.Period(start=line.start, end=line.start + datetime.timedelta(days=delivered_days - 1))
        if line.start is not None and delivered_days
        else None
    )
    return peppol.Invoice(
        number=number,
        issue_date=day,
        due_date=peppol.due_date_for(day),
        seller=seller,
        order_number=order_number,
        buyer_reference=genomforandereferens,
        period=period,
        lines=(
            peppol.InvoiceLine(
                id="1",
                description=ARTICLE_NAMES[line.article],
                quantity=delivered_quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                vat=vat,
                period=period,
                order_line_id=line.number,
            ),
        ),
        payment=account,
    )


def credit_note_document(
    *, original: peppol.Invoice, number: str, day: datetime.date, account: peppol.PaymentAccount | None
) -> peppol.CreditNote:
    """Kreditnota for a whole invoice (SPEC S7.4): its lines, BT-25 naming it, the same order number (BT-13)."""
    return peppol.CreditNote(
        number=number,
        issue_date=day,
        seller=original.seller,
        order_number=original.order_number,
        buyer_reference=original.buyer_reference,
        contract_id=original.contract_id,
        period=original.period,
        lines=original.lines,
        note=f"Kreditering av faktura {original.number}",
        corrects=peppol.InvoiceReference(number=original.number, issue_date=original.issue_date),
        payment=account or original.payment,
        round_to_whole_kronor=original.round_to_whole_kronor,
    )
