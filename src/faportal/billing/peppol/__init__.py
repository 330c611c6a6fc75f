"""PEPPOL for Arbetsförmedlingen: BIS Billing 3.0 invoices and credit notes, BIS Ordering 3.0 orders (SPEC S7).

A plain library (no Django, none of our apps; see ADR "PEPPOL library and validation"):

* ``values``: the documents as typed values (``Invoice``, ``CreditNote``, ``PurchaseOrder`` and their parts);
* ``amounts.totals``: what a document adds up to (line sum, VAT per category and rate, öresavrundning);
* ``writer``: UBL 2.1 XML for each (``write_invoice``, ``write_credit_note``, ``write_order``);
* ``validation``: the official UBL schema and Schematron (``validator_for(directory).validate(xml)``), every
  failed rule with its id, flag, location and text in English and Swedish (``rule_texts``);
* ``reader.read_billing_document``: an invoice or credit note from a provider's ERP back into the values.
"""

from faportal.billing.peppol.amounts import TaxSubtotal, Totals, totals
from faportal.billing.peppol.reader import ReadProblem, ReadResult, read_billing_document
from faportal.billing.peppol.validation import (
    DocumentType,
    FailedRule,
    SchemaError,
    Severity,
    ValidationReport,
    Validator,
    validator_for,
)
from faportal.billing.peppol.values import (
    ARBETSFORMEDLINGEN,
    PAYMENT_TERMS_DAYS,
    PAYMENT_TERMS_NOTE,
    AccountKind,
    Address,
    Buyer,
    Contact,
    CreditNote,
    InvalidValue,
    Invoice,
    InvoiceLine,
    InvoiceReference,
    OrderLine,
    PaymentAccount,
    Period,
    PurchaseOrder,
    Seller,
    Vat,
    VatCategory,
    due_date_for,
    line_net_amount,
)
from faportal.billing.peppol.writer import write_credit_note, write_invoice, write_order

__all__ = [
    "ARBETSFORMEDLINGEN",
    "PAYMENT_TERMS_DAYS",
    "PAYMENT_TERMS_NOTE",
    "AccountKind",
    "Address",
    "Buyer",
    "Contact",
    "CreditNote",
    "DocumentType",
    "FailedRule",
    "InvalidValue",
    "Invoice",
    "InvoiceLine",
    "InvoiceReference",
    "OrderLine",
    "PaymentAccount",
    "Period",
    "PurchaseOrder",
    "ReadProblem",
    "ReadResult",
    "SchemaError",
    "Seller",
    "Severity",
    "TaxSubtotal",
    "Totals",
    "ValidationReport",
    "Validator",
    "Vat",
    "VatCategory",
    "due_date_for",
    "line_net_amount",
    "read_billing_document",
    "totals",
    "validator_for",
    "write_credit_note",
    "write_invoice",
    "write_order",
]
