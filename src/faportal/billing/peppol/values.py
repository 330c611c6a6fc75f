"""The documents as plain values: a purchase order (inköpsorder), an invoice (faktura) and a credit note (kreditnota).

Every value checks itself when it is made (``InvalidValue`` says what is wrong, in Swedish and English), so that
a value the writers accept is one the official EN 16931 and PEPPOL rules accept too: the tests write every
combination through the official validation. Money is ``Decimal`` in SEK with at most two decimals (öre); amounts
are computed in ``amounts``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from stdnum import iban as stdnum_iban
from stdnum.se import orgnr as stdnum_orgnr

from faportal.billing.peppol import messages

CURRENCY: Final = "SEK"
#: Payment terms (SPEC S7.4): due 30 days after the invoice date.
PAYMENT_TERMS_DAYS: Final = 30
PAYMENT_TERMS_NOTE: Final = "30 dagar netto"
#: The wording SE-R-005 requires for a Swedish seller's tax registration (BT-32).
F_SKATT: Final = "Godkänd för F-skatt"

#: UN/ECE Recommendation 20 units the portal uses: month, day, hour, week and "one" (a piece, e.g. a bonus).
#: Any code of the shape of Recommendation 20/21 is accepted (an ERP may use others); the rules check the list.
UNIT_MONTH: Final = "MON"
UNIT_DAY: Final = "DAY"
UNIT_HOUR: Final = "HUR"
UNIT_WEEK: Final = "WEE"
UNIT_ONE: Final = "C62"
UNITS: Final = (UNIT_MONTH, UNIT_DAY, UNIT_HOUR, UNIT_WEEK, UNIT_ONE)
_UNIT_CODE = re.compile(r"[A-Z0-9]{2,4}")

_CENT = Decimal("0.01")
_LARGEST = Decimal(10) ** 9
_SMALLEST = Decimal(10) ** -10
_SWEDISH_VAT_NUMBER = re.compile(r"SE\d{12}")
_VAT_NUMBER = re.compile(r"[A-Z]{2}[0-9A-Z+*.]{2,13}")
_COUNTRY = re.compile(r"[A-Z]{2}")
#: Characters XML 1.0 cannot carry (control characters, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Standard VAT rates a Swedish seller may use (SE-R-006).
SWEDISH_VAT_RATES: Final = frozenset({Decimal(25), Decimal(12), Decimal(6)})


def due_date_for(issue_date: datetime.date) -> datetime.date:
    """Förfallodag: the invoice date plus the 30 days' payment terms (SPEC S7.4)."""
    return issue_date + datetime.timedelta(days=PAYMENT_TERMS_DAYS)


def line_net_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Radbelopp: quantity × unit price, rounded half up to öre (BT-131, checked by PEPPOL-EN16931-R120).

    A part of a month is a fraction of a month: 17 of 31 days is the quantity 17/31 (to as many decimals as the
    caller keeps) of the monthly price, and this is the amount the order line and the invoice line both carry.
    """
    return (quantity * unit_price).quantize(_CENT, rounding=ROUND_HALF_UP)


def is_money(amount: Decimal) -> bool:
    """True for a finite amount with at most two decimals (öre)."""
    return amount.is_finite() and amount == amount.quantize(_CENT)


class InvalidValue(ValueError):
    """A value that cannot be made: ``code`` (a key of messages.VALUE_PROBLEMS) and ``field`` say why."""

    def __init__(self, code: messages.Code | str, *, field: str | None = None, value: str = "") -> None:
        self.code = messages.Code(code)
        self.field = field
        self.value = value
        super().__init__(self.english)

    def _format(self, *, swedish: bool) -> str:
        template = messages.VALUE_PROBLEMS[self.code][0 if swedish else 1]
        name = messages.field_name(self.field, swedish=swedish)
        return template.format(field=name, value=self.value)

    @property
    def swedish(self) -> str:
        """What is wrong, in Swedish."""
        return self._format(swedish=True)

    @property
    def english(self) -> str:
        """What is wrong, in English."""
        return self._format(swedish=False)


def _text(value: str | None, field: str, *, required: bool = True) -> None:
    # The PEPPOL rules refuse empty elements (PEPPOL-EN16931-R008): a blank text is a mistake, not "nothing".
    if value is None:
        if required:
            raise InvalidValue("required", field=field)
        return
    if not value.strip() or value != value.strip():
        raise InvalidValue("blank", field=field)
    if _NOT_XML.search(value):
        raise InvalidValue("characters", field=field)


@dataclass(frozen=True, kw_only=True)
class Period:
    """A period of days, both included: the invoiced month (fakturaperiod) or an order line's delivery period."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue("period", field="period")

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, kw_only=True)
class Address:
    """A postal address; only the country (ISO 3166-1 alpha-2) is required by the rules."""

    street: str | None = None
    additional_street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str = "SE"

    def __post_init__(self) -> None:
        for name in ("street", "additional_street", "city", "postal_code"):
            _text(getattr(self, name), name, required=False)
        if not _COUNTRY.fullmatch(self.country):
            raise InvalidValue("country", field="country")


