"""Reads for the integration API (SPEC S8.2): placements as Af finds them, with their status today."""

from __future__ import annotations

from django.db.models import QuerySet

from faportal.access.actor import Actor
from faportal.access.models import AfRole
from faportal.access.scoping import get_visible_or_404, visible
from faportal.placements.models import Placement, today
from faportal.placements.selectors import with_status

_RELATED = ("service", "organisation", "previous")


def _placements() -> QuerySet[Placement]:
    return with_status(Placement.objects.all(), today()).select_related(*_RELATED)


def placement(*, actor: Actor, genomforandereferens: str) -> Placement:
    """One placement by its genomförandereferens; the read is audited, an unknown reference too (SPEC S9)."""
    return get_visible_or_404(
        actor,
        AfRole.CASE_OFFICER,
        _placements(),
        audit_read="placements.read",
        genomforandereferens=genomforandereferens,
    )


def decided_placement(*, actor: Actor, placement_id: int) -> Placement:
    """The placement a decision just created or changed, as the answer to it (the decision itself is audited)."""
    return get_visible_or_404(actor, AfRole.CASE_OFFICER, _placements(), pk=placement_id)


def decided_placements(*, actor: Actor, placement_ids: set[int]) -> dict[int, Placement]:
    """The placements decisions made before (a batch's repeats), by id, in one query (none for no ids)."""
    if not placement_ids:
        return {}
    return {
        found.pk: found for found in visible(actor, AfRole.CASE_OFFICER, _placements()).filter(pk__in=placement_ids)
    }
