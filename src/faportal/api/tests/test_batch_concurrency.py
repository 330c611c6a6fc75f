"""Batches that meet over one job seeker (issue 9): decisions under different keys for the same new person, delivered
at the same moment, are judged one after the other, so only one of them places the person.

Only PostgreSQL shows this for real (see test_concurrency).
"""

import pytest
from django.db import connection

from faportal.api.tests.support import decision_body
from faportal.api.tests.test_concurrency import _deliver_at_once
from faportal.placements.models import Decision, Participant, Placement
from faportal.testing import personnummer

DELIVERIES = 6

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_one_new_person_in_several_batches_at_once_is_placed_once(world, api_key):
    number = personnummer(1979, 7, 8, serial=1)

    def delivery(n):
        body = decision_body(world, key=f"person-{n}")
        body["participant"] = {**body["participant"], "personnummer": number, "surname": f"Deltagare{n}"}
        other = decision_body(world, key=f"other-{n}")
        serial = personnummer(1979, 7, 9, serial=n + 10)
        other["participant"] = {**other["participant"], "personnummer": serial}
        return {"decisions": [other, body]}

    answers = _deliver_at_once([delivery(n) for n in range(DELIVERIES)], api_key)

    assert sorted(results[1]["status"] for results in answers) == [201] + [400] * (DELIVERIES - 1)
    refused = [results[1]["problems"] for results in answers if results[1]["status"] == 400]
    assert {problem["code"] for problems in refused for problem in problems} == {"participant_already_placed"}
    assert all(results[0]["status"] == 201 for results in answers)
    assert Placement.objects.filter(participant__personnummer=number).count() == 1
    assert Participant.objects.count() == DELIVERIES + 1
    # The refused decisions left their keys unused.
    assert Decision.objects.filter(key__startswith="person-").count() == 1
