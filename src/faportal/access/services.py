"""Writes for staff accounts and permissions (SPEC S3). One function per use case, one transaction, audited."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from faportal.access.actor import Actor
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
from faportal.access.rules import Code
from faportal.access.scoping import require, require_role, visible
from faportal.access.signals import DeletionBlocker, staff_account_deletion_blockers
from faportal.audit.services import record
from faportal.core.problems import refuse
from faportal.core.tasks import send_email
from faportal.identity.models import Person
from faportal.identity.providers import VerifiedIdentity
from faportal.registry.models import Address, Organisation

# Wrong codes allowed for one invitation in all (new codes do not reset the count), and codes sent per invitation.
CODE_MAX_ATTEMPTS = 10
CODES_MAX_SENT = 5
CODE_RESEND_AFTER_SECONDS = 60


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _queue_email(*, to: str, template: str, context: dict[str, object]) -> None:
    """Render a Swedish-and-English e-mail now and send it from the worker after the transaction commits."""
    with translation.override("sv"):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))


# --- Af registers an organisation and its responsible administrator (S3.1) -----------------------------------


@dataclass(frozen=True)
class ResponsibleAdmin:
    personnummer: str
    given_name: str
    surname: str
    email: str


@transaction.atomic
def register_organisation(
    *, actor: Actor, organisationsnummer: str, name: str, admin: ResponsibleAdmin
) -> StaffAccount:
    """Registrera leverantör och ansvarig behörighetsadministratör (SPEC S3.1)."""
    require_role(actor, AfRole.PROVIDER_ADMIN)
    if Organisation.objects.filter(organisationsnummer=organisationsnummer).exists():
        raise refuse("", Code.ORGANISATION_EXISTS)
    organisation = Organisation.objects.create(organisationsnummer=organisationsnummer, name=name)
    record(actor, "registry.organisation_registered", organisation)
    return _make_responsible_admin(actor=actor, organisation=organisation, admin=admin)


@transaction.atomic
def replace_responsible_admin(*, actor: Actor, organisation: Organisation, admin: ResponsibleAdmin) -> StaffAccount:
    """Af names a new responsible administrator; the previous one stays an ordinary administrator."""
    require_role(actor, AfRole.PROVIDER_ADMIN)
    StaffAccount.objects.active().filter(organisation=organisation, is_responsible_admin=True).update(
        is_responsible_admin=False
    )
    return _make_responsible_admin(actor=actor, organisation=organisation, admin=admin)


def _active_person(personnummer: str, given_name: str, surname: str) -> Person:
    """The person with this personnummer, created if new, and able to sign in again if they had left."""
    person, created = Person.objects.get_or_create(
        personnummer=personnummer, defaults={"given_name": given_name, "surname": surname}
    )
    if not created and not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
    return person


def _make_responsible_admin(*, actor: Actor, organisation: Organisation, admin: ResponsibleAdmin) -> StaffAccount:
    person = _active_person(admin.personnummer, admin.given_name, admin.surname)
    account = StaffAccount.objects.active().filter(person=person, organisation=organisation).first()
    if account is None:
        account = StaffAccount.objects.create(
            person=person, organisation=organisation, email=admin.email, created_by=actor.person
        )
    account.is_responsible_admin = True
    account.email = admin.email
    account.save(update_fields=["is_responsible_admin", "email"])
    if not RoleGrant.objects.current().filter(account=account, role=Role.ADMINISTER).exists():
        RoleGrant.objects.create(account=account, role=Role.ADMINISTER, granted_by=actor.person)
    record(actor, "access.responsible_admin_registered", account, label=str(person))
    _queue_email(
        to=admin.email,
        template="access/email/responsible_admin",
        context={
            "organisation": organisation.name,
            "name": person.full_name,
            "login_url": settings.PORTAL_BASE_URL + reverse("identity:login"),
        },
    )
    return account


# --- Invitations (S3.2) --------------------------------------------------------------------------------------


@dataclass
class InvitationResult:
    sent: list[str] = field(default_factory=list)
    already_staff: list[str] = field(default_factory=list)


@transaction.atomic
def invite_staff(*, actor: Actor, emails: Iterable[str]) -> InvitationResult:
    """Bjud in personal (SPEC S3.2): one invitation per address; a pending one is replaced by a fresh link."""
    require_role(actor, Role.ADMINISTER)
    assert actor.account is not None
    organisation = actor.account.organisation
    result = InvitationResult()
    existing = {
        email.lower()
        for email in visible(actor, Role.ADMINISTER, StaffAccount.objects.active()).values_list("email", flat=True)
    }
    now = timezone.now()
    for email in emails:
        if email.lower() in existing:
            result.already_staff.append(email)
            continue
        for old in Invitation.objects.pending(now).filter(organisation=organisation, email__iexact=email):
            old.revoked_at = now
            old.revoked_by = actor.person
            old.save(update_fields=["revoked_at", "revoked_by"])
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            token_hash=_digest(token),
            invited_by=actor.person,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        record(actor, "access.invitation_sent", invitation)
        _queue_email(
            to=email,
            template="access/email/invitation",
            context={
                "organisation": organisation.name,
                "inviter": actor.label,
                "url": settings.PORTAL_BASE_URL + reverse("invitation", args=[token]),
                "expires": invitation.expires_at,
            },
        )
        result.sent.append(email)
    return result


@transaction.atomic
def revoke_invitation(*, actor: Actor, invitation: Invitation) -> None:
    """Återkalla en inbjudan: its link stops working."""
    require(actor, Role.ADMINISTER, invitation)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor.person
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    record(actor, "access.invitation_revoked", invitation)


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a link's token belongs to (the token itself is the invitee's capability)."""
    return Invitation.objects.pending().select_related("organisation").filter(token_hash=_digest(token)).first()


