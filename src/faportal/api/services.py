"""Writes for the integration API's clients (SPEC S8.2): create one, switch one off, and recognise a key.

A key is ``fap_`` and 43 random URL-safe characters. Only its SHA-256 hash and its first characters (to find the
row and to recognise the key in a list) are stored; the key is compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.api.models import ApiClient
from faportal.audit.services import record

KEY_PREFIX = "fap_"
# "fap_" and eight random characters: enough to find the row, far too little to guess the rest.
VISIBLE_LENGTH = 12
# A key longer than this is not one of ours: refuse it before hashing.
MAX_KEY_LENGTH = 200
# Writing last_used_at on every call would cost a write each time; a minute's precision is plenty.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


class ApiClientError(Exception):
    """A request about API clients that cannot be done; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_client(*, actor: Actor, name: str) -> tuple[ApiClient, str]:
    """A new client of the integration API and its key, which is returned here once and never stored."""
    require_role(actor, AfRole.PROVIDER_ADMIN)
    name = name.strip()
    if not name:
        raise ApiClientError("name_missing")
    if ApiClient.objects.filter(name=name).exists():
        raise ApiClientError("name_taken")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, key_prefix=key[:VISIBLE_LENGTH], key_hash=_hash(key))
    record(actor, "api.client_created", client, key_prefix=client.key_prefix)
    return client, key


@transaction.atomic
def deactivate_api_client(*, actor: Actor, name: str) -> ApiClient:
    """Switch a client off: its key stops working at once (the row stays, for the audit log)."""
    require_role(actor, AfRole.PROVIDER_ADMIN)
    client = ApiClient.objects.select_for_update().filter(name=name).first()
    if client is None:
        raise ApiClientError("unknown_client")
    if client.active:
        client.active = False
        client.save(update_fields=["active"])
        record(actor, "api.client_deactivated", client, key_prefix=client.key_prefix)
    return client


def client_for_key(key: str) -> ApiClient | None:
    """The active client whose key this is, or None; notes when the client was last used."""
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    digest = _hash(key)
    found = None
    for candidate in ApiClient.objects.filter(key_prefix=key[:VISIBLE_LENGTH]):
        # Every candidate is compared, in constant time, so the time taken says nothing about the key.
        if hmac.compare_digest(candidate.key_hash, digest):
            found = candidate
    if found is None or not found.active:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= TOUCH_INTERVAL:
        ApiClient.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
