"""Back-office reads (SPEC S6), scoped through ``visible`` with Af roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role, RoleGrant, StaffAccount
from faportal.access.scoping import get_visible_or_404, visible
from faportal.audit.services import record
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.placements.models import Placement
from faportal.registry.models import Address, KaImportRun, Organisation, Unit


def _counted(rows: QuerySet[Any]) -> Coalesce:
    """How many of ``rows`` (filtered by ``OuterRef``) there are: a count per organisation, for the rows shown."""
    return Coalesce(
        Subquery(rows.order_by().values("organisation").annotate(found=Count("pk")).values("found")), Value(0)
    )


def organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """Every registered organisation, with counts of units and staff (counted for the organisations read only)."""
    return visible(actor, AfRole.PROVIDER_ADMIN, Organisation.objects.all()).annotate(
        unit_count=_counted(Unit.objects.filter(organisation=OuterRef("pk"), retired_at__isnull=True)),
        staff_count=_counted(StaffAccount.objects.filter(organisation=OuterRef("pk"), deleted_at__isnull=True)),
    )


def organisation(*, actor: Actor, organisation_id: int) -> Organisation:
    return get_visible_or_404(actor, AfRole.PROVIDER_ADMIN, Organisation.objects.all(), pk=organisation_id)


def units_of(*, actor: Actor, organisation: Organisation) -> QuerySet[Unit]:
    """The organisation's units (retired ones last) with their addresses."""
    return (
        visible(actor, AfRole.PROVIDER_ADMIN, Unit.objects.filter(organisation=organisation))
        .select_related("service")
        .prefetch_related(Prefetch("addresses", queryset=Address.objects.select_related("municipality")))
        .order_by("retired_at", "service__name", "name")
    )


def administrators_of(*, actor: Actor, organisation: Organisation) -> QuerySet[StaffAccount]:
    """The organisation's current permission administrators, the responsible one first."""
    admins = RoleGrant.objects.current().filter(role=Role.ADMINISTER).values("account_id")
    return (
        visible(actor, AfRole.PROVIDER_ADMIN, StaffAccount.objects.active())
        .filter(organisation=organisation, pk__in=admins)
        .select_related("person")
        .order_by("-is_responsible_admin", "person__surname")
    )


def recent_import_runs(*, actor: Actor, limit: int = 10) -> QuerySet[KaImportRun]:
    return visible(actor, AfRole.PROVIDER_ADMIN, KaImportRun.objects.all()).order_by("-created_at")[:limit]


def import_run(*, actor: Actor, run_id: int) -> KaImportRun:
    return get_visible_or_404(actor, AfRole.PROVIDER_ADMIN, KaImportRun.objects.all(), pk=run_id)


def find_placements(*, actor: Actor, query: str) -> list[Placement]:
    """Placements by genomförandereferens, or every placement of a personnummer; the search is audited."""
    text = query.strip().upper()
    placements = visible(actor, AfRole.CASE_OFFICER, Placement.objects.all()).select_related(
        "participant", "organisation", "unit", "address"
    )
    try:
        personnummer = normalize_personnummer(text)
    except InvalidIdentifier:
        found = list(placements.filter(genomforandereferens__icontains=text)[:50])
    else:
        found = list(placements.filter(participant__personnummer=personnummer).order_by("-decided_on"))
    record(actor, "placements.searched", None, hits=len(found))
    return found


def recent_placements(*, actor: Actor, limit: int = 20) -> list[Placement]:
    """The latest decisions, to find one's way back to a participant."""
    return list(
        visible(actor, AfRole.CASE_OFFICER, Placement.objects.all())
        .select_related("participant", "organisation", "unit", "address")
        .order_by("-created_at")[:limit]
    )
