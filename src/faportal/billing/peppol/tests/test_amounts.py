"""What a document adds up to, computed the way the official rules check it."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from faportal.billing.peppol.amounts import totals
from faportal.billing.peppol.tests.strategies import invoices
from faportal.billing.peppol.tests.test_writer import _invoice
from faportal.billing.peppol.values import InvoiceLine, Vat, line_net_amount

LINE = _invoice().lines[0]


def _line(id: str, quantity: str, price: str, vat: Vat) -> InvoiceLine:
    return InvoiceLine(
        **{
            **LINE.__dict__,
            "id": id,
            "quantity": Decimal(quantity),
            "unit_price": Decimal(price),
            "vat": vat,
            "period": None,
        }
    )


def test_a_line_is_quantity_times_price_rounded_half_up_to_ore():
    assert line_net_amount(Decimal("0.5484"), Decimal("15600.00")) == Decimal("8555.04")
    assert line_net_amount(Decimal("17"), Decimal("503.2258")) == Decimal("8554.84")
    assert line_net_amount(Decimal("0.5"), Decimal("0.01")) == Decimal("0.01")  # 0.005 rounds up


def test_vat_is_computed_per_category_and_rate_on_the_sum_of_its_lines():
    exempt = Vat.exempt(reason_code="VATEX-EU-132")
    amounts = totals(
        [
            _line("1", "1", "0.03", Vat.standard()),
            _line("2", "1", "0.03", Vat.standard()),
            _line("3", "1", "100.00", Vat.standard(Decimal(12))),
            _line("4", "1", "5000.00", exempt),
        ]
    )
    # 0.06 at 25 % is 0.015 → 0.02 (per line it would have been 0.01 + 0.01).
    assert [(s.vat.category, s.vat.percent, s.taxable_amount, s.tax_amount) for s in amounts.tax_subtotals] == [
        (Vat.standard().category, Decimal(25), Decimal("0.06"), Decimal("0.02")),
        (Vat.standard().category, Decimal(12), Decimal("100.00"), Decimal("12.00")),
        (exempt.category, Decimal(0), Decimal("5000.00"), Decimal("0.00")),
    ]
    assert amounts.line_extension == amounts.tax_exclusive == Decimal("5100.06")
    assert amounts.tax_amount == Decimal("12.02")
    assert amounts.tax_inclusive == amounts.payable == Decimal("5112.08")
    assert amounts.rounding is None


def test_oresavrundning_to_whole_kronor():
    amounts = totals([_line("1", "1", "100.30", Vat.standard())], round_to_whole_kronor=True)
    assert amounts.tax_inclusive == Decimal("125.38")
    assert (amounts.rounding, amounts.payable) == (Decimal("-0.38"), Decimal("125.00"))
    half = totals([_line("1", "1", "100.40", Vat.standard())], round_to_whole_kronor=True)
    assert (half.tax_inclusive, half.rounding, half.payable) == (Decimal("125.50"), Decimal("0.50"), Decimal("126.00"))


@settings(max_examples=200, deadline=None)
@given(invoice=invoices())
def test_the_totals_add_up(invoice):
    amounts = totals(invoice.lines, round_to_whole_kronor=invoice.round_to_whole_kronor)
    assert amounts.line_extension == sum(line.net_amount for line in invoice.lines)
    assert amounts.line_extension == sum(subtotal.taxable_amount for subtotal in amounts.tax_subtotals)
    assert amounts.tax_amount == sum(subtotal.tax_amount for subtotal in amounts.tax_subtotals)
    assert amounts.tax_inclusive == amounts.tax_exclusive + amounts.tax_amount
    assert amounts.payable == amounts.tax_inclusive + (amounts.rounding or 0)
    if invoice.round_to_whole_kronor:
        assert amounts.payable == amounts.payable.to_integral_value()
        assert abs(amounts.rounding) <= Decimal("0.50")
    for amount in (amounts.line_extension, amounts.tax_amount, amounts.payable):
        assert amount == amount.quantize(Decimal("0.01"))
    assert len({subtotal.vat.group for subtotal in amounts.tax_subtotals}) == len(amounts.tax_subtotals)


@given(
    quantity=st.decimals(min_value=Decimal("0.0001"), max_value=1000, places=4),
    price=st.decimals(min_value=0, max_value=100_000, places=4),
)
def test_a_line_amount_is_within_half_an_ore_of_quantity_times_price(quantity, price):
    assert abs(line_net_amount(quantity, price) - quantity * price) <= Decimal("0.005")