@dataclass(frozen=True, kw_only=True)
class Contact:
    """The seller's contact for the invoice (BT-56–58)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        for name in ("name", "email", "phone"):
            _text(getattr(self, name), "contact", required=False)
        if self.name is None and self.email is None and self.phone is None:
            raise InvalidValue("contact", field="contact")


def _organisationsnummer(value: str, field: str) -> None:
    if not re.fullmatch(r"\d{10}", value) or not stdnum_orgnr.is_valid(value):
        # PEPPOL-COMMON-R049 and SE-R-003/004/013: ten digits with a valid check digit.
        raise InvalidValue("organisationsnummer", field=field)


@dataclass(frozen=True, kw_only=True)
class Seller:
    """The provider (leverantör) that sells and invoices, identified on PEPPOL by its organisationsnummer."""

    organisationsnummer: str
    name: str
    address: Address
    #: Momsregistreringsnummer, SE + organisationsnummer + 01; None when the seller is not registered for VAT.
    vat_number: str | None = None
    #: Godkänd för F-skatt: written as the seller's tax registration (BT-32) in the words SE-R-005 requires.
    f_skatt: bool = False
    contact: Contact | None = None

    def __post_init__(self) -> None:
        _organisationsnummer(self.organisationsnummer, "seller_organisationsnummer")
        _text(self.name, "seller_name")
        if self.vat_number is not None:
            swedish = self.address.country == "SE"
            # SE-R-001/002: a Swedish VAT number is SE and 12 digits.
            pattern = _SWEDISH_VAT_NUMBER if swedish else _VAT_NUMBER
            if not pattern.fullmatch(self.vat_number):
                raise InvalidValue("vat-number", field="seller_vat_number")

    @property
    def peppol_id(self) -> str:
        """PEPPOL-id: scheme 0007 (Swedish organisationsnummer) and the number."""
        return f"0007:{self.organisationsnummer}"


@dataclass(frozen=True, kw_only=True)
class Buyer:
    """The buyer: Arbetsförmedlingen (``ARBETSFORMEDLINGEN``), identified on PEPPOL by its organisationsnummer."""

    organisationsnummer: str
    name: str
    address: Address

    def __post_init__(self) -> None:
        _organisationsnummer(self.organisationsnummer, "buyer_organisationsnummer")
        _text(self.name, "buyer_name")

    @property
    def peppol_id(self) -> str:
        """PEPPOL-id: scheme 0007 (Swedish organisationsnummer) and the number."""
        return f"0007:{self.organisationsnummer}"


#: Arbetsförmedlingen as buyer: PEPPOL-id 0007:2021002114 (its supplier pages); the postal address of its head office.
ARBETSFORMEDLINGEN: Final = Buyer(
    organisationsnummer="2021002114",
    name="Arbetsförmedlingen",
    address=Address(city="Stockholm", postal_code="11399", country="SE"),
)


class VatCategory(StrEnum):
    """Momskategori (UNTDID 5305, the EN 16931 subset the portal uses)."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    NOT_SUBJECT = "O"


