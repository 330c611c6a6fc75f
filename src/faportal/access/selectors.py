"""Reads for staff accounts and permissions (SPEC S3), each scoped through ``visible``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from faportal.access.actor import Actor
from faportal.access.models import (
    AddressGrant,
    AfRole,
    AfStaffAccount,
    Invitation,
    Role,
    RoleGrant,
    StaffAccount,
)
from faportal.access.scoping import get_visible_or_404, visible
from faportal.audit.models import AuditEvent
from faportal.identity.models import Person
from faportal.registry.models import Address, Service, Unit


def acting_choices(person: Person) -> tuple[tuple[str, str], ...]:
    """What ``person`` can act for: each active staff account's organisation, and Af if they work there."""
    choices: list[tuple[str, str]] = [
        (f"staff:{account.pk}", account.organisation.name)
        for account in StaffAccount.objects.active()
        .filter(person=person, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    if AfStaffAccount.objects.filter(person=person, deleted_at__isnull=True).exists():
        choices.append(("af", _("Arbetsförmedlingen (back office)")))
    return tuple(choices)


def actor_for_choice(
    person: Person, choice: str | None, *, choices: tuple[tuple[str, str], ...], ip_address: str | None
) -> Actor:
    """The actor for a signed-in person acting for ``choice`` ("staff:<id>", "af" or nothing)."""
    if choice == "af":
        af_account = AfStaffAccount.objects.select_related("person").get(person=person, deleted_at__isnull=True)
        return Actor.for_af_account(af_account, ip_address=ip_address, choices=choices)
    if choice and choice.startswith("staff:"):
        account = (
            StaffAccount.objects.active()
            .select_related("person", "organisation")
            .get(pk=int(choice.split(":", 1)[1]), person=person)
        )
        return Actor.for_staff_account(account, ip_address=ip_address, choices=choices)
    return Actor.signed_in_person(person, ip_address=ip_address, choices=choices)


def _current_roles_prefetch(moment: datetime.datetime) -> Prefetch:
    return Prefetch("role_grants", queryset=RoleGrant.objects.current(moment), to_attr="current_role_grants")


def _current_addresses_prefetch(moment: datetime.datetime) -> Prefetch:
    return Prefetch(
        "address_grants",
        queryset=AddressGrant.objects.current(moment)
        .select_related("address__unit__service", "address__municipality")
        .order_by("address__unit__name", "address__street"),
        to_attr="current_address_grants",
    )


def staff_list(*, actor: Actor, search: str = "", only_without_permissions: bool = False) -> QuerySet[StaffAccount]:
    """Personallista (SPEC S3.2): the organisation's staff accounts, searchable, optionally only those without roles."""
    moment = timezone.now()
    accounts = visible(actor, Role.ADMINISTER, StaffAccount.objects.active()).select_related("person")
    if search:
        for word in search.split():
            accounts = accounts.filter(
                Q(person__given_name__icontains=word) | Q(person__surname__icontains=word) | Q(email__icontains=word)
            )
    if only_without_permissions:
        accounts = accounts.exclude(Exists(RoleGrant.objects.current(moment).filter(account=OuterRef("pk")))).exclude(
            Exists(AddressGrant.objects.current(moment).filter(account=OuterRef("pk")))
        )
    return accounts.prefetch_related(_current_roles_prefetch(moment), _current_addresses_prefetch(moment)).order_by(
        "person__surname", "person__given_name", "pk"
    )


def staff_account(*, actor: Actor, account_id: int) -> StaffAccount:
    """One staff account of the actor's organisation with its current grants (404 otherwise)."""
    moment = timezone.now()
    return get_visible_or_404(
        actor,
        Role.ADMINISTER,
        StaffAccount.objects.active()
        .select_related("person", "organisation")
        .prefetch_related(_current_roles_prefetch(moment), _current_addresses_prefetch(moment)),
        pk=account_id,
    )


def grant_history(*, account: StaffAccount) -> list[RoleGrant | AddressGrant]:
    """Every grant the account ever had, newest first (they are never deleted)."""
    roles = list(RoleGrant.objects.filter(account=account).select_related("granted_by", "revoked_by"))
    addresses = list(
        AddressGrant.objects.filter(account=account).select_related(
            "address__unit", "address__municipality", "granted_by", "revoked_by"
        )
    )
    history: list[RoleGrant | AddressGrant] = [*roles, *addresses]
    history.sort(key=lambda grant: (grant.valid_to or grant.valid_from, grant.valid_from), reverse=True)
    return history


@dataclass
class UnitChoice:
    """A unit with its addresses, for the permission form."""

    unit: Unit
    addresses: list[Address] = field(default_factory=list)


@dataclass
class ServiceChoice:
    service: Service
    units: list[UnitChoice] = field(default_factory=list)


def grantable_units(*, actor: Actor) -> list[ServiceChoice]:
    """Services → units → addresses of the actor's organisation that can be granted (active ones only)."""
    addresses = (
        visible(actor, Role.ADMINISTER, Address.objects.active())
        .select_related("unit__service", "municipality")
        .order_by("unit__service__name", "unit__name", "street")
    )
    services: dict[int, ServiceChoice] = {}
    units: dict[int, UnitChoice] = {}
    for address in addresses:
        unit = address.unit
        service_choice = services.setdefault(unit.service_id, ServiceChoice(unit.service))
        if unit.pk not in units:
            units[unit.pk] = UnitChoice(unit)
            service_choice.units.append(units[unit.pk])
        units[unit.pk].addresses.append(address)
    return list(services.values())


@dataclass
class OverviewRow:
    account: StaffAccount
    roles: list[str]
    units: dict[str, list[Address]]


def staff_overview(*, actor: Actor) -> list[OverviewRow]:
    """Översikt (SPEC S3.5): every staff account with its roles, units and addresses."""
    rows = []
    for account in staff_list(actor=actor):
        by_unit: dict[str, list[Address]] = defaultdict(list)
        for grant in account.current_address_grants:  # type: ignore[attr-defined]
            by_unit[grant.address.unit.name].append(grant.address)
        rows.append(
            OverviewRow(
                account=account,
                roles=sorted(grant.role for grant in account.current_role_grants),  # type: ignore[attr-defined]
                units=dict(by_unit),
            )
        )
    return rows


def pending_invitations(*, actor: Actor) -> QuerySet[Invitation]:
    """Invitations sent and not yet accepted, revoked or expired."""
    return visible(actor, Role.ADMINISTER, Invitation.objects.pending()).select_related("invited_by")


@dataclass(frozen=True)
class AuditFilters:
    """What the log is narrowed to: who acted (a person's id), which action, and local dates, both ends included."""

    person: int | None = None
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_log(*, actor: Actor, action_prefix: str = "", filters: AuditFilters = AuditFilters()) -> QuerySet[AuditEvent]:
    """Logg (SPEC S9): what an administrator (their organisation) or Af (everything) may read, filtered."""
    events = _readable_audit_events(actor).select_related("acting_for", "organisation")
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if filters.person is not None:
        events = events.filter(actor_id=filters.person)
    if filters.action:
        events = events.filter(action=filters.action)
    # Days are the viewer's local days; comparing ``at`` itself (not its date) keeps the index on it usable.
    if filters.since is not None:
        events = events.filter(at__gte=_start_of(filters.since))
    if filters.until is not None:
        events = events.filter(at__lt=_start_of(filters.until + datetime.timedelta(days=1)))
    return events


def audit_log_people(*, actor: Actor) -> list[Person]:
    """The people who acted in the part of the log ``actor`` may read, by name: the choices of its person filter."""
    acted = _readable_audit_events(actor).filter(actor__isnull=False).values("actor_id")
    return list(Person.objects.filter(pk__in=acted).order_by("surname", "given_name", "pk"))


def _readable_audit_events(actor: Actor) -> QuerySet[AuditEvent]:
    role = AfRole.AUDITOR if actor.is_af else Role.ADMINISTER
    return visible(actor, role, AuditEvent.objects.all())
