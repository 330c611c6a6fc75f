"""Pure rules for orders and invoices (SPEC S7): order lines per month, pro rata, goods receipts, and matching.

Plain values in, values or problems out: no database and no Django. Money is ``Decimal`` in SEK with two decimals;
a part of a month is a fraction of a month with four decimals (17 of 31 days → 0.5484), and the amount is always
``peppol.line_net_amount(quantity, monthly price)``, for the order line, the goods receipt and the invoice line alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from faportal.billing.peppol.values import line_net_amount
from faportal.core.dates import YearMonth

#: A fraction of a month is kept to four decimals (the quantity on the order line and the invoice line).
QUANTITY_STEP: Final = Decimal("0.0001")
CENT: Final = Decimal("0.01")
#: Invoice numbers the portal gives (one series per organisation and year): FA2026-00001.
INVOICE_NUMBER_PREFIX: Final = "FA"
#: Order numbers (one series per year): IO2026-000001.
ORDER_NUMBER_PREFIX: Final = "IO"


class Code(StrEnum):
    """Why a billing request is refused (words: ``messages.py``)."""

    NO_TARIFF = "no_tariff"
    TARIFF_OVERLAPS = "tariff_overlaps"
    TARIFF_IN_USE = "tariff_in_use"
    TARIFF_ENDS_BEFORE_START = "tariff_ends_before_start"
    LEVEL_REQUIRED = "level_required"
    LEVEL_NOT_USED = "level_not_used"
    INVALID_AMOUNT = "invalid_amount"
    NOT_INVOICEABLE = "not_invoiceable"
    ALREADY_INVOICED = "already_invoiced"
    NO_BILLING_PROFILE = "no_billing_profile"
    PROFILE_INVALID = "profile_invalid"
    ALREADY_CREDITED = "already_credited"
    NOT_AN_INVOICE = "not_an_invoice"
    NOTHING_SELECTED = "nothing_selected"
    TOO_MANY_SELECTED = "too_many_selected"
    NO_FILE = "no_file"
    INVALID_DOCUMENT = "invalid_document"
    NOT_OUR_SELLER = "not_our_seller"
    DUPLICATE_NUMBER = "duplicate_number"
    NOT_IN_QUEUE = "not_in_queue"
    REASON_REQUIRED = "reason_required"
    EXCEEDS_ORDER = "exceeds_order"
    REQUIRED = "required"
    INVALID_CHOICE = "invalid_choice"
    INVALID_POSTCODE = "invalid_postcode"
    INVALID_ACCOUNT = "invalid_account"


class Article(StrEnum):
    """The articles of an order (SPEC S7.1): Grundersättning per month by level, and the result-based ones."""

    BASE = "base"
    RESULT_1 = "result_1"
    RESULT_2 = "result_2"
    SUPPLEMENT = "supplement"
    SPEED_BONUS = "speed_bonus"


#: Articles priced by the participant's level (A, B, C); the others have one price.
PRICED_BY_LEVEL: Final = frozenset({Article.BASE})
#: The article's name on orders and invoices (Af's words; the same in every language of the interface).
ARTICLE_NAMES: Final = {
    Article.BASE: "Grundersättning",
    Article.RESULT_1: "Resultatersättning 1",
    Article.RESULT_2: "Resultatersättning 2",
    Article.SUPPLEMENT: "Tilläggsersättning",
    Article.SPEED_BONUS: "Snabbhetspremie",
}


class OrderKind(StrEnum):
    """One base order per placement period; each approved result report its own result order (SPEC S7.2)."""

    BASE = "base"
    RESULT_1 = "result_1"
    RESULT_2 = "result_2"


#: The document kind (``documents.kinds`` key) whose approval issues each kind of order. The result reports' keys
#: are "result_1" and "result_2" (Documents II); billing reacts to the key alone and needs none of their code.
ORDER_FOR_DOCUMENT_KIND: Final = {
    "plan": OrderKind.BASE,
    "result_1": OrderKind.RESULT_1,
    "result_2": OrderKind.RESULT_2,
}
#: A monthly report (periodisk redovisning), once approved, is the goods receipt of its month's line (SPEC S7.3).
GOODS_RECEIPT_KIND: Final = "monthly_report"


class LineStatus(StrEnum):
    """An order line's state, as the provider sees it (SPEC S7.3)."""

    NOT_DELIVERED = "not_delivered"
    INVOICEABLE = "invoiceable"
    INVOICED = "invoiced"
    PAID = "paid"
    #: The month lies after an interruption: nothing was delivered and nothing can be invoiced.
    NOT_INVOICEABLE = "not_invoiceable"


