"""The actor and the navigation for every page: the menu shows only what the person's roles allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def _items(actor: Actor) -> list[tuple[str, str]]:
    if actor.is_af:
        items = [(_("Start"), reverse("backoffice:home"))]
        if actor.has_role(AfRole.CASE_OFFICER):
            items.append((_("Participants"), reverse("backoffice:placements")))
        if actor.has_role(AfRole.REVIEWER):
            items.append((_("Review"), reverse("backoffice:review_queue")))
        if actor.has_role(AfRole.PROVIDER_ADMIN):
            items += [
                (_("Organisations"), reverse("backoffice:organisations")),
                (_("Registry import"), reverse("backoffice:ka_import")),
            ]
        if actor.has_role(AfRole.FINANCE):
            items.append((_("Finance"), reverse("backoffice:finance")))
        if actor.has_role(AfRole.AUDITOR):
            items.append((_("Audit log"), reverse("backoffice:audit_log")))
        return items
    if not actor.is_staff_member:
        return []
    items = [(_("Start"), reverse("home"))]
    if actor.has_role(Role.RECEIVE):
        items.append((_("New participants"), reverse("placements:intake")))
    if actor.has_role(Role.REPORT):
        items.append((_("Participants"), reverse("placements:list")))
    if actor.has_role(Role.FINANCE):
        items.append((_("Finance"), reverse("billing:lines")))
    if actor.has_role(Role.ADMINISTER):
        items += [
            (_("Staff"), reverse("staff_list")),
            (_("Permissions overview"), reverse("staff_overview")),
            (_("Invitations"), reverse("invitations")),
            (_("Log"), reverse("audit_log")),
        ]
    return items


def actor(request: HttpRequest) -> dict[str, Any]:
    current: Actor | None = getattr(request, "actor", None)
    if current is None:
        return {"actor": None, "nav_items": []}
    path = request.path
    items = _items(current)
    # The longest matching prefix is the current section ("/" would match everything).
    best = max(
        (url for _label, url in items if path == url or (url != "/" and path.startswith(url))), key=len, default=None
    )
    return {"actor": current, "nav_items": [NavItem(label, url, url == best) for label, url in items]}
