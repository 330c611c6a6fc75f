"""Access reacts to the registry: a grant on an address KA-webb retired ends with it (SPEC S2.2, S3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal, receiver

from faportal.access.models import AddressGrant
from faportal.audit.services import AuditActor, record
from faportal.registry.signals import addresses_retired

# Asked before a staff account is deleted: kwargs ``actor`` and ``account``. Each receiver returns a list of
# ``DeletionBlocker``: things that must be dealt with first (the apps above access know what they are).
staff_account_deletion_blockers = Signal()


@dataclass(frozen=True)
class DeletionBlocker:
    """Something that keeps a staff account from being deleted, and where to deal with it."""

    label: str
    url: str


@receiver(addresses_retired, dispatch_uid="access.end_grants_on_retired_addresses")
def end_grants_on_retired_addresses(
    sender: Any, *, address_ids: list[int], actor: AuditActor, at: datetime.datetime, **kwargs: Any
) -> None:
    """A retired address can no longer be worked at: end its grants now, so reactivating it later grants nothing."""
    for grant in (
        AddressGrant.objects.current(at).filter(address_id__in=address_ids).select_related("account", "address__unit")
    ):
        grant.valid_to = at
        grant.save(update_fields=["valid_to"])
        record(
            actor,
            "access.address_revoked",
            grant.account,
            address=grant.address_id,
            address_label=str(grant.address),
            reason="retired_in_ka_webb",
        )
