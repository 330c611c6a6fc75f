"""Writes for placements (SPEC S4, S6, S8.2): Af's decisions, and the provider's intake and supervisors.

Af's decisions are idempotent: each carries a key (Af's own id for the decision, or a fresh one for a decision made in
the back office), and delivering the same key again returns the first result and changes nothing. The key's row is
written first in the transaction, so two deliveries at the same moment cannot both create a placement.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AddressGrant, AfRole, Role, RoleGrant, StaffAccount
from faportal.access.scoping import require, require_role, visible
from faportal.audit.services import record
from faportal.core.problems import raise_problems, refuse
from faportal.identity.models import Person
from faportal.placements import rules, timeline
from faportal.placements.models import (
    Decision,
    DecisionKind,
    Interruption,
    Participant,
    Placement,
    PlacementView,
    today,
)
from faportal.registry.models import Address, Service

T = TypeVar("T")

# Crockford's base32 without the letters people confuse (I, L, O, U): easy to read aloud on the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_genomforandereferens() -> str:
    """A fresh genomförandereferens: "GFR-" and ten characters of which the last is a check character."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(9))
    check = _REFERENCE_ALPHABET[sum((i + 1) * _REFERENCE_ALPHABET.index(c) for i, c in enumerate(body)) % 32]
    return f"GFR-{body}{check}"


# --- decisions from Af (idempotent) --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantData:
    """What Af knows about the job seeker, as a decision carries it (SPEC S4.1)."""

    personnummer: str
    given_name: str
    surname: str
    phone: str = ""
    email: str = ""
    street: str = ""
    postcode: str = ""
    town: str = ""
    protected_identity: bool = False
    needs_language_support: bool = False
    language: str = ""
    work_experience: str = ""
    education: str = ""
    driving_licence: str = ""
    has_car: bool = False


@dataclass(frozen=True)
class PlacementDecision:
    """Beslut om deltagande, period 1 (SPEC S4.1)."""

    participant: ParticipantData
    service_code: str
    address_id: int
    level: str
    decided_on: datetime.date
    starts_on: datetime.date | None = None  # the earliest allowed start when not given


@dataclass(frozen=True)
class DecisionResult:
    """The outcome of a decision, and whether this delivery created it or repeated an earlier one."""

    decision: Decision
    created: bool
    placement: Placement | None = field(default=None)


def _fingerprint(kind: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([kind, payload], sort_keys=True, default=str).encode()).hexdigest()


def _idempotent(
    *, actor: Actor, key: str, kind: DecisionKind, payload: dict[str, Any], work: Callable[[Decision], Placement]
) -> DecisionResult:
    """Run ``work`` once per key: a repeated key returns the first result (or refuses a different payload)."""
    require_role(actor, AfRole.CASE_OFFICER)
    fingerprint = _fingerprint(kind, payload)
    existing = Decision.objects.filter(key=key).select_related("placement").first()
    if existing is not None:
        return _repeat(existing, fingerprint)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                key=key, kind=kind, payload={"fingerprint": fingerprint, **payload}, created_by_label=actor.label
            )
            decision.placement = work(decision)
            decision.save(update_fields=["placement"])
    except IntegrityError:
        # Delivered twice at the same moment: the other delivery created it first.
        existing = Decision.objects.filter(key=key).select_related("placement").first()
        if existing is None:
            raise
        return _repeat(existing, fingerprint)
    return DecisionResult(decision, created=True, placement=decision.placement)


def _repeat(existing: Decision, fingerprint: str) -> DecisionResult:
    if existing.payload.get("fingerprint") != fingerprint:
        raise refuse("decision_id", rules.Code.KEY_REUSED)
    return DecisionResult(existing, created=False, placement=existing.placement)


def keep_names(participant: Participant) -> None:
    """Copies the participant's name onto their placements, as Deltagarlista sorts and searches by it."""
    hidden = participant.protected_identity
    Placement.objects.filter(participant=participant).update(
        sort_protected=hidden,
        sort_surname="" if hidden else participant.surname,
        sort_given_name="" if hidden else participant.given_name,
        search_name=participant.full_name,
    )


def keep_interruption(placement: Placement) -> None:
    """Copies the interruption in force onto the placement (``Placement.interrupts_on``, for lists and filters)."""
    current = active_interruption(placement)
    placement.interrupts_on = current.interrupts_on if current else None
    placement.interruption_reason = current.reason if current else ""
    Placement.objects.filter(pk=placement.pk).update(
        interrupts_on=placement.interrupts_on, interruption_reason=placement.interruption_reason
    )


