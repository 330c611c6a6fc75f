"""Reading what a provider's ERP sends: the samples, a round trip through the writers, Af's own requirements,
what the portal cannot take, and hostile XML refused without harm."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from faportal.billing.peppol import ubl
from faportal.billing.peppol.amounts import totals
from faportal.billing.peppol.reader import read_billing_document
from faportal.billing.peppol.tests.strategies import credit_notes, invoices
from faportal.billing.peppol.values import (
    ARBETSFORMEDLINGEN,
    AccountKind,
    CreditNote,
    Invoice,
    InvoiceReference,
    Period,
)
from faportal.billing.peppol.writer import write_credit_note, write_invoice

_EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def invoice_xml(samples) -> bytes:
    return (samples / "invoice-se-af.xml").read_bytes()


@pytest.fixture(scope="module")
def credit_note_xml(samples) -> bytes:
    return (samples / "creditnote-se-af.xml").read_bytes()


def test_the_sample_invoice_is_read_into_the_values(invoice_xml):
    result = read_billing_document(invoice_xml)
    assert result.problems == ()
    invoice = result.document
    assert isinstance(invoice, Invoice)
    assert invoice.number == "F2026-000123"
    assert invoice.issue_date == datetime.date(2026, 11, 5)
    assert invoice.due_date == datetime.date(2026, 12, 5)
    assert invoice.order_number == "IN261001-17"
    assert invoice.buyer_reference == "GR-2026-000042"
    assert invoice.period == Period(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31))
    assert invoice.seller.organisationsnummer == "5566778899"
    assert invoice.seller.vat_number == "SE556677889901"
    assert invoice.seller.f_skatt is True
    assert invoice.buyer == ARBETSFORMEDLINGEN
    assert (invoice.payment.kind, invoice.payment.account) == (AccountKind.BANKGIRO, "56781234")
    assert invoice.payment_terms == "30 dagar netto"
    assert [(line.id, line.description, line.order_line_id, line.net_amount) for line in invoice.lines] == [
        ("1", "Grundersättning", "1", Decimal("4000.00")),
        ("2", "Snabbhetspremie", "3", Decimal("1000.00")),
    ]
    assert result.stated is not None
    assert result.stated.payable == Decimal("6250.00")
    assert totals(invoice.lines) == result.stated


def test_the_sample_credit_note_is_read_with_the_invoice_it_credits(credit_note_xml):
    result = read_billing_document(credit_note_xml)
    assert result.ok
    credit_note = result.document
    assert isinstance(credit_note, CreditNote)
    assert credit_note.corrects == InvoiceReference(number="F2026-000123", issue_date=datetime.date(2026, 11, 5))
    assert credit_note.order_number == "IN261001-17"
    assert result.stated is not None
    assert result.stated.payable == Decimal("6250.00")


def test_an_order_is_not_taken_as_an_invoice(samples):
    result = read_billing_document((samples / "order-se-af.xml").read_bytes())
    assert result.document is None
    assert [(problem.code, problem.sv) for problem in result.problems] == [
        ("order-not-invoice", "Filen är en order, inte en faktura eller kreditnota.")
    ]


@_EXAMPLES
@given(invoice=invoices())
def test_an_invoice_written_and_read_back_is_the_same(invoice):
    result = read_billing_document(write_invoice(invoice))
    assert result.problems == ()
    assert result.document == invoice
    assert result.stated == totals(invoice.lines, round_to_whole_kronor=invoice.round_to_whole_kronor)


@_EXAMPLES
@given(credit_note=credit_notes())
def test_a_credit_note_written_and_read_back_is_the_same(credit_note):
    result = read_billing_document(write_credit_note(credit_note))
    assert result.problems == ()
    assert result.document == credit_note


def _problems(data: bytes) -> list[tuple[str, str | None, str]]:
    result = read_billing_document(data)
    assert result.document is None
    return [(problem.code, problem.field, problem.sv) for problem in result.problems]


def _without(xml: bytes, path: str) -> bytes:
    root = etree.fromstring(xml)
    for element in root.xpath(path, namespaces=ubl.NS):
        element.getparent().remove(element)
    return etree.tostring(root)


def test_an_invoice_without_the_order_number_is_refused_though_peppol_accepts_it(invoice_xml):
    assert _problems(_without(invoice_xml, "/*/cac:OrderReference")) == [
        ("missing", "order_number", "Inköpsordernummer (BT-13) saknas.")
    ]


def test_a_credit_note_must_name_the_invoice_it_credits(credit_note_xml):
    assert _problems(_without(credit_note_xml, "/*/cac:BillingReference")) == [
        ("missing", "corrects", "Den krediterade fakturans nummer (BT-25) saknas.")
    ]


def test_every_problem_is_said_at_once(invoice_xml):
    broken = _without(invoice_xml, "/*/cac:OrderReference | /*/cbc:DueDate | /*/cac:PaymentMeans")
    broken = broken.replace(b">SEK</cbc:DocumentCurrencyCode>", b">EUR</cbc:DocumentCurrencyCode>")
    assert [(code, field) for code, field, _ in _problems(broken)] == [
        ("currency", "currency"),
        ("missing", "order_number"),
        ("missing", "due_date"),
        ("missing", "payment"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            b'<cbc:EndpointID schemeID="0007">2021002114</cbc:EndpointID>',
            b'<cbc:EndpointID schemeID="0007">5560360793</cbc:EndpointID>',
            (
                "not-arbetsformedlingen",
                "Fakturan är inte ställd till Arbetsförmedlingen (PEPPOL-id 0007:2021002114) "
                "utan till 0007:5560360793.",
            ),
        ),
        (
            b">SEK</cbc:DocumentCurrencyCode>",
            b">EUR</cbc:DocumentCurrencyCode>",
            ("currency", "Fakturan är i EUR. Arbetsförmedlingen tar bara emot fakturor i svenska kronor (SEK)."),
        ),
        (
            b"<cbc:IssueDate>2026-11-05</cbc:IssueDate>",
            b"<cbc:IssueDate>5 nov 2026</cbc:IssueDate>",
            ("invalid", "Fakturadatum (BT-2) har ett värde som inte kan läsas: 5 nov 2026."),
        ),
        (
            b"<cac:TaxTotal>",
            b"<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
            b'<cbc:Amount currencyID="SEK">100.00</cbc:Amount></cac:AllowanceCharge><cac:TaxTotal>',
            (
                "unsupported",
                "Rabatter och avgifter (BG-20, BG-21, BG-27, BG-28) finns i fakturan men kan inte tas emot "
                "här: AllowanceCharge.",
            ),
        ),
        (
            b"<cbc:ID>SE:BANKGIRO</cbc:ID>",
            b"<cbc:ID>SE:OKAND</cbc:ID>",
            (
                "unsupported",
                "Betalningssätt och konto (BG-16) finns i fakturan men kan inte tas emot här: 30 56781234.",
            ),
        ),
    ],
)
def test_what_the_portal_cannot_take_is_said_in_swedish(invoice_xml, old, new, expected):
    assert old in invoice_xml
    problems = _problems(invoice_xml.replace(old, new, 1))
    assert [(code, sv) for code, _, sv in problems] == [expected]


def test_a_line_amount_within_peppols_tolerance_is_still_refused(validator, invoice_xml):
    # 4000.01 for 1 × 4000.00 passes the official rule (±0.02) but is not the amount the order line pays.
    broken = invoice_xml.replace(b'"SEK">4000.00</cbc:LineExtensionAmount>', b'"SEK">4000.01</cbc:LineExtensionAmount>')
    broken = broken.replace(b'"SEK">5000.00</cbc:LineExtensionAmount>', b'"SEK">5000.01</cbc:LineExtensionAmount>')
    broken = broken.replace(b'"SEK">5000.00</cbc:TaxExclusiveAmount>', b'"SEK">5000.01</cbc:TaxExclusiveAmount>')
    broken = broken.replace(b'"SEK">5000.00</cbc:TaxableAmount>', b'"SEK">5000.01</cbc:TaxableAmount>')
    broken = broken.replace(b'"SEK">6250.00</cbc:TaxInclusiveAmount>', b'"SEK">6250.01</cbc:TaxInclusiveAmount>')
    broken = broken.replace(b'"SEK">6250.00</cbc:PayableAmount>', b'"SEK">6250.01</cbc:PayableAmount>')
    assert validator.validate(broken).valid
    result = read_billing_document(broken)
    assert result.document is None
    assert result.problems[0].sv == "Radbeloppet (BT-131) på rad 1 är 4000.01, men antal gånger pris ger 4000.00."
    assert {problem.field for problem in result.problems} == {
        "line_net_amount",
        "line_extension",
        "tax_exclusive",
        "tax_inclusive",
        "payable",
    }
    assert result.stated is not None
    assert result.stated.payable == Decimal("6250.01")


_BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>"""

