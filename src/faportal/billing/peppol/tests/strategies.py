"""Hypothesis strategies for the documents the portal makes: every combination of articles, levels, prices, whole
and partial months (pro rata by calendar days), several lines, VAT (25/12/6 %, zero-rated, exempt with its reason,
outside the scope of VAT), payment accounts, öresavrundning, and texts with characters XML must escape.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from hypothesis import strategies as st
from stdnum import luhn

from faportal.billing.peppol.values import (
    UNIT_DAY,
    UNIT_MONTH,
    UNIT_ONE,
    Address,
    Contact,
    CreditNote,
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
)

#: Example tariff (not Af's prices): Grundersättning per month by level, and the one-off compensations.
BASE_PRICE = {"A": Decimal("9800.00"), "B": Decimal("12400.00"), "C": Decimal("15600.00")}
ONE_OFF = {
    "Tilläggsersättning": Decimal("3000.00"),
    "Snabbhetspremie": Decimal("5000.00"),
    "Resultatersättning 1": Decimal("12000.00"),
    "Resultatersättning 2": Decimal("8000.00"),
}
EXEMPTIONS = (
    ("VATEX-EU-132", "Undantagen från skatteplikt enligt 10 kap. mervärdesskattelagen"),
    ("VATEX-EU-132-1I", None),
    (None, "Undantagen från skatteplikt: utbildning"),
)

#: Text people type: letters with å ä ö, digits, punctuation XML must escape, spaces and new lines inside.
_ALPHABET = st.sampled_from(list("abcåäöxyzABCÅÄÖ0129 &<>\"'-./:;()\n"))
texts = st.text(_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)


@st.composite
def organisationsnummer(draw: st.DrawFn) -> str:
    first_nine = draw(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
    return first_nine + luhn.calc_check_digit(first_nine)


@st.composite
def sellers(draw: st.DrawFn, *, vat_registered: bool = True) -> Seller:
    number = draw(organisationsnummer())
    address = Address(
        street=draw(st.none() | texts),
        additional_street=draw(st.none() | texts),
        city=draw(st.none() | texts),
        postal_code=draw(st.none() | st.from_regex(r"[1-9][0-9]{4}", fullmatch=True)),
    )
    contact = draw(
        st.none()
        | st.builds(
            Contact,
            name=texts,
            email=st.none() | st.just("faktura@exempel.se"),
            phone=st.none() | st.just("010-123 45 67"),
        )
    )
    return Seller(
        organisationsnummer=number,
        name=draw(texts),
        address=address,
        vat_number=f"SE{number}01" if vat_registered else None,
        f_skatt=draw(st.booleans()),
        contact=contact,
    )


payment_accounts = st.one_of(
    st.from_regex(r"[0-9]{7,8}", fullmatch=True).map(PaymentAccount.bankgiro),
    st.from_regex(r"[0-9]{2,8}", fullmatch=True).map(PaymentAccount.plusgiro),
    st.sampled_from(
        [
            PaymentAccount.iban("SE45 5000 0000 0583 9825 7466", bic="ESSESESS"),
            PaymentAccount.iban("SE35 5000 0000 0549 1000 0003"),
        ]
    ),
)


@st.composite
def months(draw: st.DrawFn) -> tuple[int, int]:
    return draw(st.integers(2025, 2031)), draw(st.integers(1, 12))


@st.composite
def vat_plans(draw: st.DrawFn) -> tuple[bool, list[Vat]]:
    """Whether the seller is VAT-registered, and the VAT choices a document's lines draw from."""
    exemption_code, exemption_text = draw(st.sampled_from(EXEMPTIONS))
    exempt = Vat.exempt(reason_code=exemption_code, reason=exemption_text)
    plan = draw(st.sampled_from(["25", "standard", "exempt", "25+exempt", "zero", "outside"]))
    if plan == "outside":
        return False, [Vat(category=VatCategory.NOT_SUBJECT, percent=None, exemption_reason="Ej momspliktig")]
    choices = {
        "25": [Vat.standard()],
        "standard": [Vat.standard(Decimal(25)), Vat.standard(Decimal(12)), Vat.standard(Decimal(6))],
        "exempt": [exempt],
        "25+exempt": [Vat.standard(), exempt],
        "zero": [Vat(category=VatCategory.ZERO_RATED, percent=Decimal(0)), Vat.standard()],
    }[plan]
    return True, choices


