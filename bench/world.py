"""The benchmark world: ten times today's national volume of Rusta och matcha, built with bulk inserts.

At ``scale=1``: 2 000 organisations, 500 000 placements (40 000 at the biggest provider's addresses, 1 340 of
them waiting for a supervisor), about a million events and three million audit entries; ``scale=0.1`` is a tenth
of every volume. Rows are written in the order real use would write them (placements of every organisation
interleaved by decision date, the log by time), so the tables' physical order is as scattered as in production.

The world is built in steps (``STEPS``). A later app adds its rows with a step of its own, registered with
``@step("name")`` in a module that ``bench.steps`` imports; it reads what the earlier steps made from ``World``
(organisations, addresses, staff, placements) and writes through ``bench.loader.Table``. The measured pages are
registered the same way in ``bench.pages``.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.loader import Table, analyze, next_id, reset_sequences
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from faportal.access.models import (
    AddressGrant,
    AfRole,
    AfRoleGrant,
    AfStaffAccount,
    Role,
    RoleGrant,
    StaffAccount,
)
from faportal.api.models import ApiClient
from faportal.audit.models import AuditEvent
from faportal.core.dates import add_months
from faportal.core.identifiers import fictional_organisationsnummer, fictional_personnummer
from faportal.demo.placements import GIVEN as DEMO_GIVEN
from faportal.identity.models import Person
from faportal.placements import timeline
from faportal.placements.models import (
    Decision,
    DecisionKind,
    Event,
    Interruption,
    Participant,
    Placement,
    PlacementView,
)
from faportal.placements.rules import InterruptionReason
from faportal.registry.models import Address, Municipality, Organisation, Service, Unit

SEED = 20261124
DAYS = 900  # decisions spread over the last two and a half years
SECOND_PERIOD_SHARE = 0.12  # of placements, the period 2 of another
INTERRUPTED_SHARE = 0.09
PROTECTED_SHARE = 0.01
BIGGEST_NAME = "Rusta Storleverantören AB"
API_CLIENT = "Bench: Beslutsstöd"
API_LABEL = f"API: {API_CLIENT}"

# The demo's given names, and more: a world this big needs variety (the surnames are its own).
GIVEN = [
    *DEMO_GIVEN,
    "Hamid",
    "Ines",
    "Jonas",
    "Karin",
    "Linnea",
    "Mustafa",
    "Nils",
    "Olga",
    "Petra",
    "Quentin",
    "Rania",
    "Sven",
    "Tove",
    "Umar",
    "Vera",
    "William",
    "Xenia",
    "Yusuf",
    "Zainab",
    "Åke",
    "Örjan",
]
SURNAMES = [
    "Ahmed",
    "Andersson",
    "Bergström",
    "Claesson",
    "Dahlberg",
    "Eriksson",
    "Falk",
    "Gustafsson",
    "Hassan",
    "Isaksson",
    "Jönsson",
    "Karlsson",
    "Lindqvist",
    "Mohamud",
    "Nilsson",
    "Olofsson",
    "Persson",
    "Rashid",
    "Sandberg",
    "Törnqvist",
    "Wallin",
    "Abdi",
    "Berg",
    "Carlsson",
    "Dahl",
    "Ek",
    "Forsberg",
    "Gran",
    "Holm",
    "Ivarsson",
    "Johansson",
    "Kaya",
    "Larsson",
    "Magnusson",
    "Nyberg",
    "Olsson",
    "Pettersson",
    "Quist",
    "Rosén",
    "Svensson",
    "Thorsen",
    "Uddin",
    "Vik",
    "Westberg",
    "Yilmaz",
    "Zetterberg",
    "Åberg",
    "Öberg",
    "Lindgren",
    "Mattsson",
    "Hussein",
    "Warsame",
]
REASONS = [reason.value for reason in InterruptionReason if reason != InterruptionReason.CHANGED_PROVIDER]
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class Volume:
    """How much of everything: ten times today's national volume at ``scale=1``."""

    scale: float = 1.0
    organisations: int = 2_000
    placements: int = 500_000
    biggest_placements: int = 40_000
    biggest_waiting: int = 1_340
    biggest_staff: int = 400
    biggest_addresses: int = 50
    audit_entries: int = 3_000_000

    @classmethod
    def at(cls, scale: float) -> Volume:
        base = cls()

        def scaled(value: int, least: int) -> int:
            return max(least, round(value * scale))

        return cls(
            scale=scale,
            organisations=scaled(base.organisations, 3),
            placements=scaled(base.placements, 200),
            biggest_placements=scaled(base.biggest_placements, 80),
            biggest_waiting=scaled(base.biggest_waiting, 4),
            biggest_staff=scaled(base.biggest_staff, 12),
            biggest_addresses=scaled(base.biggest_addresses, 3),
            audit_entries=scaled(base.audit_entries, 1_000),
        )


