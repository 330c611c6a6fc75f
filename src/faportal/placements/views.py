"""The provider's participant pages (SPEC S4): Nya deltagare, Deltagarlista and the participant page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import Role, StaffAccount
from faportal.access.scoping import get_visible_or_404, require_role
from faportal.audit.services import record_shown
from faportal.core.http import ids_in, posted, safe_next_url
from faportal.core.paging import IdsFirstPaginator
from faportal.core.problems import Refused, message
from faportal.placements import listing, pages, selectors, services, timeline
from faportal.placements.forms import ParticipantListForm, SupervisorForm
from faportal.placements.models import Placement, today
from faportal.placements.rules import (
    interrupted_before_start,
    working_days_until,
)
from faportal.registry.models import Address

PAGE_SIZE = 50
# Nya deltagare shows this many at a time; choosing "every new participant" names this many on the next page.
INTAKE_PAGE_SIZE = 50
INTAKE_ASSIGN_SHOWN = 20

# --- Nya deltagare ---------------------------------------------------------------------------------------------


INTAKE_FILTERS = ("tjanst", "enhet", "kommun")


def _intake_filter_fields(data: QueryDict) -> list[tuple[str, str]]:
    """The filter of Nya deltagare in ``data``, to carry through choosing a supervisor and back."""
    return [(name, value) for name in INTAKE_FILTERS for value in data.getlist(name)]


def _intake_url(fields: list[tuple[str, str]]) -> str:
    return reverse("placements:intake") + (f"?{urlencode(fields)}" if fields else "")


@dataclass(frozen=True)
class IntakeRow:
    placement: Placement
    days_left: int  # working days until the start; 0 or less is overdue
    removable: bool  # interrupted before it started: nothing to assign, it can be removed


def _intake_filters(data: QueryDict) -> selectors.IntakeFilters:
    return selectors.IntakeFilters(
        services=ids_in(data.getlist("tjanst")),
        units=ids_in(data.getlist("enhet")),
        municipalities=frozenset(v for v in data.getlist("kommun") if v.isascii() and v.isdigit() and len(v) == 4),
    )


def intake(request: HttpRequest) -> HttpResponse:
    """Nya deltagare (SPEC S4.2–S4.3): who needs a supervisor, the working days left, and what is overdue.

    A page at a time; "every new participant" the filter finds can still be chosen at once, without a row each.
    """
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    filters = _intake_filters(request.GET)
    page = IdsFirstPaginator(selectors.intake(actor=actor, filters=filters), INTAKE_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    record_shown(actor, "placements.listed", page.object_list, page="intake")
    day = today()
    rows = [
        IntakeRow(
            placement,
            working_days_until(day, placement.starts_on),
            interrupted_before_start(interrupts_on=placement.interrupts_on, starts_on=placement.starts_on),
        )
        for placement in page.object_list
    ]
    filter_fields = _intake_filter_fields(request.GET)
    return render(
        request,
        "placements/intake.html",
        {
            "rows": rows,
            "page": page,
            "query": urlencode(filter_fields),
            # How far "every new participant" goes: the newest one there is as the page is made.
            "up_to": selectors.intake_last_id(actor=actor, filters=filters),
            "choices": selectors.intake_filter_choices(actor=actor),
            "filters": filters,
            "filtered": bool(filters.services or filters.units or filters.municipalities),
            "filter_fields": filter_fields,
            "today": day,
        },
    )


@require_http_methods(["GET", "POST"])
def intake_assign(request: HttpRequest) -> HttpResponse:
    """Välj handledare for the chosen new participants, then confirm (SPEC S4.3).

    The chosen are those ticked (``p``), or every new participant the filter finds up to the newest the list had
    (``alla``): then the page names the first few and how many more, and the form carries the filter, not the ids.
    """
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    data = request.POST if request.method == "POST" else request.GET
    filter_fields = _intake_filter_fields(data)
    back = _intake_url(filter_fields)
    up_to = data.get("alla", "")
    if up_to.isdigit() and len(up_to) < 19:
        found = selectors.intake_all(actor=actor, filters=_intake_filters(data), up_to=int(up_to))
        chosen = list(found) if request.method == "POST" else list(found[: INTAKE_ASSIGN_SHOWN + 1])
        count = len(chosen) if request.method == "POST" else found.count()
        address_ids = set(found.order_by().values_list("address_id", flat=True).distinct())
    else:
        up_to = ""
        chosen = selectors.intake_selection(actor=actor, ids=sorted(ids_in(data.getlist("p"))))
        count, address_ids = len(chosen), {p.address_id for p in chosen}
    if not chosen:
        messages.error(request, _("Choose at least one new participant first."))
        return redirect(back)
    supervisors = services.supervisors_at(actor=actor, address_ids=address_ids)
    form = SupervisorForm(posted(request), supervisors=supervisors)
    shown = chosen[:INTAKE_ASSIGN_SHOWN] if up_to else chosen
    if request.method == "GET":
        record_shown(actor, "placements.listed", shown, page="intake_assign")
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_supervisor(actor=actor, placements=chosen, supervisor=form.chosen())
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(
                request,
                ngettext(
                    "%(name)s is now the supervisor of %(count)d new participant.",
                    "%(name)s is now the supervisor of %(count)d new participants.",
                    len(chosen),
                )
                % {"name": form.chosen().person.full_name, "count": len(chosen)},
            )
            return redirect(back)
    return render(
        request,
        "placements/intake_assign.html",
        {
            "chosen": shown,
            "count": count,
            "more": count - len(shown),
            "all_up_to": up_to,
            "form": form,
            "filter_fields": filter_fields,
            "back": back,
        },
    )


@require_POST
def intake_remove(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Ta bort: a new participant whose service was interrupted before it started."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id, role=Role.RECEIVE)
    try:
        services.remove_from_intake(actor=actor, placement=placement)
    except Refused as refused:
        messages.error(request, " ".join(message(problem) for problem in refused.problems))
    else:
        messages.success(
            request,
            _("%(reference)s is removed from new participants.") % {"reference": placement.genomforandereferens},
        )
    return redirect("placements:intake")


# --- Deltagarlista ---------------------------------------------------------------------------------------------


def participant_list(request: HttpRequest) -> HttpResponse:
    """Deltagarlista (SPEC S4.5)."""
    actor = actor_of(request)
    require_role(actor, Role.REPORT)
    if request.htmx:  # type: ignore[attr-defined]
        # The results only: the form is not shown again, so only the chosen supervisor is checked, not listed.
        supervisors = selectors.supervisor_in_list(actor=actor, value=request.GET.get("supervisor", ""))
    else:
        supervisors = selectors.supervisors_in_list(actor=actor)
    form = ParticipantListForm(request.GET, supervisors=supervisors)
    filters = form.filters()
    page = IdsFirstPaginator(selectors.participant_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    record_shown(actor, "placements.listed", page.object_list, page="participant_list")
    columns = listing.columns()
    for column in columns:
        column.decorate(actor, page.object_list, today())
    query = {k: v for k, v in request.GET.items() if k not in {"sida"}}
    context = {
        "form": form,
        "page": page,
        "columns": columns,
        "query": urlencode(query),
        "sort_query": urlencode({k: v for k, v in query.items() if k != "sort"}),
        **_unread_links(request, filters),
        "today": today(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "placements/participant_list.html#results", context)
    return render(request, "placements/participant_list.html", context)


def _unread_links(request: HttpRequest, filters: selectors.ListFilters) -> dict[str, Any]:
    """The links to the unread flags above the list, keeping the other filters (their counts come separately)."""
    query = {k: v for k, v in request.GET.items() if k not in {"olast", "sida"}}
    return {
        "unread": [(flag, None) for flag in timeline.unread_flags()],
        "unread_query": urlencode(query),
        "unread_counts_url": f"{reverse('placements:unread_counts')}?{request.GET.urlencode()}",
        "filters": filters,
    }


def unread_counts(request: HttpRequest) -> HttpResponse:
    """How many participants have each unread flag: the links above Deltagarlista with their counts, loaded after
    the list (htmx), since counting reads every placement in view (ADR 0014). Without script the links show
    without counts.
    """
    actor = actor_of(request)
    require_role(actor, Role.REPORT)
    form = ParticipantListForm(request.GET, supervisors=[])
    context = _unread_links(request, form.filters())
    counts = selectors.unread_counts(actor=actor)
    context["unread"] = [(flag, counts.get(flag.key, 0)) for flag, _none in context["unread"]]
    return render(request, "placements/participant_list.html#unread", context)


def recent_events(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Visa händelser: the latest events of one row, unfolded in the list."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id)
    return render(
        request,
        "placements/_events.html",
        {"events": selectors.events(actor=actor, placement=placement, limit=5), "placement": placement, "short": True},
    )


# --- the participant page ----------------------------------------------------------------------------------------


def _page(request: HttpRequest, placement: Placement | int, template: str, **extra: Any) -> HttpResponse:
    return pages.participant_page(request, placement, template, **extra)


def participant(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Deltagare & tjänst (SPEC S4.6)."""
    return _page(request, placement_id, "placements/participant.html")