@dataclass(frozen=True, kw_only=True)
class Vat:
    """A line's VAT: standard rate (25, 12 or 6 %), zero rate, exempt or outside the scope of VAT.

    Exempt (E) and outside the scope (O) need the reason (undantagsskäl): a VATEX code, a text, or both.
    """

    category: VatCategory
    #: The rate in percent; None only for outside the scope of VAT (O), which has no rate (BR-O-05).
    percent: Decimal | None
    exemption_reason_code: str | None = None
    exemption_reason: str | None = None

    def __post_init__(self) -> None:
        _text(self.exemption_reason_code, "exemption_reason_code", required=False)
        _text(self.exemption_reason, "exemption_reason", required=False)
        has_reason = self.exemption_reason_code is not None or self.exemption_reason is not None
        if self.category is VatCategory.STANDARD:
            if self.percent not in SWEDISH_VAT_RATES:  # SE-R-006
                raise InvalidValue("vat-rate", field="vat_percent")
        elif self.category is VatCategory.NOT_SUBJECT:
            if self.percent is not None:  # BR-O-05
                raise InvalidValue("vat-not-subject-rate", field="vat_percent")
        elif self.percent != 0:  # BR-Z-05, BR-E-05
            raise InvalidValue("vat-zero-rate", field="vat_percent")
        if self.category in (VatCategory.EXEMPT, VatCategory.NOT_SUBJECT):
            if not has_reason:  # BR-E-10, BR-O-10
                raise InvalidValue("vat-reason-missing", field="exemption_reason")
        elif has_reason:  # BR-S-10, BR-Z-10
            raise InvalidValue("vat-reason-not-allowed", field="exemption_reason")

    @classmethod
    def standard(cls, percent: Decimal = Decimal(25)) -> Vat:
        """Standard-rated VAT (S), 25 % unless said otherwise."""
        return cls(category=VatCategory.STANDARD, percent=percent)

    @classmethod
    def exempt(cls, *, reason_code: str | None = None, reason: str | None = None) -> Vat:
        """Exempt from VAT (E) with its reason: a VATEX code (e.g. VATEX-EU-132), a text, or both."""
        return cls(
            category=VatCategory.EXEMPT, percent=Decimal(0), exemption_reason_code=reason_code, exemption_reason=reason
        )

    @property
    def group(self) -> tuple[VatCategory, Decimal | None]:
        """The VAT breakdown (BG-23) a line belongs to: one per category and rate."""
        return (self.category, None if self.percent is None else self.percent.normalize())


class AccountKind(StrEnum):
    """Where the seller wants to be paid; written as PaymentMeansCode 30 (credit transfer)."""

    BANKGIRO = "SE:BANKGIRO"
    PLUSGIRO = "SE:PLUSGIRO"
    IBAN = "IBAN"


@dataclass(frozen=True, kw_only=True)
class PaymentAccount:
    """Betalningsmottagarens konto: bankgiro (7–8 digits), plusgiro (2–8 digits) or IBAN (with the bank's BIC)."""

    kind: AccountKind
    account: str
    bic: str | None = None

    def __post_init__(self) -> None:
        if self.kind is AccountKind.BANKGIRO and not re.fullmatch(r"\d{7,8}", self.account):
            raise InvalidValue("bankgiro", field="payment_account")  # SE-R-008/009
        if self.kind is AccountKind.PLUSGIRO and not re.fullmatch(r"\d{2,8}", self.account):
            raise InvalidValue("plusgiro", field="payment_account")  # SE-R-007/010
        if self.kind is AccountKind.IBAN and not stdnum_iban.is_valid(self.account):
            raise InvalidValue("iban", field="payment_account")
        if self.bic is not None and (
            self.kind is not AccountKind.IBAN or not re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", self.bic)
        ):
            raise InvalidValue("bic", field="payment_account")

    @classmethod
    def bankgiro(cls, number: str) -> PaymentAccount:
        """A bankgiro number as people write it (5678-1234)."""
        return cls(kind=AccountKind.BANKGIRO, account=number.replace("-", "").replace(" ", ""))

    @classmethod
    def plusgiro(cls, number: str) -> PaymentAccount:
        """A plusgiro number as people write it (12 34 56-7)."""
        return cls(kind=AccountKind.PLUSGIRO, account=number.replace("-", "").replace(" ", ""))

    @classmethod
    def iban(cls, number: str, *, bic: str | None = None) -> PaymentAccount:
        """An IBAN as people write it (SE45 5000 …), with the bank's BIC."""
        return cls(kind=AccountKind.IBAN, account=stdnum_iban.compact(number), bic=bic)