@st.composite
def month_lines(draw: st.DrawFn, *, year: int, month: int, vats: list[Vat], first_id: int) -> list[InvoiceLine]:
    """1–4 lines for one month: Grundersättning for the month or part of it, and one-off compensations."""
    days_in_month = calendar.monthrange(year, month)[1]
    lines = []
    for number in range(first_id, first_id + draw(st.integers(1, 4))):
        vat = draw(st.sampled_from(vats))
        kind = draw(st.sampled_from(["month", "part", "days", "one-off", "price"]))
        start_day = 1
        end_day = days_in_month
        if kind in ("part", "days"):
            start_day = draw(st.integers(1, days_in_month))
            end_day = draw(st.integers(start_day, days_in_month))
        days = end_day - start_day + 1
        level_price = BASE_PRICE[draw(st.sampled_from(sorted(BASE_PRICE)))]
        period = Period(start=datetime.date(year, month, start_day), end=datetime.date(year, month, end_day))
        if kind == "one-off":
            name, price = draw(st.sampled_from(sorted(ONE_OFF.items())))
            quantity, unit, period_or_none = Decimal(1), UNIT_ONE, draw(st.none() | st.just(period))
        elif kind == "part":  # a fraction of a month at the monthly price (pro rata by calendar days)
            name, price, unit, period_or_none = "Grundersättning", level_price, UNIT_MONTH, period
            places = draw(st.sampled_from([Decimal("0.0001"), Decimal("0.000001")]))
            quantity = (Decimal(days) / Decimal(days_in_month)).quantize(places)
        elif kind == "days":  # days at a daily price with more decimals than öre
            name, unit, period_or_none = "Grundersättning", UNIT_DAY, period
            price = (level_price / Decimal(days_in_month)).quantize(Decimal("0.0001"))
            quantity = Decimal(days)
        elif kind == "price":  # any price and quantity the tariff might hold
            name, unit, period_or_none = "Grundersättning", UNIT_MONTH, period
            price = draw(st.decimals(min_value=0, max_value=200_000, places=2))
            quantity = draw(st.decimals(min_value=Decimal("0.01"), max_value=12, places=2))
        else:
            name, price, quantity, unit, period_or_none = "Grundersättning", level_price, Decimal(1), UNIT_MONTH, period
        lines.append(
            InvoiceLine(
                id=str(number),
                description=name,
                article_id=draw(st.none() | st.sampled_from(["166", "GRUND", "RES-1"])),
                quantity=quantity,
                unit_code=unit,
                unit_price=price,
                vat=vat,
                period=period_or_none,
                order_line_id=draw(st.none() | st.from_regex(r"00[1-6]", fullmatch=True)),
            )
        )
    return lines


@st.composite
def billing_parts(draw: st.DrawFn) -> dict[str, object]:
    vat_registered, vats = draw(vat_plans())
    year, month = draw(months())
    lines = draw(month_lines(year=year, month=month, vats=vats, first_id=1))
    if draw(st.booleans()):  # a second month on the same document
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        lines += draw(month_lines(year=next_year, month=next_month, vats=vats, first_id=len(lines) + 1))
    starts = [line.period.start for line in lines if line.period is not None]
    ends = [line.period.end for line in lines if line.period is not None]
    period = None
    with_period = draw(st.booleans())
    if starts and with_period:
        period = Period(start=min(starts).replace(day=1), end=max(ends))
    issue_date = draw(st.dates(datetime.date(2025, 1, 1), datetime.date(2032, 12, 31)))
    return {
        "number": draw(st.from_regex(r"F[0-9]{4}-[0-9]{6}", fullmatch=True)),
        "issue_date": issue_date,
        "seller": draw(sellers(vat_registered=vat_registered)),
        "order_number": draw(st.from_regex(r"IN[0-9]{6}-[0-9]{1,3}", fullmatch=True)),
        "buyer_reference": draw(st.none() | st.from_regex(r"GR-20[0-9]{2}-[0-9]{6}", fullmatch=True)),
        "contract_id": draw(st.none() | st.from_regex(r"KA-[0-9]{5}", fullmatch=True)),
        "period": period,
        "lines": tuple(lines),
        "note": draw(st.none() | texts),
        "round_to_whole_kronor": draw(st.booleans()),
        "payment_reference": draw(st.none() | st.from_regex(r"[0-9]{6,12}", fullmatch=True)),
    }


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    parts = draw(billing_parts())
    issue_date = parts["issue_date"]
    assert isinstance(issue_date, datetime.date)
    return Invoice(
        **parts,  # type: ignore[arg-type]
        due_date=due_date_for(issue_date),
        payment=draw(payment_accounts),
        payment_terms=draw(st.none() | st.just("30 dagar netto")),
    )


