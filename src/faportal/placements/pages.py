"""The participant page (SPEC S4.6): its tabs, which apps add to, and the frame every tab is shown in.

Placements has Deltagare & tjänst, Erfarenheter and Händelser; documents adds Rapportering. A tab names the view
that shows it and the other views that belong to it (a document's page is under Rapportering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from faportal.access.middleware import actor_of
from faportal.placements import selectors, services
from faportal.placements.models import Placement, today
from faportal.placements.rules import contact_details_shown, last_day


@dataclass(frozen=True)
class Tab:
    url_name: str  # the tab's view, which takes the placement's id
    label: Any
    position: int
    # Other views shown under this tab (their pages mark it as the current one).
    also: tuple[str, ...] = ()


_TABS: list[Tab] = []


def register_tab(tab: Tab) -> Tab:
    if any(existing.url_name == tab.url_name for existing in _TABS):
        raise ValueError(f"Tab {tab.url_name!r} is registered twice")
    _TABS.append(tab)
    _TABS.sort(key=lambda each: each.position)
    return tab


def tabs() -> list[Tab]:
    return list(_TABS)


register_tab(Tab("placements:participant", gettext_lazy("Participant & service"), 10))
register_tab(Tab("placements:experience", gettext_lazy("Experience"), 20))
register_tab(Tab("placements:events", gettext_lazy("Events"), 90))


def participant_page(request: HttpRequest, placement: Placement | int, template: str, **extra: Any) -> HttpResponse:
    """One tab of the participant page, of a placement the view has read already or reads here (read once, audited
    once). Opening it marks everything that happened to the placement as seen.
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
            last_day=last_day(ends_on=placement.ends_on, interrupts_on=placement.interrupts_on),
            today=today(),
        ),
        "tabs": [
            (reverse(tab.url_name, args=[placement.pk]), tab.label, current == tab.url_name or current in tab.also)
            for tab in _TABS
        ],
        **extra,
    }
    return render(request, template, context)
