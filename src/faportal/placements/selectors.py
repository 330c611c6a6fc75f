"""Reads for placements (SPEC S4), each scoped through ``visible`` and joined so a list costs the same few queries
whatever its length.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
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
from faportal.core.db import distinct_values
from faportal.placements import listing
from faportal.placements.models import Event, Placement, PlacementView, today
from faportal.placements.timeline import flag_field, flag_fields, unread_kinds
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
    """The interruption in force is on the placement itself (``interrupts_on``, ``interruption_reason``: copies the
    services keep), so nothing is added any more; kept for the callers that ask for it.
    """
    return placements


def with_status(placements: QuerySet[Placement], on: datetime.date) -> QuerySet[Placement]:
    """Adds ``status`` (see ``Status``) as of the day ``on``, from the placement's own dates."""
    return placements.annotate(
        status=Case(
            When(interrupts_on__lte=on, then=Value(Status.INTERRUPTED)),
            When(ends_on__lt=on, then=Value(Status.ENDED)),
            When(starts_on__gt=on, then=Value(Status.UPCOMING)),
            default=Value(Status.ACTIVE),
            output_field=CharField(),
        )
    )


def status_is(status: str, on: datetime.date) -> Q:
    """The placements whose ``status`` on the day ``on`` is ``status``, as conditions an index can serve."""
    running = Q(interrupts_on__isnull=True) | Q(interrupts_on__gt=on)
    return {
        Status.INTERRUPTED: Q(interrupts_on__lte=on),
        Status.ENDED: running & Q(ends_on__lt=on),
        Status.UPCOMING: running & Q(ends_on__gte=on, starts_on__gt=on),
        Status.ACTIVE: running & Q(ends_on__gte=on, starts_on__lte=on),
    }[status]


def _joined_views(placements: QuerySet[Placement], actor: Actor) -> QuerySet[Placement]:
    """Joins the actor's own view of each placement (for counting over many): ``seen_since`` is when they last
    looked, or never.
    """
    return placements.annotate(
        seen_by_actor=FilteredRelation("views", condition=Q(views__account_id=actor.account_id))
    ).annotate(seen_since=Coalesce(F("seen_by_actor__seen_at"), Value(EPOCH), output_field=DateTimeField()))


def _seen_since(actor: Actor) -> Coalesce:
    """When the actor last looked at the placement, or never: one lookup per row (for a page of rows)."""
    seen = PlacementView.objects.filter(account_id=actor.account_id, placement=OuterRef("pk")).values("seen_at")
    return Coalesce(Subquery(seen[:1]), Value(EPOCH), output_field=DateTimeField())


def unread_is(flag: str, actor: Actor) -> Q:
    """Placements with an event raising ``flag`` since the actor last looked: not seen since, which the database
    answers with the actor's own views, read once.
    """
    field_name = flag_field(flag)
    seen_since = PlacementView.objects.filter(
        account_id=actor.account_id, placement=OuterRef("pk"), seen_at__gte=OuterRef(field_name)
    )
    return Q(Q(**{f"{field_name}__isnull": False}), ~Exists(seen_since))


def with_unread(placements: QuerySet[Placement], actor: Actor) -> QuerySet[Placement]:
    """Adds ``unread_new``, ``unread_interruption`` and ``unread_decision``: events since the actor last looked."""
    # ``seen_since`` is only compared, never shown: an alias is not read back (a timestamp costs a parse a row).
    return placements.alias(seen_since=_seen_since(actor)).annotate(
        **{
            f"unread_{flag}": Case(
                When(**{f"{flag_field(flag)}__gt": F("seen_since")}, then=True),
                default=False,
                output_field=BooleanField(),
            )
            for flag in unread_kinds()
        }
    )


_LIST_RELATED = ("participant", "service", "unit", "address__municipality", "supervisor__person")