def _participant(data: ParticipantData) -> Participant:
    """The participant with this personnummer, with the latest data from Af."""
    values = asdict(data)
    personnummer = values.pop("personnummer")
    participant, _created = Participant.objects.update_or_create(personnummer=personnummer, defaults=values)
    return participant


def _address(address_id: int, service_code: str) -> tuple[Address, Service]:
    address = Address.objects.active().select_related("unit__service", "unit__organisation").filter(pk=address_id)
    found = address.first()
    if found is None:
        raise refuse("address", rules.Code.UNKNOWN_ADDRESS)
    if found.unit.service.code != service_code:
        raise refuse("address", rules.Code.ADDRESS_OF_OTHER_SERVICE)
    return found, found.unit.service


def record_decision(*, actor: Actor, key: str, decision: PlacementDecision) -> DecisionResult:
    """Beslut om deltagande (SPEC S4.1): a new placement, shown at once under Nya deltagare."""
    now_day = today()
    starts_on = decision.starts_on or rules.earliest_start(decision.decided_on)
    raise_problems(rules.first_period_problems(decided_on=decision.decided_on, starts_on=starts_on, today=now_day))
    if decision.level not in {level.value for level in rules.Level}:
        raise refuse("level", rules.Code.UNKNOWN_LEVEL)

    def work(row: Decision) -> Placement:
        address, service = _address(decision.address_id, decision.service_code)
        # The participant's row first: updating it locks it, so two decisions for one person never both pass.
        participant = _participant(decision.participant)
        new = rules.Span(starts_on, rules.period_end(starts_on))
        if rules.overlaps(new, _spans_of(participant)):
            raise refuse("personnummer", rules.Code.PARTICIPANT_ALREADY_PLACED)
        placement = Placement.objects.create(
            genomforandereferens=_unique_reference(),
            participant=participant,
            organisation=address.unit.organisation,
            service=service,
            unit=address.unit,
            address=address,
            level=decision.level,
            period=1,
            decided_on=decision.decided_on,
            starts_on=starts_on,
            ends_on=rules.period_end(starts_on),
        )
        keep_names(participant)
        timeline.record_event(placement=placement, kind=timeline.DECIDED, actor=actor, period=1, level=decision.level)
        record(actor, "placements.decided", placement, decision=row.key)
        return placement

    return _idempotent(actor=actor, key=key, kind=DecisionKind.PLACEMENT, payload=_payload(decision), work=work)


def _spans_of(participant: Participant, *, excluding: frozenset[int] = frozenset()) -> list[rules.Span]:
    """When the participant's placements run (withdrawn interruptions left out), but for those ``excluding``."""
    rows = (
        Placement.objects.filter(participant=participant)
        .exclude(pk__in=excluding)
        .values_list("starts_on", "ends_on", "interrupts_on")  # the interruption in force (keep_interruption)
    )
    return [
        rules.Span(starts_on, rules.last_day(ends_on=ends_on, interrupts_on=interrupts_on))
        for starts_on, ends_on, interrupts_on in rows
    ]


def _unique_reference() -> str:
    while True:
        reference = new_genomforandereferens()
        if not Placement.objects.filter(genomforandereferens=reference).exists():
            return reference


def _payload(value: Any) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(value), default=str))


