"""Af's decisions about participants in the back office (SPEC S4.1, S4.4, S4.7, S4.8, S6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.actor import Actor
from faportal.access.middleware import actor_of
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.audit.services import record_shown
from faportal.backoffice import selectors, widgets
from faportal.backoffice.decision_forms import (
    ChangeInterruptionForm,
    DecisionForm,
    InterruptForm,
    ProviderChangeForm,
    SearchForm,
    SecondPeriodForm,
)
from faportal.core.http import posted
from faportal.core.problems import Refused
from faportal.placements import rules, services
from faportal.placements import selectors as placement_selectors
from faportal.placements.models import Placement, today


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    """Beslut om deltagande: the participant appears at once under the provider's Nya deltagare (SPEC S4.1)."""
    actor = actor_of(request)
    require_role(actor, AfRole.CASE_OFFICER)
    form = DecisionForm(posted(request))
    if form.only_searching:
        form = form.to_search_again()
    elif request.method == "POST" and form.is_valid():
        try:
            result = services.record_decision(
                actor=actor,
                key=form.cleaned_data["decision_id"],
                decision=services.PlacementDecision(
                    participant=form.participant(),
                    service_code=form.cleaned_data["service"].code,
                    address_id=form.cleaned_data["address"],
                    level=form.cleaned_data["level"],
                    decided_on=form.cleaned_data["decided_on"],
                    starts_on=form.cleaned_data["starts_on"],
                ),
            )
        except Refused as refused:
            form.add_problems(refused)
        else:
            assert result.placement is not None
            messages.success(
                request,
                _("The decision is recorded: %(reference)s at %(organisation)s, start %(start)s.")
                % {
                    "reference": result.placement.genomforandereferens,
                    "organisation": result.placement.organisation.name,
                    "start": result.placement.starts_on.isoformat(),
                },
            )
            return redirect("backoffice:placement", genomforandereferens=result.placement.genomforandereferens)
    return render(request, "backoffice/decision_new.html", {"form": form})


def address_options(request: HttpRequest) -> HttpResponse:
    """The address picker's matches for what is typed (htmx): the chosen address first, then up to fifteen found."""
    actor = actor_of(request)
    require_role(actor, AfRole.CASE_OFFICER)
    name = request.GET.get("falt", "")
    id_ = request.GET.get("id", "")
    if name != "address" or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,40}", id_):
        raise Http404
    context = widgets.options_context(
        name=name,
        id_=id_,
        text=request.GET.get(name + widgets.SEARCH_SUFFIX, "")[:100],
        chosen=widgets.chosen_id(request.GET.get(name)),
    )
    return render(request, "backoffice/_address_picker.html#options", context)


@require_http_methods(["GET", "POST"])
def placements(request: HttpRequest) -> HttpResponse:
    """Find a placement by genomförandereferens or personnummer."""
    actor = actor_of(request)
    require_role(actor, AfRole.CASE_OFFICER)
    # A personnummer is searched for with POST: it stays out of addresses, browser history and access logs.
    form = SearchForm(posted(request))
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    found = selectors.find_placements(actor=actor, query=query) if query else None
    recent = selectors.recent_placements(actor=actor) if found is None else []
    record_shown(actor, "placements.listed", found if found is not None else recent, page="af_placements")
    return render(request, "backoffice/placements.html", {"form": form, "found": found, "recent": recent})


def _detail(
    request: HttpRequest, genomforandereferens: str, placement: Placement | None = None, **forms: Any
) -> HttpResponse:
    if placement is None:
        placement = placement_selectors.placement_for_af(
            actor=actor_of(request), genomforandereferens=genomforandereferens
        )
    context = {
        "placement": placement,
        "events": placement.events.order_by("-at", "-pk"),
        "interrupt_form": forms.get("interrupt_form") or InterruptForm(),
        "change_form": forms.get("change_form") or ChangeInterruptionForm(),
        "second_form": forms.get("second_form") or SecondPeriodForm(),
        "provider_form": forms.get("provider_form") or ProviderChangeForm(),
        "has_next": hasattr(placement, "next_placement"),
        # The change of provider chooses among every provider's addresses (thousands): its form is shown when asked
        # for (or sent back with what it said), not on every visit to the page (ADR 0014).
        "provider_form_shown": "provider_form" in forms or request.GET.get("byt") == "leverantor",
        # Only the decisions the rules still allow are offered, and a form just sent, with what it says.
        **_open_decisions(placement, sent={name for name, form in forms.items() if form is not None}),
    }
    return render(request, "backoffice/placement.html", context)


