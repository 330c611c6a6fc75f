"""UBL 2.1 names and the one safe way to parse XML that someone else wrote.

An uploaded invoice comes from outside: it is parsed with entity expansion, DTD loading and network access off,
libxml2's size limits on (no ``huge_tree``), after a limit on its size in bytes; any DOCTYPE is refused, so nothing
that reaches the Schematron processor can declare an entity.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from lxml import etree

CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE: Final = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
ORDER: Final = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
NS: Final = {"cbc": CBC, "cac": CAC}

#: PEPPOL BIS Billing 3.0 (BT-24 and BT-23, PEPPOL-EN16931-R004/R007).
BILLING_CUSTOMIZATION_ID: Final = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BILLING_PROFILE_ID: Final = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#: PEPPOL BIS Ordering 3.0, the Order transaction (T01), profile "Order only" (no order response).
ORDER_CUSTOMIZATION_ID: Final = "urn:fdc:peppol.eu:poacc:trns:order:3"
ORDER_PROFILE_ID: Final = "urn:fdc:peppol.eu:poacc:bis:order_only:3"
#: Commercial invoice and credit note (UNTDID 1001).
INVOICE_TYPE_CODE: Final = "380"
CREDIT_NOTE_TYPE_CODE: Final = "381"
#: Credit transfer (UNTDID 4461): the code Swedish sellers use for bankgiro, plusgiro and accounts (SE-R-011/012).
CREDIT_TRANSFER: Final = "30"
#: Electronic address and legal registration scheme: Swedish organisationsnummer (ISO 6523 ICD 0007).
SCHEME_ORGANISATIONSNUMMER: Final = "0007"

#: The largest document accepted from outside. A 1000-line invoice is under 1 MiB; attachments make them bigger.
MAX_DOCUMENT_BYTES: Final = 10 * 1024 * 1024
_CENT: Final = Decimal("0.01")


class UnreadableXml(ValueError):
    """Bytes that are not one safe XML document; ``code`` says why (too-large, not-xml, doctype)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # a messages.Code value (this module is below messages)
        self.detail = detail


def parse_untrusted(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> etree._Element:
    """Parse bytes from outside into an element tree, or raise ``UnreadableXml``."""
    if len(data) > max_bytes:
        raise UnreadableXml("too-large", f"{len(data)} bytes, at most {max_bytes}")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # libxml2 refuses some DTD attacks itself (entity amplification, network DTDs): say why all the same.
        raise UnreadableXml("doctype" if _declares_doctype(data) else "not-xml", str(exc)) from exc
    if root is None:  # pragma: no cover - lxml raises for an empty document
        raise UnreadableXml("not-xml")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # UBL has no DTD; one here can only be an attempt to declare entities.
        raise UnreadableXml("doctype")
    return root


def _declares_doctype(data: bytes) -> bool:
    head = data[:65536]
    return any(
        marker in head for marker in (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
    )


def number_text(value: Decimal) -> str:
    """A quantity or a percentage as plain decimal text without an exponent or trailing zeros (25, 0.5484)."""
    return format(value.normalize(), "f")


def money_text(value: Decimal) -> str:
    """An amount with exactly two decimals (UBL-DT-01 allows no more)."""
    return str(value.quantize(_CENT))


def price_text(value: Decimal) -> str:
    """A unit price: two decimals, or as many as it has (a price may have more than an amount)."""
    if value == value.quantize(_CENT):
        return str(value.quantize(_CENT))
    return format(value.normalize(), "f")
