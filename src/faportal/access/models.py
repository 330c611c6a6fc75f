"""Staff accounts and permissions in three levels (SPEC S3), invitations, and Af staff accounts.

Grants (roles and addresses) carry valid-from/valid-to and are never deleted: revoking one sets ``valid_to``.
A deleted staff account is kept too (``deleted_at``), with its whole grant history.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faportal.identity.models import Person
from faportal.registry.models import Address, Organisation


class Role(models.TextChoices):
    """The four provider roles (behörigheter): the three of SPEC S3.3 and Ekonomi (S7.4)."""

    ADMINISTER = "administer", _("Administer permissions")
    RECEIVE = "receive", _("Receive (and assign) new participants")
    REPORT = "report", _("Reporting, planning and information about participants")
    # Orders and invoices of the whole organisation, never limited to addresses (like ADMINISTER).
    FINANCE = "finance", _("Finance: orders and invoices")


#: Roles that always apply to the whole organisation (the others apply at the account's addresses).
ORGANISATION_WIDE_ROLES = frozenset({Role.ADMINISTER, Role.FINANCE})


class AfRole(models.TextChoices):
    """Roles of Arbetsförmedlingen's staff in the back office."""

    PROVIDER_ADMIN = "af_provider_admin", _("Provider administration (organisations, registry)")
    CASE_OFFICER = "af_case_officer", _("Case officer (placement decisions)")
    AUDITOR = "af_auditor", _("Audit log")
    REVIEWER = "af_reviewer", _("Review of documents (joint plans and reports)")
    FINANCE = "af_finance", _("Finance (tariffs, orders, invoices and matching)")


class GrantQuerySet(models.QuerySet):
    def current(self, at: datetime.datetime | None = None) -> GrantQuerySet:
        """Grants in force at ``at`` (now by default)."""
        moment = at or timezone.now()
        return self.filter(Q(valid_from__lte=moment), Q(valid_to__isnull=True) | Q(valid_to__gt=moment))


class Grant(models.Model):
    """Common fields of every grant: in force from ``valid_from`` until ``valid_to`` (open when null)."""

    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    granted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    revoked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        abstract = True


class StaffAccountQuerySet(models.QuerySet["StaffAccount"]):
    def active(self) -> StaffAccountQuerySet:
        return self.filter(deleted_at__isnull=True)


class StaffAccount(models.Model):
    """One person's account in one organisation (personalkonto)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="staff_accounts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff_accounts")
    email = models.EmailField(_("e-mail address"))
    is_responsible_admin = models.BooleanField(_("responsible permission administrator"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    objects = StaffAccountQuerySet.as_manager()

    # Staff accounts are organisation-wide data: only the ADMINISTER role reads them (and never by address).
    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["person__surname", "person__given_name"]
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(deleted_at__isnull=True),
                name="one_active_staff_account_per_person_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RoleGrant(Grant):
    """A role held by a staff account, for a period."""

    account = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "account__organisation"

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"], condition=Q(valid_to__isnull=True), name="one_open_grant_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.valid_from:%Y-%m-%d}–{self.valid_to or ''})"


class AddressGrant(Grant):
    """An address (and so its unit and service) a staff account works at, for a period."""

    account = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="address_grants")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="grants")

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "account__organisation"

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "address"], condition=Q(valid_to__isnull=True), name="one_open_grant_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.valid_from:%Y-%m-%d}–{self.valid_to or ''})"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, at: datetime.datetime | None = None) -> InvitationQuerySet:
        moment = at or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=moment)


class Invitation(models.Model):
    """An e-mail invitation to become staff of an organisation (inbjudan, SPEC S3.2).

    The link carries a random token; only its SHA-256 is stored. After BankID identification the invitee
    confirms the address with a six-digit code sent to it (also stored hashed).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # Registration in progress: the e-mail code sent after BankID identification (bound to that session).
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)  # wrong codes, across every code sent
    codes_sent = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    account = models.ForeignKey(StaffAccount, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    SCOPE_ORGANISATION_PATH: ClassVar[str] = "organisation"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email


class AfStaffAccount(models.Model):
    """An Arbetsförmedlingen employee's access to the back office."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="af_account")
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("Af staff account")
        verbose_name_plural = _("Af staff accounts")

    def __str__(self) -> str:
        return str(self.person)


class AfRoleGrant(Grant):
    """A back-office role held by an Af employee, for a period."""

    account = models.ForeignKey(AfStaffAccount, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("role"), max_length=30, choices=AfRole.choices)

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"], condition=Q(valid_to__isnull=True), name="one_open_af_grant_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.valid_from:%Y-%m-%d}–{self.valid_to or ''})"
