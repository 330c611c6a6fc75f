"""Properties over any sequence of what the provider and Af can do (SPEC S7.4, S7.6): whatever is invoiced, credited,
sent from an ERP, accepted or rejected, the amounts approved for payment never exceed the placement's orders, and no
order line is paid twice.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faportal.billing import services
from faportal.billing.models import Invoice, OrderLine, PurchaseOrder
from faportal.billing.rules import APPROVED_FOR_PAYMENT
from faportal.billing.tests.test_services import erp_invoice
from faportal.core.dates import YearMonth
from faportal.core.problems import Refused
from faportal.testing import place

actions = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), st.integers(0, 1)),
        st.tuples(st.just("credit"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("erp"), st.integers(0, 1), st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("1.2")])),
        st.tuples(st.just("accept"), st.integers(0, 5)),
        st.tuples(st.just("reject"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=8,
)
_numbers = iter(range(1, 10**6))


def _nth(invoices: list[Invoice], index: int) -> Invoice | None:
    return invoices[index % len(invoices)] if invoices else None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_approved_amounts_never_exceed_the_orders_and_no_line_is_paid_twice(
    billing, django_capture_on_commit_callbacks, steps
):
    placement = place(billing.world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=75))
    billing.plan(placement)
    order = PurchaseOrder.objects.get(placement=placement, kind="base")
    # The (at most two) months that have ended are reported and approved: delivered.
    lines = list(OrderLine.objects.filter(order=order, period_end__lt=datetime.date.today()).order_by("pk"))[-2:]
    for line in lines:
        billing.report(YearMonth.of(line.period_start), placement)
    actor = billing.finance_actor
    for step in steps:
        mine = list(Invoice.objects.filter(order=order).order_by("pk"))
        with django_capture_on_commit_callbacks(execute=True):
            try:
                if step[0] == "invoice":
                    services.invoice_line(actor=actor, line=OrderLine.objects.get(pk=lines[step[1] % len(lines)].pk))
                elif step[0] == "credit" and (target := _nth(mine, step[1])) is not None:
                    services.credit_invoice(actor=actor, invoice=target, reissue=step[2])
                elif step[0] == "erp":
                    line = OrderLine.objects.get(pk=lines[step[1] % len(lines)].pk)
                    quantity = (line.quantity * step[2]).quantize(Decimal("0.0001"))
                    data = erp_invoice(billing, line, number=f"ERP-{next(_numbers)}", quantity=quantity)
                    services.receive_document(actor=actor, data=data)
                elif step[0] == "accept" and (target := _nth(mine, step[1])) is not None:
                    services.accept(actor=billing.af_actor, invoice=target)
                elif step[0] == "reject" and (target := _nth(mine, step[1])) is not None:
                    services.reject(actor=billing.af_actor, invoice=target, reason="Fel belopp.")
            except Refused:
                pass
        payable = Invoice.objects.filter(
            order=order, document_type="invoice", match_status__in=APPROVED_FOR_PAYMENT, credited_at__isnull=True
        )
        assert sum(invoice.line_extension for invoice in payable) <= order.total
        held = Counter(
            line_id
            for invoice in payable
            for line_id in invoice.lines.exclude(order_line=None).values_list("order_line_id", flat=True)
        )
        assert all(count == 1 for count in held.values()), held
        for line in OrderLine.objects.filter(order=order):
            approved = [
                invoice for invoice in payable if line.pk in held and invoice.lines.filter(order_line=line).exists()
            ]
            assert sum(invoice.line_extension for invoice in approved) <= line.amount
