"""Reads for staff accounts and permissions (SPEC S3), each scoped through ``visible``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from faportal.access.actor import Actor, ActorKind
from faportal.access.models import (
    AddressGrant,
    AfRole,
    AfRoleGrant,
    AfStaffAccount,
    Invitation,
    Role,
    RoleGrant,
    StaffAccount,
)
from faportal.access.scoping import get_visible_or_404, visible
from faportal.audit.models import AuditEvent
from faportal.core.db import CompiledQuery, JSONList, as_list, distinct_values
from faportal.identity.models import Person
from faportal.registry.models import Address, Organisation, Service, Unit

# --- who is signed in, and what they may act for: one query per request ----------------------------------------


@dataclass(frozen=True)
class Access:
    """What a signed-in person may act for, read with the person (``signed_in_person``): their active staff accounts
    (each with its organisation, its current roles and addresses), and Af's back office with its current roles.
    """

    accounts: tuple[tuple[StaffAccount, frozenset[Role], frozenset[int]], ...]
    af: bool
    af_roles: frozenset[AfRole]


def _moment(value: Any) -> datetime.datetime:
    """A date and time from JSON: ISO text with an offset (PostgreSQL) or naive UTC text (SQLite)."""
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"Not a date and time: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _signed_in_query(person_id: int, moment: datetime.datetime) -> QuerySet[Person]:
    def listed(queryset: QuerySet[Any], value: Any) -> Subquery:
        return Subquery(queryset.values("account").annotate(found=JSONList(value)).values("found"))

    roles = listed(RoleGrant.objects.current(moment).filter(account=OuterRef("pk")), "role")
    addresses = listed(
        AddressGrant.objects.current(moment).filter(
            account=OuterRef("pk"), address__retired_at__isnull=True, address__unit__retired_at__isnull=True
        ),
        "address_id",
    )
    accounts = (
        StaffAccount.objects.active()
        .filter(person=OuterRef("pk"), organisation__isnull=False)
        .values("person")
        .annotate(
            found=JSONList(
                JSONObject(
                    id="pk",
                    email="email",
                    is_responsible_admin="is_responsible_admin",
                    created_at="created_at",
                    created_by_id="created_by_id",
                    deleted_by_id="deleted_by_id",
                    organisation_id="organisation_id",
                    organisationsnummer="organisation__organisationsnummer",
                    organisation_name="organisation__name",
                    organisation_created_at="organisation__created_at",
                    roles=roles,
                    addresses=addresses,
                )
            )
        )
        .values("found")
    )
    af_roles = (
        AfRoleGrant.objects.current(moment)
        .filter(account__person=OuterRef("pk"), account__deleted_at__isnull=True)
        .values("account")
        .annotate(found=JSONList("role"))
        .values("found")
    )
    return (
        Person.objects.filter(pk=person_id, is_active=True)
        .annotate(
            access_accounts=Subquery(accounts),
            access_af=Exists(AfStaffAccount.objects.filter(person=OuterRef("pk"), deleted_at__isnull=True)),
            access_af_roles=Subquery(af_roles),
        )
        .order_by()
    )


# Compiled once per process: building this query in the ORM costs more than running it, on every request.
_SIGNED_IN = CompiledQuery(
    _signed_in_query,
    person_id=-7_654_321,
    moment=datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC),
)


def signed_in_person(*, person_id: int) -> Person | None:
    """The signed-in person, active, with their ``Access`` read in the same query (the authentication backend's
    ``get_user``): a signed-in request costs this query and the session's, not one query per account and grant.
    """
    found_people = _SIGNED_IN.run(person_id=person_id, moment=timezone.now())
    if not found_people:
        return None
    person: Person = found_people[0]
    found = []
    for row in as_list(person.access_accounts):  # type: ignore[attr-defined]
        organisation = Organisation(
            pk=row["organisation_id"],
            organisationsnummer=row["organisationsnummer"],
            name=row["organisation_name"],
            created_at=_moment(row["organisation_created_at"]),
        )
        organisation._state.adding = False
        account = StaffAccount(
            pk=row["id"],
            person=person,
            organisation=organisation,
            email=row["email"],
            is_responsible_admin=bool(row["is_responsible_admin"]),
            created_at=_moment(row["created_at"]),
            created_by_id=row["created_by_id"],
            deleted_at=None,
            deleted_by_id=row["deleted_by_id"],
        )
        account._state.adding = False
        roles_held = frozenset(Role(role) for role in as_list(row["roles"]))
        found.append((account, roles_held, frozenset(int(pk) for pk in as_list(row["addresses"]))))
    found.sort(key=lambda item: item[0].organisation.name)
    person.access = Access(  # type: ignore[attr-defined]
        accounts=tuple(found),
        af=bool(person.access_af),  # type: ignore[attr-defined]
        af_roles=frozenset(AfRole(role) for role in as_list(person.access_af_roles)),  # type: ignore[attr-defined]
    )
    return person


def _access(person: Person) -> Access | None:
    return getattr(person, "access", None)


def acting_choices(person: Person) -> tuple[tuple[str, str], ...]:
    """What ``person`` can act for: each active staff account's organisation, and Af if they work there."""
    access = _access(person)
    if access is not None:
        read = [(f"staff:{account.pk}", account.organisation.name) for account, _roles, _addresses in access.accounts]
        return (*read, *([("af", str(_("Arbetsförmedlingen (back office)")))] if access.af else []))
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
    access = _access(person)
    if access is not None:
        if choice == "af" and access.af:
            return Actor(
                kind=ActorKind.AF, person=person, af_roles=access.af_roles, ip_address=ip_address, choices=choices
            )
        for account, roles, address_ids in access.accounts:
            if choice == f"staff:{account.pk}":
                return Actor(
                    kind=ActorKind.STAFF,
                    person=person,
                    account=account,
                    roles=roles,
                    address_ids=address_ids,
                    ip_address=ip_address,
                    choices=choices,
                )
        return Actor.signed_in_person(person, ip_address=ip_address, choices=choices)
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


