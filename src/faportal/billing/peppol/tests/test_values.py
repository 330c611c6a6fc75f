"""The values refuse what the official rules would refuse, with a reason in Swedish and English."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from faportal.billing.peppol.tests.test_writer import SELLER, _invoice
from faportal.billing.peppol.values import (
    Address,
    Contact,
    CreditNote,
    InvalidValue,
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
)

LINE = _invoice().lines[0]


def _line(**changes) -> InvoiceLine:
    return InvoiceLine(**{**LINE.__dict__, **changes})


def _seller(**changes) -> Seller:
    return Seller(**{**SELLER.__dict__, **changes})


@pytest.mark.parametrize(
    ("make", "code", "swedish"),
    [
        (
            lambda: _seller(organisationsnummer="5566778890"),
            "organisationsnummer",
            "Säljarens organisationsnummer (BT-30) ska vara tio siffror med rätt kontrollsiffra.",
        ),
        (lambda: _seller(organisationsnummer="556677-8899"), "organisationsnummer", None),
        (lambda: _seller(vat_number="SE5566778899"), "vat-number", None),
        (
            lambda: _seller(name=" "),
            "blank",
            "Säljarens namn (BT-27) får inte vara tomt eller börja eller sluta med mellanslag.",
        ),
        (lambda: _seller(name="A\x01B"), "characters", None),
        (lambda: Address(country="Sverige"), "country", None),
        (lambda: Contact(), "contact", None),
        (lambda: Vat.standard(Decimal(20)), "vat-rate", "Normal momssats i Sverige är 25, 12 eller 6 procent."),
        (lambda: Vat.exempt(), "vat-reason-missing", None),
        (
            lambda: Vat(category=VatCategory.STANDARD, percent=Decimal(25), exemption_reason="x"),
            "vat-reason-not-allowed",
            None,
        ),
        (
            lambda: Vat(category=VatCategory.NOT_SUBJECT, percent=Decimal(0), exemption_reason="x"),
            "vat-not-subject-rate",
            None,
        ),
        (lambda: Vat(category=VatCategory.ZERO_RATED, percent=Decimal(6)), "vat-zero-rate", None),
        (lambda: PaymentAccount.bankgiro("123-456"), "bankgiro", "Ett bankgironummer har 7 eller 8 siffror."),
        (lambda: PaymentAccount.plusgiro("1"), "plusgiro", None),
        (lambda: PaymentAccount.iban("SE45 5000 0000 0583 9825 7467"), "iban", None),
        (
            lambda: PaymentAccount(kind=PaymentAccount.bankgiro("56781234").kind, account="56781234", bic="ESSESESS"),
            "bic",
            None,
        ),
        (lambda: Period(start=datetime.date(2026, 10, 2), end=datetime.date(2026, 10, 1)), "period", None),
        (lambda: _line(quantity=Decimal(0)), "quantity", "Antalet måste vara större än noll."),
        (lambda: _line(quantity=Decimal("1e999")), "out-of-range", None),
        (lambda: _line(unit_price=Decimal("-1.00")), "unit-price", None),
        (lambda: _line(unit_code="månad"), "unit", None),
        (lambda: _invoice(lines=()), "no-lines", None),
        (lambda: _invoice(lines=(LINE, LINE)), "duplicate-line-ids", "Två rader har samma id (1)."),
        (
            lambda: _invoice(period=Period(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 20))),
            "line-period-outside",
            "Rad 1 gäller en period utanför dokumentets period.",
        ),
        (lambda: _invoice(due_date=datetime.date(2026, 11, 4)), "due-before-issue", None),
        (lambda: _invoice(order_number=""), "blank", None),
        (lambda: _invoice(seller=_seller(vat_number=None)), "vat-number-missing", None),
        (
            lambda: _invoice(
                lines=(
                    _line(vat=Vat(category=VatCategory.NOT_SUBJECT, percent=None, exemption_reason="Ej momspliktig")),
                )
            ),
            "vat-not-subject-vat-number",
            None,
        ),
        (
            lambda: _invoice(
                lines=(
                    LINE,
                    _line(
                        id="2",
                        vat=Vat(category=VatCategory.NOT_SUBJECT, percent=None, exemption_reason="Ej momspliktig"),
                    ),
                )
            ),
            "vat-not-subject-mixed",
            None,
        ),
        (
            lambda: _invoice(lines=(_line(vat=Vat.exempt(reason="A")), _line(id="2", vat=Vat.exempt(reason="B")))),
            "vat-reasons-differ",
            None,
        ),
        (
            lambda: CreditNote(
                number="K1",
                issue_date=datetime.date(2026, 11, 6),
                seller=SELLER,
                order_number="IN1",
                corrects=InvoiceReference(number="F1"),
                lines=(LINE,),
                payment_reference="123",
            ),
            "reference-without-account",
            None,
        ),
    ],
)
def test_what_the_rules_would_refuse_cannot_be_made(make, code, swedish):
    with pytest.raises(InvalidValue) as raised:
        make()
    assert raised.value.code == code
    assert raised.value.swedish
    assert raised.value.english == str(raised.value)
    if swedish is not None:
        assert raised.value.swedish == swedish


def test_a_payment_reference_equal_to_the_number_is_no_reference_of_its_own():
    assert _invoice(payment_reference="F2026-000123").payment_reference is None
    assert _invoice(payment_reference="F2026-000123") == _invoice()


def test_thirty_days_terms():
    assert due_date_for(datetime.date(2026, 11, 5)) == datetime.date(2026, 12, 5)
    assert due_date_for(datetime.date(2027, 2, 1)) == datetime.date(2027, 3, 3)


def test_the_peppol_ids_are_scheme_0007_and_the_organisationsnummer():
    assert SELLER.peppol_id == "0007:5566778899"
    assert _invoice().buyer.peppol_id == "0007:2021002114"


def test_an_order_is_valid_until_its_period_ends_unless_told_otherwise():
    line = OrderLine(
        id="001",
        description="Resultatersättning 1",
        quantity=Decimal(1),
        unit_code="C62",
        unit_price=Decimal("12000.00"),
        vat=Vat.standard(),
    )
    order = PurchaseOrder(number="IN1", issue_date=datetime.date(2026, 10, 1), seller=SELLER, lines=(line,))
    assert order.validity_end is None
    period = Period(start=datetime.date(2026, 10, 1), end=datetime.date(2027, 3, 31))
    assert PurchaseOrder(**{**order.__dict__, "period": period}).validity_end == datetime.date(2027, 3, 31)
    assert PurchaseOrder(**{**order.__dict__, "valid_until": datetime.date(2027, 6, 30)}).validity_end == datetime.date(
        2027, 6, 30
    )