def with_related(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """What a list shows of each placement, read for the rows shown by one query per kind (prefetched): joined
    into the list's own query instead, nine tables cost PostgreSQL more to plan than the page costs to read.
    (Deltagarlista needs none of it: it shows the placement's own copies of the names, see ``LIST_FIELDS``.)
    """
    return placements.prefetch_related(
        "participant",
        Prefetch("supervisor", queryset=StaffAccount.objects.select_related("person")),
        "service",
        "unit",
        Prefetch("address", queryset=Address.objects.select_related("municipality")),
    )


# --- Nya deltagare -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeFilters:
    services: frozenset[int] = frozenset()
    units: frozenset[int] = frozenset()
    municipalities: frozenset[str] = frozenset()


def _intake_filtered(placements: QuerySet[Placement], filters: IntakeFilters) -> QuerySet[Placement]:
    if filters.services:
        placements = placements.filter(service_id__in=filters.services)
    if filters.units:
        placements = placements.filter(unit_id__in=filters.units)
    if filters.municipalities:
        placements = placements.filter(address__municipality_id__in=filters.municipalities)
    return placements


def intake(*, actor: Actor, filters: IntakeFilters = IntakeFilters()) -> QuerySet[Placement]:
    """Nya deltagare (SPEC S4.2–S4.3): placements at the actor's addresses that still need a supervisor."""
    placements = visible(actor, Role.RECEIVE, _intake_filtered(Placement.objects.awaiting_supervisor(), filters))
    return with_related(with_unread(placements, actor)).order_by("starts_on", "decided_on", "pk")


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


def intake_all(*, actor: Actor, filters: IntakeFilters, up_to: int) -> QuerySet[Placement]:
    """ "Every new participant" the filter finds (SPEC S4.3), as far as the page that offered it went (ids up to
    ``up_to``: one decided since is not chosen unseen), leaving out those interrupted before they started, which
    get no supervisor but are removed.
    """
    return (
        intake(actor=actor, filters=filters)
        .filter(pk__lte=up_to)
        .exclude(interrupts_on__isnull=False, interrupts_on__lte=F("starts_on"))
    )


def intake_last_id(*, actor: Actor, filters: IntakeFilters) -> int | None:
    """The newest new participant the filter finds: how far "every new participant" on the page goes."""
    found: int | None = (
        visible(actor, Role.RECEIVE, _intake_filtered(Placement.objects.awaiting_supervisor(), filters))
        .order_by()
        # Of the waiting ones alone (their partial index): a plain MAX(id) is answered by walking the primary key
        # down from the newest placement in the country, past every newer one elsewhere (130 ms after a busy day).
        .aggregate(last=Max(F("pk") + 0))["last"]
    )
    return found


# --- Deltagarlista -------------------------------------------------------------------------------------------

# Protected participants come last when sorting by name, in an order that says nothing about their names (S4.9):
# their copies of the name (``Placement.sort_*``, kept by the services) are blank.
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "start": ("starts_on", "pk"),
    "-start": ("-starts_on", "-pk"),
    "name": ("sort_protected", "sort_surname", "sort_given_name", "pk"),
    "-name": ("sort_protected", "-sort_surname", "-sort_given_name", "-pk"),
    "reference": ("genomforandereferens",),
    "-reference": ("-genomforandereferens",),
    "supervisor": ("sort_supervisor_surname", "sort_supervisor_given_name", "pk"),
    "-supervisor": ("-sort_supervisor_surname", "-sort_supervisor_given_name", "-pk"),
}


@dataclass(frozen=True)
class ListFilters:
    only_mine: bool = False
    supervisor: int | None = None
    status: str = ""
    period: int | None = None
    search: str = ""
    unread: str = ""  # the key of an unread flag (placements.timeline)
    sort: str = "start"
    # Filters of the columns other apps add (placements.listing): (column key, option value).
    columns: tuple[tuple[str, str], ...] = ()


def participant_list(*, actor: Actor, filters: ListFilters = ListFilters()) -> QuerySet[Placement]:
    """Deltagarlista (SPEC S4.5): every placement at the actor's addresses, filtered and sorted."""
    day = today()
    placements = visible(actor, Role.REPORT, Placement.objects.filter(removed_at__isnull=True))
    if filters.only_mine:
        placements = placements.filter(supervisor_id=actor.account_id)
    elif filters.supervisor:
        placements = placements.filter(supervisor_id=filters.supervisor)
    if filters.status in Status.ALL:
        placements = placements.filter(status_is(filters.status, day))
    if filters.period in (1, 2):
        placements = placements.filter(period=filters.period)
    if filters.search:
        placements = placements.filter(_search(filters.search.strip(), actor))
    placements = with_unread(with_status(placements, day), actor)
    if filters.unread in unread_kinds():
        placements = placements.filter(unread_is(filters.unread, actor))
    for key, value in filters.columns:
        found = listing.column(key)
        option = found.option(value) if found is not None else None
        if option is not None:
            placements = placements.filter(option.condition(day))
    return placements.only(*LIST_FIELDS).order_by(*SORTS.get(filters.sort, SORTS["start"]))