@st.composite
def credit_notes(draw: st.DrawFn) -> CreditNote:
    parts = draw(billing_parts())
    issue_date = parts["issue_date"]
    assert isinstance(issue_date, datetime.date)
    corrected_date = draw(st.none() | st.just(issue_date - datetime.timedelta(days=draw(st.integers(0, 60)))))
    payment = draw(st.none() | payment_accounts)
    if payment is None:
        parts["payment_reference"] = None
    return CreditNote(
        **parts,  # type: ignore[arg-type]
        corrects=InvoiceReference(
            number=draw(st.from_regex(r"F[0-9]{4}-[0-9]{6}", fullmatch=True)), issue_date=corrected_date
        ),
        payment=payment,
    )


@st.composite
def orders(draw: st.DrawFn) -> PurchaseOrder:
    """A base order: one Grundersättning line per calendar month of a placement period (first and last months
    pro rata by calendar days), or a result order with one line."""
    vat_registered, vats = draw(vat_plans())
    vat = draw(st.sampled_from(vats))
    start = draw(st.dates(datetime.date(2025, 1, 1), datetime.date(2031, 12, 31)))
    length = draw(st.integers(1, 200))
    end = start + datetime.timedelta(days=length)
    price = BASE_PRICE[draw(st.sampled_from(sorted(BASE_PRICE)))]
    lines: list[OrderLine] = []
    month_start = start
    while month_start <= end:
        days_in_month = calendar.monthrange(month_start.year, month_start.month)[1]
        month_end = min(month_start.replace(day=days_in_month), end)
        days = (month_end - month_start).days + 1
        quantity = (
            Decimal(1)
            if days == days_in_month
            else (Decimal(days) / Decimal(days_in_month)).quantize(Decimal("0.0001"))
        )
        lines.append(
            OrderLine(
                id=f"{len(lines) + 1:03d}",
                description="Grundersättning",
                article_id="166",
                quantity=quantity,
                unit_code=UNIT_MONTH,
                unit_price=price,
                vat=vat,
                period=Period(start=month_start, end=month_end),
            )
        )
        month_start = month_end + datetime.timedelta(days=1)
    if draw(st.booleans()):  # a result order instead
        name, one_off = draw(st.sampled_from(sorted(ONE_OFF.items())))
        lines = [
            OrderLine(id="001", description=name, quantity=Decimal(1), unit_code=UNIT_ONE, unit_price=one_off, vat=vat)
        ]
        valid_until: datetime.date | None = end  # a result order has no period: it says how long it is valid
    else:
        valid_until = draw(st.none() | st.just(end + datetime.timedelta(days=60)))
    return PurchaseOrder(
        number=draw(st.from_regex(r"IN[0-9]{6}-[0-9]{1,3}", fullmatch=True)),
        issue_date=start,
        valid_until=valid_until,
        seller=draw(sellers(vat_registered=vat_registered)),
        buyer_reference=draw(st.none() | st.from_regex(r"GR-20[0-9]{2}-[0-9]{6}", fullmatch=True)),
        contract_id=draw(st.none() | st.from_regex(r"KA-[0-9]{5}", fullmatch=True)),
        period=draw(st.none() | st.just(Period(start=start, end=end))),
        lines=tuple(lines),
        note=draw(st.none() | texts),
    )
