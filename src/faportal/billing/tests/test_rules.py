"""Billing's pure rules (SPEC S7.2, S7.3, S7.6): months pro rata, goods receipts, matching. No database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faportal.billing import rules
from faportal.billing.peppol import line_net_amount
from faportal.billing.rules import InvoicedLine, Mismatch, OrderLineFacts
from faportal.core.dates import YearMonth
from faportal.placements.rules import period_end

D = datetime.date


@pytest.mark.parametrize(
    ("days", "month", "share"),
    [
        (31, YearMonth(2026, 1), Decimal(1)),
        (17, YearMonth(2026, 1), Decimal("0.5484")),
        (1, YearMonth(2026, 2), Decimal("0.0357")),
        (14, YearMonth(2028, 2), Decimal("0.4828")),  # a leap February has 29 days
        (28, YearMonth(2026, 2), Decimal(1)),
    ],
)
def test_a_part_of_a_month_is_its_calendar_days_over_the_months(days, month, share):
    assert rules.month_share(days, month) == share


def test_a_period_from_the_15th_has_a_partial_first_and_last_month():
    lines = rules.base_order_lines(starts_on=D(2026, 1, 15), ends_on=period_end(D(2026, 1, 15)))
    assert [(line.start, line.end, line.quantity) for line in lines] == [
        (D(2026, 1, 15), D(2026, 1, 31), Decimal("0.5484")),
        (D(2026, 2, 1), D(2026, 2, 28), Decimal(1)),
        (D(2026, 3, 1), D(2026, 3, 31), Decimal(1)),
        (D(2026, 4, 1), D(2026, 4, 30), Decimal(1)),
        (D(2026, 5, 1), D(2026, 5, 31), Decimal(1)),
        (D(2026, 6, 1), D(2026, 6, 30), Decimal(1)),
        (D(2026, 7, 1), D(2026, 7, 14), Decimal("0.4516")),
    ]
    assert [line.number for line in lines] == ["1", "2", "3", "4", "5", "6", "7"]


def test_an_interruption_inside_a_month_delivers_up_to_the_day_before_it():
    delivered = rules.delivered(
        line_start=D(2026, 3, 1), line_end=D(2026, 3, 31), last_day=D(2026, 3, 14), monthly_price=Decimal("12400.00")
    )
    assert delivered == rules.Delivered(14, Decimal("0.4516"), Decimal("5599.84"), interrupted=True)
    after = rules.delivered(
        line_start=D(2026, 4, 1), line_end=D(2026, 4, 30), last_day=D(2026, 3, 14), monthly_price=Decimal("12400.00")
    )
    assert after is None
    assert rules.line_status_after_interruption(line_start=D(2026, 4, 1), last_day=D(2026, 3, 14))


@given(
    starts_on=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    cut=st.none() | st.integers(min_value=0, max_value=190),
    price=st.decimals(min_value=Decimal(0), max_value=Decimal("50000.00"), places=2),
)
def test_the_months_cover_every_day_once_and_nothing_delivered_exceeds_the_order(starts_on, cut, price):
    ends_on = period_end(starts_on)
    lines = rules.base_order_lines(starts_on=starts_on, ends_on=ends_on)
    days = [line.start + datetime.timedelta(days=n) for line in lines for n in range(line.days)]
    assert days == [starts_on + datetime.timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
    last_day = ends_on if cut is None else min(ends_on, starts_on + datetime.timedelta(days=cut))
    ordered = delivered_total = Decimal(0)
    for line in lines:
        ordered += line_net_amount(line.quantity, price)
        delivered = rules.delivered(line_start=line.start, line_end=line.end, last_day=last_day, monthly_price=price)
        if delivered is not None:
            assert delivered.amount <= line_net_amount(line.quantity, price)
            delivered_total += delivered.amount
    assert delivered_total <= ordered


FACTS = {
    "1": OrderLineFacts("1", D(2026, 1, 15), D(2026, 1, 31), Decimal("6800.16"), held=False),
    "2": OrderLineFacts("2", D(2026, 2, 1), D(2026, 2, 28), None, held=False),
    "3": OrderLineFacts("3", D(2026, 3, 1), D(2026, 3, 31), Decimal("12400.00"), held=True),
}


@pytest.mark.parametrize(
    ("lines", "found", "reasons"),
    [
        ([InvoicedLine("1", D(2026, 1, 15), D(2026, 1, 31), Decimal("6800.16"))], ("1",), ()),
        ([InvoicedLine(None, D(2026, 1, 20), D(2026, 1, 31), Decimal("6800.16"))], ("1",), ()),  # by period
        ([InvoicedLine("1", None, None, Decimal("12400.00"))], ("1",), (Mismatch.AMOUNT_DIFFERS,)),
        ([InvoicedLine("2", None, None, Decimal("12400.00"))], ("2",), (Mismatch.NOT_DELIVERED,)),
        ([InvoicedLine("3", None, None, Decimal("12400.00"))], ("3",), (Mismatch.ALREADY_INVOICED,)),
        ([InvoicedLine("9", None, None, Decimal("1.00"))], (None,), (Mismatch.UNKNOWN_ORDER,)),
        (
            [InvoicedLine("1", D(2026, 1, 1), D(2026, 1, 31), Decimal("6800.16"))],
            ("1",),
            (Mismatch.PERIOD_DIFFERS,),
        ),
        (
            [
                InvoicedLine("1", None, None, Decimal("6800.16")),
                InvoicedLine("1", None, None, Decimal("6800.16")),
            ],
            ("1", "1"),
            (Mismatch.ALREADY_INVOICED,),
        ),
    ],
)
def test_matching_names_every_reason_once(lines, found, reasons):
    matched = rules.match_lines(lines, FACTS)
    assert (matched.lines, matched.reasons) == (found, reasons)
    assert matched.matched is (not reasons)
