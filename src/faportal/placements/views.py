"""The provider's participant pages (SPEC S4): Nya deltagare, Deltagarlista and the participant page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import Role, StaffAccount
from faportal.access.scoping import get_visible_or_404, require_role
from faportal.core.http import posted, safe_next_url
from faportal.placements import selectors, services
from faportal.placements.forms import ParticipantListForm, SupervisorForm
from faportal.placements.models import today
from faportal.placements.rules import working_days_until

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


def _ints(values: list[str]) -> frozenset[int]:
    return frozenset(int(value) for value in values if value.isdigit())


# --- Nya deltagare ---------------------------------------------------------------------------------------------


def intake(request: HttpRequest) -> HttpResponse:
    """Nya deltagare (SPEC S4.2–S4.3): who needs a supervisor, the working days left, and what is overdue."""
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    filters = selectors.IntakeFilters(
        services=_ints(request.GET.getlist("tjanst")),
        units=_ints(request.GET.getlist("enhet")),
        municipalities=frozenset(v for v in request.GET.getlist("kommun") if v.isdigit() and len(v) == 4),
    )
    placements = list(selectors.intake(actor=actor, filters=filters))
    day = today()
    rows = [(placement, working_days_until(day, placement.starts_on)) for placement in placements]
    return render(
        request,
        "placements/intake.html",
        {
            "rows": rows,
            "choices": selectors.intake_filter_choices(actor=actor),
            "filters": filters,
            "filtered": bool(filters.services or filters.units or filters.municipalities),
        },
    )


@require_http_methods(["GET", "POST"])
def intake_assign(request: HttpRequest) -> HttpResponse:
    """Välj handledare for the chosen new participants, then confirm (SPEC S4.3)."""
    actor = actor_of(request)
    require_role(actor, Role.RECEIVE)
    ids = request.POST.getlist("p") if request.method == "POST" else request.GET.getlist("p")
    chosen = selectors.intake_selection(actor=actor, ids=sorted(_ints(ids)))
    if not chosen:
        messages.error(request, _("Choose at least one new participant first."))
        return redirect("placements:intake")
    supervisors = services.supervisors_at(actor=actor, address_ids={p.address_id for p in chosen})
    form = SupervisorForm(posted(request), supervisors=supervisors)
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
            return redirect("placements:intake")
    return render(request, "placements/intake_assign.html", {"chosen": chosen, "form": form})


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


def _page(request: HttpRequest, placement_id: int, template: str, **extra: Any) -> HttpResponse:
    actor = actor_of(request)
    placement = selectors.placement(actor=actor, placement_id=placement_id)
    services.mark_seen(actor=actor, placement=placement)
    current = request.resolver_match.view_name if request.resolver_match else ""
    context = {
        "placement": placement,
        "participant": placement.participant,
        "is_supervisor": placement.supervisor_id is not None and placement.supervisor_id == actor.account_id,
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
    return _page(
        request, placement_id, "placements/events.html", events=selectors.events(actor=actor, placement=placement)
    )


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
    return _page(request, placement_id, "placements/participant.html", personnummer=shown)


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


@require_http_methods(["GET", "POST"])
def move_supervised(request: HttpRequest, account_id: int) -> HttpResponse:
    """Flytta deltagare: a permission administrator moves everyone a staff member supervises (before deleting)."""
    actor = actor_of(request)
    account = get_visible_or_404(
        actor, Role.ADMINISTER, StaffAccount.objects.active().select_related("person"), pk=account_id
    )
    moving = services.placements_supervised_by(actor=actor, account=account)
    supervisors = [
        candidate
        for candidate in services.supervisors_at(actor=actor, address_ids={p.address_id for p in moving})
        if candidate.pk != account.pk
    ]
    form = SupervisorForm(posted(request), supervisors=supervisors)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_supervised_placements(actor=actor, account=account, to=form.chosen())
        except services.PlacementRuleError as error:
            form.add_error("supervisor", RULE_MESSAGES[error.code])
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d participant moved to %(name)s.", "%(count)d participants moved to %(name)s.", len(moved)
                )
                % {"count": len(moved), "name": form.chosen().person.full_name},
            )
            return redirect("staff_delete", account_id=account.pk)
    return render(request, "placements/move_supervised.html", {"account": account, "moving": moving, "form": form})
