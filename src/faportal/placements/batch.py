"""Many placement decisions in one delivery (SPEC S4.1, S8.2; issue 9): each judged by the rules of
``services.record_decision`` and answered on its own, but read and written in about ten queries for all of them
together, in one transaction, so Af's systems can deliver thousands a second. Rows are written with one parameter
per statement (``core.db.insert_rows``), not one per value.

The same decision delivered twice still makes one placement, also when two deliveries meet: every key is claimed
by inserting its row first (in key order, so two deliveries never wait for each other in a circle), and a key
another delivery holds, or held before, is that delivery's decision; the participants are inserted (in
personnummer order) or locked (in id order) before their placements are read, so two decisions for one person are
judged one after the other. What each decision says by itself (its dates, its level) is judged before its key, what
it needs from stored data after, as in the service.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.audit.services import record_each
from faportal.core.db import insert_rows, model_defaults, model_field, quoted_column
from faportal.core.problems import Problem
from faportal.placements import rules, timeline
from faportal.placements.models import Decision, DecisionKind, Event, Participant, Placement, today
from faportal.placements.services import (
    ParticipantData,
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
        plain = {}
        for name in names:
            found = getattr(value, name)
            plain[name] = found if found is None or type(found) in _AS_THEY_ARE else _plain(found)
        return plain
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_AS_THEY_ARE = frozenset({str, bool, int, float})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _date_problems(decision: PlacementDecision, starts_on: datetime.date, day: datetime.date) -> list[Problem]:
    """What ``record_decision`` refuses before it looks at the key: the dates, then the level."""
    problems = rules.first_period_problems(decided_on=decision.decided_on, starts_on=starts_on, today=day)
    if not problems and decision.level not in {level.value for level in rules.Level}:
        problems.append(Problem("level", rules.Code.UNKNOWN_LEVEL))
    return problems


def _claim(rows: list[dict[str, Any]], *, now: datetime.datetime, actor: Actor) -> dict[str, tuple[int, int | None]]:
    """Inserts the decisions' key rows ({key, payload[, placement_id]}, in key order), skipping keys that exist
    (another delivery's): {key: (id, placement id)} of ours.
    """
    claimed = insert_rows(
        Decision,
        rows,
        same={"kind": DecisionKind.PLACEMENT.value, "created_at": now, "created_by_label": actor.label},
        unique="key",
        returning=("key", "id", "placement_id"),
    )
    return {key: (pk, placement) for key, pk, placement in claimed}


def _reserve(count: int) -> list[int | None]:
    """Ids for ``count`` new placements, drawn before they are made, so that their decisions' rows name them from
    the start (PostgreSQL: from the ids' sequence; an id drawn and not used is a gap, as after any rollback). Where
    ids are drawn only as rows are inserted (SQLite): Nones, and ``_link`` names the placements once made.
    """
    if connection.vendor != "postgresql" or not count:
        return [None] * count
    assert Placement._meta.pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(Placement._meta.db_table), Placement._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _link(links: list[tuple[int, int]]) -> None:
    """Sets each decision's placement ((decision id, placement id) pairs) in one statement."""
    if not links:
        return
    table = connection.ops.quote_name(Decision._meta.db_table)
    if connection.vendor == "postgresql":
        found = "SELECT r.id, r.placement FROM json_to_recordset(%s::json) AS r(id bigint, placement bigint)"
    else:
        found = "SELECT json_extract(r.value, '$.id') AS id, json_extract(r.value, '$.placement') AS placement "
        found += "FROM json_each(%s) AS r"
    sql = (
        f"UPDATE {table} SET {quoted_column(model_field(Decision, 'placement'))} = found.placement "  # noqa: S608
        f"FROM ({found}) AS found WHERE {table}.{quoted_column(model_field(Decision, 'id'))} = found.id"
    )
    rows = [{"id": decision, "placement": placement} for decision, placement in links]
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows, separators=(",", ":"))])