@dataclass(frozen=True, kw_only=True)
class _Line:
    #: The line's number in its document (BT-126 / the order line id).
    id: str
    #: The article's name, e.g. "Grundersättning" (BT-153).
    description: str
    #: The article id (BT-155, the seller's item identification), e.g. the article number on Af's order.
    article_id: str | None = None
    quantity: Decimal
    unit_code: str = UNIT_MONTH
    #: Price per unit in SEK (BT-146): may have more decimals than öre (a daily price of a monthly tariff).
    unit_price: Decimal
    vat: Vat
    #: The month (or days) the line is for (BG-26 on invoices, the requested delivery period on orders).
    period: Period | None = None

    def __post_init__(self) -> None:
        _text(self.id, "line_id")
        _text(self.description, "description")
        _text(self.article_id, "article_id", required=False)
        if not _UNIT_CODE.fullmatch(self.unit_code):
            raise InvalidValue("unit", field="unit_code")
        if not self.quantity.is_finite() or self.quantity <= 0:
            raise InvalidValue("quantity", field="quantity")
        if not self.unit_price.is_finite() or self.unit_price < 0:  # BR-27
            raise InvalidValue("unit-price", field="unit_price")
        for name in ("quantity", "unit_price"):
            # Bounded so that every amount computed from them is exact in Decimal's 28 digits.
            value = getattr(self, name)
            if value >= _LARGEST or value != value.quantize(_SMALLEST):
                raise InvalidValue("out-of-range", field=name)

    @property
    def net_amount(self) -> Decimal:
        """Radbelopp (BT-131): see ``line_net_amount``."""
        return line_net_amount(self.quantity, self.unit_price)


@dataclass(frozen=True, kw_only=True)
class OrderLine(_Line):
    """Orderrad: one line of a purchase order, e.g. one month's Grundersättning (SPEC S7.2)."""


@dataclass(frozen=True, kw_only=True)
class InvoiceLine(_Line):
    """Fakturarad (also a credit note's line): what is invoiced, with the order line it delivers (BT-132)."""

    order_line_id: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _text(self.order_line_id, "order_line_id", required=False)


@dataclass(frozen=True, kw_only=True)
class InvoiceReference:
    """The invoice a credit note corrects (BT-25, with its date BT-26)."""

    number: str
    issue_date: datetime.date | None = None

    def __post_init__(self) -> None:
        _text(self.number, "corrects")


def _check_lines(lines: tuple[_Line, ...]) -> None:
    if not lines:
        raise InvalidValue("no-lines", field="lines")
    seen: set[str] = set()
    for line in lines:
        if line.id in seen:
            raise InvalidValue("duplicate-line-ids", field="line_id", value=line.id)
        seen.add(line.id)


def _check_line_periods(period: Period | None, lines: tuple[_Line, ...]) -> None:
    if period is None:
        return
    for line in lines:
        if line.period is not None and not period.contains(line.period):
            raise InvalidValue("line-period-outside", field="line_period", value=line.id)


def _check_vat(lines: tuple[_Line, ...], seller: Seller) -> None:
    reasons: dict[tuple[VatCategory, Decimal | None], tuple[str | None, str | None]] = {}
    for line in lines:
        reason = (line.vat.exemption_reason_code, line.vat.exemption_reason)
        if reasons.setdefault(line.vat.group, reason) != reason:
            # One VAT breakdown per category and rate carries one exemption reason (BR-E-10, BR-O-10).
            raise InvalidValue("vat-reasons-differ", field="exemption_reason")
    categories = {category for category, _ in reasons}
    if VatCategory.NOT_SUBJECT in categories:
        if len(categories) > 1:  # BR-O-11..14
            raise InvalidValue("vat-not-subject-mixed", field="vat")
        if seller.vat_number is not None:  # BR-O-02
            raise InvalidValue("vat-not-subject-vat-number", field="seller_vat_number")
    elif seller.vat_number is None:  # BR-S-02, BR-Z-02, BR-E-02
        raise InvalidValue("vat-number-missing", field="seller_vat_number")


