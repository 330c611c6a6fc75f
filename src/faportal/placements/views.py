"""The provider's participant pages (SPEC S4): Nya deltagare, Deltagarlista and the participant page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import Role, StaffAccount
from faportal.access.scoping import get_visible_or_404, require_role
from faportal.audit.services import record_shown
from faportal.core.http import ids_in, posted, safe_next_url
from faportal.placements import selectors, services
from faportal.placements.forms import ParticipantListForm, SupervisorForm
from faportal.placements.models import Placement, today
from faportal.placements.rules import (
    contact_details_shown,
    interrupted_before_start,
    last_day,
    working_days_until,
)
from faportal.registry.models import Address

PAGE_SIZE = 50

RULE_MESSAGES = {
    "supervisor_not_allowed": gettext_lazy(
        "The chosen supervisor does not have the reporting role at every chosen participant's address."
    ),
    "already_assigned": gettext_lazy("%(genomforandereferens)s already has a supervisor. Reload the page."),
    "not_interrupted_before_start": gettext_lazy(
        "Only a participant whose service was interrupted before it started can be removed."
    ),
    "protected_identity": gettext_lazy(
        "The participant has protected personal data: only the assigned supervisor sees the personnummer."
    ),
}


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


def intake(request: HttpRequest) -> HttpResponse:
    """Nya deltagare (SPEC S4.2–S4.3): who needs a supervisor, the working days left, and what is overdue."""
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    filters = selectors.IntakeFilters(
        services=ids_in(request.GET.getlist("tjanst")),
        units=ids_in(request.GET.getlist("enhet")),
        municipalities=frozenset(
            v for v in request.GET.getlist("kommun") if v.isascii() and v.isdigit() and len(v) == 4
        ),
    )
    placements = list(selectors.intake(actor=actor, filters=filters))
    record_shown(actor, "placements.listed", placements, page="intake")
    day = today()
    rows = [
        IntakeRow(
            placement,
            working_days_until(day, placement.starts_on),
            # interrupts_on is an annotation (selectors.with_interruption)
            interrupted_before_start(interrupts_on=placement.interrupts_on, starts_on=placement.starts_on),  # type: ignore[attr-defined]
        )
        for placement in placements
    ]
    return render(
        request,
        "placements/intake.html",
        {
            "rows": rows,
            "choices": selectors.intake_filter_choices(actor=actor),
            "filters": filters,
            "filtered": bool(filters.services or filters.units or filters.municipalities),
            "filter_fields": _intake_filter_fields(request.GET),
            "today": day,
        },
    )


@require_http_methods(["GET", "POST"])
def intake_assign(request: HttpRequest) -> HttpResponse:
    """Välj handledare for the chosen new participants, then confirm (SPEC S4.3)."""
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    data = request.POST if request.method == "POST" else request.GET
    filter_fields = _intake_filter_fields(data)
    back = _intake_url(filter_fields)
    chosen = selectors.intake_selection(actor=actor, ids=sorted(ids_in(data.getlist("p"))))
    if not chosen:
        messages.error(request, _("Choose at least one new participant first."))
        return redirect(back)
    supervisors = services.supervisors_at(actor=actor, address_ids={p.address_id for p in chosen})
    form = SupervisorForm(posted(request), supervisors=supervisors)
    if request.method == "GET":
        record_shown(actor, "placements.listed", chosen, page="intake_assign")
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_supervisor(actor=actor, placements=chosen, supervisor=form.chosen())
        except services.PlacementRuleError as error:
            form.add_error("supervisor", RULE_MESSAGES[error.code] % error.params)
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
        {"chosen": chosen, "form": form, "filter_fields": filter_fields, "back": back},
    )


@require_POST
def intake_remove(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Ta bort: a new participant whose service was interrupted before it started."""
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id, role=Role.RECEIVE)
    try:
        services.remove_from_intake(actor=actor, placement=placement)
    except services.PlacementRuleError as error:
        messages.error(request, str(RULE_MESSAGES[error.code]))
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
    form = ParticipantListForm(request.GET, supervisors=selectors.supervisors_in_list(actor=actor))
    filters = form.filters()
    page = Paginator(selectors.participant_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    record_shown(actor, "placements.listed", page.object_list, page="participant_list")
    query = {k: v for k, v in request.GET.items() if k not in {"sida"}}
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query": urlencode(query),
        "sort_query": urlencode({k: v for k, v in query.items() if k != "sort"}),
        "unread": selectors.unread_counts(actor=actor),
        "unread_query": urlencode({k: v for k, v in query.items() if k not in {"olast", "sida"}}),
        "today": today(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "placements/participant_list.html#results", context)
    return render(request, "placements/participant_list.html", context)


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

TABS = [
    ("placements:participant", gettext_lazy("Participant & service")),
    ("placements:experience", gettext_lazy("Experience")),
    ("placements:reporting", gettext_lazy("Reporting")),
    ("placements:events", gettext_lazy("Events")),
]


def _page(request: HttpRequest, placement: Placement | int, template: str, **extra: Any) -> HttpResponse:
    """One tab of the participant page, of a placement the view has read already or reads here (read once, audited
    once).
    """
    actor = actor_of(request)
    if not isinstance(placement, Placement):
        placement = selectors.placement(actor=actor, placement_id=placement)
    services.mark_seen(actor=actor, placement=placement)
    current = request.resolver_match.view_name if request.resolver_match else ""
    context = {
        "placement": placement,
        "participant": placement.participant,
        "is_supervisor": placement.supervisor_id is not None and placement.supervisor_id == actor.account_id,
        "contact_shown": contact_details_shown(
            last_day=last_day(ends_on=placement.ends_on, interrupts_on=placement.interrupts_on),  # type: ignore[attr-defined]
            today=today(),
        ),
        "tabs": [(reverse(name, args=[placement.pk]), label, name == current) for name, label in TABS],
        **extra,
    }
    return render(request, template, context)


def participant(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Deltagare & tjänst (SPEC S4.6)."""
    return _page(request, placement_id, "placements/participant.html")


def experience(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Erfarenheter: work experience, education, driving licence, access to a car (from Af)."""
    return _page(request, placement_id, "placements/experience.html")


def reporting(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Rapportering: the placement's documents (none yet: the documents come with the next issue)."""
    return _page(request, placement_id, "placements/reporting.html")


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
    except services.PlacementRuleError as error:
        raise Http404 from error
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
        except services.PlacementRuleError as error:
            form.add_error("supervisor", RULE_MESSAGES[error.code])
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
        except services.PlacementRuleError as error:
            chosen.form.add_error("supervisor", RULE_MESSAGES[error.code])
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