class MatchStatus(StrEnum):
    """How Af matched a received invoice or credit note to its order (SPEC S7.6)."""

    #: Reference, period and amount agree: approved for payment on the due date (a credit note: applied).
    MATCHED = "matched"
    #: Something differs: in Af's manual queue, with the reasons.
    MANUAL = "manual"
    #: Af accepted it from the manual queue: approved for payment like a match.
    ACCEPTED = "accepted"
    #: Af rejected it and asks for a credit note (and a new invoice).
    REJECTED = "rejected"


#: Statuses in which an invoice is approved for payment.
APPROVED_FOR_PAYMENT: Final = frozenset({MatchStatus.MATCHED, MatchStatus.ACCEPTED})


class Mismatch(StrEnum):
    """Why a received invoice went to the manual queue (SPEC S7.6)."""

    UNKNOWN_ORDER = "unknown_order"
    NOT_DELIVERED = "not_delivered"
    ALREADY_INVOICED = "already_invoiced"
    AMOUNT_DIFFERS = "amount_differs"
    PERIOD_DIFFERS = "period_differs"
    REFERENCE_DIFFERS = "reference_differs"
    UNKNOWN_INVOICE = "unknown_invoice"


class VatChoice(StrEnum):
    """What the organisation declares about VAT on its compensations (SPEC S7.4)."""

    STANDARD = "standard_25"
    EXEMPT = "exempt"


# --- orders (S7.2) ----------------------------------------------------------------------------------------------


def month_share(days: int, month: YearMonth) -> Decimal:
    """Andel av månad: ``days`` calendar days of ``month`` as a fraction of it, four decimals (17/31 → 0.5484)."""
    in_month = (month.last_day - month.first_day).days + 1
    if days >= in_month:
        return Decimal(1)
    return (Decimal(days) / Decimal(in_month)).quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthLine:
    """One calendar month of a placement period: the days it covers and its share of the month."""

    number: str
    month: YearMonth
    start: datetime.date
    end: datetime.date
    quantity: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def base_order_lines(*, starts_on: datetime.date, ends_on: datetime.date) -> list[MonthLine]:
    """Grundersättningens orderrader (SPEC S7.2): one per calendar month of the period, the first and last partial
    month pro rata by calendar days.
    """
    lines: list[MonthLine] = []
    month = YearMonth.of(starts_on)
    while month.first_day <= ends_on:
        start = max(month.first_day, starts_on)
        end = min(month.last_day, ends_on)
        lines.append(MonthLine(str(len(lines) + 1), month, start, end, month_share((end - start).days + 1, month)))
        month = month.next()
    return lines


