"""Many decisions in one delivery (issue 9): each answered on its own as ``POST /decisions`` would answer it, the
same decision twice still one placement, and the cost of a batch the same few queries however many it holds."""

import dataclasses

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from faportal.access.models import Role
from faportal.api.tests.support import PNR, decision_body
from faportal.audit.models import AuditEvent
from faportal.placements.models import Decision, Event, Participant, Placement
from faportal.placements.services import PlacementDecision
from faportal.testing import personnummer, sign_in

pytestmark = pytest.mark.django_db


def pnr(serial):
    number = personnummer(1979, 3, 4, serial=serial)
    return f"{number[:8]}-{number[8:]}"


def body(world, key, serial, *, participant=None, **changes):
    """A decision for the serial:th job seeker."""
    found = decision_body(world, key=key, **changes)
    found["participant"] = {**found["participant"], "personnummer": pnr(serial), **(participant or {})}
    return found


def send(api, decisions):
    response = api.post("decisions/batch", {"decisions": decisions})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_each_decision_of_a_batch_is_made_and_answered_as_one_alone_would_be(api, world):
    results = send(api, [body(world, f"k{n}", n) for n in range(3)])

    assert [(result["key"], result["status"], result["problems"]) for result in results] == [
        ("k0", 201, []),
        ("k1", 201, []),
        ("k2", 201, []),
    ]
    assert Placement.objects.count() == 3
    for result in results:
        placement = Placement.objects.get(genomforandereferens=result["placement"]["genomforandereferens"])
        # The answer is the placement as GET answers it.
        assert api.get(f"placements/{placement.genomforandereferens}").json() == result["placement"]
        assert Decision.objects.get(key=result["key"]).placement == placement
        assert Event.objects.get(placement=placement).kind == "decided"
        assert AuditEvent.objects.filter(action="placements.decided", subject_id=str(placement.pk)).count() == 1
    # The provider sees them at once, under Nya deltagare, sorted and searchable by name.
    provider = Client()
    sign_in(provider, world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})].person)
    intake = provider.get("/nya-deltagare/").content.decode()
    assert all(result["placement"]["genomforandereferens"] in intake for result in results)
    assert (
        results[0]["placement"]["genomforandereferens"] in provider.get("/deltagare/", {"q": "Petra"}).content.decode()
    )


def test_problems_repeats_and_conflicts_are_answered_each_at_its_place(api, world):
    earlier = api.post("decisions", body(world, "earlier", 50)).json()
    decisions = [
        body(world, "ok", 1),
        {**body(world, "no-surname", 2), "participant": {"personnummer": pnr(2), "given_name": "Ann"}},
        body(world, "early", 3, starts_on="2026-12-01"),
        body(world, "nowhere", 4, address_ka_id="NO-SUCH-ADDRESS"),
        body(world, "earlier", 50),  # delivered before, the same: a repeat
        body(world, "earlier", 50, level="C"),  # delivered before, other content: a conflict
        body(world, "ok", 1),  # the same key again in this batch: a repeat of the first
        body(world, "same-person", 1),  # the same job seeker at the same time: one placement at a time
        "not an object",
        body(world, "last", 5),
    ]
    results = send(api, decisions)

    summary = [
        (result["key"], result["status"], [(p["field"], p["code"]) for p in result["problems"]]) for result in results
    ]
    assert summary == [
        ("ok", 201, []),
        ("no-surname", 400, [("participant.surname", "required")]),
        ("early", 400, [("starts_on", "start_too_early")]),
        ("nowhere", 400, [("address_ka_id", "unknown_address")]),
        ("earlier", 200, []),
        ("earlier", 409, [("key", "key_reused")]),
        ("ok", 200, []),
        ("same-person", 400, [("participant.personnummer", "participant_already_placed")]),
        (None, 400, [("", "invalid_json")]),
        ("last", 201, []),
    ]
    assert results[4]["placement"] == earlier
    assert results[6]["placement"] == results[0]["placement"]
    # The messages are the single endpoint's.
    alone = api.post("decisions", body(world, "early-alone", 3, starts_on="2026-12-01")).json()["problems"]
    assert results[2]["problems"] == alone
    # Refused decisions leave their keys unused; the batch made two placements besides the earlier one.
    assert set(Decision.objects.values_list("key", flat=True)) == {"earlier", "ok", "last"}
    assert Placement.objects.count() == 3


def test_a_participant_takes_the_latest_data_and_their_placements_the_new_name(api, world):
    first = send(api, [body(world, "a", 7, participant={"surname": "Gammal"})])[0]
    later = body(world, "b", 7, participant={"surname": "Nyström"}, decided_on="2026-11-24", starts_on="2027-06-14")
    answer = send(api, [later])[0]
    assert answer["status"] == 201, answer["problems"]
    person = Participant.objects.get(personnummer=personnummer(1979, 3, 4, serial=7))
    assert person.surname == "Nyström"
    old = Placement.objects.get(genomforandereferens=first["placement"]["genomforandereferens"])
    assert (old.sort_surname, old.search_name) == ("Nyström", "Petra Nyström")


def test_a_batch_costs_the_same_queries_for_ten_decisions_as_for_thirty(api, world):
    """(Beyond about 30, SQLite's limit on a query's parameters splits the inserts; PostgreSQL's does at 500.)"""

    def cost(first, count):
        with CaptureQueriesContext(connection) as captured:
            results = send(api, [body(world, f"q{n}", n) for n in range(first, first + count)])
        assert {result["status"] for result in results} == {201}
        return len(captured)

    send(api, [])  # the client's first call of the minute also notes that it was used
    assert cost(100, 10) == cost(200, 30)


@pytest.mark.parametrize(
    ("content", "field", "code"),
    [
        ("[]", "", "invalid_json"),
        ('{"decisions": {}}', "decisions", "invalid"),
        ('{"decisions": [], "more": 1}', "more", "unknown_field"),
    ],
)
def test_a_body_that_is_not_a_batch_is_answered_400(api, world, content, field, code):
    response = api.post("decisions/batch", content)
    assert response.status_code == 400
    assert (field, code) in {(p["field"], p["code"]) for p in response.json()["problems"]}


def test_more_than_a_thousand_decisions_are_refused_as_a_whole(api, world):
    response = api.post("decisions/batch", {"decisions": [{}] * 1001})
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == ["decisions"]
    assert not Placement.objects.exists()


def test_a_batch_needs_the_key(client, world):
    response = client.post("/api/integration/v1/decisions/batch", "{}", content_type="application/json")
    assert response.status_code == 401


def test_the_personnummer_of_a_refused_decision_is_not_echoed(api, world):
    results = send(api, [body(world, "x", 9, address_ka_id="NOPE")])
    assert PNR[:8] not in str(results)
    assert pnr(9)[:8] not in str(results)


def test_a_decision_reads_the_same_in_a_batch_as_alone(world):
    """The batch's quick copy of a decision is the service's, so a key's fingerprint is the same either way."""
    import datetime

    from faportal.placements.batch import _plain
    from faportal.placements.services import _payload
    from faportal.testing import participant_data

    decision = PlacementDecision(
        participant=participant_data(protected=True),
        service_code="rusta-och-matcha",
        address_id=world.a11.pk,
        level="B",
        decided_on=datetime.date(2026, 11, 24),
        starts_on=None,
    )
    assert _plain(decision) == _payload(decision)
    assert _plain(dataclasses.replace(decision, starts_on=datetime.date(2026, 12, 8))) == _payload(
        dataclasses.replace(decision, starts_on=datetime.date(2026, 12, 8))
    )
