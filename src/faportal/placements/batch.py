"""Many placement decisions in one delivery (SPEC S4.1, S8.2; issue 9): each judged by the rules of
``services.record_decision`` and answered on its own, but read and written in a dozen queries for all of them
together, in one transaction, so Af's systems can deliver thousands a second.

The same decision delivered twice still makes one placement, also when two deliveries meet: every key is claimed
by inserting its row first (in key order, so two deliveries never wait for each other in a circle), and a key
another delivery holds is that delivery's to decide; the participants are locked (in id order) before their
placements are read, so two decisions for one person are judged one after the other. What each decision says by
itself (its dates, its level) is judged before its key, what it needs from stored data after, as in the service.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.audit.services import record_each
from faportal.core.problems import Problem
from faportal.placements import rules, timeline
from faportal.placements.models import Decision, DecisionKind, Event, Participant, Placement, today
from faportal.placements.services import (
    PlacementDecision,
    _fingerprint,
    keep_names,
    new_genomforandereferens,
)
from faportal.registry.models import Address


class Outcome(StrEnum):
    CREATED = "created"  # this delivery made the decision
    REPEATED = "repeated"  # an earlier delivery made it: nothing changed
    REFUSED = "refused"  # the rules refuse it: nothing stored, the key stays unused
    CONFLICT = "conflict"  # the key was used for a decision with other content


@dataclass(frozen=True)
class Item:
    """One decision of a delivery: Af's key for it, and what it says."""

    key: str
    decision: PlacementDecision


@dataclass
class Answer:
    """What became of one decision: the placement made (``placement``) or made before (``placement_id``), or the
    problems the rules found (as a refusal of ``services.record_decision`` holds them).
    """

    key: str
    outcome: Outcome
    placement: Placement | None = None
    placement_id: int | None = None
    problems: list[Problem] = field(default_factory=list)


