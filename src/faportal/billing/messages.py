"""The words for every billing rule (``rules.Code``) and for the matching's reasons: one wording everywhere."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from faportal.billing.rules import Code, LineStatus, MatchStatus, Mismatch
from faportal.core.problems import register_wording

# Where an invoice is paid (PaymentMeans): the billing details offer the Swedish giro accounts; an ERP's invoice
# may name an IBAN, which reads as itself.
ACCOUNT_KINDS = {"SE:BANKGIRO": _("Bankgiro"), "SE:PLUSGIRO": _("Plusgiro")}

WORDING = {
    Code.NO_TARIFF: _("There is no price for %(article)s on %(date)s: Arbetsförmedlingen must enter the tariff first."),
    Code.TARIFF_OVERLAPS: _("Another price for the same article and level is valid on some of these days."),
    Code.TARIFF_IN_USE: _("Orders already use this price: only its last day can be set. Enter a new price instead."),
    Code.TARIFF_ENDS_BEFORE_START: _("The last day must not be before the first."),
    Code.LEVEL_REQUIRED: _("Choose the level: the base compensation has a price per level."),
    Code.LEVEL_NOT_USED: _("Only the base compensation has a price per level."),
    Code.INVALID_AMOUNT: _("Enter an amount in kronor with at most two decimals, e.g. 12 400 or 12 400,50."),
    Code.NOT_INVOICEABLE: _("The line cannot be invoiced: the month has not been delivered (no approved report)."),
    Code.ALREADY_INVOICED: _("The line is already invoiced."),
    Code.NO_BILLING_PROFILE: _("Enter your organisation's billing details first: address, VAT and account."),
    Code.PROFILE_INVALID: _("The billing details cannot be used on an invoice: %(problem)s"),
    Code.ALREADY_CREDITED: _("The invoice has already been credited."),
    Code.NOT_AN_INVOICE: _("Only an invoice can be credited."),
    Code.NOTHING_SELECTED: _("Choose at least one line to invoice."),
    Code.TOO_MANY_SELECTED: _("At most %(limit)d lines at once."),
    Code.NO_FILE: _("Choose a file with an invoice or a credit note (UBL XML)."),
    Code.INVALID_DOCUMENT: _("The document does not follow the rules: see each rule below."),
    Code.NOT_OUR_SELLER: _("The seller on the document (%(seller)s) is not your organisation."),
    Code.DUPLICATE_NUMBER: _("Your organisation already has a document with number %(number)s."),
    Code.NOT_IN_QUEUE: _("The invoice is not in the manual queue."),
    Code.REASON_REQUIRED: _("Write what the provider must correct: they read it."),
    Code.EXCEEDS_ORDER: _(
        "The invoice cannot be accepted: its lines are unknown, already invoiced or above the order."
    ),
    Code.REQUIRED: _("This field is required."),
    Code.INVALID_CHOICE: _("Choose one of the alternatives."),
    Code.INVALID_POSTCODE: _("Enter a postcode of five digits, e.g. 111 22."),
    Code.INVALID_ACCOUNT: _(
        "Enter a bankgiro number of 7–8 digits (e.g. 5050-1055) or a plusgiro number of 2–8 digits."
    ),
}

register_wording(Code, WORDING)

LINE_STATUS = {
    LineStatus.NOT_DELIVERED: _("Not yet delivered"),
    LineStatus.INVOICEABLE: _("Invoiceable"),
    LineStatus.INVOICED: _("Invoiced"),
    LineStatus.PAID: _("Paid"),
    LineStatus.NOT_INVOICEABLE: _("Not invoiceable (interrupted)"),
}
LINE_STATUS_COLOR = {
    LineStatus.NOT_DELIVERED: "neutral",
    LineStatus.INVOICEABLE: "info",
    LineStatus.INVOICED: "accent",
    LineStatus.PAID: "success",
    LineStatus.NOT_INVOICEABLE: "warning",
}
MATCH_STATUS = {
    MatchStatus.MATCHED: _("Matched: approved for payment"),
    MatchStatus.MANUAL: _("Differs: checked by hand at Arbetsförmedlingen"),
    MatchStatus.ACCEPTED: _("Accepted by Arbetsförmedlingen: approved for payment"),
    MatchStatus.REJECTED: _("Rejected: send a credit note and a new invoice"),
}
MATCH_STATUS_COLOR = {
    MatchStatus.MATCHED: "success",
    MatchStatus.MANUAL: "warning",
    MatchStatus.ACCEPTED: "success",
    MatchStatus.REJECTED: "danger",
}
MISMATCH = {
    Mismatch.UNKNOWN_ORDER: _("Unknown order or order line: the order number or line matches no order."),
    Mismatch.NOT_DELIVERED: _("The line is not delivered: the month's report is not approved."),
    Mismatch.ALREADY_INVOICED: _("The line is already invoiced (or credited)."),
    Mismatch.AMOUNT_DIFFERS: _("The amount differs from what was delivered."),
    Mismatch.PERIOD_DIFFERS: _("The period differs from the order line's."),
    Mismatch.REFERENCE_DIFFERS: _("The buyer reference is not the order's genomförandereferens."),
    Mismatch.UNKNOWN_INVOICE: _("The credited invoice is unknown, or already credited."),
}
ARTICLES = {
    "base": _("Base compensation"),
    "result_1": _("Result compensation 1"),
    "result_2": _("Result compensation 2"),
    "supplement": _("Supplementary compensation"),
    "speed_bonus": _("Speed bonus"),
}
ORDER_KINDS = {
    "base": _("Base compensation"),
    "result_1": _("Result compensation 1"),
    "result_2": _("Result compensation 2"),
}
