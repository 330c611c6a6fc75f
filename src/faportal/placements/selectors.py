"""Reads for placements (SPEC S4), each scoped through ``visible`` and joined so a list costs the same few queries
whatever its length.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role, StaffAccount
from faportal.access.scoping import get_visible_or_404, visible
from faportal.placements.models import UNREAD_KINDS, Event, Interruption, Placement, PlacementView, today
from faportal.registry.models import Address, Municipality, Service, Unit

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class Status:
    """A placement's state on a given day, for lists and filters (derived, never stored)."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    INTERRUPTED = "interrupted"
    ENDED = "ended"
    ALL = (UPCOMING, ACTIVE, INTERRUPTED, ENDED)


def with_interruption(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Adds ``interrupts_on`` and ``interruption_reason`` of the interruption in force (None when there is none)."""
    current = Interruption.objects.filter(placement=OuterRef("pk"), withdrawn_at__isnull=True)
    return placements.annotate(
        interrupts_on=Subquery(current.values("interrupts_on")[:1]),
        interruption_reason=Subquery(current.values("reason")[:1]),
    )


def with_status(placements: QuerySet[Placement], on: datetime.date) -> QuerySet[Placement]:
    """Adds ``status`` (see ``Status``) as of the day ``on``; needs ``with_interruption`` first."""
    return placements.annotate(
        status=Case(
            When(interrupts_on__lte=on, then=Value(Status.INTERRUPTED)),
            When(ends_on__lt=on, then=Value(Status.ENDED)),
            When(starts_on__gt=on, then=Value(Status.UPCOMING)),
            default=Value(Status.ACTIVE),
            output_field=CharField(),
        )
    )


def with_unread(placements: QuerySet[Placement], actor: Actor) -> QuerySet[Placement]:
    """Adds ``unread_new``, ``unread_interruption`` and ``unread_decision``: events since the actor last looked."""
    seen = PlacementView.objects.filter(account_id=actor.account_id, placement=OuterRef(OuterRef("pk")))
    since = Coalesce(Subquery(seen.values("seen_at")[:1]), Value(EPOCH), output_field=DateTimeField())
    return placements.annotate(
        **{
            f"unread_{flag}": Exists(Event.objects.filter(placement=OuterRef("pk"), kind__in=kinds, at__gt=since))
            for flag, kinds in UNREAD_KINDS.items()
        }
    )


_LIST_RELATED = ("participant", "service", "unit", "address__municipality", "supervisor__person")


# --- Nya deltagare -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeFilters:
    services: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()
    municipalities: frozenset[str] = frozenset()


def intake(*, actor: Actor, filters: IntakeFilters = IntakeFilters()) -> QuerySet[Placement]:
    """Nya deltagare (SPEC S4.2–S4.3): placements at the actor's addresses that still need a supervisor."""
    placements = visible(actor, Role.RECEIVE, Placement.objects.awaiting_supervisor())
    if filters.services:
        placements = placements.filter(service_id__in=filters.services)
    if filters.units:
        placements = placements.filter(unit_id__in=filters.units)
    if filters.municipalities:
        placements = placements.filter(address__municipality_id__in=filters.municipalities)
    return (
        with_unread(with_interruption(placements), actor)
        .select_related(*_LIST_RELATED)
        .order_by("starts_on", "decided_on", "pk")
    )


@dataclass
class FilterChoices:
    services: list[Service] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)


def intake_filter_choices(*, actor: Actor) -> FilterChoices:
    """The services, units and municipalities of the actor's addresses, to filter Nya deltagare by."""
    addresses = list(
        visible(actor, Role.RECEIVE, Address.objects.all()).select_related("unit__service", "municipality")
    )
    return FilterChoices(
        services=sorted({a.unit.service for a in addresses}, key=lambda s: s.name),
        units=sorted({a.unit for a in addresses}, key=lambda u: u.name),
        municipalities=sorted({a.municipality for a in addresses}, key=lambda m: m.name),
    )


def intake_selection(*, actor: Actor, ids: list[int]) -> list[Placement]:
    """The chosen new participants, those the actor may assign; others are silently left out."""
    return list(intake(actor=actor).filter(pk__in=ids))


# --- Deltagarlista -------------------------------------------------------------------------------------------

