"""The monthly billing run at ten times national volume: 500 000 placements (issue 11, SPEC S7.3).

Target (these machines: 2 cores, SQLite): the run finishes in under 5 minutes. The data is what the run meets at the
start of a month when the event path has done nothing (the worst case): every placement has an approved joint plan
and its base order (last month's and this month's lines), last month's report is approved but not yet received, and
one placement in ten was interrupted during last month (pro rata, and this month's line closed). The run must make
every delivered line invoiceable with its goods receipt, close every line after an interruption, and issue no order.

Self-contained (its own data, no other bench module); the number of placements can be lowered for a quick look with
``BENCH_BILLING_PLACEMENTS``. Seeding uses bulk inserts and is not part of the measured time.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from faportal.access.models import StaffAccount
from faportal.billing import run
from faportal.billing.models import BillingRun, GoodsReceipt, OrderLine, PurchaseOrder, Tariff
from faportal.billing.rules import LineStatus, month_share
from faportal.core.dates import YearMonth
from faportal.core.identifiers import fictional_organisationsnummer, fictional_personnummer
from faportal.documents.models import Document, Review, ReviewStatus
from faportal.identity.models import Person
from faportal.placements.models import Interruption, Participant, Placement
from faportal.registry.models import Address, Municipality, Organisation, Service, Unit

PLACEMENTS = int(os.environ.get("BENCH_BILLING_PLACEMENTS", "500000"))
TARGET_SECONDS = 300
CHUNK = 20_000

pytestmark = pytest.mark.django_db


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Rows straight into the model's table with ``executemany`` (Django's bulk_create would take a quarter of an
    hour here): every concrete field, from the row or its default, in the database's form.
    """
    db = connections[DEFAULT_DB_ALIAS]
    fields = list(model._meta.concrete_fields)
    quote = db.ops.quote_name
    # Names from the models' own metadata, quoted; the values go as parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    now = timezone.now()
    moments: dict[datetime.datetime, Any] = {}

    def value_of(field: Any, row: dict[str, Any]) -> Any:
        if field.attname in row:
            value = row[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if isinstance(value, datetime.datetime):
            if value not in moments:
                moments[value] = db.ops.adapt_datetimefield_value(value)
            return moments[value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value

    prepared = [[value_of(field, row) for field in fields] for row in rows]
    with db.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _seed(today: datetime.date) -> dict[str, int]:
    last = YearMonth.of(today).previous()
    this = YearMonth.of(today)
    service = Service.objects.get(code="rusta-och-matcha")
    organisation = Organisation.objects.create(
        organisationsnummer=fictional_organisationsnummer("55699999"), name="Bench AB"
    )
    unit = Unit.objects.create(ka_id="BENCH", organisation=organisation, service=service, name="Bench")
    address = Address.objects.create(
        ka_id="BENCH-1",
        unit=unit,
        street="Benchgatan 1",
        postcode="11122",
        town="Stockholm",
        municipality=Municipality.objects.get(code="0180"),
    )
    writer = StaffAccount.objects.create(
        person=Person.objects.create_user(fictional_personnummer(1950, 1, 1, 1), given_name="Bo", surname="Bench"),
        organisation=organisation,
        email="bench@example.se",
    )
    tariff = Tariff.objects.get(article="base", level="B")
    starts_on = last.previous().first_day + datetime.timedelta(days=14)  # started two months ago, mid-month
    ends_on = starts_on + datetime.timedelta(days=181)
    approved_at = timezone.make_aware(datetime.datetime.combine(this.first_day, datetime.time(10)))
    interrupts_on = last.first_day + datetime.timedelta(days=10)
    ids = {model: _next_id(model) for model in (Participant, Placement, Document, Review, PurchaseOrder, OrderLine)}
    document = {
        "created_by_id": writer.pk,
        "saved_by_id": writer.pk,
        "submitted_by_id": writer.pk,
        "submitted_at": approved_at,
        "content": {},
        "draft": {},
    }
    interrupted = 0
    for start in range(0, PLACEMENTS, CHUNK):
        block = range(start, min(start + CHUNK, PLACEMENTS))
        with transaction.atomic():
            _insert(
                Participant,
                [
                    {
                        "id": ids[Participant] + n,
                        "personnummer": f"19{n:010d}",
                        "given_name": f"P{n}",
                        "surname": "Bench",
                    }
                    for n in block
                ],
            )
            _insert(
                Placement,
                [
                    {
                        "id": ids[Placement] + n,
                        "genomforandereferens": f"GFR-B{n:09d}",
                        "participant_id": ids[Participant] + n,
                        "organisation_id": organisation.pk,
                        "service_id": service.pk,
                        "unit_id": unit.pk,
                        "address_id": address.pk,
                        "level": "B",
                        "period": 1,
                        "decided_on": starts_on - datetime.timedelta(days=20),
                        "starts_on": starts_on,
                        "ends_on": ends_on,
                    }
                    for n in block
                ],
            )
            # Document n*2 is the plan, n*2+1 last month's report; each has its approved review.
            _insert(
                Document,
                [
                    {
                        **document,
                        "id": ids[Document] + 2 * n + report,
                        "placement_id": ids[Placement] + n,
                        "kind": "monthly_report" if report else "plan",
                        "period_start": last.first_day if report else starts_on,
                        "period_end": last.last_day if report else ends_on,
                    }
                    for n in block
                    for report in (0, 1)
                ],
            )
            _insert(
                Review,
                [
                    {
                        "id": ids[Review] + 2 * n + report,
                        "document_id": ids[Document] + 2 * n + report,
                        "kind": "monthly_report" if report else "plan",
                        "submitted_at": approved_at,
                        "status": ReviewStatus.APPROVED,
                        "decided_at": approved_at,
                    }
                    for n in block
                    for report in (0, 1)
                ],
            )
            _insert(
                PurchaseOrder,
                [
                    {
                        "id": ids[PurchaseOrder] + n,
                        "number": f"IOB-{n:09d}",
                        "kind": "base",
                        "organisation_id": organisation.pk,
                        "placement_id": ids[Placement] + n,
                        "genomforandereferens": f"GFR-B{n:09d}",
                        "level": "B",
                        "issue_date": starts_on,
                        "period_start": starts_on,
                        "period_end": ends_on,
                        "document_id": ids[Document] + 2 * n,
                        "total": Decimal("74400.00"),
                        "xml": b"<Order/>",
                    }
                    for n in block
                ],
            )
            _insert(
                OrderLine,
                [
                    {
                        "id": ids[OrderLine] + 2 * n + index,
                        "order_id": ids[PurchaseOrder] + n,
                        "number": str(2 + index),
                        "organisation_id": organisation.pk,
                        "placement_id": ids[Placement] + n,
                        "article": "base",
                        "period_start": month.first_day,
                        "period_end": month.last_day,
                        "quantity": Decimal(1),
                        "unit_code": "MON",
                        "unit_price": tariff.price,
                        "amount": tariff.price,
                        "tariff_id": tariff.pk,
                        "status": LineStatus.NOT_DELIVERED,
                    }
                    for n in block
                    for index, month in enumerate((last, this))
                ],
            )
            cut = [n for n in block if n % 10 == 0]
            _insert(
                Interruption,
                [{"placement_id": ids[Placement] + n, "reason": "work", "interrupts_on": interrupts_on} for n in cut],
            )
            interrupted += len(cut)
    return {"interrupted": interrupted}


def test_the_monthly_run_at_ten_times_national_volume(settings):
    settings.BILLING_ACCESS_POINT_URL = ""
    today = timezone.localdate()
    seeding = time.perf_counter()
    counts = _seed(today)
    print(f"\nseeded {PLACEMENTS} placements in {time.perf_counter() - seeding:.0f} s ({connection.vendor})")
    billing_run = BillingRun.objects.create(started_by="bench")
    started = time.perf_counter()
    done = run.execute(run_id=billing_run.pk, day=today)
    seconds = time.perf_counter() - started
    print(f"monthly run: {seconds:.1f} s for {PLACEMENTS} placements (target {TARGET_SECONDS} s): {done.counts}")
    last = YearMonth.of(today).previous()
    assert done.counts["orders"] == 0
    assert done.counts["invoiceable"] == PLACEMENTS
    assert done.counts["not_invoiceable"] == counts["interrupted"]  # this month's line of each interrupted one
    assert GoodsReceipt.objects.count() == PLACEMENTS
    assert OrderLine.objects.filter(status=LineStatus.INVOICEABLE).count() == PLACEMENTS
    pro_rata = GoodsReceipt.objects.filter(interrupted=True)
    assert pro_rata.count() == counts["interrupted"]
    assert pro_rata.first().quantity == month_share(10, last)
    assert seconds < TARGET_SECONDS