def record_second_period(*, actor: Actor, key: str, first: Placement, decided_on: datetime.date) -> DecisionResult:
    """Beslut om period 2 (SPEC S4.4): six more months at the same level and address, without a gap."""

    def work(row: Decision) -> Placement:
        locked = Placement.objects.select_for_update().select_related("participant").get(pk=first.pk)
        problems = rules.second_period_problems(
            first_period=locked.period,
            first_interrupted=active_interruption(locked) is not None,
            has_second=Placement.objects.filter(previous=locked).exists(),
            first_ends_on=locked.ends_on,
            decided_on=decided_on,
            today=today(),
        )
        raise_problems(problems)
        dates = rules.second_period_dates(rules.PeriodDates(locked.starts_on, locked.ends_on))
        others = _spans_of(locked.participant, excluding=frozenset({locked.pk}))
        if rules.overlaps(rules.Span(dates.starts_on, dates.ends_on), others):
            raise refuse("placement", rules.Code.PARTICIPANT_ALREADY_PLACED)
        # The period-1 supervisor continues (SPEC S4.4), if they are still on the staff.
        continuing = locked.supervisor if locked.supervisor and not locked.supervisor.is_deleted else None
        second = Placement.objects.create(
            genomforandereferens=_unique_reference(),
            participant=locked.participant,
            organisation=locked.organisation,
            service=locked.service,
            unit=locked.unit,
            address=locked.address,
            level=locked.level,
            period=2,
            previous=locked,
            decided_on=decided_on,
            starts_on=dates.starts_on,
            ends_on=dates.ends_on,
            supervisor=continuing,
            supervisor_assigned_at=timezone.now() if continuing else None,
            sort_supervisor_surname=locked.sort_supervisor_surname if continuing else None,
            sort_supervisor_given_name=locked.sort_supervisor_given_name if continuing else None,
        )
        keep_names(locked.participant)
        timeline.record_event(
            placement=second,
            kind=timeline.DECIDED,
            actor=actor,
            period=2,
            level=second.level,
            previous=locked.genomforandereferens,
        )
        timeline.record_event(
            placement=locked, kind=timeline.NEW_DECISION, actor=actor, period=2, next=second.genomforandereferens
        )
        record(actor, "placements.second_period_decided", second, decision=row.key, previous=locked.pk)
        return second

    return _idempotent(
        actor=actor,
        key=key,
        kind=DecisionKind.SECOND_PERIOD,
        payload={"placement": first.genomforandereferens, "decided_on": decided_on.isoformat()},
        work=work,
    )


def active_interruption(placement: Placement) -> Interruption | None:
    """The interruption in force for a placement (not withdrawn), if any."""
    return placement.interruptions.filter(withdrawn_at__isnull=True).first()


def interrupt(
    *, actor: Actor, key: str, placement: Placement, reason: str, interrupts_on: datetime.date
) -> DecisionResult:
    """Avbrott (SPEC S4.7): Af ends a placement, from today or a later date; the provider sees it at once."""
    if reason not in {value.value for value in rules.InterruptionReason}:
        raise refuse("reason", rules.Code.UNKNOWN_REASON)

    def work(row: Decision) -> Placement:
        # Judged here, after the key: the same interruption delivered again after its date is a repeat, not an error.
        problems = rules.interruption_problems(
            interrupts_on=interrupts_on, today=today(), starts_on=placement.starts_on, ends_on=placement.ends_on
        )
        raise_problems(problems)
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if active_interruption(locked) is not None:
            raise refuse("placement", rules.Code.ALREADY_INTERRUPTED)
        Interruption.objects.create(
            placement=locked, reason=reason, interrupts_on=interrupts_on, registered_by=actor.person
        )
        keep_interruption(locked)
        timeline.record_event(
            placement=locked,
            kind=timeline.INTERRUPTED,
            actor=actor,
            reason=reason,
            interrupts_on=interrupts_on.isoformat(),
        )
        record(actor, "placements.interrupted", locked, decision=row.key, reason=reason)
        return locked

    return _idempotent(
        actor=actor,
        key=key,
        kind=DecisionKind.INTERRUPTION,
        payload={"placement": placement.genomforandereferens, "reason": reason, "interrupts_on": str(interrupts_on)},
        work=work,
    )


def change_interruption(
    *, actor: Actor, key: str, placement: Placement, interrupts_on: datetime.date | None
) -> DecisionResult:
    """Move a future interruption to another date, or withdraw it (``None``), until its date passes (S4.7)."""

    def work(row: Decision) -> Placement:
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        current = active_interruption(locked)
        if current is None:
            raise refuse("placement", rules.Code.NOT_INTERRUPTED)
        if not rules.interruption_can_change(interrupts_on=current.interrupts_on, today=today()):
            raise refuse("interrupts_on", rules.Code.INTERRUPTION_PASSED)
        if interrupts_on is None:
            current.withdrawn_at = timezone.now()
            current.save(update_fields=["withdrawn_at"])
            keep_interruption(locked)
            timeline.record_event(
                placement=locked,
                kind=timeline.INTERRUPTION_WITHDRAWN,
                actor=actor,
                was=current.interrupts_on.isoformat(),
            )
            record(actor, "placements.interruption_withdrawn", locked, decision=row.key)
            return locked
        problems = rules.interruption_problems(
            interrupts_on=interrupts_on, today=today(), starts_on=locked.starts_on, ends_on=locked.ends_on
        )
        raise_problems(problems)
        was = current.interrupts_on
        current.interrupts_on = interrupts_on
        current.save(update_fields=["interrupts_on"])
        keep_interruption(locked)
        timeline.record_event(
            placement=locked,
            kind=timeline.INTERRUPTION_MOVED,
            actor=actor,
            was=was.isoformat(),
            interrupts_on=interrupts_on.isoformat(),
        )
        record(actor, "placements.interruption_moved", locked, decision=row.key)
        return locked

    return _idempotent(
        actor=actor,
        key=key,
        kind=DecisionKind.INTERRUPTION_CHANGE,
        payload={"placement": placement.genomforandereferens, "interrupts_on": str(interrupts_on)},
        work=work,
    )