def _plain(value: Any) -> Any:
    """``services._payload`` (a decision as JSON would have it, dates as text) without its deep copy and JSON round
    trip, which cost more than everything else a decision needs here; the same values for the same fingerprint.
    """
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(found.name for found in dataclasses.fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _date_problems(decision: PlacementDecision, starts_on: datetime.date, day: datetime.date) -> list[Problem]:
    """What ``record_decision`` refuses before it looks at the key: the dates, then the level."""
    problems = rules.first_period_problems(decided_on=decision.decided_on, starts_on=starts_on, today=day)
    if not problems and decision.level not in {level.value for level in rules.Level}:
        problems.append(Problem("level", rules.Code.UNKNOWN_LEVEL))
    return problems


def _column(name: str) -> str:
    found = Decision._meta.get_field(name)
    assert isinstance(found, models.Field)
    assert found.column
    return connection.ops.quote_name(found.column)


def _claim(rows: list[tuple[str, str, dict[str, Any], datetime.datetime, str]]) -> dict[str, int]:
    """Inserts the decisions' key rows, skipping keys that exist (another delivery's): {key: id} of ours."""
    if not rows:
        return {}
    table = connection.ops.quote_name(Decision._meta.db_table)
    columns = ", ".join(_column(name) for name in ("key", "kind", "payload", "created_at", "created_by_label"))
    placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    payload = Decision._meta.get_field("payload")
    created_at = Decision._meta.get_field("created_at")
    params: list[Any] = []
    for key, kind, data, moment, label in rows:
        params += [
            key,
            kind,
            payload.get_db_prep_save(data, connection),
            created_at.get_db_prep_save(moment, connection),
            label,
        ]
    key_column = _column("key")
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {placeholders} "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({key_column}) DO NOTHING RETURNING id, {key_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: pk for pk, key in cursor.fetchall()}


def _link(links: list[tuple[int, int]]) -> None:
    """Sets each decision's placement ((decision id, placement id) pairs) in one statement."""
    if not links:
        return
    table = connection.ops.quote_name(Decision._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(links))
    sql = (
        f"WITH found(id, placement) AS (VALUES {values}) "  # noqa: S608 (names from the model)
        f"UPDATE {table} SET {_column('placement')} = found.placement "
        f"FROM found WHERE {table}.{_column('id')} = found.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pair in links for value in pair])


def _references(count: int) -> list[str]:
    """``count`` fresh genomförandereferenser, none already in use (one query, however many)."""
    found: set[str] = set()
    while len(found) < count:
        wanted = {new_genomforandereferens() for _ in range(count - len(found))} - found
        taken = set(
            Placement.objects.filter(genomforandereferens__in=wanted).values_list("genomforandereferens", flat=True)
        )
        found |= wanted - taken
    return sorted(found)


@transaction.atomic
def record_decisions(*, actor: Actor, items: Sequence[Item]) -> list[Answer]:
    """Beslut om deltagande (SPEC S4.1) for many at once: an answer for each, in the order given."""
    require_role(actor, AfRole.CASE_OFFICER)
    day = today()
    now = timezone.now()
    answers: list[Answer | None] = [None] * len(items)
    starts: dict[int, datetime.date] = {}
    fingerprints: dict[int, str] = {}
    payloads: dict[int, dict[str, Any]] = {}

    # What each decision says by itself.
    open_items: list[int] = []
    for index, item in enumerate(items):
        decision = item.decision
        starts[index] = decision.starts_on or rules.earliest_start(decision.decided_on)
        problems = _date_problems(decision, starts[index], day)
        if problems:
            answers[index] = Answer(item.key, Outcome.REFUSED, problems=problems)
            continue
        payloads[index] = _plain(decision)
        fingerprints[index] = _fingerprint(DecisionKind.PLACEMENT, payloads[index])
        open_items.append(index)

    # Keys delivered before: a repeat, or another decision under the same key.
    before = {row.key: row for row in Decision.objects.filter(key__in={items[index].key for index in open_items})}
    first_of_key: dict[str, int] = {}
    later_of_key: dict[int, int] = {}  # the same key again in this delivery: answered like the first
    deciding: list[int] = []
    for index in open_items:
        key = items[index].key
        if key in before:
            answers[index] = _repeat(key, before[key], fingerprints[index])
        elif key in first_of_key:
            later_of_key[index] = first_of_key[key]
        else:
            first_of_key[key] = index
            deciding.append(index)

    # The addresses, all at once.
    addresses = {
        address.pk: address
        for address in Address.objects.active()
        .select_related("unit__service", "unit__organisation")
        .filter(pk__in={items[index].decision.address_id for index in deciding})
    }
    placeable: list[int] = []
    for index in deciding:
        decision = items[index].decision
        address = addresses.get(decision.address_id)
        if address is None:
            answers[index] = Answer(
                items[index].key, Outcome.REFUSED, problems=[Problem("address", rules.Code.UNKNOWN_ADDRESS)]
            )
        elif address.unit.service.code != decision.service_code:
            answers[index] = Answer(
                items[index].key, Outcome.REFUSED, problems=[Problem("address", rules.Code.ADDRESS_OF_OTHER_SERVICE)]
            )
        else:
            placeable.append(index)

    # Claim the keys (see the module's docstring); one held by another delivery is answered as its repeat.
    claimed = _claim(
        sorted(
            (
                items[index].key,
                DecisionKind.PLACEMENT.value,
                {"fingerprint": fingerprints[index], **payloads[index]},
                now,
                actor.label,
            )
            for index in placeable
        )
    )
    raced = [index for index in placeable if items[index].key not in claimed]
    placeable = [index for index in placeable if items[index].key in claimed]
    if raced:
        held = {row.key: row for row in Decision.objects.filter(key__in={items[index].key for index in raced})}
        for index in raced:
            answers[index] = _repeat(items[index].key, held[items[index].key], fingerprints[index])

    # The participants: the new ones inserted (a person new to two deliveries at once is inserted by one, the
    # other waits for it), then all of them locked before their placements are read.
    # What the decision says of the participant: its payload has it already, as plain values (no second asdict).
    data = {index: dict(payloads[index]["participant"]) for index in placeable}
    first_data: dict[str, dict[str, Any]] = {}
    for index in placeable:
        first_data.setdefault(data[index]["personnummer"], data[index])
    Participant.objects.bulk_create(
        [Participant(**values, updated_at=now) for _number, values in sorted(first_data.items())],
        ignore_conflicts=True,
    )
    people = {
        person.personnummer: person
        for person in Participant.objects.select_for_update().filter(personnummer__in=first_data).order_by("pk")
    }
    spans: dict[int, list[rules.Span]] = {person.pk: [] for person in people.values()}
    for participant_id, starts_on, ends_on, interrupts_on in Placement.objects.filter(
        participant__in=list(people.values())
    ).values_list("participant_id", "starts_on", "ends_on", "interrupts_on"):
        spans[participant_id].append(
            rules.Span(starts_on, rules.last_day(ends_on=ends_on, interrupts_on=interrupts_on))
        )

    # One service at a time, judged in the order delivered.
    accepted: list[int] = []
    latest: dict[str, dict[str, Any]] = {}
    refused_keys: list[str] = []
    for index in placeable:
        person = people[data[index]["personnummer"]]
        new = rules.Span(starts[index], rules.period_end(starts[index]))
        if rules.overlaps(new, spans[person.pk]):
            answers[index] = Answer(
                items[index].key,
                Outcome.REFUSED,
                problems=[Problem("personnummer", rules.Code.PARTICIPANT_ALREADY_PLACED)],
            )
            refused_keys.append(items[index].key)
            continue
        spans[person.pk].append(new)
        latest[person.personnummer] = data[index]
        accepted.append(index)
    if refused_keys:  # refused: the key stays unused
        Decision.objects.filter(key__in=refused_keys).delete()

    # The participants take the latest data of their decisions; a changed name is copied to their placements.
    renamed: list[Participant] = []
    changed: list[Participant] = []
    for number, values in latest.items():
        person = people[number]
        before_name = (person.given_name, person.surname, person.protected_identity)
        if any(getattr(person, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(person, name, value)
            person.updated_at = now
            changed.append(person)
            if (person.given_name, person.surname, person.protected_identity) != before_name:
                renamed.append(person)
    if changed:
        fields = [name for name in latest[changed[0].personnummer] if name != "personnummer"]
        Participant.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=200)

    # The placements, their events, the log and the keys' rows.
    placements = []
    for index, reference in zip(accepted, _references(len(accepted)), strict=True):
        decision = items[index].decision
        address = addresses[decision.address_id]
        person = people[data[index]["personnummer"]]
        hidden = person.protected_identity
        placements.append(
            Placement(
                genomforandereferens=reference,
                participant=person,
                organisation=address.unit.organisation,
                service=address.unit.service,
                unit=address.unit,
                address=address,
                level=decision.level,
                period=1,
                decided_on=decision.decided_on,
                starts_on=starts[index],
                ends_on=rules.period_end(starts[index]),
                created_at=now,
                flag_new_at=now,  # the event below
                sort_protected=hidden,
                sort_surname="" if hidden else person.surname,
                sort_given_name="" if hidden else person.given_name,
                search_name=person.full_name,
            )
        )
    Placement.objects.bulk_create(placements, batch_size=500)
    for person in renamed:
        keep_names(person)
    Event.objects.bulk_create(
        [
            timeline.event_row(placement, timeline.DECIDED, actor, at=now, period=1, level=placement.level)
            for placement in placements
        ],
        batch_size=500,
    )
    record_each(
        actor,
        "placements.decided",
        [(placement, {"decision": items[index].key}) for index, placement in zip(accepted, placements, strict=True)],
    )
    links = []
    for index, placement in zip(accepted, placements, strict=True):
        links.append((claimed[items[index].key], placement.pk))
        answers[index] = Answer(items[index].key, Outcome.CREATED, placement=placement)
    _link(links)

    # The same key twice in one delivery: answered as the first was, or as a conflict when the content differs.
    for index, first in later_of_key.items():
        answer = answers[first]
        assert answer is not None
        if fingerprints[index] != fingerprints[first]:
            answers[index] = Answer(
                items[index].key, Outcome.CONFLICT, problems=[Problem("decision_id", rules.Code.KEY_REUSED)]
            )
        elif answer.outcome == Outcome.CREATED:
            assert answer.placement is not None
            answers[index] = Answer(items[index].key, Outcome.REPEATED, placement_id=answer.placement.pk)
        else:
            answers[index] = Answer(
                items[index].key, answer.outcome, answer.placement, answer.placement_id, answer.problems
            )
    return [answer for answer in answers if answer is not None]


def _repeat(key: str, existing: Decision, fingerprint: str) -> Answer:
    """As ``services._repeat``: the same content is a repeat, other content a conflict at the key."""
    if existing.payload.get("fingerprint") != fingerprint:
        return Answer(key, Outcome.CONFLICT, problems=[Problem("decision_id", rules.Code.KEY_REUSED)])
    return Answer(key, Outcome.REPEATED, placement_id=existing.placement_id)
