"""Every order, invoice and credit note the portal can issue passes the official rules (SPEC S7.4, S7.5).

Hypothesis goes over what the code can produce: the three levels and any price, placement periods starting on any
day (partial first and last months), interruptions on any day of the period (pro rata, months after it never
invoiced), 25 % VAT or an exemption, F-skatt or not, bankgiro or plusgiro; and the result orders. Each document is
built by the same functions the services use and validated with the official artefacts (XSD, EN 16931, PEPPOL, T01):
no error and no warning.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faportal.billing import issuing, peppol, rules
from faportal.billing.models import BillingProfile
from faportal.billing.peppol.tests.strategies import organisationsnummer, texts
from faportal.billing.peppol.values import UNIT_MONTH, UNIT_ONE
from faportal.billing.rules import Article
from faportal.placements.rules import period_end
from faportal.registry.models import Organisation

prices = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2)


def assert_valid(validator, xml: bytes) -> None:
    report = validator.validate(xml)
    assert report.valid, [(rule.rule_id, rule.text) for rule in report.failed_rules] + list(report.schema_errors)
    assert not report.warnings, [(rule.rule_id, rule.text) for rule in report.warnings]


@st.composite
def profiles(draw: st.DrawFn) -> tuple[Organisation, BillingProfile]:
    organisation = Organisation(organisationsnummer=draw(organisationsnummer()), name=draw(texts))
    exempt = draw(st.booleans())
    plusgiro = draw(st.booleans())
    profile = BillingProfile(
        organisation=organisation,
        street=draw(texts),
        postcode=draw(st.from_regex(r"[1-9][0-9]{4}", fullmatch=True)),
        town=draw(texts),
        vat="exempt" if exempt else "standard_25",
        exemption_reason=draw(texts) if exempt else "",
        f_skatt=draw(st.booleans()),
        account_kind="SE:PLUSGIRO" if plusgiro else "SE:BANKGIRO",
        account_number=draw(st.from_regex(r"[0-9]{2,8}" if plusgiro else r"[0-9]{7,8}", fullmatch=True)),
        contact_name=draw(st.sampled_from(["", "Ekonomi"])),
        contact_email=draw(st.sampled_from(["", "faktura@exempel.se"])),
        contact_phone="",
    )
    return organisation, profile


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    party=profiles(),
    level=st.sampled_from("ABC"),
    price=prices,
    starts_on=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2029, 12, 31)),
    interruption_day=st.none() | st.integers(min_value=0, max_value=185),
)
def test_every_base_order_and_its_invoices_and_credit_notes_are_valid(
    validator, party, level, price, starts_on, interruption_day
):
    organisation, profile = party
    seller = issuing.seller_of(organisation, profile)
    vat = issuing.vat_of(profile)
    ends_on = period_end(starts_on)
    last_day = ends_on
    if interruption_day is not None:
        interrupts_on = min(starts_on + datetime.timedelta(days=interruption_day), ends_on)
        last_day = interrupts_on - datetime.timedelta(days=1)
    month_lines = rules.base_order_lines(starts_on=starts_on, ends_on=ends_on)
    specs = [
        issuing.LineSpec(line.number, Article.BASE, line.start, line.end, line.quantity, UNIT_MONTH, price)
        for line in month_lines
    ]
    order = issuing.order_document(
        number="IO2026-000001",
        day=starts_on,
        seller=seller,
        genomforandereferens="GFR-2026-000001",
        period=(starts_on, ends_on),
        lines=specs,
        vat=vat,
    )
    assert_valid(validator, peppol.write_order(order))
    assert sum(line.net_amount for line in order.lines) == sum(
        peppol.line_net_amount(spec.quantity, price) for spec in specs
    )
    for index, spec in enumerate(specs):
        assert spec.start is not None
        assert spec.end is not None
        delivered = rules.delivered(line_start=spec.start, line_end=spec.end, last_day=last_day, monthly_price=price)
        if delivered is None:
            assert spec.start > last_day  # months after the interruption are never invoiced
            continue
        assert delivered.amount <= peppol.line_net_amount(spec.quantity, price)  # never more than ordered
        invoice = issuing.invoice_document(
            number=f"FA2026-{index + 1:05d}",
            day=spec.end + datetime.timedelta(days=10),
            seller=seller,
            order_number=order.number,
            genomforandereferens="GFR-2026-000001",
            line=spec,
            delivered_quantity=delivered.quantity,
            delivered_days=delivered.days,
            vat=vat,
            account=issuing.account_of(profile),
        )
        assert invoice.lines[0].net_amount == delivered.amount
        assert_valid(validator, peppol.write_invoice(invoice))
        if index == 0:
            credit = issuing.credit_note_document(
                original=invoice, number="FA2026-09999", day=invoice.issue_date, account=issuing.account_of(profile)
            )
            assert_valid(validator, peppol.write_credit_note(credit))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    party=profiles(),
    article=st.sampled_from([Article.RESULT_1, Article.RESULT_2]),
    price=prices,
    day=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2029, 12, 31)),
)
def test_every_result_order_and_its_invoice_are_valid(validator, party, article, price, day):
    organisation, profile = party
    seller = issuing.seller_of(organisation, profile)
    spec = issuing.LineSpec("1", article, None, None, Decimal(1), UNIT_ONE, price)
    order = issuing.order_document(
        number="IO2026-000002",
        day=day,
        seller=seller,
        genomforandereferens="GFR-2026-000002",
        period=None,
        lines=[spec],
        vat=issuing.vat_of(profile),
    )
    assert_valid(validator, peppol.write_order(order))
    invoice = issuing.invoice_document(
        number="FA2026-00001",
        day=day,
        seller=seller,
        order_number=order.number,
        genomforandereferens="GFR-2026-000002",
        line=spec,
        delivered_quantity=Decimal(1),
        delivered_days=None,
        vat=issuing.vat_of(profile),
        account=issuing.account_of(profile),
    )
    assert_valid(validator, peppol.write_invoice(invoice))