def change_provider(
    *,
    actor: Actor,
    key: str,
    placement: Placement,
    address_id: int,
    decided_on: datetime.date,
    starts_on: datetime.date | None = None,
) -> DecisionResult:
    """Byte av leverantör (SPEC S4.8): the old placement is interrupted and a new one starts at the new provider.

    The old provider keeps what it already reported; the new placement has its own genomförandereferens, the same
    level and period, and starts at the earliest ten working days after the decision.
    """
    starts = starts_on or rules.earliest_start(decided_on)
    raise_problems(rules.first_period_problems(decided_on=decided_on, starts_on=starts, today=today()))

    def work(row: Decision) -> Placement:
        old = Placement.objects.select_for_update().select_related("participant").get(pk=placement.pk)
        address, service = _address(address_id, old.service.code)
        if address.unit.organisation_id == old.organisation_id:
            raise refuse("address", rules.Code.SAME_PROVIDER)
        problems = rules.provider_change_problems(
            ends_on=old.ends_on, interrupted=active_interruption(old) is not None, today=today()
        )
        raise_problems(problems)
        # What the old provider would run at the same time ends when the new one starts: the placement changed
        # from, and its period 2 when that is decided. Anything else of the person's must not overlap.
        replaced = [old, *Placement.objects.select_for_update().filter(previous=old)]
        others = _spans_of(old.participant, excluding=frozenset(p.pk for p in replaced))
        if rules.overlaps(rules.Span(starts, rules.period_end(starts)), others):
            raise refuse("placement", rules.Code.PARTICIPANT_ALREADY_PLACED)
        ended = []
        for each in replaced:
            if starts > each.ends_on or active_interruption(each) is not None:
                continue  # over before the new one starts, or already interrupted
            interrupts_on = max(today(), starts, each.starts_on)  # its last day is the day before the new start
            Interruption.objects.create(
                placement=each,
                reason=rules.InterruptionReason.CHANGED_PROVIDER,
                interrupts_on=interrupts_on,
                registered_by=actor.person,
            )
            keep_interruption(each)
            ended.append((each, interrupts_on))
        new = Placement.objects.create(
            genomforandereferens=_unique_reference(),
            participant=old.participant,
            organisation=address.unit.organisation,
            service=service,
            unit=address.unit,
            address=address,
            level=old.level,
            period=old.period,
            previous=None,
            decided_on=decided_on,
            starts_on=starts,
            ends_on=rules.period_end(starts),
        )
        for each, interrupts_on in ended:
            timeline.record_event(
                placement=each,
                kind=timeline.INTERRUPTED,
                actor=actor,
                reason=rules.InterruptionReason.CHANGED_PROVIDER.value,
                interrupts_on=interrupts_on.isoformat(),
            )
        keep_names(old.participant)
        timeline.record_event(placement=new, kind=timeline.DECIDED, actor=actor, period=new.period, level=new.level)
        record(actor, "placements.provider_changed", new, decision=row.key, previous=old.pk)
        return new

    return _idempotent(
        actor=actor,
        key=key,
        kind=DecisionKind.PROVIDER_CHANGE,
        payload={
            "placement": placement.genomforandereferens,
            "address_id": address_id,
            "decided_on": str(decided_on),
            "starts_on": str(starts_on),
        },
        work=work,
    )


# --- the provider's side -------------------------------------------------------------------------------------


