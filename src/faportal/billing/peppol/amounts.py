"""The amounts of an invoice, a credit note or an order, computed from its lines (EN 16931 BG-22 and BG-23).

One rule each, the way the official rules check them: a line's amount is quantity × price rounded to öre; VAT is
computed per category and rate on the sum of its lines (BR-S-08/09, BR-CO-17), rounded half up to öre; the totals
are sums (BR-CO-10, 13, 14, 15); an optional öresavrundning rounds the amount to pay to whole kronor (BR-CO-16).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from faportal.billing.peppol.values import Vat, VatCategory, line_net_amount

_CENT = Decimal("0.01")
_KRONA = Decimal(1)

__all__ = ["TaxSubtotal", "Totals", "line_net_amount", "totals"]


@dataclass(frozen=True, kw_only=True)
class TaxSubtotal:
    """Momsspecifikation (BG-23): the taxable amount and the VAT of one category and rate."""

    vat: Vat
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Totals:
    """Summor (BG-22): what the document adds up to."""

    #: Sum of the lines' amounts (BT-106).
    line_extension: Decimal
    tax_subtotals: tuple[TaxSubtotal, ...]
    #: Total VAT (BT-110).
    tax_amount: Decimal
    #: Total without VAT (BT-109); the portal has no document-level allowances or charges, so it is BT-106.
    tax_exclusive: Decimal
    #: Total with VAT (BT-112).
    tax_inclusive: Decimal
    #: Öresavrundning (BT-114); None when the document does not round.
    rounding: Decimal | None
    #: Amount to pay (BT-115).
    payable: Decimal


class _HasLine(Protocol):
    @property
    def vat(self) -> Vat: ...

    @property
    def net_amount(self) -> Decimal: ...


def _vat_of(taxable: Decimal, vat: Vat) -> Decimal:
    if vat.category is not VatCategory.STANDARD or vat.percent is None:
        return Decimal("0.00")
    return (taxable * vat.percent / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def totals(lines: Iterable[_HasLine], *, round_to_whole_kronor: bool = False) -> Totals:
    """Fakturans summor: line sum, VAT per category and rate, totals and öresavrundning (EN 16931 BG-22/23)."""
    groups: dict[tuple[VatCategory, Decimal | None], tuple[Vat, Decimal]] = {}
    line_extension = Decimal("0.00")
    for line in lines:
        amount = line.net_amount
        line_extension += amount
        vat, taxable = groups.get(line.vat.group, (line.vat, Decimal("0.00")))
        groups[line.vat.group] = (vat, taxable + amount)
    subtotals = tuple(
        TaxSubtotal(vat=vat, taxable_amount=taxable, tax_amount=_vat_of(taxable, vat))
        for vat, taxable in groups.values()
    )
    tax_amount = sum((subtotal.tax_amount for subtotal in subtotals), Decimal("0.00"))
    tax_inclusive = line_extension + tax_amount
    rounding = None
    payable = tax_inclusive
    if round_to_whole_kronor:
        payable = tax_inclusive.quantize(_KRONA, rounding=ROUND_HALF_UP).quantize(_CENT)
        rounding = payable - tax_inclusive
    return Totals(
        line_extension=line_extension,
        tax_subtotals=subtotals,
        tax_amount=tax_amount,
        tax_exclusive=line_extension,
        tax_inclusive=tax_inclusive,
        rounding=rounding,
        payable=payable,
    )
