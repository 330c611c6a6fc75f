"""Placements answer the access app's questions, and follow a person's new name (apps that may not import this
one).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from faportal.access.actor import Actor
from faportal.access.models import Role, StaffAccount
from faportal.access.scoping import visible
from faportal.access.signals import DeletionBlocker, staff_account_deletion_blockers
from faportal.identity.models import Person
from faportal.placements.models import Placement
from faportal.placements.services import keep_supervisor_names, placements_supervised_by


@receiver(staff_account_deletion_blockers, dispatch_uid="placements.supervised_placements_block_deletion")
def supervised_placements_block_deletion(
    sender: Any, *, actor: Actor, account: StaffAccount, **kwargs: Any
) -> list[DeletionBlocker]:
    """A staff account that still supervises participants cannot be deleted until they are moved (SPEC S3.5).

    Each names its participant by reference and address, never by name (the administrator may lack the reporting
    role there), and links to the participant page when the administrator may open it, else to the place on the
    moving page where its address is dealt with.
    """
    supervised = placements_supervised_by(actor=actor, account=account)
    openable = set(
        visible(actor, Role.REPORT, Placement.objects.filter(pk__in=[p.pk for p in supervised])).values_list(
            "pk", flat=True
        )
    )
    move = reverse("placements:move_supervised", args=[account.pk])
    return [
        DeletionBlocker(
            label=f"{placement.genomforandereferens} – {placement.address.label_with_municipality}",
            url=(
                reverse("placements:participant", args=[placement.pk])
                if placement.pk in openable
                else f"{move}#address-{placement.address_id}"
            ),
        )
        for placement in supervised
    ]


@receiver(post_save, sender=Person, dispatch_uid="placements.supervisor_names_follow_the_person")
def supervisor_names_follow_the_person(
    sender: Any, instance: Person, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """A supervisor's new name (from BankID at sign-in) moves their participants in the list's sort by supervisor."""
    if created or (update_fields is not None and not {"given_name", "surname"} & set(update_fields)):
        return
    keep_supervisor_names(instance)