@transaction.atomic
def send_confirmation_code(*, invitation: Invitation) -> None:
    """Send a six-digit code to the invited address, to confirm that the person identified owns it.

    At most ``CODES_MAX_SENT`` codes per invitation and one a minute: the button must not become a way to flood
    someone's mailbox, and the wrong-code count is kept across codes so new codes do not mean new guesses.
    """
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    now = timezone.now()
    if invitation.codes_sent >= CODES_MAX_SENT or invitation.code_attempts >= CODE_MAX_ATTEMPTS:
        raise refuse("", Code.CODE_ATTEMPTS)
    if invitation.code_expires_at is not None:
        sent_at = invitation.code_expires_at - datetime.timedelta(minutes=settings.EMAIL_CODE_VALID_MINUTES)
        if (now - sent_at).total_seconds() < CODE_RESEND_AFTER_SECONDS:
            raise refuse("", Code.CODE_RECENTLY_SENT)
    code = f"{secrets.randbelow(1_000_000):06d}"
    invitation.code_hash = _digest(f"{invitation.pk}:{code}")
    invitation.code_expires_at = now + datetime.timedelta(minutes=settings.EMAIL_CODE_VALID_MINUTES)
    invitation.codes_sent += 1
    invitation.save(update_fields=["code_hash", "code_expires_at", "codes_sent"])
    _queue_email(
        to=invitation.email,
        template="access/email/confirmation_code",
        context={
            "organisation": invitation.organisation.name,
            "code": code,
            "minutes": settings.EMAIL_CODE_VALID_MINUTES,
        },
    )


def accept_invitation(*, invitation: Invitation, identity: VerifiedIdentity, code: str) -> StaffAccount:
    """Confirm the e-mail code and create the staff account, with no permissions yet (SPEC S3.2)."""
    with transaction.atomic():
        invitation, correct = _check_code(invitation, code)  # a wrong attempt is committed before the error
    if not correct:
        raise refuse("", Code.CODE_WRONG, left=CODE_MAX_ATTEMPTS - invitation.code_attempts)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise refuse("", Code.INVITATION_GONE)
        person = _active_person(identity.personnummer, identity.given_name, identity.surname)
        account = StaffAccount.objects.active().filter(person=person, organisation=invitation.organisation).first()
        if account is None:
            account = StaffAccount.objects.create(
                person=person,
                organisation=invitation.organisation,
                email=invitation.email,
                created_by=invitation.invited_by,
            )
        invitation.accepted_at = timezone.now()
        invitation.account = account
        invitation.code_hash = ""
        invitation.save(update_fields=["accepted_at", "account", "code_hash"])
        record(Actor.for_staff_account(account), "access.invitation_accepted", invitation, account=account.pk)
    return account