@dataclass(frozen=True, kw_only=True)
class _BillingDocument:
    #: Fakturanummer (BT-1): unique and in sequence, as Swedish bookkeeping requires.
    number: str
    issue_date: datetime.date
    seller: Seller
    buyer: Buyer = ARBETSFORMEDLINGEN
    #: Inköpsordernummer (BT-13): the order's number. Af requires it; PEPPOL alone would accept BT-10 instead.
    order_number: str
    #: Köparens referens (BT-10): the genomförandereferens of the placement.
    buyer_reference: str | None = None
    #: The contract (BT-12), e.g. the KA-nummer.
    contract_id: str | None = None
    #: The invoiced period (BG-14); every line's period must lie inside it (PEPPOL-EN16931-R110/R111).
    period: Period | None = None
    lines: tuple[InvoiceLine, ...]
    #: One free-text note (BT-22; PEPPOL allows at most one).
    note: str | None = None
    #: Öresavrundning: round the amount to pay to whole kronor (BT-114).
    round_to_whole_kronor: bool = False
    #: The reference the buyer quotes when paying (BT-83); the document number when not given.
    payment_reference: str | None = None

    def __post_init__(self) -> None:
        _text(self.number, "number")
        _text(self.order_number, "order_number")
        if self.payment_reference == self.number:
            # The number is the payment reference when none is given: one value, however it was said.
            object.__setattr__(self, "payment_reference", None)
        for name in ("buyer_reference", "contract_id", "note", "payment_reference"):
            _text(getattr(self, name), name, required=False)
        _check_lines(self.lines)
        _check_vat(self.lines, self.seller)
        _check_line_periods(self.period, self.lines)


@dataclass(frozen=True, kw_only=True)
class Invoice(_BillingDocument):
    """Faktura: a PEPPOL BIS Billing 3.0 invoice (type 380) to Arbetsförmedlingen (SPEC S7.4)."""

    #: Förfallodag (BT-9): ``due_date_for(issue_date)`` gives the 30 days' terms.
    due_date: datetime.date
    payment: PaymentAccount
    #: Betalningsvillkor as text (BT-20).
    payment_terms: str | None = PAYMENT_TERMS_NOTE

    def __post_init__(self) -> None:
        super().__post_init__()
        _text(self.payment_terms, "payment_terms", required=False)
        if self.due_date < self.issue_date:
            raise InvalidValue("due-before-issue", field="due_date")


@dataclass(frozen=True, kw_only=True)
class CreditNote(_BillingDocument):
    """Kreditnota: a PEPPOL BIS Billing 3.0 credit note (type 381) for an invoice it corrects (SPEC S7.4).

    Its amounts are positive: the document type says it is a credit.
    """

    #: Af requires every credit note to name the invoice it credits (BT-25); PEPPOL alone would not.
    corrects: InvoiceReference
    payment: PaymentAccount | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.payment is None and self.payment_reference is not None:
            # The reference is written with the account (PaymentMeans); without one it would be lost.
            raise InvalidValue("reference-without-account", field="payment_reference")


@dataclass(frozen=True, kw_only=True)
class PurchaseOrder:
    """Inköpsorder: Arbetsförmedlingen's order as a PEPPOL BIS Ordering 3.0 Order (SPEC S7.2, S7.5)."""

    #: Ordernummer: the number the invoices quote as BT-13.
    number: str
    issue_date: datetime.date
    seller: Seller
    buyer: Buyer = ARBETSFORMEDLINGEN
    #: The genomförandereferens (the order's CustomerReference; the invoices' buyer reference BT-10).
    buyer_reference: str | None = None
    contract_id: str | None = None
    #: The delivery period the order covers (normally the six months of a placement period).
    period: Period | None = None
    #: The last day the order can be invoiced against; the period's (or the last line's) end when not given. An
    #: order with none of them (a result order without a date) gets PEPPOL's warning T01-R002.
    valid_until: datetime.date | None = None
    lines: tuple[OrderLine, ...]
    note: str | None = None

    def __post_init__(self) -> None:
        _text(self.number, "order_number")
        for name in ("buyer_reference", "contract_id", "note"):
            _text(getattr(self, name), name, required=False)
        _check_lines(self.lines)
        _check_line_periods(self.period, self.lines)

    @property
    def validity_end(self) -> datetime.date | None:
        """Orderns sista giltighetsdag: ``valid_until``, else the end of the period or of the last line's period."""
        if self.valid_until is not None:
            return self.valid_until
        if self.period is not None:
            return self.period.end
        ends = [line.period.end for line in self.lines if line.period is not None]
        return max(ends) if ends else None


BillingDocument = Invoice | CreditNote