def supervisors_at(*, actor: Actor, address_ids: Iterable[int]) -> list[StaffAccount]:
    """Staff who may supervise at every one of these addresses: the reporting role there (SPEC S4.3)."""
    wanted = set(address_ids)
    if not wanted or actor.organisation_id is None:
        return []
    moment = timezone.now()
    # Those with access to every one of the addresses first (the grants at these addresses, by the address's
    # index: a few per address), then which of them have the reporting role, each by its own key (account,
    # role): never a pass over every grant of the organisation or the country.
    at: dict[int, set[int]] = {}
    for account_id, address_id in (
        AddressGrant.objects.current(moment)
        .filter(address_id__in=wanted, account__organisation_id=actor.organisation_id)
        .order_by()
        .values_list("account_id", "address_id")
    ):
        at.setdefault(account_id, set()).add(address_id)
    everywhere = [account_id for account_id, found in at.items() if found >= wanted]
    if not everywhere:
        return []
    reports = RoleGrant.objects.current(moment).filter(account=OuterRef("pk"), role=Role.REPORT)
    return list(
        StaffAccount.objects.active()
        .filter(pk__in=everywhere, organisation_id=actor.organisation_id)
        .filter(Exists(reports))
        .select_related("person")
        .order_by("person__surname", "person__given_name", "pk")
    )


@transaction.atomic
def assign_supervisor(*, actor: Actor, placements: list[Placement], supervisor: StaffAccount) -> list[Placement]:
    """Tilldela handledare (SPEC S4.3): one, several or all new participants get the same supervisor."""
    wanted = {placement.pk for placement in placements}
    # Every one of them the actor's to assign: asked once for all (require() for each would ask once each).
    if visible(actor, Role.RECEIVE, Placement.objects.filter(pk__in=wanted)).count() != len(wanted):
        raise Http404
    locked = list(Placement.objects.select_for_update().filter(pk__in=[p.pk for p in placements]).order_by("pk"))
    allowed = {account.pk for account in supervisors_at(actor=actor, address_ids={p.address_id for p in locked})}
    if supervisor.pk not in allowed:
        raise refuse("supervisor", rules.Code.SUPERVISOR_NOT_ALLOWED)
    now = timezone.now()
    for placement in locked:
        if placement.supervisor_id is not None:
            raise refuse("supervisor", rules.Code.ALREADY_ASSIGNED, genomforandereferens=placement.genomforandereferens)
        keep_supervisor(placement, supervisor, now)
        timeline.record_event(
            placement=placement, kind=timeline.SUPERVISOR_ASSIGNED, actor=actor, supervisor=supervisor.person.full_name
        )
        record(actor, "placements.supervisor_assigned", placement, supervisor=supervisor.pk)
    return locked


def keep_supervisor(placement: Placement, supervisor: StaffAccount, at: datetime.datetime) -> None:
    """Makes ``supervisor`` the placement's supervisor from ``at``, with the copy of their name the list sorts by."""
    placement.supervisor = supervisor
    placement.supervisor_assigned_at = at
    placement.sort_supervisor_surname = supervisor.person.surname
    placement.sort_supervisor_given_name = supervisor.person.given_name
    placement.save(
        update_fields=["supervisor", "supervisor_assigned_at", "sort_supervisor_surname", "sort_supervisor_given_name"]
    )


def keep_supervisor_names(person: Person) -> None:
    """A person's new name reaches the copies on the placements they supervise (the list's sort by supervisor)."""
    Placement.objects.filter(supervisor__person=person).update(
        sort_supervisor_surname=person.surname, sort_supervisor_given_name=person.given_name
    )


@transaction.atomic
def change_supervisor(*, actor: Actor, placement: Placement, supervisor: StaffAccount) -> Placement:
    """Byt handledare (SPEC S4.3, S3.6): anyone with the reporting role at the address may do it."""
    require(actor, Role.REPORT, placement)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if supervisor.pk not in {a.pk for a in supervisors_at(actor=actor, address_ids={locked.address_id})}:
        raise refuse("supervisor", rules.Code.SUPERVISOR_NOT_ALLOWED)
    if locked.supervisor_id == supervisor.pk:
        return locked
    before = locked.supervisor.person.full_name if locked.supervisor else ""
    keep_supervisor(locked, supervisor, timezone.now())
    timeline.record_event(
        placement=locked,
        kind=timeline.SUPERVISOR_CHANGED,
        actor=actor,
        supervisor=supervisor.person.full_name,
        previous=before,
    )
    record(actor, "placements.supervisor_changed", locked, supervisor=supervisor.pk)
    return locked