@dataclass
class Org:
    id: int
    name: str
    placements: int
    unit_ids: list[int] = field(default_factory=list)
    address_ids: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)  # staff account ids
    reporters_at: dict[int, list[int]] = field(default_factory=dict)  # address id -> accounts with REPORT there
    receivers: list[int] = field(default_factory=list)


@dataclass
class World:
    """What the steps have made so far, for the steps after them and for the measurements."""

    volume: Volume
    today: datetime.date
    now: datetime.datetime
    rng: random.Random
    orgs: list[Org] = field(default_factory=list)
    service_id: int = 0
    person_of_account: dict[int, int] = field(default_factory=dict)
    name_of_person: dict[int, str] = field(default_factory=dict)
    names_of_person: dict[int, tuple[str, str]] = field(default_factory=dict)  # (surname, given name)
    account_org: dict[int, int] = field(default_factory=dict)
    # The benchmark's own users (person ids and staff account ids).
    coordinator: int = 0
    supervisor: int = 0
    administrator: int = 0
    auditor: int = 0
    # One entry per placement, by index (the placement's id is ``first_placement + index``).
    first_placement: int = 0
    p_org: array = field(default_factory=lambda: array("i"))
    p_address: array = field(default_factory=lambda: array("i"))
    p_participant: array = field(default_factory=lambda: array("i"))
    p_decided: array = field(default_factory=lambda: array("i"))  # date ordinals
    p_starts: array = field(default_factory=lambda: array("i"))
    p_ends: array = field(default_factory=lambda: array("i"))
    p_period: array = field(default_factory=lambda: array("b"))
    p_previous: array = field(default_factory=lambda: array("i"))  # index, or -1
    p_supervisor: array = field(default_factory=lambda: array("i"))  # account id, or 0
    p_interrupts: array = field(default_factory=lambda: array("i"))  # date ordinal, or 0
    p_removed: array = field(default_factory=lambda: array("b"))
    timings: dict[str, float] = field(default_factory=dict)
    _mornings: dict[int, datetime.datetime] = field(default_factory=dict)

    @property
    def biggest(self) -> Org:
        return self.orgs[0]

    def placement_id(self, index: int) -> int:
        return self.first_placement + index

    def day(self, ordinal: int) -> datetime.date:
        return datetime.date.fromordinal(ordinal)

    def moment(self, ordinal: int, seconds: float) -> datetime.datetime:
        """A moment on a day (from seven in the morning, Swedish time), never in the future."""
        start = self._mornings.get(ordinal)
        if start is None:
            start = timezone.make_aware(datetime.datetime.combine(self.day(ordinal), datetime.time(7)))
            self._mornings[ordinal] = start
        return min(start + datetime.timedelta(seconds=seconds), self.now)


Step = Callable[[World], None]
STEPS: list[tuple[str, Step]] = []


def step(name: str) -> Callable[[Step], Step]:
    """Registers a step of the world, run in the order registered (a later app's step comes after ours)."""

    def register(function: Step) -> Step:
        STEPS.append((name, function))
        return function

    return register


def reference(placement_id: int) -> str:
    """A genomförandereferens for a placement id: unique (a bijection of the id), scattered, with its check."""
    number = (placement_id * 0x9E3779B1) % (32**9)
    body = ""
    for _ in range(9):
        number, digit = divmod(number, 32)
        body += _REFERENCE_ALPHABET[digit]
    check = _REFERENCE_ALPHABET[sum((i + 1) * _REFERENCE_ALPHABET.index(c) for i, c in enumerate(body)) % 32]
    return f"GFR-{body}{check}"


def participant_personnummer(n: int) -> str:
    """The n:th participant's personnummer: born 1950–2004, unique for n below 18 million."""
    serial, rest = n % 1000, n // 1000
    day, rest = rest % 28 + 1, rest // 28
    month, rest = rest % 12 + 1, rest // 12
    return fictional_personnummer(1950 + rest % 55, month, day, serial)


def staff_personnummer(n: int) -> str:
    """Staff are born 1960–1999 (a range of their own: the Person table is separate anyway)."""
    serial, rest = n % 1000, n // 1000
    day, rest = rest % 28 + 1, rest // 28
    month, rest = rest % 12 + 1, rest // 12
    return fictional_personnummer(1960 + rest % 40, month, day, serial)


