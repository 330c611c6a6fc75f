"""What a batch writes (issue 9): the same rows as ``POST /decisions`` writes for the same decision, a key delivered
before answered against its first decision whatever this delivery says, and a genomförandereferens already in use
drawn again. The batch writes its rows in one statement per table, not through the models' ``save``.
"""

import pytest
from django.utils import timezone

from faportal.api.tests.test_batch import body, pnr, send
from faportal.audit.models import AuditEvent
from faportal.placements import batch
from faportal.placements.models import Decision, Event, Participant, Placement

pytestmark = pytest.mark.django_db

# What differs between any two placements, participants or events (ids, times, references, names).
VARYING = {
    "id",
    "genomforandereferens",
    "participant_id",
    "placement_id",
    "at",
    "created_at",
    "updated_at",
    "flag_new_at",
}


def _fields(instance, *, without=()):
    """Every column of the row but those that differ between any two."""
    instance.refresh_from_db()
    fields = instance._meta.concrete_fields
    return {
        found.attname: getattr(instance, found.attname)
        for found in fields
        if found.attname not in VARYING | set(without)
    }


@pytest.mark.parametrize("protected", [False, True])
def test_a_batch_writes_the_rows_one_decision_alone_writes(api, world, protected):
    person = {"protected_identity": protected, "email": "petra@example.se", "has_car": True}
    alone = api.post("decisions", body(world, "alone", 1, participant=person)).json()
    batched = send(api, [body(world, "batched", 2, participant=person, starts_on="2026-12-09")])[0]
    assert batched["status"] == 201, batched

    first = Placement.objects.get(genomforandereferens=alone["genomforandereferens"])
    second = Placement.objects.get(genomforandereferens=batched["placement"]["genomforandereferens"])
    assert _fields(second, without={"starts_on", "ends_on"}) == _fields(first, without={"starts_on", "ends_on"})
    assert (second.sort_protected, second.sort_surname, second.search_name) == (
        protected,
        "" if protected else "Deltagare",
        "Petra Deltagare",
    )
    assert second.flag_new_at == second.created_at
    assert _fields(second.participant, without={"personnummer"}) == _fields(first.participant, without={"personnummer"})
    assert _fields(Event.objects.get(placement=second)) == _fields(Event.objects.get(placement=first))
    logged = [
        AuditEvent.objects.get(action="placements.decided", subject_id=str(placement.pk))
        for placement in (first, second)
    ]
    assert [entry.organisation_id for entry in logged] == [second.organisation_id] * 2
    assert [entry.data for entry in logged] == [{"decision": "alone"}, {"decision": "batched"}]

    made = {row.key: row for row in Decision.objects.all()}
    assert (made["batched"].placement, made["batched"].kind, made["batched"].created_by_label) == (
        second,
        made["alone"].kind,
        made["alone"].created_by_label,
    )
    # The key's content is kept as the single endpoint keeps it: the same content, the same fingerprint.
    assert set(made["batched"].payload) == set(made["alone"].payload)
    assert made["batched"].payload["participant"] == {
        **made["alone"].payload["participant"],
        "personnummer": pnr(2)[:8] + pnr(2)[9:],
    }
    assert send(api, [body(world, "alone", 1, participant=person)])[0]["status"] == 200


def test_a_key_delivered_before_is_answered_against_its_first_decision_each_time_it_comes(api, world):
    first = api.post("decisions", body(world, "k", 1)).json()
    other = body(world, "k", 1, level="C")
    results = send(api, [other, body(world, "k", 1), other])

    assert [result["status"] for result in results] == [409, 200, 409]
    assert results[1]["placement"] == first
    assert Placement.objects.count() == 1


def test_a_key_delivered_before_is_repeated_even_when_its_address_has_closed_since(api, world):
    first = api.post("decisions", body(world, "k", 1)).json()
    world.a11.retired_at = timezone.now()
    world.a11.save()

    results = send(api, [body(world, "k", 1), body(world, "new", 2)])

    assert [(result["status"], result["placement"]) for result in results] == [(200, first), (400, None)]
    assert set(Decision.objects.values_list("key", flat=True)) == {"k"}


def test_a_genomforandereferens_already_in_use_is_drawn_again(api, world, monkeypatch):
    taken = api.post("decisions", body(world, "first", 1)).json()["genomforandereferens"]
    drawn = iter([taken, taken, "GFR-ABCDEFGHJK", "GFR-ABCDEFGHJK", "GFR-BCDEFGHJKL"])
    monkeypatch.setattr(batch, "new_genomforandereferens", lambda: next(drawn))

    results = send(api, [body(world, "second", 2), body(world, "third", 3)])

    # The first draw is in use in the database; the second within the batch: both are drawn again.
    assert sorted(result["placement"]["genomforandereferens"] for result in results) == [
        "GFR-ABCDEFGHJK",
        "GFR-BCDEFGHJKL",
    ]
    assert Placement.objects.count() == 3
    assert Participant.objects.count() == 3
    for result in results:
        placement = Placement.objects.get(genomforandereferens=result["placement"]["genomforandereferens"])
        assert Decision.objects.get(key=result["key"]).placement == placement
        assert Event.objects.filter(placement=placement).count() == 1