def _open_decisions(placement: Placement, *, sent: set[str]) -> dict[str, bool]:
    day = today()
    interrupts_on = placement.interrupts_on
    ended = rules.has_ended(last_day=placement.ends_on, today=day)
    second = rules.second_period_problems(
        first_period=placement.period,
        first_interrupted=interrupts_on is not None,
        has_second=hasattr(placement, "next_placement"),
        first_ends_on=placement.ends_on,
        decided_on=day,
        today=day,
    )
    offered = {
        "interruption_changeable": "change_form" in sent
        or (interrupts_on is not None and rules.interruption_can_change(interrupts_on=interrupts_on, today=day)),
        "can_interrupt": "interrupt_form" in sent or (interrupts_on is None and not ended),
        "can_decide_second": "second_form" in sent or not second,
        "can_change_provider": "provider_form" in sent or (interrupts_on is None and not ended),
    }
    return {**offered, "ended": ended and interrupts_on is None and not any(offered.values())}


def placement(request: HttpRequest, genomforandereferens: str) -> HttpResponse:
    """One placement in the back office: what happened, and the decisions that can still be made."""
    return _detail(request, genomforandereferens)


Decide = Callable[[Actor, Placement, dict[str, Any]], tuple[str, str]]


def _decide(request: HttpRequest, genomforandereferens: str, form_name: str, form: Any, act: Decide) -> HttpResponse:
    """A decision form sent: ``act`` has the service decide and says what happened and on which placement; a
    refusal shows the page again with the rules' words at the form's fields (the placement read once).
    """
    actor = actor_of(request)
    found = placement_selectors.placement_for_af(actor=actor, genomforandereferens=genomforandereferens)
    if getattr(form, "only_searching", False):
        form = form.to_search_again()
    elif form.is_valid():
        try:
            message, reference = act(actor, found, form.cleaned_data)
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, message)
            return redirect("backoffice:placement", genomforandereferens=reference)
    return _detail(request, genomforandereferens, found, **{form_name: form})


@require_POST
def interrupt(request: HttpRequest, genomforandereferens: str) -> HttpResponse:
    """Avbrott (SPEC S4.7): today or later, with a reason; the provider sees it at once."""

    def act(actor: Actor, found: Placement, data: dict[str, Any]) -> tuple[str, str]:
        services.interrupt(
            actor=actor,
            key=data["decision_id"],
            placement=found,
            reason=data["reason"],
            interrupts_on=data["interrupts_on"],
        )
        return _("The interruption is recorded."), genomforandereferens

    return _decide(request, genomforandereferens, "interrupt_form", InterruptForm(request.POST), act)


@require_POST
def change_interruption(request: HttpRequest, genomforandereferens: str) -> HttpResponse:
    """Move or withdraw a future interruption."""

    def act(actor: Actor, found: Placement, data: dict[str, Any]) -> tuple[str, str]:
        new_date = None if data["withdraw"] else data["interrupts_on"]
        services.change_interruption(actor=actor, key=data["decision_id"], placement=found, interrupts_on=new_date)
        done = _("The interruption is withdrawn.") if new_date is None else _("The interruption is moved.")
        return done, genomforandereferens

    return _decide(request, genomforandereferens, "change_form", ChangeInterruptionForm(request.POST), act)


@require_POST
def second_period(request: HttpRequest, genomforandereferens: str) -> HttpResponse:
    """Beslut om period 2 (SPEC S4.4)."""

    def act(actor: Actor, found: Placement, data: dict[str, Any]) -> tuple[str, str]:
        result = services.record_second_period(
            actor=actor, key=data["decision_id"], first=found, decided_on=data["decided_on"]
        )
        assert result.placement is not None
        reference = result.placement.genomforandereferens
        return _("Period 2 is decided: %(reference)s.") % {"reference": reference}, reference

    return _decide(request, genomforandereferens, "second_form", SecondPeriodForm(request.POST), act)


@require_POST
def provider_change(request: HttpRequest, genomforandereferens: str) -> HttpResponse:
    """Byte av leverantör (SPEC S4.8)."""

    def act(actor: Actor, found: Placement, data: dict[str, Any]) -> tuple[str, str]:
        result = services.change_provider(
            actor=actor,
            key=data["decision_id"],
            placement=found,
            address_id=data["address"],
            decided_on=data["decided_on"],
            starts_on=data["starts_on"],
        )
        assert result.placement is not None
        reference = result.placement.genomforandereferens
        return _("The provider is changed: the new placement is %(reference)s.") % {"reference": reference}, reference

    return _decide(request, genomforandereferens, "provider_form", ProviderChangeForm(request.POST), act)