UNUSABLE_PASSWORD = make_password(None)  # BankID only: nobody has a password


# --- registry ----------------------------------------------------------------------------------------------------


def _org_sizes(volume: Volume, rng: random.Random) -> list[int]:
    """Placements per organisation: the biggest first, the rest a long tail (lognormal), at least one each."""
    others = volume.organisations - 1
    weights = [rng.lognormvariate(0, 1.1) for _ in range(others)]
    remaining = volume.placements - volume.biggest_placements
    total = sum(weights)
    # The long tail stays below half the biggest (unless there are too few others to hold the rest).
    cap = max(volume.biggest_placements // 2, -(-remaining // others) + 1)
    sizes = sorted((min(cap, max(1, int(remaining * weight / total))) for weight in weights), reverse=True)
    difference = remaining - sum(sizes)
    index = 0
    while difference != 0:  # make the sum exact, one placement at a time, round the organisations
        change = 1 if difference > 0 else -1
        if 1 <= sizes[index % others] + change <= cap:
            sizes[index % others] += change
            difference -= change
        index += 1
    return [volume.biggest_placements, *sizes]


@step("registry")
def build_registry(world: World) -> None:
    rng = world.rng
    world.service_id = Service.objects.get(code="rusta-och-matcha").pk
    municipalities = list(Municipality.objects.values_list("code", flat=True))
    sizes = _org_sizes(world.volume, rng)
    org_id, unit_id, address_id = next_id(Organisation), next_id(Unit), next_id(Address)
    orgs, units, addresses = [], [], []
    now = world.now
    for n, size in enumerate(sizes):
        name = BIGGEST_NAME if n == 0 else f"{rng.choice(SURNAMES)} Rusta {n} AB"
        org = Org(id=org_id, name=name, placements=size)
        orgs.append((org_id, fictional_organisationsnummer(f"55{n:07d}"), name, now))
        address_count = world.volume.biggest_addresses if n == 0 else min(12, 1 + size // 150)
        per_unit = 4
        for first in range(0, address_count, per_unit):
            units.append(
                (
                    unit_id,
                    f"B-{org_id}-{first // per_unit}",
                    org_id,
                    world.service_id,
                    f"{name} enhet {first // per_unit + 1}",
                    None,
                )
            )
            org.unit_ids.append(unit_id)
            for k in range(first, min(first + per_unit, address_count)):
                municipality = rng.choice(municipalities)
                addresses.append(
                    (
                        address_id,
                        f"B-{org_id}-{k}",
                        unit_id,
                        f"{rng.choice(SURNAMES)}gatan {k + 1}",
                        f"{rng.randint(10000, 98999):05d}",
                        "Ort",
                        municipality,
                        None,
                    )
                )
                org.address_ids.append(address_id)
                address_id += 1
            unit_id += 1
        world.orgs.append(org)
        org_id += 1
    Table(Organisation, ["id", "organisationsnummer", "name", "created_at"]).write(orgs)
    Table(Unit, ["id", "ka_id", "organisation_id", "service_id", "name", "retired_at"]).write(units)
    Table(Address, ["id", "ka_id", "unit_id", "street", "postcode", "town", "municipality_id", "retired_at"]).write(
        addresses
    )


# --- people and staff --------------------------------------------------------------------------------------------


@step("staff")
def build_staff(world: World) -> None:
    rng = world.rng
    person_id, account_id = next_id(Person), next_id(StaffAccount)
    role_id, grant_id = next_id(RoleGrant), next_id(AddressGrant)
    people, accounts, roles, grants = [], [], [], []
    since = world.now - datetime.timedelta(days=DAYS + 30)
    n_person = 0

    def new_person(given: str, surname: str) -> int:
        nonlocal person_id, n_person
        people.append((person_id, UNUSABLE_PASSWORD, None, staff_personnummer(n_person), given, surname, True, since))
        world.name_of_person[person_id] = f"{given} {surname}"
        world.names_of_person[person_id] = (surname, given)
        n_person += 1
        person_id += 1
        return person_id - 1

    def new_account(org: Org, person: int, role_set: set[Role], address_ids: list[int], responsible: bool) -> int:
        nonlocal account_id, role_id, grant_id
        accounts.append(
            (account_id, person, org.id, f"staff{account_id}@example.se", responsible, since, None, None, None)
        )
        for role in sorted(role_set):
            roles.append((role_id, since, None, None, None, account_id, role.value))
            role_id += 1
        for address in address_ids if role_set - {Role.ADMINISTER} else []:
            grants.append((grant_id, since, None, None, None, account_id, address))
            grant_id += 1
            if Role.REPORT in role_set:
                org.reporters_at.setdefault(address, []).append(account_id)
        if Role.RECEIVE in role_set:
            org.receivers.append(account_id)
        org.staff.append(account_id)
        world.person_of_account[account_id] = person
        world.account_org[account_id] = org.id
        account_id += 1
        return account_id - 1

    for n, org in enumerate(world.orgs):
        count = world.volume.biggest_staff if n == 0 else min(40, 2 + org.placements // 40)
        everywhere = list(org.address_ids)
        if n == 0:
            world.coordinator = new_account(
                org, new_person("Kim", "Koordinator"), {Role.RECEIVE, Role.REPORT}, everywhere, False
            )
            world.supervisor = new_account(org, new_person("Sam", "Handledare"), {Role.REPORT}, everywhere, False)
            world.administrator = new_account(
                org, new_person("Alex", "Administratör"), {Role.ADMINISTER}, everywhere, True
            )
            count -= 3
        for k in range(count):
            role_set = {Role.REPORT} if rng.random() < 0.9 else set()
            if rng.random() < 0.25 or k == 0:
                role_set.add(Role.RECEIVE)
            if (k == 0 and n != 0) or rng.random() < 0.05:
                role_set.add(Role.ADMINISTER)
            at = everywhere if len(everywhere) <= 3 else rng.sample(everywhere, rng.randint(1, min(5, len(everywhere))))
            new_account(org, new_person(rng.choice(GIVEN), rng.choice(SURNAMES)), role_set, at, k == 0 and n != 0)
        # Every address has someone who can supervise there.
        for address in everywhere:
            if not org.reporters_at.get(address):
                new_account(org, new_person(rng.choice(GIVEN), rng.choice(SURNAMES)), {Role.REPORT}, [address], False)
    # Arbetsförmedlingen: an auditor and case officer for the back office's pages.
    af_person = new_person("Åsa", "Granskare")
    world.auditor = af_person
    Table(
        Person, ["id", "password", "last_login", "personnummer", "given_name", "surname", "is_active", "created_at"]
    ).write(people)
    Table(
        StaffAccount,
        [
            "id",
            "person_id",
            "organisation_id",
            "email",
            "is_responsible_admin",
            "created_at",
            "created_by_id",
            "deleted_at",
            "deleted_by_id",
        ],
    ).write(accounts)
    grant_fields = ["id", "valid_from", "valid_to", "granted_by_id", "revoked_by_id", "account_id"]
    Table(RoleGrant, [*grant_fields, "role"]).write(roles)
    Table(AddressGrant, [*grant_fields, "address_id"]).write(grants)
    af_account = AfStaffAccount.objects.create(person_id=af_person, email="granskare@af.example.se")
    AfRoleGrant.objects.bulk_create([AfRoleGrant(account=af_account, role=role) for role in AfRole])


# --- placements ----------------------------------------------------------------------------------------------------


def _plan_placements(world: World) -> list[tuple[int, int, int, int, int]]:
    """(decided ordinal, org index, address id, period, first-period plan index) for every placement, by date."""
    rng = world.rng
    today = world.today.toordinal()
    plans: list[tuple[int, int, int, int, int]] = []
    for n, org in enumerate(world.orgs):
        seconds = round(org.placements * SECOND_PERIOD_SHARE)
        firsts = org.placements - seconds
        mine = []
        for _ in range(firsts):
            decided = today - int(rng.random() ** 0.9 * DAYS)
            mine.append((decided, n, rng.choice(org.address_ids), 1, -1))
        # Period 2 follows a period 1 that has ended or is about to: decided some weeks before its end.
        candidates = [k for k, plan in enumerate(mine) if plan[0] + 14 + 182 - 20 <= today]
        for k in rng.sample(candidates, min(seconds, len(candidates))):
            decided, _n, address, _period, _first = mine[k]
            mine.append((decided + 14 + 182 - 20, n, address, 2, len(plans) + k))
        plans.extend(mine)
    # By date, and within a day in no particular organisation's order: each organisation's rows end up scattered
    # over the whole table, as decisions arriving one by one would leave them.
    tiebreak = [rng.random() for _ in plans]
    order = sorted(range(len(plans)), key=lambda k: (plans[k][0], tiebreak[k]))
    position = {old: new for new, old in enumerate(order)}
    return [
        (decided, n, address, period, position[first] if first >= 0 else -1)
        for decided, n, address, period, first in (plans[k] for k in order)
    ]


def _start_of_period(decided: int) -> int:
    """Ten working days after the decision, near enough (two weeks), moved off a weekend."""
    start = decided + 14
    weekday = datetime.date.fromordinal(start).weekday()
    return start + (7 - weekday if weekday >= 5 else 0)


@step("placements")
def build_placements(world: World) -> None:
    rng = world.rng
    plans = _plan_placements(world)
    count = len(plans)
    today = world.today.toordinal()
    world.first_placement = first = next_id(Placement)
    participant_first = next_id(Participant)
    w = world
    for decided, n, address, period, first_index in plans:
        w.p_org.append(n)
        w.p_address.append(address)
        if period == 2:
            previous = first_index
            w.p_participant.append(w.p_participant[previous])
            starts = w.p_ends[previous] + 1
        else:
            previous = -1
            w.p_participant.append(0)  # numbered below
            starts = _start_of_period(decided)
        w.p_decided.append(decided)
        w.p_starts.append(starts)
        w.p_ends.append(add_months(datetime.date.fromordinal(starts), 6).toordinal() - 1)
        w.p_period.append(period)
        w.p_previous.append(previous)
    # Participants are numbered in the order of their first placement.
    next_participant = participant_first
    for k in range(count):
        if w.p_period[k] == 1:
            w.p_participant[k] = next_participant
            next_participant += 1
        else:
            w.p_participant[k] = w.p_participant[w.p_previous[k]]
    # The latest decisions of each organisation still wait for a supervisor (1 340 at the biggest, as many per
    # placement elsewhere); everyone else has one who can supervise at the address.
    waiting_share = world.volume.biggest_waiting / world.volume.biggest_placements
    by_org: dict[int, list[int]] = {}
    for k in range(count):
        by_org.setdefault(w.p_org[k], []).append(k)
    waiting: set[int] = set()
    for n, indexes in by_org.items():
        wanted = world.volume.biggest_waiting if n == 0 else round(len(indexes) * waiting_share)
        waiting.update(indexes[len(indexes) - wanted :] if wanted else [])
    biggest = world.biggest
    for k in range(count):
        org = world.orgs[w.p_org[k]]
        if k in waiting:
            w.p_supervisor.append(0)
        elif org is biggest and rng.random() < 0.005:
            w.p_supervisor.append(world.supervisor)
        elif w.p_period[k] == 2 and w.p_supervisor[w.p_previous[k]]:
            w.p_supervisor.append(w.p_supervisor[w.p_previous[k]])
        else:
            w.p_supervisor.append(rng.choice(org.reporters_at[w.p_address[k]]))
        interrupts = 0
        if w.p_period[k] == 1 and rng.random() < INTERRUPTED_SHARE:
            interrupts = rng.randint(w.p_starts[k] - 10, w.p_ends[k])
            interrupts = min(interrupts, today + 20)
            interrupts = max(interrupts, w.p_decided[k] + 1)
        w.p_interrupts.append(interrupts)
        w.p_removed.append(
            1 if interrupts and interrupts <= w.p_starts[k] and k in waiting and rng.random() < 0.3 else 0
        )

    # What Deltagarlista sorts by (Placement.sort_*): blank for a protected participant.
    names: dict[int, tuple[bool, str, str, str]] = {}
    participants = Table(
        Participant,
        [
            "id",
            "personnummer",
            "given_name",
            "surname",
            "phone",
            "email",
            "street",
            "postcode",
            "town",
            "protected_identity",
            "needs_language_support",
            "language",
            "work_experience",
            "education",
            "driving_licence",
            "has_car",
            "updated_at",
        ],
    )

    def participant_rows() -> Iterator[tuple[Any, ...]]:
        for k in range(count):
            if w.p_period[k] != 1:
                continue
            number = w.p_participant[k]
            given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
            language = rng.random() < 0.3
            protected = rng.random() < PROTECTED_SHARE
            names[number] = (
                (True, "", "", f"{given} {surname}") if protected else (False, surname, given, f"{given} {surname}")
            )
            yield (
                number,
                participant_personnummer(number),
                given,
                surname,
                f"070-{number % 1000:03d} {number % 100:02d} {number // 100 % 100:02d}",
                f"deltagare{number}@example.se",
                f"{rng.choice(SURNAMES)}vägen {number % 90 + 1}",
                f"{rng.randint(10000, 98999):05d}",
                "Ort",
                protected,
                language,
                "Arabiska" if language else "",
                "Lager, tre år",
                "Gymnasium",
                "B" if rng.random() < 0.5 else "",
                rng.random() < 0.3,
                w.moment(w.p_decided[k], rng.randint(0, 9 * 3600)),
            )

    participants.write(participant_rows())

    placements = Table(
        Placement,
        [
            "id",
            "genomforandereferens",
            "participant_id",
            "organisation_id",
            "service_id",
            "unit_id",
            "address_id",
            "level",
            "period",
            "previous_id",
            "decided_on",
            "starts_on",
            "ends_on",
            "supervisor_id",
            "supervisor_assigned_at",
            "removed_at",
            "created_at",
            "interrupts_on",
            "interruption_reason",
            "flag_new_at",
            "flag_interruption_at",
            "flag_decision_at",
            "has_open_rejection",  # the documents' step fills it, with the other reporting copies
            "sort_supervisor_surname",
            "sort_supervisor_given_name",
            "sort_protected",
            "sort_surname",
            "sort_given_name",
            "search_name",
        ],
    )
    # The period 2 that follows each placement, for its "new decision" flag.
    second_of = {w.p_previous[k]: k for k in range(count) if w.p_previous[k] >= 0}
    unit_of = dict(
        Address.objects.filter(unit__organisation_id__in=[o.id for o in world.orgs]).values_list("pk", "unit_id")
    )
    levels = "AABBBC"

    def created(k: int) -> datetime.datetime:
        return w.moment(w.p_decided[k], (k * 7919) % (9 * 3600))

    def assigned(k: int) -> datetime.datetime:
        return min(created(k) + datetime.timedelta(days=1 + k % 6), world.now)

    def interrupted_at(k: int) -> datetime.datetime:
        return w.moment(max(w.p_decided[k], min(w.p_interrupts[k] - 5, today)), 3600)

    def placement_rows() -> Iterator[tuple[Any, ...]]:
        for k in range(count):
            pid = first + k
            level = levels[w.p_participant[k] % len(levels)]
            yield (
                pid,
                reference(pid),
                w.p_participant[k],
                world.orgs[w.p_org[k]].id,
                world.service_id,
                unit_of[w.p_address[k]],
                w.p_address[k],
                level,
                w.p_period[k],
                first + w.p_previous[k] if w.p_previous[k] >= 0 else None,
                w.day(w.p_decided[k]),
                w.day(w.p_starts[k]),
                w.day(w.p_ends[k]),
                w.p_supervisor[k] or None,
                assigned(k) if w.p_supervisor[k] else None,
                assigned(k) if w.p_removed[k] else None,
                created(k),
                w.day(w.p_interrupts[k]) if w.p_interrupts[k] else None,
                REASONS[k % len(REASONS)] if w.p_interrupts[k] else "",
                created(k),
                interrupted_at(k) if w.p_interrupts[k] else None,
                created(second_of[k]) if k in second_of else None,
                False,
                *(
                    world.names_of_person[world.person_of_account[w.p_supervisor[k]]]
                    if w.p_supervisor[k]
                    else (None, None)
                ),
                *names[w.p_participant[k]],
            )

    placements.write(placement_rows())

    interruption_id = next_id(Interruption)

    def interruption_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal interruption_id
        for k in range(count):
            if not w.p_interrupts[k]:
                continue
            registered = interrupted_at(k)
            yield (
                interruption_id,
                first + k,
                REASONS[k % len(REASONS)],
                w.day(w.p_interrupts[k]),
                registered,
                None,
                None,
            )
            interruption_id += 1

    Table(
        Interruption,
        ["id", "placement_id", "reason", "interrupts_on", "registered_at", "registered_by_id", "withdrawn_at"],
    ).write(interruption_rows())

    event_id = next_id(Event)

    def event_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal event_id
        for k in range(count):
            pid = first + k
            data: dict[str, Any] = {"period": int(w.p_period[k]), "level": levels[w.p_participant[k] % len(levels)]}
            if w.p_period[k] == 2:
                data["previous"] = reference(first + w.p_previous[k])
            yield (event_id, pid, timeline.DECIDED.code, created(k), API_LABEL, "Arbetsförmedlingen", data)
            event_id += 1
            if w.p_period[k] == 2:
                previous = w.p_previous[k]
                yield (
                    event_id,
                    first + previous,
                    timeline.NEW_DECISION.code,
                    created(k),
                    API_LABEL,
                    "Arbetsförmedlingen",
                    {"period": 2, "next": reference(pid)},
                )
                event_id += 1
            if w.p_supervisor[k]:
                name = world.name_of_person[world.person_of_account[w.p_supervisor[k]]]
                yield (
                    event_id,
                    pid,
                    timeline.SUPERVISOR_ASSIGNED.code,
                    assigned(k),
                    name,
                    world.orgs[w.p_org[k]].name,
                    {"supervisor": name},
                )
                event_id += 1
            if w.p_interrupts[k]:
                yield (
                    event_id,
                    pid,
                    timeline.INTERRUPTED.code,
                    interrupted_at(k),
                    API_LABEL,
                    "Arbetsförmedlingen",
                    {"reason": REASONS[k % len(REASONS)], "interrupts_on": w.day(w.p_interrupts[k]).isoformat()},
                )
                event_id += 1

    Table(Event, ["id", "placement_id", "kind", "at", "actor_name", "actor_organisation", "data"]).write(event_rows())

    view_id = next_id(PlacementView)

    def view_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal view_id
        for k in range(count):
            supervisor = w.p_supervisor[k]
            if supervisor and supervisor != world.coordinator:
                yield (view_id, supervisor, first + k, min(assigned(k) + datetime.timedelta(hours=2), world.now))
                view_id += 1
            # The coordinator has opened one in twenty of the biggest provider's participants.
            if w.p_org[k] == 0 and k % 20 == 0:
                yield (view_id, world.coordinator, first + k, min(created(k) + datetime.timedelta(days=1), world.now))
                view_id += 1

    Table(PlacementView, ["id", "account_id", "placement_id", "seen_at"]).write(view_rows())

    decision_id = next_id(Decision)

    def decision_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal decision_id
        for k in range(count):
            kind = DecisionKind.PLACEMENT if w.p_period[k] == 1 else DecisionKind.SECOND_PERIOD
            yield (decision_id, f"bench-{first + k}", kind.value, {"fingerprint": ""}, first + k, created(k), API_LABEL)
            decision_id += 1

    Table(Decision, ["id", "key", "kind", "payload", "placement_id", "created_at", "created_by_label"]).write(
        decision_rows()
    )


# --- the audit log -----------------------------------------------------------------------------------------------

# What people do in the portal besides the decisions, by share of the log's other entries.
_ACTIVITY = [
    ("placements.listed", 0.40),
    ("placements.read", 0.45),
    ("identity.signed_in", 0.11),
    ("placements.personnummer_revealed", 0.03),
    ("exports.created", 0.01),
]


@step("audit")
def build_audit(world: World) -> None:
    """Three million entries over two and a half years: every decision and assignment, and people's reads."""
    rng = world.rng
    w = world
    today = world.today.toordinal()
    count = len(w.p_org)
    first = w.first_placement
    # The entries that follow placements, bucketed by day: (kind, placement index).
    by_day: dict[int, list[tuple[int, int]]] = {}
    for k in range(count):
        by_day.setdefault(w.p_decided[k], []).append((0, k))
        if w.p_supervisor[k]:
            by_day.setdefault(min(w.p_decided[k] + 1 + k % 6, today), []).append((1, k))
        if w.p_interrupts[k]:
            by_day.setdefault(max(w.p_decided[k], min(w.p_interrupts[k] - 5, today)), []).append((2, k))
    linked = sum(len(items) for items in by_day.values())
    other_per_day = max(0, w.volume.audit_entries - linked) / DAYS
    # People act in proportion to their organisation's placements.
    staff = [(org, account) for org in w.orgs for account in org.staff]
    cumulative = list(itertools.accumulate(org.placements / max(1, len(org.staff)) for org, _account in staff))
    placements_of: dict[int, list[int]] = {}
    for k in range(count):
        placements_of.setdefault(w.p_org[k], []).append(k)
    actions = [action for action, _share in _ACTIVITY]
    shares = [share for _action, share in _ACTIVITY]
    audit_id = next_id(AuditEvent)
    # The shares of the log are far from uniform over time; a steady rate is enough to find slow queries.
    start = today - DAYS

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal audit_id
        carry = 0.0
        for day in range(start, today + 1):
            entries: list[tuple[float, tuple[Any, ...]]] = []
            for kind, k in by_day.get(day, []):
                pid = first + k
                org = w.orgs[w.p_org[k]]
                if kind == 0:
                    action = "placements.decided" if w.p_period[k] == 1 else "placements.second_period_decided"
                    entries.append(
                        (
                            rng.random(),
                            (
                                None,
                                API_LABEL,
                                "system",
                                None,
                                org.id,
                                action,
                                "Placement",
                                pid,
                                {"decision": f"bench-{pid}"},
                            ),
                        )
                    )
                elif kind == 1:
                    receiver = rng.choice(org.receivers) if org.receivers else org.staff[0]
                    entries.append(
                        (
                            rng.random(),
                            (
                                w.person_of_account[receiver],
                                w.name_of_person[w.person_of_account[receiver]],
                                "staff",
                                org.id,
                                org.id,
                                "placements.supervisor_assigned",
                                "Placement",
                                pid,
                                {"supervisor": w.p_supervisor[k]},
                            ),
                        )
                    )
                else:
                    entries.append(
                        (
                            rng.random(),
                            (None, API_LABEL, "system", None, org.id, "placements.interrupted", "Placement", pid, {}),
                        )
                    )
            carry += other_per_day
            todays = int(carry)
            carry -= todays
            for (org, account), action in zip(
                rng.choices(staff, cum_weights=cumulative, k=todays),
                rng.choices(actions, weights=shares, k=todays),
                strict=False,
            ):
                person = w.person_of_account[account]
                subject: tuple[str, Any] = ("", None)
                data: dict[str, Any] = {}
                pool = placements_of_org[org.id]
                if action == "placements.read" or action == "placements.personnummer_revealed":
                    subject = ("Placement", first + rng.choice(pool))
                elif action == "placements.listed":
                    offset = rng.randrange(max(1, len(pool) - 50))
                    data = {"page": "participant_list", "shown": [first + k for k in pool[offset : offset + 50]]}
                elif action == "identity.signed_in":
                    subject = ("Person", person)
                    data = {"method": "bankid"}
                else:
                    data = {"rows": rng.randint(1, 2000), "format": "xlsx"}
                entries.append(
                    (
                        rng.random(),
                        (
                            person,
                            w.name_of_person[person],
                            "staff",
                            org.id,
                            org.id,
                            action,
                            subject[0],
                            subject[1],
                            data,
                        ),
                    )
                )
            entries.sort(key=lambda entry: entry[0])
            for position, (_order, entry) in enumerate(entries):
                person, name, kind_, acting_for, organisation, action, subject_type, subject_id, data = entry
                at = w.moment(day, 9 * 3600 * position / max(1, len(entries)))
                label = ""
                if subject_type == "Placement":
                    label = reference(subject_id)
                elif subject_type == "Person":
                    label = w.name_of_person[subject_id]
                yield (
                    audit_id,
                    at,
                    person,
                    name,
                    kind_,
                    acting_for,
                    organisation,
                    action,
                    "ok",
                    "placements.Placement"
                    if subject_type == "Placement"
                    else ("identity.Person" if subject_type else ""),
                    str(subject_id) if subject_id is not None else "",
                    label,
                    data,
                    "10.0.0.1" if person else None,
                )
                audit_id += 1

    placements_of_org = {org.id: placements_of.get(n, [0]) for n, org in enumerate(w.orgs)}
    Table(
        AuditEvent,
        [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "actor_kind",
            "acting_for_id",
            "organisation_id",
            "action",
            "outcome",
            "subject_type",
            "subject_id",
            "subject_label",
            "data",
            "ip_address",
        ],
    ).write(rows())


# --- building ------------------------------------------------------------------------------------------------------

WORLD_MODELS = [
    Organisation,
    Unit,
    Address,
    Person,
    StaffAccount,
    RoleGrant,
    AddressGrant,
    AfStaffAccount,
    AfRoleGrant,
    Participant,
    Placement,
    Interruption,
    Event,
    PlacementView,
    Decision,
    AuditEvent,
]


def build(scale: float, *, log: Callable[[str], None] = print) -> World:
    """Builds the world into the (migrated, empty) database; each step in one transaction."""
    import bench.steps  # noqa: F401  (registers every app's steps)

    world = World(
        volume=Volume.at(scale),
        today=timezone.localdate(),
        now=timezone.now(),
        rng=random.Random(SEED),
    )
    for name, function in STEPS:
        started = time.monotonic()
        with transaction.atomic():
            function(world)
        world.timings[name] = time.monotonic() - started
        log(f"  {name}: {world.timings[name]:.0f} s")
    reset_sequences(WORLD_MODELS)
    ApiClient.objects.create(name=API_CLIENT, key_prefix="bench", key_hash="-")  # the marker: the world is complete
    started = time.monotonic()
    analyze()
    log(f"  analyze: {time.monotonic() - started:.0f} s")
    return world


def is_built() -> bool:
    return ApiClient.objects.filter(name=API_CLIENT).exists()
