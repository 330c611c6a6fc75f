"""Reads for exports (SPEC S4.10), scoped through ``visible`` like every list of participants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.access.scoping import get_visible_or_404, visible
from faportal.exports.models import ExportRun, SupervisorFilter
from faportal.placements.models import Placement

# Who may export: whoever sees the participants in Deltagarlista (the reporting role at their addresses).
EXPORT_ROLE = Role.REPORT


@dataclass(frozen=True)
class ExportChoices:
    """What to export: decisions in a date range (inclusive), by supervisor, and whether to repeat earlier ones."""

    decided_from: datetime.date
    decided_to: datetime.date
    supervisor_filter: str = SupervisorFilter.ALL
    include_exported: bool = False

    @classmethod
    def of_run(cls, run: ExportRun) -> ExportChoices:
        """The choices a run was made from (the run has a field of the same name for each)."""
        return cls(**{choice.name: getattr(run, choice.name) for choice in fields(cls)})


def export_rows(*, actor: Actor, choices: ExportChoices) -> QuerySet[Placement]:
    """The placements an export contains, in one query whatever their number (``exports.columns.FIELDS`` of each)."""
    placements = visible(
        actor,
        EXPORT_ROLE,
        Placement.objects.filter(
            removed_at__isnull=True, decided_on__gte=choices.decided_from, decided_on__lte=choices.decided_to
        ),
    )
    if choices.supervisor_filter == SupervisorFilter.WITH:
        placements = placements.filter(supervisor__isnull=False)
    elif choices.supervisor_filter == SupervisorFilter.WITHOUT:
        placements = placements.filter(supervisor__isnull=True)
    placements = placements.annotate(
        # In a finished export before: the placement's copy of the export history (exports.services keeps it).
        exported_before=ExpressionWrapper(Q(exported_at__isnull=False), output_field=BooleanField()),
    )
    if not choices.include_exported:
        placements = placements.filter(exported_at__isnull=True)
    return placements.select_related(
        "participant", "service", "unit", "address__municipality", "supervisor__person"
    ).order_by("decided_on", "genomforandereferens")


def my_exports(*, actor: Actor, limit: int = 20) -> QuerySet[ExportRun]:
    """The actor's own latest exports (the history on the export page)."""
    # Without their files (megabytes each): the list shows what each was, not what it holds.
    return visible(actor, EXPORT_ROLE, ExportRun.objects.filter(created_by_id=actor.account_id)).defer("content")[
        :limit
    ]


def my_export(*, actor: Actor, export_id: int) -> ExportRun:
    """One of the actor's own exports; another person's, even a colleague's, is "not found"."""
    return get_visible_or_404(
        actor,
        EXPORT_ROLE,
        ExportRun.objects.filter(created_by_id=actor.account_id),
        pk=export_id,
    )
