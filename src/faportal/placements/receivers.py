"""Placements answer the access app's questions (which may not import this app)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from faportal.access.actor import Actor
from faportal.access.models import StaffAccount
from faportal.access.signals import DeletionBlocker, staff_account_deletion_blockers
from faportal.placements.services import placements_supervised_by


@receiver(staff_account_deletion_blockers, dispatch_uid="placements.supervised_placements_block_deletion")
def supervised_placements_block_deletion(
    sender: Any, *, actor: Actor, account: StaffAccount, **kwargs: Any
) -> list[DeletionBlocker]:
    """A staff account that still supervises participants cannot be deleted until they are moved (SPEC S3.5)."""
    url = reverse("placements:move_supervised", args=[account.pk])
    return [
        # The administrator may lack the reporting role there: the reference and address, never the name.
        DeletionBlocker(
            label=f"{placement.genomforandereferens} – {placement.address.label_with_municipality}", url=url
        )
        for placement in placements_supervised_by(actor=actor, account=account)
    ]
