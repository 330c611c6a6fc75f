"""People who sign in (SPEC S1). A person is identified by personnummer through BankID and never has a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from faportal.core.identifiers import format_personnummer, mask_personnummer


class PersonManager(BaseUserManager["Person"]):
    def create_user(self, personnummer: str, **fields: Any) -> Person:
        person = self.model(personnummer=personnummer, **fields)
        person.set_unusable_password()
        person.save(using=self._db)
        return person


class Person(AbstractBaseUser):
    """A human being known by personnummer: provider staff, Af staff or (later) a participant."""

    personnummer = models.CharField(_("personnummer"), max_length=12, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    surname = models.CharField(_("surname"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PersonManager()

    USERNAME_FIELD = "personnummer"
    REQUIRED_FIELDS = ["given_name", "surname"]

    class Meta:
        ordering = ["surname", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        # Never the personnummer: str() ends up in logs and audit labels.
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}".strip()

    @property
    def personnummer_display(self) -> str:
        return format_personnummer(self.personnummer)

    @property
    def personnummer_masked(self) -> str:
        return mask_personnummer(self.personnummer)


class BankIDCompletion(models.Model):
    """The completion data of a finished BankID order, kept for audit as BankID recommends (RP API 6.0)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bankid_completions")
    order_ref = models.CharField(max_length=64, unique=True)
    completed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    bankid_issue_date = models.DateField(null=True, blank=True)
    signature = models.TextField(blank=True)
    ocsp_response = models.TextField(blank=True)
    risk = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"BankID {self.order_ref}"