def experience(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Erfarenheter: work experience, education, driving licence, access to a car (from Af)."""
    return _page(request, placement_id, "placements/experience.html")


def events(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Händelser: everything that happened, with who and when."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id)
    found = selectors.events(actor=actor, placement=placement)
    return _page(request, placement, "placements/events.html", events=found)


@require_POST
def reveal_personnummer(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Visa personnummer: shown on request, and each reveal is logged (SPEC S4.6)."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id)
    try:
        shown = services.reveal_personnummer(actor=actor, placement=placement)
    except Refused as refused:
        raise Http404 from refused
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "placements/participant.html#personnummer", {"personnummer": shown, "placement": placement}
        )
    return _page(request, placement, "placements/participant.html", personnummer=shown)


@require_http_methods(["GET", "POST"])
def change_supervisor(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Byt handledare (SPEC S4.3, S3.6)."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id)
    supervisors = services.supervisors_at(actor=actor, address_ids={placement.address_id})
    form = SupervisorForm(posted(request), supervisors=supervisors, initial={"supervisor": placement.supervisor_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_supervisor(actor=actor, placement=placement, supervisor=form.chosen())
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, _("%(name)s is now the supervisor.") % {"name": form.chosen().person.full_name})
            return redirect(
                safe_next_url(request, request.POST.get("next"), reverse("placements:participant", args=[placement.pk]))
            )
    return render(
        request,
        "placements/change_supervisor.html",
        {"placement": placement, "form": form, "next": request.GET.get("next", "")},
    )


@dataclass
class _MoveGroup:
    """Placements to move together, and the form that chooses their new supervisor."""

    address: Address | None  # None: every address at once
    placements: list[Placement]
    form: SupervisorForm


@require_http_methods(["GET", "POST"])
def move_supervised(request: HttpRequest, account_id: int) -> HttpResponse:
    """Flytta deltagare: a permission administrator moves everyone a staff member supervises (before deleting).

    One choice moves them all when someone has the reporting role at all of their addresses; otherwise each address
    gets its own. The administrator sees genomförandereferens and address, never the participants' names.
    """
    actor = actor_of(request)
    account = get_visible_or_404(
        actor, Role.ADMINISTER, StaffAccount.objects.active().select_related("person"), pk=account_id
    )
    moving = services.placements_supervised_by(actor=actor, account=account)
    by_address: dict[int, list[Placement]] = {}
    for placement in moving:
        by_address.setdefault(placement.address_id, []).append(placement)
    wanted = request.POST.get("address", "") if request.method == "POST" else None

    def candidates(address_ids: set[int]) -> list[StaffAccount]:
        found = services.supervisors_at(actor=actor, address_ids=address_ids)
        return [candidate for candidate in found if candidate.pk != account.pk]

    def group(address: Address | None, placements: list[Placement], key: str) -> _MoveGroup:
        data = posted(request) if wanted == key else None
        supervisors = candidates({p.address_id for p in placements})
        return _MoveGroup(address, placements, SupervisorForm(data, supervisors=supervisors, prefix=f"g{key}"))

    together = group(None, moving, "all") if len(by_address) > 1 else None
    if together is not None and together.form.supervisors:
        groups = [together]
    else:
        groups = [group(items[0].address, items, str(address_id)) for address_id, items in by_address.items()]
    for chosen in groups:
        if not chosen.form.is_bound or not chosen.form.is_valid():
            continue
        try:
            moved = services.move_supervised_placements(
                actor=actor,
                account=account,
                to=chosen.form.chosen(),
                address_id=chosen.address.pk if chosen.address else None,
            )
        except Refused as refused:
            chosen.form.add_problems(refused)
            break
        messages.success(
            request,
            ngettext(
                "%(count)d participant moved to %(name)s.", "%(count)d participants moved to %(name)s.", len(moved)
            )
            % {"count": len(moved), "name": chosen.form.chosen().person.full_name},
        )
        if services.placements_supervised_by(actor=actor, account=account):
            return redirect("placements:move_supervised", account_id=account.pk)
        return redirect("staff_delete", account_id=account.pk)
    if request.method == "POST" and not any(chosen.form.is_bound for chosen in groups):
        # Sent from a page that no longer matches (someone got the role everywhere, or moved them meanwhile).
        messages.warning(request, _("The participants to move have changed since the page was loaded. Choose again."))
    return render(request, "placements/move_supervised.html", {"account": account, "groups": groups})
