"""Every document the writers can produce passes the official validation: UBL 2.1 schema, EN 16931 and PEPPOL
BIS Billing 3.0 (with the Swedish rules) for invoices and credit notes, PEPPOL Order (T01) for orders."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from lxml import etree

from faportal.billing.peppol import ubl
from faportal.billing.peppol.amounts import totals
from faportal.billing.peppol.tests.strategies import credit_notes, invoices, orders
from faportal.billing.peppol.validation import DocumentType
from faportal.billing.peppol.values import (
    Address,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceReference,
    OrderLine,
    PaymentAccount,
    Period,
    PurchaseOrder,
    Seller,
    Vat,
    due_date_for,
)
from faportal.billing.peppol.writer import write_credit_note, write_invoice, write_order

# Each example is written and validated (a few milliseconds); the limits keep the file well under a minute.
_EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SELLER = Seller(
    organisationsnummer="5566778899",
    name="Exempel Matchning AB",
    address=Address(street="Storgatan 1", city="Uppsala", postal_code="75320"),
    vat_number="SE556677889901",
    f_skatt=True,
)
OCTOBER = Period(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31))


def _assert_valid(validator, xml: bytes, expected: DocumentType) -> None:
    report = validator.validate(xml)
    assert report.document_type is expected
    # Not only valid: the portal's documents raise no warning either.
    assert report.schema_errors == ()
    assert [(rule.rule_id, rule.text) for rule in report.failed_rules] == []


@_EXAMPLES
@given(invoice=invoices())
def test_every_invoice_validates(validator, invoice):
    _assert_valid(validator, write_invoice(invoice), DocumentType.INVOICE)


@_EXAMPLES
@given(credit_note=credit_notes())
def test_every_credit_note_validates(validator, credit_note):
    _assert_valid(validator, write_credit_note(credit_note), DocumentType.CREDIT_NOTE)


@settings(max_examples=40, deadline=None)
@given(order=orders())
def test_every_order_validates(validator, order):
    _assert_valid(validator, write_order(order), DocumentType.ORDER)


def _invoice(**changes) -> Invoice:
    values = {
        "number": "F2026-000123",
        "issue_date": datetime.date(2026, 11, 5),
        "due_date": due_date_for(datetime.date(2026, 11, 5)),
        "seller": SELLER,
        "order_number": "IN261001-17",
        "buyer_reference": "GR-2026-000042",
        "period": OCTOBER,
        "lines": (
            InvoiceLine(
                id="1",
                description="Grundersättning",
                article_id="166",
                quantity=Decimal("0.5484"),
                unit_price=Decimal("15600.00"),
                vat=Vat.standard(),
                period=Period(start=datetime.date(2026, 10, 15), end=datetime.date(2026, 10, 31)),
                order_line_id="001",
            ),
        ),
        "payment": PaymentAccount.bankgiro("5678-1234"),
    }
    return Invoice(**{**values, **changes})


def _xpath(xml: bytes, path: str) -> list[str]:
    return [str(value) for value in etree.fromstring(xml).xpath(path, namespaces=ubl.NS)]


def test_an_invoice_says_what_af_requires_where_peppol_expects_it():
    xml = write_invoice(_invoice())
    assert _xpath(xml, "/*/cbc:CustomizationID/text()") == [ubl.BILLING_CUSTOMIZATION_ID]
    assert _xpath(xml, "/*/cbc:ProfileID/text()") == [ubl.BILLING_PROFILE_ID]
    assert _xpath(xml, "/*/cbc:InvoiceTypeCode/text()") == ["380"]
    assert _xpath(xml, "/*/cbc:DueDate/text()") == ["2026-12-05"]  # 30 days' terms
    assert _xpath(xml, "/*/cac:OrderReference/cbc:ID/text()") == ["IN261001-17"]
    assert _xpath(xml, "/*/cbc:BuyerReference/text()") == ["GR-2026-000042"]
    buyer = "/*/cac:AccountingCustomerParty/cac:Party"
    assert _xpath(xml, f"{buyer}/cbc:EndpointID/@schemeID") == ["0007"]
    assert _xpath(xml, f"{buyer}/cbc:EndpointID/text()") == ["2021002114"]
    seller = "/*/cac:AccountingSupplierParty/cac:Party"
    assert _xpath(xml, f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TAX']/cbc:CompanyID/text()") == [
        "Godkänd för F-skatt"
    ]
    assert _xpath(
        xml, "/*/cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID/text()"
    ) == ["SE:BANKGIRO"]
    assert _xpath(xml, "/*/cac:InvoiceLine/cac:OrderLineReference/cbc:LineID/text()") == ["001"]
    # 0.5484 of a month at 15 600.00 is 8 555.04; VAT 25 % is 2 138.76.
    assert _xpath(xml, "/*/cac:InvoiceLine/cbc:LineExtensionAmount/text()") == ["8555.04"]
    assert _xpath(xml, "/*/cac:TaxTotal/cbc:TaxAmount/text()") == ["2138.76"]
    assert _xpath(xml, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["10693.80"]


def test_a_seller_without_f_skatt_says_nothing_about_it():
    xml = write_invoice(_invoice(seller=Seller(**{**SELLER.__dict__, "f_skatt": False})))
    assert _xpath(xml, "//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TAX']") == []


def test_oresavrundning_rounds_the_amount_to_pay_to_whole_kronor(validator):
    invoice = _invoice(round_to_whole_kronor=True)
    xml = write_invoice(invoice)
    assert _xpath(xml, "/*/cac:LegalMonetaryTotal/cbc:PayableRoundingAmount/text()") == ["0.20"]
    assert _xpath(xml, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["10694.00"]
    assert validator.validate(xml).valid


def test_an_exempt_line_carries_its_reason_in_the_vat_breakdown():
    exempt = Vat.exempt(reason_code="VATEX-EU-132", reason="Undantagen från skatteplikt")
    line = InvoiceLine(
        id="2",
        description="Snabbhetspremie",
        quantity=Decimal(1),
        unit_code="C62",
        unit_price=Decimal("5000.00"),
        vat=exempt,
    )
    xml = write_invoice(_invoice(lines=(*_invoice().lines, line)))
    subtotal = "/*/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cbc:ID='E']"
    assert _xpath(xml, f"{subtotal}/cbc:TaxableAmount/text()") == ["5000.00"]
    assert _xpath(xml, f"{subtotal}/cbc:TaxAmount/text()") == ["0.00"]
    assert _xpath(xml, f"{subtotal}/cac:TaxCategory/cbc:TaxExemptionReasonCode/text()") == ["VATEX-EU-132"]
    assert _xpath(xml, f"{subtotal}/cac:TaxCategory/cbc:TaxExemptionReason/text()") == ["Undantagen från skatteplikt"]


def test_a_credit_note_names_the_invoice_it_credits_and_has_no_due_date():
    invoice = _invoice()
    credit_note = CreditNote(
        number="K2026-000007",
        issue_date=datetime.date(2026, 11, 12),
        seller=SELLER,
        order_number=invoice.order_number,
        buyer_reference=invoice.buyer_reference,
        corrects=InvoiceReference(number=invoice.number, issue_date=invoice.issue_date),
        lines=invoice.lines,
    )
    xml = write_credit_note(credit_note)
    assert _xpath(xml, "/*/cbc:CreditNoteTypeCode/text()") == ["381"]
    assert _xpath(xml, "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()") == ["F2026-000123"]
    assert _xpath(xml, "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate/text()") == ["2026-11-05"]
    assert _xpath(xml, "/*/cbc:DueDate") == []
    # A credit note's amounts are positive: the type says it credits.
    assert _xpath(xml, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["10693.80"]


def test_an_order_has_one_line_per_month_with_its_period_and_the_totals():
    lines = tuple(
        OrderLine(
            id=f"00{number}",
            description="Grundersättning",
            article_id="166",
            quantity=quantity,
            unit_price=Decimal("12400.00"),
            vat=Vat.standard(),
            period=period,
        )
        for number, quantity, period in (
            (1, Decimal("0.5484"), Period(start=datetime.date(2026, 10, 15), end=datetime.date(2026, 10, 31))),
            (2, Decimal(1), Period(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))),
        )
    )
    order = PurchaseOrder(
        number="IN261015-3",
        issue_date=datetime.date(2026, 10, 14),
        seller=SELLER,
        buyer_reference="GR-2026-000042",
        period=Period(start=datetime.date(2026, 10, 15), end=datetime.date(2026, 11, 30)),
        lines=lines,
    )
    xml = write_order(order)
    assert _xpath(xml, "/*/cbc:ProfileID/text()") == [ubl.ORDER_PROFILE_ID]
    assert _xpath(xml, "/*/cbc:CustomerReference/text()") == ["GR-2026-000042"]
    assert _xpath(xml, "/*/cac:ValidityPeriod/cbc:EndDate/text()") == ["2026-11-30"]
    assert _xpath(xml, "//cac:LineItem/cbc:ID/text()") == ["001", "002"]
    assert _xpath(xml, "//cac:LineItem/cbc:LineExtensionAmount/text()") == ["6800.16", "12400.00"]
    assert _xpath(xml, "//cac:LineItem/cac:Delivery/cac:RequestedDeliveryPeriod/cbc:StartDate/text()") == [
        "2026-10-15",
        "2026-11-01",
    ]
    assert _xpath(xml, "/*/cac:AnticipatedMonetaryTotal/cbc:LineExtensionAmount/text()") == ["19200.16"]
    assert _xpath(xml, "/*/cac:AnticipatedMonetaryTotal/cbc:PayableAmount/text()") == [str(totals(lines).payable)]