def order_total(lines: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Orderns belopp: the sum of its lines' amounts, each quantity × price rounded to öre."""
    return sum((line_net_amount(quantity, price) for quantity, price in lines), Decimal("0.00"))


# --- goods receipt (S7.3) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """What a month's goods receipt makes invoiceable: the days delivered, their share of the month, the amount."""

    days: int
    quantity: Decimal
    amount: Decimal
    #: The month was cut short by an interruption (pro rata up to it).
    interrupted: bool


def delivered(
    *, line_start: datetime.date, line_end: datetime.date, last_day: datetime.date, monthly_price: Decimal
) -> Delivered | None:
    """Inleverans (SPEC S7.3): an approved monthly report makes its month's line invoiceable, pro rata by calendar
    days up to an interruption (``last_day`` is the day before it, or the placement's end); a month wholly after the
    interruption delivers nothing (None).
    """
    if last_day < line_start:
        return None
    end = min(line_end, last_day)
    month = YearMonth.of(line_start)
    days = (end - line_start).days + 1
    quantity = month_share(days, month)
    return Delivered(days, quantity, line_net_amount(quantity, monthly_price), interrupted=end < line_end)


def line_status_after_interruption(*, line_start: datetime.date | None, last_day: datetime.date) -> bool:
    """True when a month's line lies wholly after the placement's last day: it can never be invoiced (SPEC S7.3)."""
    return line_start is not None and line_start > last_day


# --- matching (S7.6) --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLineFacts:
    """What Af's matching knows about one order line."""

    number: str
    start: datetime.date | None
    end: datetime.date | None
    #: The amount delivered (the goods receipt's amount); None when not yet delivered.
    delivered_amount: Decimal | None
    #: Another invoice already holds the line.
    held: bool


@dataclass(frozen=True)
class InvoicedLine:
    """One line of a received invoice: the order line it names (BT-132), its period and its amount."""

    order_line: str | None
    start: datetime.date | None
    end: datetime.date | None
    amount: Decimal


@dataclass(frozen=True)
class LineMatch:
    """The order line each invoice line was matched to (by index; None when none), and every reason to look again."""

    lines: tuple[str | None, ...]
    reasons: tuple[Mismatch, ...]

    @property
    def matched(self) -> bool:
        return not self.reasons


def _find_line(line: InvoicedLine, order_lines: Mapping[str, OrderLineFacts]) -> str | None:
    if line.order_line is not None:
        return line.order_line if line.order_line in order_lines else None
    if line.start is not None:
        for facts in order_lines.values():
            if facts.start is not None and facts.end is not None and facts.start <= line.start <= facts.end:
                return facts.number
    if len(order_lines) == 1:
        return next(iter(order_lines))
    return None


def match_lines(invoiced: Sequence[InvoicedLine], order_lines: Mapping[str, OrderLineFacts]) -> LineMatch:
    """Matchning (SPEC S7.6): each invoice line to its order line (BT-132, else by period, else the order's only line),
    then the period and the amount against what was delivered. The reasons, in the order found, each once.
    """
    reasons: list[Mismatch] = []

    def add(reason: Mismatch) -> None:
        if reason not in reasons:
            reasons.append(reason)

    found: list[str | None] = []
    for line in invoiced:
        number = _find_line(line, order_lines)
        found.append(number)
        if number is None:
            add(Mismatch.UNKNOWN_ORDER)
            continue
        facts = order_lines[number]
        if found.count(number) > 1 or facts.held:
            add(Mismatch.ALREADY_INVOICED)
        if (
            line.start is not None
            and line.end is not None
            and facts.start is not None
            and facts.end is not None
            and not (facts.start <= line.start and line.end <= facts.end)
        ):
            add(Mismatch.PERIOD_DIFFERS)
        if facts.delivered_amount is None:
            add(Mismatch.NOT_DELIVERED)
        elif line.amount != facts.delivered_amount:
            add(Mismatch.AMOUNT_DIFFERS)
    return LineMatch(tuple(found), tuple(reasons))


def payable_status(*, approved_on: datetime.date | None, due_date: datetime.date | None, today: datetime.date) -> bool:
    """Betald: Af pays an approved invoice on its due date (SPEC S7.6); True once that day has come."""
    return approved_on is not None and due_date is not None and due_date <= today


def next_number(prefix: str, year: int, serial: int, width: int) -> str:
    """A number in a yearly series: FA2026-00001, IO2026-000001."""
    return f"{prefix}{year}-{serial:0{width}d}"
