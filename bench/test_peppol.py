"""How fast PEPPOL documents are written, validated and read (issue 11: every generated document is validated
before it is kept, and every invoice from a provider's ERP on upload).

Targets (this project's 2-core machines, which other work shares): compiling the official schemas and Schematron
once per process in under 5 s; writing and validating a typical invoice (1–12 lines) in under 50 ms on average over
300 invoices; a 100-line invoice in under 500 ms; a six-line order in under 50 ms. Almost all of it is the two
Schematron transformations in SaxonC. Each measurement is the best of three runs.
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings

from faportal.billing.peppol import (
    Address,
    Invoice,
    InvoiceLine,
    OrderLine,
    PaymentAccount,
    Period,
    PurchaseOrder,
    Seller,
    Vat,
    due_date_for,
    read_billing_document,
    write_invoice,
    write_order,
)
from faportal.billing.peppol.validation import Artifacts, Validator, validator_for

SELLER = Seller(
    organisationsnummer="5566778899",
    name="Exempel Matchning AB",
    address=Address(street="Storgatan 1", city="Uppsala", postal_code="75320"),
    vat_number="SE556677889901",
    f_skatt=True,
)


def best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def invoice(rng: random.Random, number: int, lines: int) -> Invoice:
    year, month = 2026, rng.randint(1, 12)
    days_in_month = calendar.monthrange(year, month)[1]
    made = []
    for line in range(1, lines + 1):
        start = rng.randint(1, days_in_month)
        made.append(
            InvoiceLine(
                id=str(line),
                description="Grundersättning",
                article_id="166",
                quantity=(Decimal(days_in_month - start + 1) / Decimal(days_in_month)).quantize(Decimal("0.0001")),
                unit_price=Decimal(rng.choice(["9800.00", "12400.00", "15600.00"])),
                vat=rng.choice([Vat.standard(), Vat.exempt(reason_code="VATEX-EU-132")]),
                period=Period(start=datetime.date(year, month, start), end=datetime.date(year, month, days_in_month)),
                order_line_id=f"{line:03d}",
            )
        )
    issue_date = datetime.date(year, month, days_in_month) + datetime.timedelta(days=5)
    return Invoice(
        number=f"F2026-{number:06d}",
        issue_date=issue_date,
        due_date=due_date_for(issue_date),
        seller=SELLER,
        order_number=f"IN2601{number:02d}-{number}",
        buyer_reference=f"GR-2026-{number:06d}",
        period=Period(start=datetime.date(year, month, 1), end=datetime.date(year, month, days_in_month)),
        lines=tuple(made),
        payment=PaymentAccount.bankgiro("5678-1234"),
    )


def test_compile_once_per_process():
    artifacts = Artifacts(settings.PEPPOL_ARTIFACTS_DIR)
    seconds = best_of(3, lambda: Validator(artifacts))
    print(f"\ncompile the schemas and Schematron: {seconds:.2f} s (target 5 s)")
    assert seconds < 5


def test_write_and_validate_typical_invoices():
    validator = validator_for(settings.PEPPOL_ARTIFACTS_DIR)
    rng = random.Random(11)
    invoices = [invoice(rng, number, rng.randint(1, 12)) for number in range(300)]
    validator.validate(write_invoice(invoices[0]))  # the first run of each stylesheet warms it up

    def work() -> None:
        for each in invoices:
            assert validator.validate(write_invoice(each)).valid

    seconds = best_of(3, work) / len(invoices)
    print(f"\nwrite + validate: {seconds * 1000:.1f} ms per invoice of 1–12 lines ({len(invoices)}; target 50 ms)")
    read_seconds = best_of(3, lambda: [read_billing_document(write_invoice(each)) for each in invoices]) / len(invoices)
    print(f"write + read back: {read_seconds * 1000:.1f} ms per invoice")
    assert seconds < 0.05


def test_validate_a_hundred_line_invoice():
    validator = validator_for(settings.PEPPOL_ARTIFACTS_DIR)
    xml = write_invoice(invoice(random.Random(3), 1, 100))
    validator.validate(xml)
    seconds = best_of(3, lambda: validator.validate(xml))
    print(f"\nvalidate a 100-line invoice ({len(xml) // 1024} KiB): {seconds * 1000:.0f} ms (target 500 ms)")
    assert seconds < 0.5


def test_write_and_validate_an_order():
    validator = validator_for(settings.PEPPOL_ARTIFACTS_DIR)
    lines = tuple(
        OrderLine(
            id=f"{month:03d}",
            description="Grundersättning",
            article_id="166",
            quantity=Decimal(1),
            unit_price=Decimal("12400.00"),
            vat=Vat.standard(),
            period=Period(start=datetime.date(2026, month, 1), end=datetime.date(2026, month, 28)),
        )
        for month in range(1, 7)
    )
    order = PurchaseOrder(number="IN260101-1", issue_date=datetime.date(2025, 12, 20), seller=SELLER, lines=lines)
    validator.validate(write_order(order))
    seconds = best_of(3, lambda: [validator.validate(write_order(order)) for _ in range(50)]) / 50
    print(f"\nwrite + validate a six-line order: {seconds * 1000:.1f} ms (target 50 ms)")
    assert seconds < 0.05
