"""A readable PDF of an invoice or a credit note (SPEC S7.4), made from the same values as its XML.

The XML is the invoice (Af accepts no PDF as an e-invoice); the PDF is the provider's copy to read and file. It is
made once, when the document is kept, and never changes: PDF/A-2u with tags like every copy the portal makes
(``core.pdf``), in Swedish, with any name's letters as written. Amounts and quantities are written by the same
template filters as Ekonomi's pages.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from faportal.billing import messages, peppol
from faportal.core.pdf import archival_pdf


def html(document: peppol.Invoice | peppol.CreditNote) -> str:
    """The copy's HTML (Swedish): parties, references, lines, VAT and totals, payment."""
    seller = document.seller
    account = document.payment.kind.value if document.payment else ""
    with translation.override("sv"):
        return render_to_string(
            "billing/invoice_pdf.html",
            {
                "document": document,
                "is_invoice": isinstance(document, peppol.Invoice),
                "seller_address": ", ".join(
                    part for part in (seller.address.street, seller.address.postal_code, seller.address.city) if part
                ),
                "organisationsnummer": f"{seller.organisationsnummer[:6]}-{seller.organisationsnummer[6:]}",
                "amounts": peppol.totals(document.lines, round_to_whole_kronor=document.round_to_whole_kronor),
                "account_kind": messages.ACCOUNT_KINDS.get(account, account) if account else "",
            },
        )


def render(document: peppol.Invoice | peppol.CreditNote) -> bytes:
    """The PDF/A-2 copy of an invoice or a credit note."""
    return archival_pdf(html(document))
