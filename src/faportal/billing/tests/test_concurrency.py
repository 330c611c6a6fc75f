"""The one-click invoice sent several times at the same moment makes one invoice (SPEC S7.4: nothing is invoiced
twice). Only PostgreSQL shows this for real: SQLite serialises every writer. Run it with
`bash scripts/with-postgres.sh uv run --frozen pytest src/faportal/billing` (or `make test-postgres`).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from faportal.billing.models import Invoice, OrderLine, Sequence
from faportal.billing.rules import LineStatus
from faportal.billing.tests.conftest import last_month
from faportal.testing import sign_in

CLICKS = 6

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_same_line_invoiced_from_several_requests_at_once_is_invoiced_once(billing):
    billing.plan()
    billing.report(last_month())
    line = billing.line(last_month())
    assert line.status == LineStatus.INVOICEABLE
    url = reverse("billing:invoice_line", args=[line.pk])
    start = threading.Barrier(CLICKS)
    answers: list[str] = []
    failures: list[BaseException] = []

    def click() -> None:
        try:
            client = Client()
            sign_in(client, billing.finance.person)
            start.wait(timeout=10)
            answers.append(client.post(url)["Location"])
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    (invoice,) = Invoice.objects.all()
    assert sorted(answers) == sorted(
        [reverse("billing:invoice", args=[invoice.pk])]
        + [reverse("billing:order", args=[line.order_id])] * (CLICKS - 1)
    )
    assert OrderLine.objects.get(pk=line.pk).invoice == invoice
    assert Sequence.objects.get(key__startswith="invoice:").last == 1  # no number taken and lost