# What Deltagarlista's rows and the columns other apps add (``placements.listing``) read of a placement: a row of
# all thirty-odd columns costs more to read back than the query costs to run, and the names are the placement's
# own copies (sorted and searched by), so neither participants nor accounts are read (ADR 0014). A column that
# needs more names it here; the list's query-count test fails on a field read that is missing.
LIST_FIELDS = (
    "genomforandereferens",
    "participant",
    "supervisor",
    "organisation",
    "address",
    "sort_protected",
    "sort_given_name",
    "sort_surname",
    "sort_supervisor_given_name",
    "sort_supervisor_surname",
    "level",
    "period",
    "starts_on",
    "ends_on",
    "interrupts_on",
)


def _search(text: str, actor: Actor) -> Q:
    """By genomförandereferens, or by name, which never finds a protected participant one does not supervise.

    Both are searched on the placement itself (its copy of the name, ``search_name``), which PostgreSQL answers
    from trigram indexes (migration 0005) without reading the placements that do not match.
    """
    by_reference = Q(genomforandereferens__icontains=text)
    by_name = Q()
    for word in text.split():  # a word holds no space, so it matches within the given name or the surname
        by_name &= Q(search_name__icontains=word)
    name_visible = Q(sort_protected=False) | Q(supervisor_id=actor.account_id)  # sort_protected: the copy of it
    return by_reference | (by_name & name_visible)


def unread_counts(*, actor: Actor) -> dict[str, int]:
    """How many placements have each unread flag (shown next to the filters): one pass over the placements in view
    (their index alone), against the actor's own views.
    """
    placements = _joined_views(visible(actor, Role.REPORT, Placement.objects.filter(removed_at__isnull=True)), actor)
    return placements.aggregate(
        **{flag: Count("pk", filter=Q(**{f"{field}__gt": F("seen_since")})) for flag, field in flag_fields().items()}
    )


def supervisors_in_list(*, actor: Actor) -> list[tuple[int, str]]:
    """The supervisors of the placements the actor sees, as (staff account id, name), to filter the list by.

    Found by skipping from one supervisor to the next along an index (``distinct_values``): a lookup per supervisor,
    however many placements each has; the names in the same query.
    """
    # The ids first, then their names by primary key: asked in one query, PostgreSQL hashes every account in the
    # country to join a few hundred.
    found = distinct_values(visible(actor, Role.REPORT, Placement.objects.all()), "supervisor_id")
    if not found:
        return []
    return [
        (pk, f"{given_name} {surname}".strip())
        for pk, given_name, surname in StaffAccount.objects.filter(pk__in=found)
        .order_by("person__surname", "person__given_name", "pk")
        .values_list("pk", "person__given_name", "person__surname")
    ]


def supervisor_in_list(*, actor: Actor, value: str) -> list[tuple[int, str]]:
    """The supervisor ``value`` names as ``supervisors_in_list`` would give it (without the name), if they supervise
    a placement the actor sees; else nothing. For a list's results alone, where the choices are not shown.
    """
    if not value.isdigit() or len(value) > 18:
        return []
    pk = int(value)
    found = visible(actor, Role.REPORT, Placement.objects.filter(supervisor_id=pk)).exists()
    return [(pk, "")] if found else []


# --- one placement -------------------------------------------------------------------------------------------


def placement(*, actor: Actor, placement_id: int, role: Role = Role.REPORT) -> Placement:
    """Deltagarsidan (SPEC S4.6): one placement and its participant; the read is audited, denied ones too."""
    return get_visible_or_404(
        actor,
        role,
        with_status(Placement.objects.all(), today()).select_related(
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
        with_status(Placement.objects.all(), today()).select_related(*_LIST_RELATED, "organisation"),
        audit_read="placements.read",
        genomforandereferens=genomforandereferens,
    )
