"""UBL 2.1 XML for the values: PEPPOL BIS Billing 3.0 Invoice and CreditNote, PEPPOL BIS Ordering 3.0 Order.

Elements come in the order the UBL 2.1 schema requires; only elements of the PEPPOL data models are written (the
Order rules refuse anything else). The amounts come from ``amounts.totals``. The result is UTF-8 bytes; validate it
with ``validation.validator_for(...).validate(...)`` before keeping or sending it.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from faportal.billing.peppol import ubl
from faportal.billing.peppol.amounts import Totals, totals
from faportal.billing.peppol.values import (
    CURRENCY,
    F_SKATT,
    AccountKind,
    Address,
    Buyer,
    Contact,
    CreditNote,
    Invoice,
    InvoiceLine,
    OrderLine,
    PaymentAccount,
    Period,
    PurchaseOrder,
    Seller,
    Vat,
)

__all__ = ["write_credit_note", "write_invoice", "write_order"]

_NSMAP_CBC_CAC: dict[str | None, str] = {"cac": ubl.CAC, "cbc": ubl.CBC}


def _cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ubl.CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ubl.CAC}}}{name}")


def _money(parent: etree._Element, name: str, amount: Decimal) -> None:
    _cbc(parent, name, ubl.money_text(amount), currencyID=CURRENCY)


def _period(parent: etree._Element, name: str, period: Period) -> None:
    element = _cac(parent, name)
    _cbc(element, "StartDate", period.start.isoformat())
    _cbc(element, "EndDate", period.end.isoformat())


def _address(parent: etree._Element, name: str, address: Address) -> None:
    element = _cac(parent, name)
    if address.street is not None:
        _cbc(element, "StreetName", address.street)
    if address.additional_street is not None:
        _cbc(element, "AdditionalStreetName", address.additional_street)
    if address.city is not None:
        _cbc(element, "CityName", address.city)
    if address.postal_code is not None:
        _cbc(element, "PostalZone", address.postal_code)
    _cbc(_cac(element, "Country"), "IdentificationCode", address.country)


def _contact(parent: etree._Element, contact: Contact) -> None:
    element = _cac(parent, "Contact")
    if contact.name is not None:
        _cbc(element, "Name", contact.name)
    if contact.phone is not None:
        _cbc(element, "Telephone", contact.phone)
    if contact.email is not None:
        _cbc(element, "ElectronicMail", contact.email)


def _tax_scheme(parent: etree._Element, company_id: str, scheme: str) -> None:
    element = _cac(parent, "PartyTaxScheme")
    _cbc(element, "CompanyID", company_id)
    _cbc(_cac(element, "TaxScheme"), "ID", scheme)


def _legal_entity(parent: etree._Element, name: str, organisationsnummer: str) -> None:
    element = _cac(parent, "PartyLegalEntity")
    _cbc(element, "RegistrationName", name)
    _cbc(element, "CompanyID", organisationsnummer, schemeID=ubl.SCHEME_ORGANISATIONSNUMMER)


def _seller(parent: etree._Element, name: str, seller: Seller, *, tax_schemes: bool) -> None:
    party = _cac(_cac(parent, name), "Party")
    _cbc(party, "EndpointID", seller.organisationsnummer, schemeID=ubl.SCHEME_ORGANISATIONSNUMMER)
    _address(party, "PostalAddress", seller.address)
    if tax_schemes:  # the Order's data model has no tax schemes for the seller
        if seller.vat_number is not None:
            _tax_scheme(party, seller.vat_number, "VAT")
        if seller.f_skatt:
            _tax_scheme(party, F_SKATT, "TAX")
    _legal_entity(party, seller.name, seller.organisationsnummer)
    if seller.contact is not None:
        _contact(party, seller.contact)


def _buyer(parent: etree._Element, name: str, buyer: Buyer) -> None:
    party = _cac(_cac(parent, name), "Party")
    _cbc(party, "EndpointID", buyer.organisationsnummer, schemeID=ubl.SCHEME_ORGANISATIONSNUMMER)
    identification = _cac(party, "PartyIdentification")
    _cbc(identification, "ID", buyer.organisationsnummer, schemeID=ubl.SCHEME_ORGANISATIONSNUMMER)
    _address(party, "PostalAddress", buyer.address)
    _legal_entity(party, buyer.name, buyer.organisationsnummer)


def _tax_category(parent: etree._Element, name: str, vat: Vat, *, with_reason: bool) -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", vat.category.value)
    if vat.percent is not None:  # outside the scope of VAT (O) has no rate
        _cbc(element, "Percent", ubl.number_text(vat.percent))
    if with_reason:  # the reason belongs to the VAT breakdown, not to the line (UBL-CR rules)
        if vat.exemption_reason_code is not None:
            _cbc(element, "TaxExemptionReasonCode", vat.exemption_reason_code)
        if vat.exemption_reason is not None:
            _cbc(element, "TaxExemptionReason", vat.exemption_reason)
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")


def _payment_means(parent: etree._Element, account: PaymentAccount, payment_id: str) -> None:
    element = _cac(parent, "PaymentMeans")
    _cbc(element, "PaymentMeansCode", ubl.CREDIT_TRANSFER)
    _cbc(element, "PaymentID", payment_id)
    financial_account = _cac(element, "PayeeFinancialAccount")
    _cbc(financial_account, "ID", account.account)
    branch = None if account.kind is AccountKind.IBAN else account.kind.value
    if account.bic is not None:
        branch = account.bic
    if branch is not None:
        _cbc(_cac(financial_account, "FinancialInstitutionBranch"), "ID", branch)


def _tax_total(parent: etree._Element, amounts: Totals) -> None:
    element = _cac(parent, "TaxTotal")
    _money(element, "TaxAmount", amounts.tax_amount)
    for subtotal in amounts.tax_subtotals:
        sub = _cac(element, "TaxSubtotal")
        _money(sub, "TaxableAmount", subtotal.taxable_amount)
        _money(sub, "TaxAmount", subtotal.tax_amount)
        _tax_category(sub, "TaxCategory", subtotal.vat, with_reason=True)


def _monetary_total(parent: etree._Element, name: str, amounts: Totals) -> None:
    element = _cac(parent, name)
    _money(element, "LineExtensionAmount", amounts.line_extension)
    _money(element, "TaxExclusiveAmount", amounts.tax_exclusive)
    _money(element, "TaxInclusiveAmount", amounts.tax_inclusive)
    if amounts.rounding is not None:
        _money(element, "PayableRoundingAmount", amounts.rounding)
    _money(element, "PayableAmount", amounts.payable)


def _item(parent: etree._Element, line: InvoiceLine | OrderLine) -> None:
    item = _cac(parent, "Item")
    _cbc(item, "Name", line.description)
    if line.article_id is not None:
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.article_id)
    _tax_category(item, "ClassifiedTaxCategory", line.vat, with_reason=False)


def _price(parent: etree._Element, line: InvoiceLine | OrderLine) -> None:
    _cbc(_cac(parent, "Price"), "PriceAmount", ubl.price_text(line.unit_price), currencyID=CURRENCY)


def _billing_line(parent: etree._Element, name: str, quantity_name: str, line: InvoiceLine) -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", line.id)
    _cbc(element, quantity_name, ubl.number_text(line.quantity), unitCode=line.unit_code)
    _money(element, "LineExtensionAmount", line.net_amount)
    if line.period is not None:
        _period(element, "InvoicePeriod", line.period)
    if line.order_line_id is not None:
        _cbc(_cac(element, "OrderLineReference"), "LineID", line.order_line_id)
    _item(element, line)
    _price(element, line)


def _billing_document(document: Invoice | CreditNote) -> bytes:
    is_invoice = isinstance(document, Invoice)
    namespace = ubl.INVOICE if is_invoice else ubl.CREDIT_NOTE
    root_name = "Invoice" if is_invoice else "CreditNote"
    nsmap: dict[str | None, str] = {None: namespace, **_NSMAP_CBC_CAC}
    root = etree.Element(f"{{{namespace}}}{root_name}", nsmap=nsmap)
    _cbc(root, "CustomizationID", ubl.BILLING_CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", ubl.BILLING_PROFILE_ID)
    _cbc(root, "ID", document.number)
    _cbc(root, "IssueDate", document.issue_date.isoformat())
    if isinstance(document, Invoice):
        # A UBL CreditNote has no header DueDate; an invoice's is BT-9.
        _cbc(root, "DueDate", document.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", ubl.INVOICE_TYPE_CODE)
    else:
        _cbc(root, "CreditNoteTypeCode", ubl.CREDIT_NOTE_TYPE_CODE)
    if document.note is not None:
        _cbc(root, "Note", document.note)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    if document.buyer_reference is not None:
        _cbc(root, "BuyerReference", document.buyer_reference)
    if document.period is not None:
        _period(root, "InvoicePeriod", document.period)
    _cbc(_cac(root, "OrderReference"), "ID", document.order_number)
    if isinstance(document, CreditNote):
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", document.corrects.number)
        if document.corrects.issue_date is not None:
            _cbc(reference, "IssueDate", document.corrects.issue_date.isoformat())
    if document.contract_id is not None:
        _cbc(_cac(root, "ContractDocumentReference"), "ID", document.contract_id)
    _seller(root, "AccountingSupplierParty", document.seller, tax_schemes=True)
    _buyer(root, "AccountingCustomerParty", document.buyer)
    if document.payment is not None:
        _payment_means(root, document.payment, document.payment_reference or document.number)
    if isinstance(document, Invoice) and document.payment_terms is not None:
        _cbc(_cac(root, "PaymentTerms"), "Note", document.payment_terms)
    amounts = totals(document.lines, round_to_whole_kronor=document.round_to_whole_kronor)
    _tax_total(root, amounts)
    _monetary_total(root, "LegalMonetaryTotal", amounts)
    line_name, quantity_name = (
        ("InvoiceLine", "InvoicedQuantity") if is_invoice else ("CreditNoteLine", "CreditedQuantity")
    )
    for line in document.lines:
        _billing_line(root, line_name, quantity_name, line)
    return _serialise(root)


def write_invoice(invoice: Invoice) -> bytes:
    """Faktura as PEPPOL BIS Billing 3.0 UBL Invoice (SPEC S7.4)."""
    return _billing_document(invoice)


def write_credit_note(credit_note: CreditNote) -> bytes:
    """Kreditnota as PEPPOL BIS Billing 3.0 UBL CreditNote (SPEC S7.4)."""
    return _billing_document(credit_note)


def write_order(order: PurchaseOrder) -> bytes:
    """Inköpsorder as PEPPOL BIS Ordering 3.0 UBL Order, profile Order only (SPEC S7.5)."""
    nsmap: dict[str | None, str] = {None: ubl.ORDER, **_NSMAP_CBC_CAC}
    root = etree.Element(f"{{{ubl.ORDER}}}Order", nsmap=nsmap)
    _cbc(root, "CustomizationID", ubl.ORDER_CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", ubl.ORDER_PROFILE_ID)
    _cbc(root, "ID", order.number)
    _cbc(root, "IssueDate", order.issue_date.isoformat())
    if order.note is not None:
        _cbc(root, "Note", order.note)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    if order.buyer_reference is not None:
        _cbc(root, "CustomerReference", order.buyer_reference)
    validity_end = order.validity_end
    if validity_end is not None:
        # PEPPOL-T01-R002 asks for the order's validity end; the data model has no start date.
        _cbc(_cac(root, "ValidityPeriod"), "EndDate", validity_end.isoformat())
    if order.contract_id is not None:
        _cbc(_cac(root, "Contract"), "ID", order.contract_id)
    _buyer(root, "BuyerCustomerParty", order.buyer)
    _seller(root, "SellerSupplierParty", order.seller, tax_schemes=False)
    if order.period is not None:
        _period(_cac(root, "Delivery"), "RequestedDeliveryPeriod", order.period)
    amounts = totals(order.lines)
    _money(_cac(root, "TaxTotal"), "TaxAmount", amounts.tax_amount)
    _monetary_total(root, "AnticipatedMonetaryTotal", amounts)
    for line in order.lines:
        item = _cac(_cac(root, "OrderLine"), "LineItem")
        _cbc(item, "ID", line.id)
        _cbc(item, "Quantity", ubl.number_text(line.quantity), unitCode=line.unit_code)
        _money(item, "LineExtensionAmount", line.net_amount)
        if line.period is not None:
            _period(_cac(item, "Delivery"), "RequestedDeliveryPeriod", line.period)
        _price(item, line)
        _item(item, line)
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