# What a decision says of its participant: the participant's own fields.
_PARTICIPANT_FIELDS = tuple(found.name for found in dataclasses.fields(ParticipantData))
_NAME_FIELDS = ("given_name", "surname", "protected_identity")


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

    # The same key again in this delivery is answered like the first (at the end).
    first_of_key: dict[str, int] = {}
    later_of_key: dict[int, int] = {}
    deciding: list[int] = []
    for index in open_items:
        key = items[index].key
        if key in first_of_key:
            later_of_key[index] = first_of_key[key]
        else:
            first_of_key[key] = index
            deciding.append(index)

    # Claim the keys (see the module's docstring). A key delivered before, or held by another delivery now, is not
    # ours: its decision is repeated (or its other content is a conflict), whatever this one would have been. Each
    # row names the placement its decision will make, where the id can be drawn ahead (``_reserve``).
    key_rows = []
    in_order = sorted(deciding, key=lambda index: items[index].key)
    for index, placement_id in zip(in_order, _reserve(len(deciding)), strict=True):
        key_row: dict[str, Any] = {
            "key": items[index].key,
            "payload": {"fingerprint": fingerprints[index], **payloads[index]},
        }
        if placement_id is not None:
            key_row["placement_id"] = placement_id
        key_rows.append(key_row)
    claimed = _claim(key_rows, now=now, actor=actor)
    held: dict[str, Decision] = {}
    if len(claimed) < len(deciding):
        wanted = {items[index].key for index in deciding} - claimed.keys()
        held = {row.key: row for row in Decision.objects.filter(key__in=wanted)}
        for index in deciding:
            if items[index].key not in claimed:
                answers[index] = _repeat(items[index].key, held[items[index].key], fingerprints[index])
        deciding = [index for index in deciding if items[index].key in claimed]

    # The addresses, all at once; a refused decision leaves its key unused.
    addresses = {
        address.pk: address
        for address in Address.objects.active()
        .select_related("unit__service", "unit__organisation")
        .filter(pk__in={items[index].decision.address_id for index in deciding})
    }
    placeable: list[int] = []
    refused_keys: list[str] = []
    for index in deciding:
        decision = items[index].decision
        address = addresses.get(decision.address_id)
        if address is None:
            problem = Problem("address", rules.Code.UNKNOWN_ADDRESS)
        elif address.unit.service.code != decision.service_code:
            problem = Problem("address", rules.Code.ADDRESS_OF_OTHER_SERVICE)
        else:
            placeable.append(index)
            continue
        answers[index] = Answer(items[index].key, Outcome.REFUSED, problems=[problem])
        refused_keys.append(items[index].key)

    # The participants: the new ones inserted (a person new to two deliveries at once is inserted by one, the
    # other waits for it), then the others locked (in id order) before their placements are read. Those this
    # delivery inserted are its own until it ends, and have no placements yet.
    # What the decision says of the participant: its payload has it already, as plain values (no second asdict).
    data = {index: payloads[index]["participant"] for index in placeable}
    first_data: dict[str, dict[str, Any]] = {}
    for index in placeable:
        first_data.setdefault(data[index]["personnummer"], data[index])
    ids: dict[str, int] = dict(
        insert_rows(
            Participant,
            [first_data[number] for number in sorted(first_data)],
            same={"updated_at": now},
            unique="personnummer",
            returning=("personnummer", "id"),
        )
    )
    stored = {number: {**first_data[number], "updated_at": now} for number in ids}
    spans: dict[int, list[rules.Span]] = {pk: [] for pk in ids.values()}
    known = sorted(first_data.keys() - ids.keys())
    if known:
        for found in (
            Participant.objects.select_for_update()
            .filter(personnummer__in=known)
            .order_by("pk")
            .values("pk", *_PARTICIPANT_FIELDS, "updated_at")
        ):
            ids[found["personnummer"]] = found.pop("pk")
            stored[found["personnummer"]] = found
            spans[ids[found["personnummer"]]] = []
        for participant_id, starts_on, ends_on, interrupts_on in Placement.objects.filter(
            participant_id__in=[ids[number] for number in known]
        ).values_list("participant_id", "starts_on", "ends_on", "interrupts_on"):
            spans[participant_id].append(
                rules.Span(starts_on, rules.last_day(ends_on=ends_on, interrupts_on=interrupts_on))
            )

    # One service at a time, judged in the order delivered.
    accepted: list[int] = []
    latest: dict[str, dict[str, Any]] = {}
    for index in placeable:
        number = data[index]["personnummer"]
        new = rules.Span(starts[index], rules.period_end(starts[index]))
        if rules.overlaps(new, spans[ids[number]]):
            answers[index] = Answer(
                items[index].key,
                Outcome.REFUSED,
                problems=[Problem("personnummer", rules.Code.PARTICIPANT_ALREADY_PLACED)],
            )
            refused_keys.append(items[index].key)
            continue
        spans[ids[number]].append(new)
        latest[number] = data[index]
        accepted.append(index)
    if refused_keys:  # refused: the key stays unused
        Decision.objects.filter(key__in=refused_keys).delete()

    # The participants take the latest data of their decisions; a changed name is copied to their placements.
    people: dict[str, Participant] = {}
    renamed: list[Participant] = []
    changed: list[Participant] = []
    for number, values in latest.items():
        before = stored[number]
        if any(before[name] != value for name, value in values.items()):
            person = people[number] = _participant(ids[number], {**values, "updated_at": now})
            changed.append(person)
            if any(before[name] != values[name] for name in _NAME_FIELDS):
                renamed.append(person)
        else:
            people[number] = _participant(ids[number], before)
    if changed:
        fields = [name for name in _PARTICIPANT_FIELDS if name != "personnummer"]
        Participant.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=200)

    # The placements, their events, the log and the keys' rows.
    rows: list[tuple[dict[str, Any], Address, Participant]] = []
    references: set[str] = set()
    for index in accepted:
        decision = items[index].decision
        address = addresses[decision.address_id]
        person = people[data[index]["personnummer"]]
        hidden = person.protected_identity
        _decision_id, placement_id = claimed[items[index].key]
        row: dict[str, Any] = {
            **({} if placement_id is None else {"id": placement_id}),
            "genomforandereferens": _fresh(references),
            "participant_id": person.pk,
            "organisation_id": address.unit.organisation_id,
            "service_id": address.unit.service_id,
            "unit_id": address.unit_id,
            "address_id": address.pk,
            "level": decision.level,
            "decided_on": decision.decided_on,
            "starts_on": starts[index],
            "ends_on": rules.period_end(starts[index]),
            "sort_protected": hidden,
            "sort_surname": "" if hidden else person.surname,
            "sort_given_name": "" if hidden else person.given_name,
            "search_name": person.full_name,
        }
        rows.append((row, address, person))
    placements = _insert_placements(rows, now=now)
    for person in renamed:
        keep_names(person)
    if placements:
        event = timeline.event_row(placements[0], timeline.DECIDED, actor, at=now)
        insert_rows(
            Event,
            [
                {"placement_id": placement.pk, "data": {"period": 1, "level": placement.level}}
                for placement in placements
            ],
            same={
                "kind": event.kind,
                "at": event.at,
                "actor_name": event.actor_name,
                "actor_organisation": event.actor_organisation,
            },
        )
    record_each(
        actor,
        "placements.decided",
        [(placement, {"decision": items[index].key}) for index, placement in zip(accepted, placements, strict=True)],
    )
    links = []
    for index, placement in zip(accepted, placements, strict=True):
        decision_id, placement_id = claimed[items[index].key]
        if placement_id is None:
            links.append((decision_id, placement.pk))
        answers[index] = Answer(items[index].key, Outcome.CREATED, placement=placement)
    _link(links)

    # The same key twice in one delivery: answered as the first was (or against the decision that held the key),
    # or as a conflict when the content differs.
    for index, first in later_of_key.items():
        answer = answers[first]
        assert answer is not None
        key = items[index].key
        if key in held:
            answers[index] = _repeat(key, held[key], fingerprints[index])
        elif fingerprints[index] != fingerprints[first]:
            answers[index] = Answer(key, Outcome.CONFLICT, problems=[Problem("decision_id", rules.Code.KEY_REUSED)])
        elif answer.outcome == Outcome.CREATED:
            assert answer.placement is not None
            answers[index] = Answer(key, Outcome.REPEATED, placement_id=answer.placement.pk)
        else:
            answers[index] = Answer(key, answer.outcome, answer.placement, answer.placement_id, answer.problems)
    return [answer for answer in answers if answer is not None]


