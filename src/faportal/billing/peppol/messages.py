"""What the library says to people, in Swedish and English: problems with a document as a whole, schema errors,
and what the reader cannot take. The texts of the official rules are in ``rule_texts`` (data/rule_texts.toml).

Like ``faportal.bankid.messages`` this is a plain library without gettext: every text is a (Swedish, English) pair.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from faportal.billing.peppol import ubl


class Code(StrEnum):
    """Why a document, a value or a field was refused: the codes of the texts below."""

    #: Against the UBL 2.1 schema: the text comes with the schema error (``schema_error_sv``).
    SCHEMA = "xsd"
    TOO_LARGE = "too-large"
    NOT_XML = "not-xml"
    DOCTYPE = "doctype"
    UNKNOWN_DOCUMENT = "unknown-document"
    RULES_NOT_RUN = "rules-not-run"
    ORDER_NOT_INVOICE = "order-not-invoice"
    MISSING = "missing"
    INVALID = "invalid"
    CURRENCY = "currency"
    NOT_ARBETSFORMEDLINGEN = "not-arbetsformedlingen"
    UNSUPPORTED = "unsupported"
    AMOUNTS_DIFFER = "amounts-differ"
    LINE_AMOUNT_DIFFERS = "line-amount-differs"
    REQUIRED = "required"
    CHARACTERS = "characters"
    BLANK = "blank"
    PERIOD = "period"
    COUNTRY = "country"
    CONTACT = "contact"
    ORGANISATIONSNUMMER = "organisationsnummer"
    VAT_NUMBER = "vat-number"
    VAT_RATE = "vat-rate"
    VAT_NOT_SUBJECT_RATE = "vat-not-subject-rate"
    VAT_ZERO_RATE = "vat-zero-rate"
    VAT_REASON_MISSING = "vat-reason-missing"
    VAT_REASON_NOT_ALLOWED = "vat-reason-not-allowed"
    BANKGIRO = "bankgiro"
    PLUSGIRO = "plusgiro"
    IBAN = "iban"
    BIC = "bic"
    UNIT = "unit"
    QUANTITY = "quantity"
    UNIT_PRICE = "unit-price"
    OUT_OF_RANGE = "out-of-range"
    NO_LINES = "no-lines"
    DUPLICATE_LINE_IDS = "duplicate-line-ids"
    VAT_REASONS_DIFFER = "vat-reasons-differ"
    VAT_NOT_SUBJECT_MIXED = "vat-not-subject-mixed"
    VAT_NOT_SUBJECT_VAT_NUMBER = "vat-not-subject-vat-number"
    VAT_NUMBER_MISSING = "vat-number-missing"
    LINE_PERIOD_OUTSIDE = "line-period-outside"
    REFERENCE_WITHOUT_ACCOUNT = "reference-without-account"
    DUE_BEFORE_ISSUE = "due-before-issue"


#: code → (Swedish, English): why a document could not be validated or read at all.
DOCUMENT_PROBLEMS: Final[dict[Code, tuple[str, str]]] = {
    Code.TOO_LARGE: (
        "Filen är för stor för att vara en faktura (högst 10 MB).",
        "The file is too large to be an invoice (10 MB at most).",
    ),
    Code.NOT_XML: (
        "Filen är inte en läsbar XML-fil. Skicka fakturan som PEPPOL BIS Billing 3.0 (UBL-XML).",
        "The file is not readable XML. Send the invoice as PEPPOL BIS Billing 3.0 (UBL XML).",
    ),
    Code.DOCTYPE: (
        "Filen innehåller en DTD (<!DOCTYPE …>). En UBL-faktura har ingen sådan, och den tas inte emot.",
        "The file contains a DTD (<!DOCTYPE …>). A UBL invoice has none, and it is not accepted.",
    ),
    Code.UNKNOWN_DOCUMENT: (
        "Filen är XML men inte en UBL-faktura, UBL-kreditnota eller UBL-order.",
        "The file is XML but not a UBL invoice, UBL credit note or UBL order.",
    ),
    Code.RULES_NOT_RUN: (
        "Valideringsreglerna kunde inte köras på filen.",
        "The validation rules could not be run on the file.",
    ),
    Code.ORDER_NOT_INVOICE: (
        "Filen är en order, inte en faktura eller kreditnota.",
        "The file is an order, not an invoice or a credit note.",
    ),
}

_NAMESPACED = re.compile(r"\{([^}]*)\}")
_PREFIXES: Final = {ubl.CBC: "cbc:", ubl.CAC: "cac:"}


def short_names(message: str) -> str:
    """A libxml2 message with cbc:/cac: prefixes instead of {namespace} names."""
    return _NAMESPACED.sub(lambda match: _PREFIXES.get(match.group(1), ""), message)


_NOT_EXPECTED = re.compile(r"Element '([^']+)': This element is not expected\.(?: Expected is (?:one of )?\( (.*) \))?")
_MISSING_CHILD = re.compile(r"Element '([^']+)': Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)")
_BAD_VALUE = re.compile(r"Element '([^']+)'(?:, attribute '[^']+')?: '(.*)' is not a valid value of the (.*)\.")
_MISSING_ATTRIBUTE = re.compile(r"Element '([^']+)': The attribute '([^']+)' is required but missing\.")
_EXTRA_ATTRIBUTE = re.compile(r"Element '([^']+)', attribute '([^']+)': The attribute '[^']+' is not allowed\.")
_TEXT_CONTENT = re.compile(r"Element '([^']+)': Character content other than whitespace is not allowed")
_NO_DECLARATION = re.compile(r"Element '([^']+)': No matching global declaration available")


def schema_error_sv(type_name: str, message: str) -> str:
    """A Swedish text for an error against the UBL 2.1 schema (``message`` in English, with short names)."""
    if match := _NOT_EXPECTED.search(message):
        element, expected = match.groups()
        text = f"Elementet {element} får inte stå här (UBL bestämmer vilka element som finns och i vilken ordning)."
        return f"{text} Här väntas: {expected}." if expected else text
    if match := _MISSING_CHILD.search(message):
        element, expected = match.groups()
        return f"I {element} saknas ett element som måste finnas: {expected}."
    if match := _BAD_VALUE.search(message):
        element, value, kind = match.groups()
        hint = " Ett datum skrivs ÅÅÅÅ-MM-DD." if "date" in kind else ""
        hint = (
            " Ett tal skrivs med punkt som decimaltecken, t.ex. 1250.00."
            if "decimal" in kind or "local" in kind
            else hint
        )
        return f"Värdet '{value}' i {element} har fel form.{hint}"
    if match := _MISSING_ATTRIBUTE.search(message):
        element, attribute = match.groups()
        return f"I {element} saknas attributet {attribute}."
    if match := _EXTRA_ATTRIBUTE.search(message):
        element, attribute = match.groups()
        return f"Attributet {attribute} är inte tillåtet i {element}."
    if match := _TEXT_CONTENT.search(message):
        return f"Elementet {match.group(1)} får bara innehålla andra element, inte text."
    if _NO_DECLARATION.search(message):
        return "Dokumentet är inte en UBL 2.1-faktura, -kreditnota eller -order."
    return f"Dokumentet följer inte UBL 2.1-schemat ({type_name}): {message}"


#: code → (Swedish, English), with {field} the business term and its EN 16931 id: what the reader cannot take.
READ_PROBLEMS: Final[dict[Code, tuple[str, str]]] = {
    Code.MISSING: ("{field} saknas.", "{field} is missing."),
    Code.INVALID: (
        "{field} har ett värde som inte kan läsas: {value}.",
        "{field} has a value that cannot be read: {value}.",
    ),
    Code.CURRENCY: (
        "Fakturan är i {value}. Arbetsförmedlingen tar bara emot fakturor i svenska kronor (SEK).",
        "The invoice is in {value}. Arbetsförmedlingen only accepts invoices in Swedish kronor (SEK).",
    ),
    Code.NOT_ARBETSFORMEDLINGEN: (
        "Fakturan är inte ställd till Arbetsförmedlingen (PEPPOL-id 0007:2021002114) utan till {value}.",
        "The invoice is not addressed to Arbetsförmedlingen (PEPPOL id 0007:2021002114) but to {value}.",
    ),
    Code.UNSUPPORTED: (
        "{field} finns i fakturan men kan inte tas emot här: {value}.",
        "{field} is in the invoice but cannot be accepted here: {value}.",
    ),
    Code.AMOUNTS_DIFFER: (
        "{field} är {value} i fakturan, men raderna ger {expected}.",
        "{field} is {value} in the invoice, but the lines give {expected}.",
    ),
    Code.LINE_AMOUNT_DIFFERS: (
        "Radbeloppet (BT-131) på rad {line} är {value}, men antal gånger pris ger {expected}.",
        "The line amount (BT-131) of line {line} is {value}, but quantity times price gives {expected}.",
    ),
}

#: field → (Swedish, English): the business term, with its EN 16931 id, for messages about one field.
FIELDS: Final[dict[str, tuple[str, str]]] = {
    "number": ("Dokumentets nummer (BT-1)", "Document number (BT-1)"),
    "issue_date": ("Fakturadatum (BT-2)", "Issue date (BT-2)"),
    "due_date": ("Förfallodag (BT-9)", "Due date (BT-9)"),
    "currency": ("Valuta (BT-5)", "Currency (BT-5)"),
    "order_number": ("Inköpsordernummer (BT-13)", "Purchase order reference (BT-13)"),
    "buyer_reference": ("Köparens referens (BT-10)", "Buyer reference (BT-10)"),
    "contract_id": ("Avtalsreferens (BT-12)", "Contract reference (BT-12)"),
    "note": ("Fri text (BT-22)", "Note (BT-22)"),
    "period": ("Fakturaperiod (BG-14)", "Invoicing period (BG-14)"),
    "corrects": ("Den krediterade fakturans nummer (BT-25)", "Preceding invoice reference (BT-25)"),
    "corrects_date": ("Den krediterade fakturans datum (BT-26)", "Preceding invoice issue date (BT-26)"),
    "payment": ("Betalningssätt och konto (BG-16)", "Payment instructions (BG-16)"),
    "payment_account": ("Kontonummer för betalning (BT-84)", "Payment account identifier (BT-84)"),
    "payment_reference": ("Betalningsreferens (BT-83)", "Remittance information (BT-83)"),
    "payment_terms": ("Betalningsvillkor (BT-20)", "Payment terms (BT-20)"),
    "seller": ("Säljaren (BG-4)", "Seller (BG-4)"),
    "seller_name": ("Säljarens namn (BT-27)", "Seller name (BT-27)"),
    "seller_organisationsnummer": ("Säljarens organisationsnummer (BT-30)", "Seller organisationsnummer (BT-30)"),
    "seller_vat_number": ("Säljarens momsregistreringsnummer (BT-31)", "Seller VAT identifier (BT-31)"),
    "seller_address": ("Säljarens adress (BG-5)", "Seller postal address (BG-5)"),
    "buyer": ("Köparen (BG-7)", "Buyer (BG-7)"),
    "buyer_name": ("Köparens namn (BT-44)", "Buyer name (BT-44)"),
    "buyer_organisationsnummer": ("Köparens organisationsnummer (BT-47)", "Buyer organisationsnummer (BT-47)"),
    "buyer_endpoint": ("Köparens PEPPOL-id (BT-49)", "Buyer electronic address (BT-49)"),
    "buyer_address": ("Köparens adress (BG-8)", "Buyer postal address (BG-8)"),
    "street": ("Gatuadress", "Street"),
    "additional_street": ("Adressrad 2", "Additional street"),
    "city": ("Ort", "City"),
    "postal_code": ("Postnummer", "Postal code"),
    "country": ("Landskod", "Country code"),
    "contact": ("Kontaktperson (BG-6)", "Seller contact (BG-6)"),
    "lines": ("Fakturarader (BG-25)", "Invoice lines (BG-25)"),
    "line_id": ("Radens id (BT-126)", "Invoice line identifier (BT-126)"),
    "description": ("Artikelns namn (BT-153)", "Item name (BT-153)"),
    "article_id": ("Artikelnummer (BT-155)", "Item seller's identifier (BT-155)"),
    "quantity": ("Antal (BT-129)", "Invoiced quantity (BT-129)"),
    "unit_code": ("Enhet (BT-130)", "Unit of measure (BT-130)"),
    "unit_price": ("Pris per enhet (BT-146)", "Item net price (BT-146)"),
    "vat": ("Momskategori (BT-151)", "VAT category (BT-151)"),
    "vat_percent": ("Momssats (BT-152)", "VAT rate (BT-152)"),
    "exemption_reason_code": ("Orsakskod för momsbefrielse (BT-121)", "VAT exemption reason code (BT-121)"),
    "exemption_reason": ("Orsak till momsbefrielse (BT-120)", "VAT exemption reason (BT-120)"),
    "order_line_id": ("Orderradens id (BT-132)", "Referenced purchase order line (BT-132)"),
    "line_period": ("Radens period (BG-26)", "Invoice line period (BG-26)"),
    "line_extension": ("Summa radbelopp (BT-106)", "Sum of invoice line net amounts (BT-106)"),
    "line_net_amount": ("Radbelopp (BT-131)", "Invoice line net amount (BT-131)"),
    "tax_exclusive": ("Summa utan moms (BT-109)", "Invoice total without VAT (BT-109)"),
    "tax_amount": ("Summa moms (BT-110)", "Invoice total VAT amount (BT-110)"),
    "tax_inclusive": ("Summa med moms (BT-112)", "Invoice total with VAT (BT-112)"),
    "rounding": ("Öresavrundning (BT-114)", "Rounding amount (BT-114)"),
    "payable": ("Att betala (BT-115)", "Amount due for payment (BT-115)"),
    "prepaid": ("Redan betalt belopp (BT-113)", "Paid amount (BT-113)"),
    "allowances_charges": (
        "Rabatter och avgifter (BG-20, BG-21, BG-27, BG-28)",
        "Allowances and charges (BG-20/21/27/28)",
    ),
    "tax_currency": ("Valuta för momsredovisning (BT-6)", "VAT accounting currency (BT-6)"),
}

#: code → (Swedish, English): why a value cannot be made; {field} is a FIELDS name.
VALUE_PROBLEMS: Final[dict[Code, tuple[str, str]]] = {
    Code.REQUIRED: ("{field} måste anges.", "{field} is required."),
    Code.CHARACTERS: (
        "{field} innehåller tecken som inte kan skrivas i en e-faktura (styrtecken).",
        "{field} contains characters that an e-invoice cannot hold (control characters).",
    ),
    Code.BLANK: (
        "{field} får inte vara tomt eller börja eller sluta med mellanslag.",
        "{field} must not be blank or start or end with spaces.",
    ),
    Code.PERIOD: ("{field} slutar innan den börjar.", "{field} ends before it starts."),
    Code.COUNTRY: (
        "Landskoden ska vara två stora bokstäver enligt ISO 3166, till exempel SE.",
        "The country code is two capital letters from ISO 3166, for example SE.",
    ),
    Code.CONTACT: (
        "En kontaktperson behöver namn, e-postadress eller telefonnummer.",
        "A contact needs a name, an e-mail address or a telephone number.",
    ),
    Code.ORGANISATIONSNUMMER: (
        "{field} ska vara tio siffror med rätt kontrollsiffra.",
        "{field} is ten digits with a valid check digit.",
    ),
    Code.VAT_NUMBER: (
        "Momsregistreringsnumret ska börja med landskoden. Ett svenskt är SE följt av tolv siffror "
        "(organisationsnumret och 01).",
        "A VAT number starts with its country code. A Swedish one is SE and twelve digits "
        "(the organisationsnummer and 01).",
    ),
    Code.VAT_RATE: (
        "Normal momssats i Sverige är 25, 12 eller 6 procent.",
        "The standard VAT rate in Sweden is 25, 12 or 6 percent.",
    ),
    Code.VAT_NOT_SUBJECT_RATE: (
        "Försäljning utanför momsens tillämpningsområde (O) har ingen momssats.",
        "A supply outside the scope of VAT (O) has no VAT rate.",
    ),
    Code.VAT_ZERO_RATE: (
        "Nollskattad och momsbefriad försäljning har momssatsen 0.",
        "Zero-rated and exempt supplies have the VAT rate 0.",
    ),
    Code.VAT_REASON_MISSING: (
        "Momsbefriad försäljning och försäljning utanför momsens tillämpningsområde måste ange orsaken "
        "(en VATEX-kod eller en text).",
        "Exempt supplies and supplies outside the scope of VAT must give the reason (a VATEX code or a text).",
    ),
    Code.VAT_REASON_NOT_ALLOWED: (
        "Bara momsbefriad försäljning och försäljning utanför momsens tillämpningsområde anger en orsak till "
        "befrielse från moms.",
        "Only exempt supplies and supplies outside the scope of VAT give a VAT exemption reason.",
    ),
    Code.BANKGIRO: ("Ett bankgironummer har 7 eller 8 siffror.", "A bankgiro number has 7 or 8 digits."),
    Code.PLUSGIRO: ("Ett plusgironummer har 2 till 8 siffror.", "A plusgiro number has 2 to 8 digits."),
    Code.IBAN: ("IBAN-numret är inte giltigt.", "The IBAN is not valid."),
    Code.BIC: (
        "BIC (bankens SWIFT-adress) har 8 eller 11 tecken och anges bara tillsammans med IBAN.",
        "A BIC has 8 or 11 characters and goes only with an IBAN.",
    ),
    Code.UNIT: (
        "Enheten ska vara en kod ur UN/ECE rekommendation 20, t.ex. MON (månad), DAY (dag) eller C62 (styck).",
        "The unit is a code of UN/ECE Recommendation 20, e.g. MON (month), DAY (day) or C62 (one).",
    ),
    Code.QUANTITY: ("Antalet måste vara större än noll.", "The quantity must be above zero."),
    Code.UNIT_PRICE: ("Priset per enhet får inte vara negativt.", "The unit price must not be negative."),
    Code.OUT_OF_RANGE: (
        "{field} är orimligt stort eller har fler än tio decimaler.",
        "{field} is unreasonably large or has more than ten decimals.",
    ),
    Code.NO_LINES: ("Dokumentet måste ha minst en rad.", "The document needs at least one line."),
    Code.DUPLICATE_LINE_IDS: ("Två rader har samma id ({value}).", "Two lines have the same id ({value})."),
    Code.VAT_REASONS_DIFFER: (
        "Rader med samma momskategori och momssats måste ha samma orsak till momsbefrielse.",
        "Lines with the same VAT category and rate must have the same exemption reason.",
    ),
    Code.VAT_NOT_SUBJECT_MIXED: (
        "Försäljning utanför momsens tillämpningsområde (O) kan inte blandas med andra momskategorier i samma "
        "dokument.",
        "Supplies outside the scope of VAT (O) cannot be mixed with other VAT categories in one document.",
    ),
    Code.VAT_NOT_SUBJECT_VAT_NUMBER: (
        "En säljare som fakturerar utanför momsens tillämpningsområde (O) anger inget momsregistreringsnummer.",
        "A seller invoicing outside the scope of VAT (O) gives no VAT number.",
    ),
    Code.VAT_NUMBER_MISSING: (
        "Säljarens momsregistreringsnummer behövs när fakturan har moms eller nollskattade eller momsbefriade rader.",
        "The seller's VAT number is needed when the invoice has standard-rated, zero-rated or exempt lines.",
    ),
    Code.LINE_PERIOD_OUTSIDE: (
        "Rad {value} gäller en period utanför dokumentets period.",
        "Line {value} is for a period outside the document's period.",
    ),
    Code.REFERENCE_WITHOUT_ACCOUNT: (
        "En betalningsreferens (BT-83) kan bara anges tillsammans med ett konto att betala till (BG-16).",
        "A remittance reference (BT-83) goes only with an account to pay to (BG-16).",
    ),
    Code.DUE_BEFORE_ISSUE: ("Förfallodagen ligger före fakturadatum.", "The due date is before the issue date."),
}


def field_name(field: str | None, *, swedish: bool) -> str:
    """The business term of a field, in Swedish or English."""
    if field is None:
        return "Uppgiften" if swedish else "The value"
    swedish_name, english_name = FIELDS[field]
    return swedish_name if swedish else english_name