def staff_overview(*, actor: Actor, accounts: Iterable[StaffAccount] | None = None) -> list[OverviewRow]:
    """Översikt (SPEC S3.5): every staff account with its roles, units and addresses; ``accounts``, read through
    ``staff_list``, when only some (a page) are shown.
    """
    rows = []
    for account in staff_list(actor=actor) if accounts is None else accounts:
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
    """What the log is narrowed to: who acted (a person's id, or part of their name), which action, and local dates,
    both ends included.
    """

    person: int | None = None
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    person_name: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_log(*, actor: Actor, action_prefix: str = "", filters: AuditFilters = AuditFilters()) -> QuerySet[AuditEvent]:
    """Logg (SPEC S9): what an administrator (their organisation) or Af (everything) may read, filtered."""
    events = _readable_audit_events(actor).select_related("acting_for", "organisation")
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if filters.person is not None:
        events = events.filter(actor_id=filters.person)
    if filters.person_name:
        named = Person.objects.all()
        for word in filters.person_name.split():
            named = named.filter(Q(given_name__icontains=word) | Q(surname__icontains=word))
        events = events.filter(actor_id__in=named.values("pk"))
    if filters.action:
        events = events.filter(action=filters.action)
    # Days are the viewer's local days; comparing ``at`` itself (not its date) keeps the index on it usable.
    if filters.since is not None:
        events = events.filter(at__gte=_start_of(filters.since))
    if filters.until is not None:
        events = events.filter(at__lt=_start_of(filters.until + datetime.timedelta(days=1)))
    return events


# A person filter lists at most this many people; a log with more (Af's, at national scale) is searched by name.
AUDIT_LOG_PEOPLE_LISTED = 500


def audit_log_people(*, actor: Actor) -> list[Person] | None:
    """The people who acted in the part of the log ``actor`` may read, by name: the choices of its person filter;
    None when there are more than ``AUDIT_LOG_PEOPLE_LISTED`` (the filter then takes part of a name instead).

    Found by skipping from one person to the next along the log's (organisation,) person index, one lookup per
    person however many entries each has, and never more than one more lookup than the people listed.
    """
    limit = AUDIT_LOG_PEOPLE_LISTED
    ids = distinct_values(_readable_audit_events(actor), "actor_id", limit=limit)
    if len(ids) > limit:
        return None
    return list(Person.objects.filter(pk__in=ids).order_by("surname", "given_name", "pk").only("given_name", "surname"))


def _readable_audit_events(actor: Actor) -> QuerySet[AuditEvent]:
    role = AfRole.AUDITOR if actor.is_af else Role.ADMINISTER
    return visible(actor, role, AuditEvent.objects.all())