def _insert_placements(
    rows: list[tuple[dict[str, Any], Address, Participant]], *, now: datetime.datetime
) -> list[Placement]:
    """Inserts the new placements (each row with its address and participant) and answers them as saved.

    The unique index checks that each genomförandereferens is new: one already in use (with 500 000 placements,
    once in about 140 000 batches of 500) is drawn again for that placement.
    """
    if not rows:
        return []
    # Every row has the same fields; the others have the same values in each (flag_new_at: the event "decided").
    same = {
        found.attname: value
        for found, value in model_defaults(
            Placement, rows[0][0], {"period": 1, "created_at": now, "flag_new_at": now}
        ).items()
    }
    ids: dict[str, int] = {}
    waiting = {row["genomforandereferens"]: row for row, _address, _person in rows}
    while waiting:
        inserted = insert_rows(
            Placement,
            list(waiting.values()),
            same=same,
            unique="genomforandereferens",
            returning=("genomforandereferens", "id"),
        )
        for reference, pk in inserted:
            ids[reference] = pk
            del waiting[reference]
        taken = {row["genomforandereferens"] for row, _address, _person in rows}
        for reference in list(waiting):
            row = waiting.pop(reference)
            row["genomforandereferens"] = _fresh(taken)
            waiting[row["genomforandereferens"]] = row
    # The placements as the database now has them (Model.from_db: no defaults to work out, no relations to check
    # for each), with the rows they were made from at hand as their relations.
    names = [found.attname for found in Placement._meta.concrete_fields]
    related = [
        Placement._meta.get_field(name) for name in ("participant", "organisation", "service", "unit", "address")
    ]
    placements = []
    for row, address, person in rows:
        values = {**same, **row, "id": ids[row["genomforandereferens"]]}
        placement = Placement.from_db(connection.alias, names, [values[name] for name in names])
        for found, value in zip(
            related, (person, address.unit.organisation, address.unit.service, address.unit, address), strict=True
        ):
            assert isinstance(found, models.ForeignKey)
            found.set_cached_value(placement, value)
        placements.append(placement)
    return placements


def _participant(pk: int, values: Mapping[str, Any]) -> Participant:
    """The participant as the database has it (``Model.from_db``: quicker than ``Participant(**values)``)."""
    names = [found.attname for found in Participant._meta.concrete_fields]
    values = {**values, "id": pk}
    return Participant.from_db(connection.alias, names, [values[name] for name in names])


def _fresh(taken: set[str]) -> str:
    """A new genomförandereferens, none of ``taken`` (which it joins)."""
    while (reference := new_genomforandereferens()) in taken:
        pass
    taken.add(reference)
    return reference


def _repeat(key: str, existing: Decision, fingerprint: str) -> Answer:
    """As ``services._repeat``: the same content is a repeat, other content a conflict at the key."""
    if existing.payload.get("fingerprint") != fingerprint:
        return Answer(key, Outcome.CONFLICT, problems=[Problem("decision_id", rules.Code.KEY_REUSED)])
    return Answer(key, Outcome.REPEATED, placement_id=existing.placement_id)