def _check_code(invitation: Invitation, code: str) -> tuple[Invitation, bool]:
    """Lock the invitation and check the code; a wrong code is counted."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    now = timezone.now()
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= now:
        raise refuse("", Code.INVITATION_GONE)
    if not invitation.code_hash or invitation.code_expires_at is None or invitation.code_expires_at <= now:
        raise refuse("", Code.CODE_EXPIRED)
    if invitation.code_attempts >= CODE_MAX_ATTEMPTS:
        raise refuse("", Code.CODE_ATTEMPTS)
    if hmac.compare_digest(invitation.code_hash, _digest(f"{invitation.pk}:{code.strip()}")):
        return invitation, True
    invitation.code_attempts += 1
    invitation.save(update_fields=["code_attempts"])
    return invitation, False


# --- Permissions (S3.3, S3.4) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionChange:
    roles_added: frozenset[str]
    roles_removed: frozenset[str]
    addresses_added: frozenset[int]
    addresses_removed: frozenset[int]

    @property
    def changed(self) -> bool:
        return bool(self.roles_added or self.roles_removed or self.addresses_added or self.addresses_removed)


def _administrator_count(organisation_id: int, *, excluding: int | None = None) -> int:
    admins = RoleGrant.objects.current().filter(
        role=Role.ADMINISTER, account__organisation_id=organisation_id, account__deleted_at__isnull=True
    )
    if excluding is not None:
        admins = admins.exclude(account_id=excluding)
    return admins.values("account_id").distinct().count()


@transaction.atomic
def update_permissions(
    *, actor: Actor, account: StaffAccount, roles: set[Role], address_ids: set[int]
) -> PermissionChange:
    """Ändra behörigheter (SPEC S3.3–S3.4): grant and revoke roles and addresses; history is kept."""
    require(actor, Role.ADMINISTER, account)
    account = StaffAccount.objects.select_for_update().get(pk=account.pk)
    grantable = set(visible(actor, Role.ADMINISTER, Address.objects.active()).values_list("pk", flat=True))
    unknown = address_ids - grantable
    if unknown:
        raise refuse("", Code.ADDRESS_NOT_GRANTABLE)
    now = timezone.now()
    current_roles = {grant.role: grant for grant in RoleGrant.objects.current(now).filter(account=account)}
    current_addresses = {grant.address_id: grant for grant in AddressGrant.objects.current(now).filter(account=account)}
    wanted_roles = {str(role) for role in roles}
    giving_up_administration = Role.ADMINISTER in current_roles and Role.ADMINISTER not in wanted_roles
    if giving_up_administration and account.is_responsible_admin:
        raise refuse("", Code.RESPONSIBLE_ADMINISTRATOR)
    if giving_up_administration and _administrator_count(account.organisation_id, excluding=account.pk) == 0:
        raise refuse("", Code.LAST_ADMINISTRATOR)
    change = PermissionChange(
        roles_added=frozenset(wanted_roles - set(current_roles)),
        roles_removed=frozenset(set(current_roles) - wanted_roles),
        # Addresses retired in KA-webb since they were granted are kept unless the administrator unticks them:
        # the form cannot show them, so only grantable ones are compared.
        addresses_added=frozenset(address_ids - set(current_addresses)),
        addresses_removed=frozenset((set(current_addresses) & grantable) - address_ids),
    )
    for role in sorted(change.roles_removed):
        _end_grant(current_roles[role], actor, now)
        record(actor, "access.role_revoked", account, role=role)
    for role in sorted(change.roles_added):
        RoleGrant.objects.create(account=account, role=role, valid_from=now, granted_by=actor.person)
        record(actor, "access.role_granted", account, role=role)
    labels = {
        address.pk: str(address)
        for address in Address.objects.filter(pk__in=change.addresses_added | change.addresses_removed)
    }
    for address_id in sorted(change.addresses_removed):
        _end_grant(current_addresses[address_id], actor, now)
        record(actor, "access.address_revoked", account, address=address_id, address_label=labels[address_id])
    for address_id in sorted(change.addresses_added):
        AddressGrant.objects.create(account=account, address_id=address_id, valid_from=now, granted_by=actor.person)
        record(actor, "access.address_granted", account, address=address_id, address_label=labels[address_id])
    return change


def _end_grant(grant: RoleGrant | AddressGrant | AfRoleGrant, actor: Actor, moment: datetime.datetime) -> None:
    grant.valid_to = moment
    grant.revoked_by = actor.person
    grant.save(update_fields=["valid_to", "revoked_by"])


def deletion_blockers(*, actor: Actor, account: StaffAccount) -> list[DeletionBlocker]:
    """What must be dealt with before the account can be deleted (e.g. participants it supervises, S3.5)."""
    answers = staff_account_deletion_blockers.send(sender=StaffAccount, actor=actor, account=account)
    return [blocker for _receiver, found in answers for blocker in cast(list[DeletionBlocker], found)]


@transaction.atomic
def delete_staff_account(*, actor: Actor, account: StaffAccount) -> None:
    """Ta bort personalkonto (SPEC S3.5): the account and its grants end; nothing is erased.

    Refused while the account is the responsible administrator, the last administrator, or still supervises
    participants (they must be moved to another supervisor first).
    """
    require(actor, Role.ADMINISTER, account)
    account = StaffAccount.objects.select_for_update().get(pk=account.pk)
    if account.is_responsible_admin:
        raise refuse("", Code.RESPONSIBLE_ADMINISTRATOR)
    blockers = deletion_blockers(actor=actor, account=account)
    if blockers:
        raise refuse("", Code.SUPERVISES, blockers=blockers)
    now = timezone.now()
    is_admin = RoleGrant.objects.current(now).filter(account=account, role=Role.ADMINISTER).exists()
    if is_admin and _administrator_count(account.organisation_id, excluding=account.pk) == 0:
        raise refuse("", Code.LAST_ADMINISTRATOR)
    for grant in [
        *RoleGrant.objects.current(now).filter(account=account),
        *AddressGrant.objects.current(now).filter(account=account),
    ]:
        _end_grant(grant, actor, now)
    account.deleted_at = now
    account.deleted_by = actor.person
    account.save(update_fields=["deleted_at", "deleted_by"])
    record(actor, "access.account_deleted", account)
    person = account.person
    still_works_here = (
        StaffAccount.objects.active().filter(person=person).exists()
        or AfStaffAccount.objects.filter(person=person, deleted_at__isnull=True).exists()
    )
    if not still_works_here:  # nothing left to act for: they can no longer sign in (an invitation restores it)
        person.is_active = False
        person.save(update_fields=["is_active"])


# --- Af staff (back office) ----------------------------------------------------------------------------------


@transaction.atomic
def create_af_staff(
    *, actor: Actor, personnummer: str, given_name: str, surname: str, email: str, roles: Iterable[AfRole]
) -> AfStaffAccount:
    """Give an Arbetsförmedlingen employee access to the back office with the given roles."""
    require_role(actor, AfRole.PROVIDER_ADMIN)
    person = _active_person(personnummer, given_name, surname)
    account, _created = AfStaffAccount.objects.get_or_create(person=person, defaults={"email": email})
    current = set(AfRoleGrant.objects.current().filter(account=account).values_list("role", flat=True))
    for role in set(map(str, roles)) - current:
        AfRoleGrant.objects.create(account=account, role=role, granted_by=actor.person)
        record(actor, "access.af_role_granted", None, label=str(person), role=role)
    return account
