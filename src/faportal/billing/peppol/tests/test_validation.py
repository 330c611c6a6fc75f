"""The validator with the official artefacts: the samples pass, broken documents fail with the right rule ids, each
shown in Swedish, and input that is not a document is refused with a reason instead of an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from faportal.billing.peppol.rule_texts import all_texts
from faportal.billing.peppol.validation import DocumentType, Layer, Severity, short_path, validator_for


@pytest.fixture(scope="module")
def invoice_xml(samples) -> bytes:
    return (samples / "invoice-se-af.xml").read_bytes()


@pytest.mark.parametrize(
    ("name", "document_type"),
    [
        ("invoice-se-af.xml", DocumentType.INVOICE),
        ("creditnote-se-af.xml", DocumentType.CREDIT_NOTE),
        ("order-se-af.xml", DocumentType.ORDER),
    ],
)
def test_the_official_samples_are_valid(validator, samples, name, document_type):
    report = validator.validate((samples / name).read_bytes())
    assert report.document_type is document_type
    assert report.valid
    assert report.failed_rules == ()


def test_a_wrong_total_is_refused_with_the_rule_id_and_its_swedish_text(validator, invoice_xml):
    broken = invoice_xml.replace(b"6250.00</cbc:TaxInclusiveAmount>", b"6200.00</cbc:TaxInclusiveAmount>")
    report = validator.validate(broken)
    assert not report.valid
    rule = next(rule for rule in report.fatal if rule.rule_id == "BR-CO-15")
    assert rule.flag is Severity.FATAL
    assert rule.layer is Layer.EN16931
    assert rule.text.startswith("Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109)")
    assert rule.text_sv == (
        "Totalbeloppet med moms (BT-112) stämmer inte: det ska vara totalbeloppet utan moms (BT-109) plus totala "
        "momsbeloppet (BT-110)."
    )
    assert rule.path == "/Invoice"
    # The amount to pay no longer follows either.
    assert "BR-CO-16" in report.rule_ids


@pytest.mark.parametrize(
    ("old", "new", "rule_id"),
    [
        # VAT rate a Swedish seller may not use
        (b"<cbc:Percent>25</cbc:Percent>", b"<cbc:Percent>20</cbc:Percent>", "SE-R-006"),
        # organisationsnummer with a wrong check digit
        (b'schemeID="0007">5566778899<', b'schemeID="0007">5566778890<', "PEPPOL-COMMON-R049"),
        (
            b"<cbc:CompanyID>Godk\xc3\xa4nd f\xc3\xb6r F-skatt</cbc:CompanyID>",
            b"<cbc:CompanyID>F-skatt finns</cbc:CompanyID>",
            "SE-R-005",
        ),
        (b"<cbc:CompanyID>SE556677889901</cbc:CompanyID>", b"<cbc:CompanyID>SE5566778899</cbc:CompanyID>", "SE-R-001"),
        # a line amount that is not quantity × price
        (
            b'<cbc:LineExtensionAmount currencyID="SEK">4000.00</cbc:LineExtensionAmount>\n    <cac:InvoicePeriod>',
            b'<cbc:LineExtensionAmount currencyID="SEK">3900.00</cbc:LineExtensionAmount>\n    <cac:InvoicePeriod>',
            "PEPPOL-EN16931-R120",
        ),
        (
            b"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
            b"<cbc:InvoiceTypeCode>999</cbc:InvoiceTypeCode>",
            "PEPPOL-EN16931-P0100",
        ),
    ],
)
def test_broken_invoices_fail_with_the_rule_that_says_why(validator, invoice_xml, old, new, rule_id):
    assert old in invoice_xml
    report = validator.validate(invoice_xml.replace(old, new))
    assert rule_id in report.rule_ids
    rule = next(rule for rule in report.failed_rules if rule.rule_id == rule_id)
    assert rule.text_sv == all_texts()[rule_id].sv
    assert not report.valid


def test_a_bankgiro_number_of_five_digits_is_only_a_warning(validator, invoice_xml):
    report = validator.validate(invoice_xml.replace(b"<cbc:ID>56781234</cbc:ID>", b"<cbc:ID>56781</cbc:ID>"))
    assert report.valid
    assert [(rule.rule_id, rule.flag) for rule in report.warnings] == [("SE-R-009", Severity.WARNING)]
    assert report.warnings[0].text_sv == "Bankgironumret (BT-84) ska ha 7 eller 8 siffror."


def test_an_order_is_checked_with_the_order_rules(validator, samples):
    order = (samples / "order-se-af.xml").read_bytes()
    broken = order.replace(
        b"<cac:SellerSupplierParty>\n    <cac:Party>",
        b"<cac:SellerSupplierParty>\n    <cac:Party><cbc:WebsiteURI>https://exempel.se</cbc:WebsiteURI>",
    )
    report = validator.validate(broken)
    assert report.document_type is DocumentType.ORDER
    assert {rule.layer for rule in report.failed_rules} == {Layer.ORDER}
    rule = next(rule for rule in report.fatal if rule.rule_id.startswith("PEPPOL-T01-B"))
    assert rule.text == "Document MUST NOT contain elements not part of the data model."
    assert rule.text_sv == (
        "I /Order/SellerSupplierParty/Party finns ett element som inte ingår i PEPPOL:s datamodell för order."
    )


def test_elements_in_the_wrong_order_are_a_schema_error_in_swedish(validator, invoice_xml):
    swapped = invoice_xml.replace(
        b"<cbc:DueDate>2026-12-05</cbc:DueDate>\n  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        b"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n  <cbc:DueDate>2026-12-05</cbc:DueDate>",
    )
    report = validator.validate(swapped)
    assert not report.valid
    (error,) = report.schema_errors
    assert error.code == "xsd"
    assert error.line == 10
    assert error.message.startswith("Element 'cbc:DueDate': This element is not expected.")
    assert error.message_sv.startswith("Elementet cbc:DueDate får inte stå här")
    assert "Här väntas: cbc:Note" in error.message_sv


def test_a_value_of_the_wrong_form_is_a_schema_error_in_swedish(validator, invoice_xml):
    report = validator.validate(invoice_xml.replace(b"<cbc:DueDate>2026-12-05<", b"<cbc:DueDate>5/12/2026<"))
    assert [error.message_sv for error in report.schema_errors] == [
        "Värdet '5/12/2026' i cbc:DueDate har fel form. Ett datum skrivs ÅÅÅÅ-MM-DD."
    ]


@pytest.mark.parametrize(
    ("data", "code", "swedish"),
    [
        (b"not xml at all", "not-xml", "Filen är inte en läsbar XML-fil."),
        (b"", "not-xml", "Filen är inte en läsbar XML-fil."),
        (b"<Faktura/>", "unknown-document", "Filen är XML men inte en UBL-faktura"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "doctype", "Filen innehåller en DTD"),
    ],
)
def test_what_is_not_a_document_is_refused_with_a_reason(validator, data, code, swedish):
    report = validator.validate(data)
    assert not report.valid
    assert report.document_type is None
    (error,) = report.schema_errors
    assert error.code == code
    assert error.message_sv.startswith(swedish)


def test_a_file_over_the_limit_is_not_parsed(validator, invoice_xml):
    report = validator.validate(invoice_xml, max_bytes=len(invoice_xml) - 1)
    assert [error.code for error in report.schema_errors] == ["too-large"]


def test_the_validator_is_compiled_once_per_process(artifacts, validator):
    assert validator_for(artifacts.root) is validator
    assert validator_for(str(artifacts.root) + "/") is validator


def test_short_path_drops_the_namespace_tests():
    location = (
        "/*:Invoice[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'][1]"
        "/*:InvoiceLine[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'][2]"
    )
    assert short_path(location) == "/Invoice/InvoiceLine[2]"


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_no_damaged_invoice_makes_the_validator_fail(validator, invoice_xml, data):
    """Remove an element or change a text anywhere: the validator reports, it never raises."""
    root = etree.fromstring(invoice_xml)
    element = data.draw(st.sampled_from([element for element in root.iter() if element is not root]))
    if data.draw(st.booleans()):
        element.getparent().remove(element)
    else:
        element.text = data.draw(st.sampled_from(["", "-1", "1e999", "abc", "2026-02-30", "Z"]))
    report = validator.validate(etree.tostring(root))
    assert report.document_type is DocumentType.INVOICE
    for rule in report.failed_rules:
        assert rule.rule_id in all_texts()