@transaction.atomic
def remove_from_intake(*, actor: Actor, placement: Placement) -> Placement:
    """Ta bort ny deltagare (SPEC S3.3): only one whose service was interrupted before it started."""
    require(actor, Role.RECEIVE, placement)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    interruption = active_interruption(locked)
    if not rules.interrupted_before_start(
        interrupts_on=interruption.interrupts_on if interruption else None, starts_on=locked.starts_on
    ):
        raise refuse("", rules.Code.NOT_INTERRUPTED_BEFORE_START)
    locked.removed_at = timezone.now()
    locked.save(update_fields=["removed_at"])
    timeline.record_event(placement=locked, kind=timeline.REMOVED, actor=actor)
    record(actor, "placements.removed_from_intake", locked)
    return locked


def mark_seen(*, actor: Actor, placement: Placement) -> None:
    """The actor has now seen everything that happened to the placement (clears its unread flags)."""
    if actor.account is None:
        return
    PlacementView.objects.update_or_create(
        account=actor.account, placement=placement, defaults={"seen_at": timezone.now()}
    )


def reveal_personnummer(*, actor: Actor, placement: Placement) -> str:
    """ "Visa" personnummer (SPEC S4.6): every reveal is written to the audit log."""
    require(actor, Role.REPORT, placement)
    placement = Placement.objects.select_related("participant").get(pk=placement.pk)
    participant = placement.participant
    if participant.protected_identity and placement.supervisor_id != actor.account_id:
        raise refuse("", rules.Code.PROTECTED_IDENTITY)
    record(actor, "placements.personnummer_revealed", placement)
    return participant.personnummer_display


@transaction.atomic
def move_supervised_placements(
    *, actor: Actor, account: StaffAccount, to: StaffAccount, address_id: int | None = None
) -> list[Placement]:
    """Flytta deltagare: what ``account`` supervises (at ``address_id``, or everywhere) moves to ``to``, e.g. before
    the account is deleted.

    A permission administrator may do this for the whole organisation (staff changes are theirs, SPEC S3.5); the
    new supervisor must have the reporting role at every one of the addresses, as always (S4.3).
    """
    require(actor, Role.ADMINISTER, account)
    moving = placements_supervised_by(actor=actor, account=account)
    if address_id is not None:
        moving = [placement for placement in moving if placement.address_id == address_id]
    if not moving:
        return []
    allowed = {a.pk for a in supervisors_at(actor=actor, address_ids={p.address_id for p in moving})}
    if to.pk not in allowed or to.pk == account.pk:
        raise refuse("supervisor", rules.Code.SUPERVISOR_NOT_ALLOWED)
    now = timezone.now()
    for placement in moving:
        keep_supervisor(placement, to, now)
        timeline.record_event(
            placement=placement,
            kind=timeline.SUPERVISOR_CHANGED,
            actor=actor,
            supervisor=to.person.full_name,
            previous=account.person.full_name,
        )
        record(actor, "placements.supervisor_changed", placement, supervisor=to.pk, moved_from=account.pk)
    return moving


def placements_supervised_by(*, actor: Actor, account: StaffAccount) -> list[Placement]:
    """The placements a staff account still supervises (refuses deleting the account, SPEC S3.5)."""
    day = today()
    return list(
        visible(actor, Role.ADMINISTER, Placement.objects.filter(supervisor=account))
        .filter(ends_on__gte=day)
        # Not interrupted from today or earlier (its last day has passed, rules.last_day): the placement's copy of
        # the interruption in force, read with the placement from the supervisor's index.
        .filter(Q(interrupts_on__isnull=True) | Q(interrupts_on__gt=day))
        .select_related("address__municipality")
        # What the pages show of them (reference and address) and what moving them writes: a busy supervisor's
        # hundreds of rows read whole would cost more than the query.
        .only(
            "genomforandereferens",
            "organisation",
            "address",
            "supervisor",
            "supervisor_assigned_at",
            "sort_supervisor_surname",
            "sort_supervisor_given_name",
            "starts_on",
            "ends_on",
            "interrupts_on",
            "address__street",
            "address__postcode",
            "address__town",
            "address__municipality__name",
        )
        .order_by("starts_on", "pk")
    )