_EXTERNAL_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&secret;</cbc:ID></Invoice>"""

_EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""


@pytest.mark.parametrize("data", [_BILLION_LAUGHS, _EXTERNAL_FILE, _EXTERNAL_DTD], ids=["laughs", "file", "dtd"])
def test_hostile_xml_is_refused_before_anything_is_expanded_or_fetched(validator, data):
    # lxml refuses the first and the last itself (entity amplification, a network DTD), we refuse the DOCTYPE.
    assert _problems(data) == [
        (
            "doctype",
            None,
            "Filen innehåller en DTD (<!DOCTYPE …>). En UBL-faktura har ingen sådan, och den tas inte emot.",
        )
    ]
    report = validator.validate(data)
    assert [error.code for error in report.schema_errors] == ["doctype"]
    assert "root:" not in repr(report)


def test_deeply_nested_xml_is_refused_by_the_parsers_limits():
    data = b"<a>" * 100_000 + b"</a>" * 100_000
    assert [code for code, _, _ in _problems(data)] == ["not-xml"]


def test_a_document_over_the_size_limit_is_not_parsed(invoice_xml):
    result = read_billing_document(invoice_xml, max_bytes=1000)
    assert [problem.code for problem in result.problems] == ["too-large"]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_damaged_invoice_makes_the_reader_fail(invoice_xml, data):
    """Remove an element or change a text anywhere: the reader answers with values or problems, never raises."""
    root = etree.fromstring(invoice_xml)
    elements = [element for element in root.iter() if element is not root]
    element = data.draw(st.sampled_from(elements))
    if data.draw(st.booleans()):
        element.getparent().remove(element)
    else:
        element.text = data.draw(st.sampled_from(["", " ", "-1", "1e999", "NaN", "abc", "0007:1", "2026-02-30", "Z"]))
    result = read_billing_document(etree.tostring(root))
    assert (result.document is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.sv
        assert problem.en


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_no_bytes_make_the_reader_fail(data):
    result = read_billing_document(data)
    assert result.document is None
    assert result.problems
