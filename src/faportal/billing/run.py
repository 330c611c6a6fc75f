"""Månadskörningen (SPEC S7.3, S7.6): the worker's monthly pass, set-based so it scales to 10 × national volume.

Af's approvals are turned into orders and goods receipts one by one as they happen (``services.react_to_decision``);
the run is the safety net and the clock: it issues every order an approval should have issued, finds every order
line whose month's report is approved but not yet received (newly invoiceable) or that lies after an interruption
(never invoiceable), pays the invoices whose due date has come, and posts again what the access point has not
taken. Lines are read month by month in one query each and written in chunks; nothing is done twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from faportal.audit.services import record
from faportal.billing import outbox, rules, services
from faportal.billing.models import BillingRun, GoodsReceipt, OrderLine, PurchaseOrder, RunStatus
from faportal.billing.rules import LineStatus, OrderKind
from faportal.core.dates import YearMonth
from faportal.documents.models import Document, Review, ReviewStatus
from faportal.placements.models import Interruption, today
from faportal.placements.rules import last_day

CHUNK = 5000


def start(*, started_by: str) -> BillingRun:
    """Queue a run (the back office's button, or ``manage.py billing_run`` from cron)."""
    from faportal.billing.tasks import monthly_run

    billing_run = BillingRun.objects.create(started_by=started_by)
    transaction.on_commit(lambda: monthly_run.enqueue(run_id=billing_run.pk))
    return billing_run


def execute(*, run_id: int, day: datetime.date | None = None) -> BillingRun:
    """Carry out a queued run (once)."""
    billing_run = BillingRun.objects.get(pk=run_id)
    if billing_run.status != RunStatus.QUEUED:
        return billing_run
    billing_run.status = RunStatus.RUNNING
    billing_run.save(update_fields=["status"])
    day = day or today()
    try:
        counts = {"orders": issue_missing_orders()}
        counts["not_invoiceable"] = close_after_interruptions(day=day)
        counts["invoiceable"] = receive_months(day=day)
        counts["paid"] = services.pay_due_invoices(day=day)
        counts["posted_again"] = outbox.retry_unposted()
    except Exception:
        billing_run.status = RunStatus.FAILED
        billing_run.finished_at = timezone.now()
        billing_run.save(update_fields=["status", "finished_at"])
        raise
    billing_run.status = RunStatus.DONE
    billing_run.counts = counts
    billing_run.finished_at = timezone.now()
    billing_run.save(update_fields=["status", "counts", "finished_at"])
    record(services.system_actor(), "billing.run", billing_run, counts=counts)
    return billing_run


def issue_missing_orders() -> int:
    """Every approved plan or result report without its order (a lost task, a missing tariff since entered)."""
    issued = 0
    for document_kind, order_kind in rules.ORDER_FOR_DOCUMENT_KIND.items():
        has_order = PurchaseOrder.objects.filter(placement=OuterRef("placement"), kind=order_kind)
        missing = (
            Document.objects.filter(kind=document_kind, review__status=ReviewStatus.APPROVED)
            .exclude(Exists(has_order))
            .values_list("pk", flat=True)
        )
        for document_id in list(missing):
            try:
                if services.issue_order(document_id=document_id) is not None:
                    issued += 1
            except services.Refused:
                continue  # no tariff yet: the next run tries again
    return issued


def _pending_months(day: datetime.date) -> list[YearMonth]:
    starts = (
        OrderLine.objects.filter(status=LineStatus.NOT_DELIVERED, period_start__lte=day, order__kind=OrderKind.BASE)
        .values_list("period_start", flat=True)
        .distinct()
    )
    return sorted({YearMonth.of(start) for start in starts})


def close_after_interruptions(*, day: datetime.date) -> int:
    """Månader efter avbrott (SPEC S7.3): every base-order line of a month that starts on or after an interruption
    that has taken effect (its date has come: it can no longer be moved or withdrawn) is never invoiceable. One
    statement for every placement at once.
    """
    cut = Interruption.objects.filter(
        placement=OuterRef("placement"), withdrawn_at__isnull=True, interrupts_on__lte=day
    ).filter(
        # The line's month starts on or after the interruption: its last day came before the line's first.
        interrupts_on__lte=OuterRef("period_start"),
    )
    with transaction.atomic():
        return (
            OrderLine.objects.filter(status=LineStatus.NOT_DELIVERED, invoice__isnull=True, order__kind=OrderKind.BASE)
            .filter(Exists(cut))
            .update(status=LineStatus.NOT_INVOICEABLE)
        )


def receive_months(*, day: datetime.date) -> int:
    """Newly invoiceable lines: an approved monthly report and no goods receipt yet, month by month."""
    return sum(_receive_month(month, day) for month in _pending_months(day))


def _receive_month(month: YearMonth, day: datetime.date) -> int:
    lines = list(
        OrderLine.objects.filter(
            status=LineStatus.NOT_DELIVERED,
            order__kind=OrderKind.BASE,
            period_start__gte=month.first_day,
            period_start__lte=min(month.last_day, day),
            invoice__isnull=True,
        ).values_list("pk", "placement_id", "period_start", "period_end", "unit_price")
    )
    if not lines:
        return 0
    placement_ids = {line[1] for line in lines}
    # The month's approved report of each placement, and when it was approved (the receipt's date).
    approved = Review.objects.filter(
        kind=rules.GOODS_RECEIPT_KIND, status=ReviewStatus.APPROVED, document__period_start=month.first_day
    ).values_list("document__placement_id", "document_id", "decided_at")
    reports = {placement_id: (document_id, at) for placement_id, document_id, at in approved.iterator(chunk_size=CHUNK)}
    interruptions = _last_days(placement_ids, month)
    receipts: list[GoodsReceipt] = []
    for line_id, placement_id, start, end, price in lines:
        report = reports.get(placement_id)
        if report is None:
            continue
        final_day = interruptions.get(placement_id, end)
        delivered = rules.delivered(line_start=start, line_end=end, last_day=final_day, monthly_price=Decimal(price))
        if delivered is None:
            continue  # after the interruption: closed above
        document_id, approved_at = report
        receipts.append(
            GoodsReceipt(
                order_line_id=line_id,
                document_id=document_id,
                received_on=timezone.localdate(approved_at) if approved_at else day,
                days=delivered.days,
                quantity=delivered.quantity,
                amount=delivered.amount,
                interrupted=delivered.interrupted,
            )
        )
    for index in range(0, len(receipts), CHUNK):
        chunk = receipts[index : index + CHUNK]
        with transaction.atomic():
            # ignore_conflicts: a receipt the event path made meanwhile is kept, not duplicated.
            GoodsReceipt.objects.bulk_create(chunk, ignore_conflicts=True)
            OrderLine.objects.filter(
                pk__in=[receipt.order_line_id for receipt in chunk],
                status=LineStatus.NOT_DELIVERED,
                invoice__isnull=True,
            ).update(status=LineStatus.INVOICEABLE)
    return len(receipts)


def _last_days(placement_ids: set[int], month: YearMonth) -> dict[int, datetime.date]:
    """The last day of each placement that an interruption cut short, for those among ``placement_ids``."""
    rows = Interruption.objects.filter(withdrawn_at__isnull=True, interrupts_on__lte=month.last_day).values_list(
        "placement_id", "interrupts_on", "placement__ends_on"
    )
    return {
        placement_id: last_day(ends_on=ends_on, interrupts_on=interrupts_on)
        for placement_id, interrupts_on, ends_on in rows.iterator(chunk_size=CHUNK)
        if placement_id in placement_ids
    }
