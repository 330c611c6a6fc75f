"""Clients of the integration API (SPEC S8.2): Arbetsförmedlingen's systems, each with its own bearer key.

Only a SHA-256 hash of a key is stored, with a short visible prefix to find it by and to recognise it in lists;
the key itself is shown once, when the client is created.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """One Af system that calls the integration API; it acts as Af (a system actor), never as a person."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_prefix = models.CharField(_("key prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    # Af's own record: only Af roles read it.
    SCOPE_AF_ONLY: ClassVar[bool] = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name
