"""The Actor: who is acting, for which organisation, with which roles at which addresses.

Built once per request (``ActorMiddleware``) from the grants in force, and passed explicitly to every selector
and service. Background jobs and management commands act as ``Actor.system(...)``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

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
from faportal.identity.models import Person


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    STAFF = "staff"  # provider staff acting for one organisation
    AF = "af"  # Arbetsförmedlingen staff in the back office
    PERSON = "person"  # signed in, but acting for no organisation (yet)
    SYSTEM = "system"  # a management command or background job


@dataclass(frozen=True)
class Actor:
    """Everything access decisions need, fixed for one request."""

    kind: ActorKind
    person: Person | None = None
    account: StaffAccount | None = None
    roles: frozenset[Role] = frozenset()
    address_ids: frozenset[int] = frozenset()
    af_roles: frozenset[AfRole] = frozenset()
    ip_address: str | None = None
    system_label: str = ""
    # What this person can act for, as (choice value, label) for the switcher: "staff:<account id>" or "af".
    choices: tuple[tuple[str, str], ...] = field(default=())

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person is not None else None

    @property
    def account_id(self) -> int | None:
        return self.account.pk if self.account is not None else None

    @property
    def organisation_id(self) -> int | None:
        return self.account.organisation_id if self.account is not None else None

    @property
    def label(self) -> str:
        if self.kind == ActorKind.SYSTEM:
            return self.system_label
        return self.person.full_name if self.person is not None else ""

    @property
    def current_choice(self) -> str:
        if self.account is not None:
            return f"staff:{self.account.pk}"
        return "af" if self.kind == ActorKind.AF else ""

    @property
    def is_signed_in(self) -> bool:
        return self.person is not None

    @property
    def is_staff_member(self) -> bool:
        return self.kind == ActorKind.STAFF

    @property
    def is_af(self) -> bool:
        return self.kind == ActorKind.AF

    def has_role(self, role: Role | AfRole) -> bool:
        if isinstance(role, AfRole):
            # A system actor (a command, a job, an API client) has the Af roles it was given, like a person.
            return self.kind in {ActorKind.AF, ActorKind.SYSTEM} and role in self.af_roles
        return self.kind == ActorKind.STAFF and role in self.roles

    @classmethod
    def anonymous(cls, *, ip_address: str | None = None) -> Actor:
        return cls(kind=ActorKind.ANONYMOUS, ip_address=ip_address)

    @classmethod
    def system(cls, label: str) -> Actor:
        """A management command or background job: it may do what Af's back office may do."""
        return cls(kind=ActorKind.SYSTEM, system_label=label, af_roles=frozenset(AfRole))

    @classmethod
    def for_staff_account(
        cls,
        account: StaffAccount,
        *,
        at: datetime.datetime | None = None,
        ip_address: str | None = None,
        choices: tuple[tuple[str, str], ...] = (),
    ) -> Actor:
        """The actor of a person acting for ``account``'s organisation, with the grants in force at ``at``."""
        moment = at or timezone.now()
        if account.deleted_at is not None:
            return cls.signed_in_person(account.person, ip_address=ip_address, choices=choices)
        roles = frozenset(
            Role(r) for r in RoleGrant.objects.current(moment).filter(account=account).values_list("role", flat=True)
        )
        address_ids = frozenset(
            AddressGrant.objects.current(moment)
            .filter(account=account, address__retired_at__isnull=True, address__unit__retired_at__isnull=True)
            .values_list("address_id", flat=True)
        )
        return cls(
            kind=ActorKind.STAFF,
            person=account.person,
            account=account,
            roles=roles,
            address_ids=address_ids,
            ip_address=ip_address,
            choices=choices,
        )

    @classmethod
    def for_af_account(
        cls,
        af_account: AfStaffAccount,
        *,
        at: datetime.datetime | None = None,
        ip_address: str | None = None,
        choices: tuple[tuple[str, str], ...] = (),
    ) -> Actor:
        """The actor of an Af employee in the back office."""
        moment = at or timezone.now()
        roles = frozenset(
            AfRole(r)
            for r in AfRoleGrant.objects.current(moment).filter(account=af_account).values_list("role", flat=True)
        )
        return cls(kind=ActorKind.AF, person=af_account.person, af_roles=roles, ip_address=ip_address, choices=choices)

    @classmethod
    def signed_in_person(
        cls, person: Person, *, ip_address: str | None = None, choices: tuple[tuple[str, str], ...] = ()
    ) -> Actor:
        """A signed-in person who acts for no organisation (none chosen yet, or none at all)."""
        return cls(kind=ActorKind.PERSON, person=person, ip_address=ip_address, choices=choices)
