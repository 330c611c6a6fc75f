"""Reads an invoice or a credit note that a provider's ERP sends (PEPPOL BIS Billing 3.0 UBL) into the values.

The bytes come from outside: they are parsed safely (``ubl.parse_untrusted``) and the reader never raises for bad
input. What it cannot take is said as problems, all at once, each in Swedish and English with the business term:
a missing or unreadable field, another currency than SEK, a buyer other than Arbetsförmedlingen, allowances and
charges or prepaid amounts (the portal's documents have none), or amounts that do not follow from the lines.

Arbetsförmedlingen's own requirements are part of reading: the order number (BT-13) and, on a credit note, the
invoice it credits (BT-25) must be there, although PEPPOL alone would accept a document without them.
Run the official validation (``validation``) as well: the reader does not repeat the official rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lxml import etree
from stdnum import iban as stdnum_iban

from faportal.billing.peppol import messages, ubl
from faportal.billing.peppol.amounts import TaxSubtotal, Totals, totals
from faportal.billing.peppol.values import (
    ARBETSFORMEDLINGEN,
    CURRENCY,
    F_SKATT,
    AccountKind,
    Address,
    Buyer,
    Contact,
    CreditNote,
    InvalidValue,
    Invoice,
    InvoiceLine,
    InvoiceReference,
    PaymentAccount,
    Period,
    Seller,
    Vat,
    VatCategory,
)

__all__ = ["ReadProblem", "ReadResult", "read_billing_document"]

_T = TypeVar("_T")


@dataclass(frozen=True, kw_only=True)
class ReadProblem:
    """Something the reader cannot take, with the field it concerns (a key of ``messages.FIELDS``)."""

    code: messages.Code
    field: str | None
    sv: str
    en: str


@dataclass(frozen=True, kw_only=True)
class ReadResult:
    """The document as values (None when it cannot be read), the amounts it states, and the problems."""

    document: Invoice | CreditNote | None
    #: The amounts as written in the document (None when they could not be read).
    stated: Totals | None
    problems: tuple[ReadProblem, ...]

    @property
    def ok(self) -> bool:
        """Read without a problem."""
        return self.document is not None and not self.problems


class _Missing(Exception):
    """A required field is absent or unreadable; the problem has been recorded."""


def _problem(code: messages.Code | str, field: str | None, **values: str) -> ReadProblem:
    code = messages.Code(code)
    if code in messages.DOCUMENT_PROBLEMS:
        sv, en = messages.DOCUMENT_PROBLEMS[code]
    else:
        sv_template, en_template = messages.READ_PROBLEMS[code]
        sv = sv_template.format(field=messages.field_name(field, swedish=True), **values)
        en = en_template.format(field=messages.field_name(field, swedish=False), **values)
    return ReadProblem(code=code, field=field, sv=sv, en=en)


def _value_problem(exc: InvalidValue) -> ReadProblem:
    return ReadProblem(code=exc.code, field=exc.field, sv=exc.swedish, en=exc.english)


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.problems: list[ReadProblem] = []

    def add(self, code: str, field: str | None, **values: str) -> None:
        problem = _problem(code, field, **values)
        if problem not in self.problems:
            self.problems.append(problem)

    @staticmethod
    def _find(element: etree._Element, path: str) -> etree._Element | None:
        found = element.xpath(path, namespaces=ubl.NS)
        return found[0] if isinstance(found, list) and found and isinstance(found[0], etree._Element) else None

    def text(self, element: etree._Element, path: str, field: str, *, required: bool = False) -> str | None:
        found = self._find(element, path)
        value = found.text.strip() if found is not None and found.text else ""
        if not value:
            if required:
                self.add("missing", field)
            return None
        return value

    def required(self, element: etree._Element, path: str, field: str) -> str:
        value = self.text(element, path, field, required=True)
        if value is None:
            raise _Missing(field)
        return value

    def parsed(self, element: etree._Element, path: str, field: str, parse: Callable[[str], _T]) -> _T | None:
        value = self.text(element, path, field)
        if value is None:
            return None
        try:
            return parse(value)
        except (ValueError, InvalidOperation):
            self.add("invalid", field, value=value[:100])
            return None

    def date(self, element: etree._Element, path: str, field: str) -> datetime.date | None:
        return self.parsed(element, path, field, datetime.date.fromisoformat)

    def decimal(self, element: etree._Element, path: str, field: str) -> Decimal | None:
        return self.parsed(element, path, field, _decimal)


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def read_billing_document(data: bytes, *, max_bytes: int = ubl.MAX_DOCUMENT_BYTES) -> ReadResult:
    """Läs in en faktura eller kreditnota från leverantörens affärssystem (SPEC S7.4, S7.6)."""
    try:
        root = ubl.parse_untrusted(data, max_bytes=max_bytes)
    except ubl.UnreadableXml as exc:
        return ReadResult(document=None, stated=None, problems=(_problem(exc.code, None),))
    if root.tag == f"{{{ubl.ORDER}}}Order":
        return ReadResult(document=None, stated=None, problems=(_problem("order-not-invoice", None),))
    if root.tag not in (f"{{{ubl.INVOICE}}}Invoice", f"{{{ubl.CREDIT_NOTE}}}CreditNote"):
        return ReadResult(document=None, stated=None, problems=(_problem("unknown-document", None),))
    reader = _Reader(root)
    document: Invoice | CreditNote | None = None
    stated: Totals | None = None
    try:
        document, stated = _read(reader, root)
    except _Missing:
        pass
    except InvalidValue as exc:
        reader.problems.append(_value_problem(exc))
    if document is not None and stated is not None:
        _compare_amounts(reader, document, stated)
    if reader.problems:
        document = None
    return ReadResult(document=document, stated=stated, problems=tuple(reader.problems))


def _read(reader: _Reader, root: etree._Element) -> tuple[Invoice | CreditNote, Totals | None]:
    is_invoice = root.tag == f"{{{ubl.INVOICE}}}Invoice"
    text = reader.text
    currency = text(root, "cbc:DocumentCurrencyCode", "currency", required=True)
    if currency is not None and currency != CURRENCY:
        reader.add("currency", "currency", value=currency)
    tax_currency = text(root, "cbc:TaxCurrencyCode", "tax_currency")
    if tax_currency is not None and tax_currency != CURRENCY:
        reader.add("unsupported", "tax_currency", value=tax_currency)
    if root.find("cac:AllowanceCharge", ubl.NS) is not None:
        reader.add("unsupported", "allowances_charges", value="AllowanceCharge")
    number = text(root, "cbc:ID", "number", required=True)
    issue_date = _required_date(reader, root, "cbc:IssueDate", "issue_date")
    order_number = text(root, "cac:OrderReference/cbc:ID", "order_number", required=True)
    notes = [note.text.strip() for note in root.findall("cbc:Note", ubl.NS) if note.text and note.text.strip()]
    seller = _seller(reader, root.find("cac:AccountingSupplierParty/cac:Party", ubl.NS))
    buyer = _buyer(reader, root.find("cac:AccountingCustomerParty/cac:Party", ubl.NS))
    payment, payment_reference = _payment(reader, root)
    stated = _stated_totals(reader, root)
    lines = _lines(reader, root, is_invoice=is_invoice, subtotals=stated.tax_subtotals if stated else ())
    common = {
        "buyer_reference": text(root, "cbc:BuyerReference", "buyer_reference"),
        "contract_id": text(root, "cac:ContractDocumentReference/cbc:ID", "contract_id"),
        "note": "\n".join(notes) or None,
        "period": _period(reader, root.find("cac:InvoicePeriod", ubl.NS), "period"),
        "round_to_whole_kronor": root.find("cac:LegalMonetaryTotal/cbc:PayableRoundingAmount", ubl.NS) is not None,
        "payment_reference": payment_reference,
    }
    if is_invoice:
        due_date = _required_date(reader, root, "cbc:DueDate", "due_date")
        if payment is None and not any(problem.field in ("payment", "payment_account") for problem in reader.problems):
            reader.add("missing", "payment")
        payment_terms = text(root, "cac:PaymentTerms/cbc:Note", "payment_terms")
        # Each value missing here has been said as a problem above.
        if (
            reader.problems
            or number is None
            or issue_date is None
            or order_number is None
            or seller is None
            or buyer is None
            or lines is None
            or due_date is None
            or payment is None
        ):
            raise _Missing("document")
        invoice = Invoice(
            number=number,
            issue_date=issue_date,
            due_date=due_date,
            seller=seller,
            buyer=buyer,
            order_number=order_number,
            lines=lines,
            payment=payment,
            payment_terms=payment_terms,
            **common,  # type: ignore[arg-type]
        )
        return invoice, stated
    reference = root.find("cac:BillingReference/cac:InvoiceDocumentReference", ubl.NS)
    if reference is None:
        reader.add("missing", "corrects")
        corrects_number, corrects_date = None, None
    else:
        corrects_number = text(reference, "cbc:ID", "corrects", required=True)
        corrects_date = reader.date(reference, "cbc:IssueDate", "corrects_date")
    if (
        reader.problems
        or number is None
        or issue_date is None
        or order_number is None
        or seller is None
        or buyer is None
        or lines is None
        or corrects_number is None
    ):
        raise _Missing("document")
    credit_note = CreditNote(
        number=number,
        issue_date=issue_date,
        seller=seller,
        buyer=buyer,
        order_number=order_number,
        corrects=InvoiceReference(number=corrects_number, issue_date=corrects_date),
        lines=lines,
        payment=payment,
        **common,  # type: ignore[arg-type]
    )
    return credit_note, stated


def _required_date(reader: _Reader, element: etree._Element, path: str, field: str) -> datetime.date | None:
    if reader.text(element, path, field, required=True) is None:
        return None
    return reader.date(element, path, field)


def _period(reader: _Reader, element: etree._Element | None, field: str) -> Period | None:
    if element is None:
        return None
    start = reader.date(element, "cbc:StartDate", field)
    end = reader.date(element, "cbc:EndDate", field)
    if start is None or end is None:
        # EN 16931 allows a period with one end only; the portal's periods have both.
        reader.add("missing", field)
        return None
    try:
        return Period(start=start, end=end)
    except InvalidValue as exc:
        reader.problems.append(_value_problem(exc))
        return None


def _address(reader: _Reader, party: etree._Element, field: str) -> Address | None:
    element = party.find("cac:PostalAddress", ubl.NS)
    if element is None:
        reader.add("missing", field)
        return None
    country = reader.text(element, "cac:Country/cbc:IdentificationCode", "country", required=True)
    if country is None:
        return None
    return _made(
        reader,
        lambda: Address(
            street=reader.text(element, "cbc:StreetName", "street"),
            additional_street=reader.text(element, "cbc:AdditionalStreetName", "additional_street"),
            city=reader.text(element, "cbc:CityName", "city"),
            postal_code=reader.text(element, "cbc:PostalZone", "postal_code"),
            country=country,
        ),
    )


def _made(reader: _Reader, make: Callable[[], _T]) -> _T | None:
    try:
        return make()
    except InvalidValue as exc:
        reader.problems.append(_value_problem(exc))
        return None


def _organisationsnummer(reader: _Reader, party: etree._Element) -> str | None:
    candidates = [
        party.find("cac:PartyLegalEntity/cbc:CompanyID", ubl.NS),
        party.find("cbc:EndpointID[@schemeID='0007']", ubl.NS),
        party.find("cac:PartyIdentification/cbc:ID[@schemeID='0007']", ubl.NS),
    ]
    for element in candidates:
        if element is not None and element.text and element.text.strip():
            return element.text.strip().replace("-", "")
    return None


def _seller(reader: _Reader, party: etree._Element | None) -> Seller | None:
    if party is None:
        reader.add("missing", "seller")
        return None
    organisationsnummer = _organisationsnummer(reader, party)
    if organisationsnummer is None:
        reader.add("missing", "seller_organisationsnummer")
    name = reader.text(party, "cac:PartyLegalEntity/cbc:RegistrationName", "seller_name") or reader.text(
        party, "cac:PartyName/cbc:Name", "seller_name", required=True
    )
    address = _address(reader, party, "seller_address")
    vat_number = reader.text(party, "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "seller_vat_number")
    registrations = [
        " ".join((element.text or "").split()).casefold()
        for element in party.findall("cac:PartyTaxScheme/cbc:CompanyID", ubl.NS)
        if element.getparent().findtext("cac:TaxScheme/cbc:ID", namespaces=ubl.NS) != "VAT"
    ]
    contact_element = party.find("cac:Contact", ubl.NS)
    contact = None
    if contact_element is not None:
        contact = _made(
            reader,
            lambda: Contact(
                name=reader.text(contact_element, "cbc:Name", "contact"),
                email=reader.text(contact_element, "cbc:ElectronicMail", "contact"),
                phone=reader.text(contact_element, "cbc:Telephone", "contact"),
            ),
        )
    if organisationsnummer is None or name is None or address is None:
        return None
    return _made(
        reader,
        lambda: Seller(
            organisationsnummer=organisationsnummer,
            name=name,
            address=address,
            vat_number=vat_number,
            f_skatt=F_SKATT.casefold() in registrations,
            contact=contact,
        ),
    )


def _buyer(reader: _Reader, party: etree._Element | None) -> Buyer | None:
    if party is None:
        reader.add("missing", "buyer")
        return None
    endpoint = party.find("cbc:EndpointID", ubl.NS)
    if endpoint is None or not (endpoint.text or "").strip():
        reader.add("missing", "buyer_endpoint")
        return None
    endpoint_id = f"{endpoint.get('schemeID', '')}:{endpoint.text.strip()}"
    if endpoint_id != ARBETSFORMEDLINGEN.peppol_id:
        reader.add("not-arbetsformedlingen", "buyer_endpoint", value=endpoint_id[:100])
        return None
    name = reader.text(party, "cac:PartyLegalEntity/cbc:RegistrationName", "buyer_name", required=True)
    address = _address(reader, party, "buyer_address")
    organisationsnummer = _organisationsnummer(reader, party)
    if name is None or address is None or organisationsnummer is None:
        return None
    return _made(reader, lambda: Buyer(organisationsnummer=organisationsnummer, name=name, address=address))


def _payment(reader: _Reader, root: etree._Element) -> tuple[PaymentAccount | None, str | None]:
    means = root.findall("cac:PaymentMeans", ubl.NS)
    reference = reader.text(means[0], "cbc:PaymentID", "payment_reference") if means else None
    for element in means:
        account = reader.text(element, "cac:PayeeFinancialAccount/cbc:ID", "payment_account")
        if account is None:
            continue
        branch = reader.text(element, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", "payment")
        code = reader.text(element, "cbc:PaymentMeansCode", "payment") or ""
        try:
            if branch in (AccountKind.BANKGIRO.value, AccountKind.PLUSGIRO.value):
                return PaymentAccount(kind=AccountKind(branch), account=account.replace("-", "")), reference
            if stdnum_iban.is_valid(account):
                return PaymentAccount.iban(account, bic=branch), reference
        except InvalidValue as exc:
            reader.problems.append(_value_problem(exc))
            return None, reference
        reader.add("unsupported", "payment", value=f"{code} {account}".strip()[:100])
        return None, reference
    return None, reference


def _stated_totals(reader: _Reader, root: etree._Element) -> Totals | None:
    monetary = root.find("cac:LegalMonetaryTotal", ubl.NS)
    tax_totals = root.findall("cac:TaxTotal", ubl.NS)
    if monetary is None or not tax_totals:
        reader.add("missing", "payable" if monetary is None else "tax_amount")
        return None
    for name, field in (
        ("AllowanceTotalAmount", "allowances_charges"),
        ("ChargeTotalAmount", "allowances_charges"),
        ("PrepaidAmount", "prepaid"),
    ):
        amount = reader.decimal(monetary, f"cbc:{name}", field)
        if amount is not None and amount != 0:
            reader.add("unsupported", field, value=str(amount))
    tax_total = next(
        (total for total in tax_totals if total.find("cac:TaxSubtotal", ubl.NS) is not None), tax_totals[0]
    )
    subtotals = []
    for element in tax_total.findall("cac:TaxSubtotal", ubl.NS):
        vat = _vat(reader, element.find("cac:TaxCategory", ubl.NS))
        taxable = reader.decimal(element, "cbc:TaxableAmount", "tax_amount")
        tax = reader.decimal(element, "cbc:TaxAmount", "tax_amount")
        if vat is not None and taxable is not None and tax is not None:
            subtotals.append(TaxSubtotal(vat=vat, taxable_amount=taxable, tax_amount=tax))
    amounts = {
        field: reader.decimal(monetary, f"cbc:{name}", field)
        for name, field in (
            ("LineExtensionAmount", "line_extension"),
            ("TaxExclusiveAmount", "tax_exclusive"),
            ("TaxInclusiveAmount", "tax_inclusive"),
            ("PayableAmount", "payable"),
        )
    }
    tax_amount = reader.decimal(tax_total, "cbc:TaxAmount", "tax_amount")
    if tax_amount is None or any(amount is None for amount in amounts.values()):
        for field, amount in (*amounts.items(), ("tax_amount", tax_amount)):
            if amount is None:
                reader.add("missing", field)
        return None
    return Totals(
        line_extension=amounts["line_extension"],  # type: ignore[arg-type]
        tax_subtotals=tuple(subtotals),
        tax_amount=tax_amount,
        tax_exclusive=amounts["tax_exclusive"],  # type: ignore[arg-type]
        tax_inclusive=amounts["tax_inclusive"],  # type: ignore[arg-type]
        rounding=reader.decimal(monetary, "cbc:PayableRoundingAmount", "rounding"),
        payable=amounts["payable"],  # type: ignore[arg-type]
    )


_Reasons = dict[tuple[VatCategory, Decimal | None], tuple[str | None, str | None]]


def _vat(reader: _Reader, element: etree._Element | None, *, reasons: _Reasons | None = None) -> Vat | None:
    """A VAT category with its rate; the exemption reason is the element's own, or the breakdown's (``reasons``)."""
    if element is None:
        reader.add("missing", "vat")
        return None
    code = reader.text(element, "cbc:ID", "vat", required=True)
    if code is None:
        return None
    try:
        category = VatCategory(code)
    except ValueError:
        reader.add("unsupported", "vat", value=code[:20])
        return None
    percent = reader.decimal(element, "cbc:Percent", "vat_percent")
    if category in (VatCategory.ZERO_RATED, VatCategory.EXEMPT) and percent is None:
        percent = Decimal(0)
    if reasons is None:
        reason_code = reader.text(element, "cbc:TaxExemptionReasonCode", "exemption_reason_code")
        reason = reader.text(element, "cbc:TaxExemptionReason", "exemption_reason")
    else:
        group = (category, None if percent is None else percent.normalize())
        reason_code, reason = reasons.get(group, (None, None))
    return _made(
        reader,
        lambda: Vat(category=category, percent=percent, exemption_reason_code=reason_code, exemption_reason=reason),
    )


def _lines(
    reader: _Reader, root: etree._Element, *, is_invoice: bool, subtotals: tuple[TaxSubtotal, ...]
) -> tuple[InvoiceLine, ...] | None:
    name, quantity_name = ("InvoiceLine", "InvoicedQuantity") if is_invoice else ("CreditNoteLine", "CreditedQuantity")
    elements = root.findall(f"cac:{name}", ubl.NS)
    if not elements:
        reader.add("missing", "lines")
        return None
    # A line's exemption reason is stated once, in the VAT breakdown of its category and rate (BG-23).
    breakdown: _Reasons = {
        subtotal.vat.group: (subtotal.vat.exemption_reason_code, subtotal.vat.exemption_reason)
        for subtotal in subtotals
    }
    lines = []
    for element in elements:
        line = _line(reader, element, quantity_name, breakdown)
        if line is not None:
            lines.append(line)
    return tuple(lines) if len(lines) == len(elements) else None


def _line(reader: _Reader, element: etree._Element, quantity_name: str, breakdown: _Reasons) -> InvoiceLine | None:
    if (
        element.find("cac:AllowanceCharge", ubl.NS) is not None
        or element.find("cac:Price/cac:AllowanceCharge", ubl.NS) is not None
    ):
        reader.add("unsupported", "allowances_charges", value="AllowanceCharge")
    base_quantity = reader.decimal(element, "cac:Price/cbc:BaseQuantity", "unit_price")
    if base_quantity is not None and base_quantity != 1:
        reader.add("unsupported", "unit_price", value=f"BaseQuantity {base_quantity}")
    line_id = reader.text(element, "cbc:ID", "line_id", required=True)
    quantity_element = element.find(f"cbc:{quantity_name}", ubl.NS)
    quantity = reader.decimal(element, f"cbc:{quantity_name}", "quantity")
    if quantity is None:
        reader.add("missing", "quantity")
    unit_code = quantity_element.get("unitCode") if quantity_element is not None else None
    if not unit_code:
        reader.add("missing", "unit_code")
    description = reader.text(element, "cac:Item/cbc:Name", "description", required=True)
    unit_price = reader.decimal(element, "cac:Price/cbc:PriceAmount", "unit_price")
    if unit_price is None:
        reader.add("missing", "unit_price")
    vat = _vat(reader, element.find("cac:Item/cac:ClassifiedTaxCategory", ubl.NS), reasons=breakdown)
    period = _period(reader, element.find("cac:InvoicePeriod", ubl.NS), "line_period")
    if line_id is None or quantity is None or not unit_code or description is None or unit_price is None or vat is None:
        return None
    return _made(
        reader,
        lambda: InvoiceLine(
            id=line_id,
            description=description,
            article_id=reader.text(element, "cac:Item/cac:SellersItemIdentification/cbc:ID", "article_id"),
            quantity=quantity,
            unit_code=unit_code,
            unit_price=unit_price,
            vat=vat,
            period=period,
            order_line_id=reader.text(element, "cac:OrderLineReference/cbc:LineID", "order_line_id"),
        ),
    )


def _compare_amounts(reader: _Reader, document: Invoice | CreditNote, stated: Totals) -> None:
    # The portal pays and matches on the amounts that follow from the lines: a document whose stated amounts
    # differ (another rounding, per-line VAT) is refused with what the lines give, rather than silently changed.
    computed = totals(document.lines, round_to_whole_kronor=document.round_to_whole_kronor)
    root = reader.root
    line_elements = root.findall("cac:InvoiceLine", ubl.NS) + root.findall("cac:CreditNoteLine", ubl.NS)
    for line, element in zip(document.lines, line_elements, strict=True):
        written = reader.decimal(element, "cbc:LineExtensionAmount", "line_net_amount")
        if written is not None and written != line.net_amount:
            reader.add(
                "line-amount-differs",
                "line_net_amount",
                line=line.id,
                value=str(written),
                expected=str(line.net_amount),
            )
    for field in ("line_extension", "tax_amount", "tax_exclusive", "tax_inclusive", "payable"):
        written, expected = getattr(stated, field), getattr(computed, field)
        if written != expected:
            reader.add("amounts-differ", field, value=str(written), expected=str(expected))
