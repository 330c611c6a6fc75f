"""The same decision delivered several times at the same moment creates one placement (SPEC S8.2).

Only PostgreSQL shows this for real: SQLite serialises every writer, so the race cannot happen there. Run it with
`bash scripts/with-postgres.sh uv run pytest src/faportal/api` (or `make test-postgres` for everything).
"""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from faportal.api.tests.support import Api, decision_body
from faportal.placements.models import Decision, Participant, Placement

DELIVERIES = 8

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
    # Real commits, seen by every thread; the migrations' reference data (services, municipalities) is put back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_same_decision_sent_from_several_threads_at_once_creates_one_placement(world, api_key):
    body = decision_body(world)
    start = threading.Barrier(DELIVERIES)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait(timeout=10)
            response = Api(Client(), api_key).post("decisions", body)
            answers.append((response.status_code, json.dumps(response.json(), sort_keys=True)))
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()  # each thread has its own connection: close it before the database is flushed

    threads = [threading.Thread(target=deliver) for _ in range(DELIVERIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert sorted(status for status, _body in answers) == [200] * (DELIVERIES - 1) + [201]
    assert len({answer for _status, answer in answers}) == 1
    assert Placement.objects.count() == 1
    assert Participant.objects.count() == 1
    assert Decision.objects.count() == 1