# Protected participants come last when sorting by name, in an order that says nothing about their names (S4.9).
_SURNAME = Case(When(participant__protected_identity=True, then=Value("")), default=F("participant__surname"))
_GIVEN_NAME = Case(When(participant__protected_identity=True, then=Value("")), default=F("participant__given_name"))
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "start": ("starts_on", "pk"),
    "-start": ("-starts_on", "-pk"),
    "name": ("participant__protected_identity", _SURNAME.asc(), _GIVEN_NAME.asc(), "pk"),
    "-name": ("participant__protected_identity", _SURNAME.desc(), _GIVEN_NAME.desc(), "-pk"),
    "reference": ("genomforandereferens",),
    "-reference": ("-genomforandereferens",),
    "supervisor": ("supervisor__person__surname", "supervisor__person__given_name", "pk"),
    "-supervisor": ("-supervisor__person__surname", "-supervisor__person__given_name", "-pk"),
}


@dataclass(frozen=True)
class ListFilters:
    only_mine: bool = False
    supervisor: int | None = None
    status: str = ""
    period: int | None = None
    search: str = ""
    unread: str = ""  # "new", "interruption" or "decision"
    sort: str = "start"


def participant_list(*, actor: Actor, filters: ListFilters = ListFilters()) -> QuerySet[Placement]:
    """Deltagarlista (SPEC S4.5): every placement at the actor's addresses, filtered and sorted."""
    placements = visible(actor, Role.REPORT, Placement.objects.filter(removed_at__isnull=True))
    placements = with_unread(with_status(with_interruption(placements), today()), actor)
    if filters.only_mine:
        placements = placements.filter(supervisor_id=actor.account_id)
    elif filters.supervisor:
        placements = placements.filter(supervisor_id=filters.supervisor)
    if filters.status in Status.ALL:
        placements = placements.filter(**{"status": filters.status})  # an annotation: stubs cannot see it
    if filters.period in (1, 2):
        placements = placements.filter(period=filters.period)
    if filters.search:
        placements = placements.filter(_search(filters.search.strip(), actor))
    if filters.unread in UNREAD_KINDS:
        placements = placements.filter(**{f"unread_{filters.unread}": True})
    return placements.select_related(*_LIST_RELATED).order_by(*SORTS.get(filters.sort, SORTS["start"]))


def _search(text: str, actor: Actor) -> Q:
    """By genomförandereferens, or by name, which never finds a protected participant one does not supervise."""
    by_reference = Q(genomforandereferens__icontains=text)
    by_name = Q()
    for word in text.split():
        by_name &= Q(participant__given_name__icontains=word) | Q(participant__surname__icontains=word)
    name_visible = Q(participant__protected_identity=False) | Q(supervisor_id=actor.account_id)
    return by_reference | (by_name & name_visible)


def unread_counts(*, actor: Actor) -> dict[str, int]:
    """How many placements have each unread flag (shown next to the filters)."""
    placements = with_unread(visible(actor, Role.REPORT, Placement.objects.filter(removed_at__isnull=True)), actor)
    return placements.aggregate(**{flag: Count("pk", filter=Q(**{f"unread_{flag}": True})) for flag in UNREAD_KINDS})


def supervisors_in_list(*, actor: Actor) -> list[StaffAccount]:
    """The supervisors of the placements the actor sees, to filter the list by."""
    ids = visible(actor, Role.REPORT, Placement.objects.filter(supervisor__isnull=False)).values("supervisor_id")
    return list(
        StaffAccount.objects.filter(pk__in=ids)
        .select_related("person")
        .order_by("person__surname", "person__given_name")
    )


# --- one placement -------------------------------------------------------------------------------------------


def placement(*, actor: Actor, placement_id: int, role: Role = Role.REPORT) -> Placement:
    """Deltagarsidan (SPEC S4.6): one placement and its participant; the read is audited, denied ones too."""
    return get_visible_or_404(
        actor,
        role,
        with_status(with_interruption(Placement.objects.all()), today()).select_related(
            *_LIST_RELATED, "organisation", "previous", "next_placement"
        ),
        audit_read="placements.read",
        pk=placement_id,
    )


def events(*, actor: Actor, placement: Placement, limit: int | None = None) -> QuerySet[Event]:
    """Händelser: what happened to the placement, newest first."""
    found = visible(actor, Role.REPORT, Event.objects.filter(placement=placement)).order_by("-at", "-pk")
    return found[:limit] if limit else found


def placement_for_af(*, actor: Actor, genomforandereferens: str) -> Placement:
    """A placement as Af's back office and integration API find it: by its genomförandereferens."""
    return get_visible_or_404(
        actor,
        AfRole.CASE_OFFICER,
        with_status(with_interruption(Placement.objects.all()), today()).select_related(*_LIST_RELATED, "organisation"),
        audit_read="placements.read",
        genomforandereferens=genomforandereferens,
    )
