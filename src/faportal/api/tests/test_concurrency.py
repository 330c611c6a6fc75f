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
from faportal.testing import personnummer

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


def _deliver_at_once(bodies, api_key):
    """Each body POSTed to the batch endpoint from its own thread, all at the same moment; the answers' results."""
    start = threading.Barrier(len(bodies))
    answers: list[list[dict]] = [[] for _ in bodies]
    failures: list[BaseException] = []

    def deliver(index: int) -> None:
        try:
            start.wait(timeout=10)
            response = Api(Client(), api_key).post("decisions/batch", bodies[index])
            assert response.status_code == 200, response.content
            answers[index] = response.json()["results"]
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    return answers


def _batch(world, keys):
    decisions = []
    for key in keys:
        body = decision_body(world, key=key)
        serial = int(key.split("-")[-1])
        number = personnummer(1979, 5, 6, serial=serial)
        body["participant"] = {**body["participant"], "personnummer": f"{number[:8]}-{number[8:]}"}
        decisions.append(body)
    return {"decisions": decisions}


def test_the_same_batch_from_several_threads_at_once_makes_each_placement_once(world, api_key):
    keys = [f"batch-{n}" for n in range(20)]
    answers = _deliver_at_once([_batch(world, keys)] * DELIVERIES, api_key)

    for position, key in enumerate(keys):
        statuses = sorted(results[position]["status"] for results in answers)
        assert statuses == [200] * (DELIVERIES - 1) + [201], key
        assert len({json.dumps(results[position]["placement"], sort_keys=True) for results in answers}) == 1
    assert Placement.objects.count() == len(keys)
    assert Decision.objects.count() == len(keys)


def test_batches_sharing_keys_in_opposite_orders_neither_wait_for_each_other_nor_duplicate(world, api_key):
    keys = [f"cross-{n}" for n in range(30)]
    answers = _deliver_at_once([_batch(world, keys), _batch(world, keys[::-1])] * 2, api_key)

    assert all(result["status"] in {200, 201} for results in answers for result in results)
    assert Placement.objects.count() == len(keys)
    assert Participant.objects.count() == len(keys)
