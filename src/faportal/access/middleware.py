"""Builds ``request.actor`` for every request, and asks a person with several organisations which one to act for."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from faportal.access.actor import Actor
from faportal.access.selectors import acting_choices, actor_for_choice
from faportal.core.http import client_ip

ACTING_KEY = "acting_for"
# Pages anyone may open without signing in (everything else sends them to the login page first). The API is
# here because it authenticates every call with a bearer key, never with the session (faportal.api.auth).
PUBLIC_PREFIXES = (
    "/static/",
    "/favicon.ico",
    "/i18n/",
    "/logga-in/",
    "/logga-ut/",
    "/session/",
    "/inbjudan/",
    "/dev/",
    "/api/",
)
# Pages a signed-in person may reach before choosing an organisation.
EXEMPT_PREFIXES = (*PUBLIC_PREFIXES, "/valj-organisation/")


def actor_of(request: HttpRequest) -> Actor:
    """The actor ``ActorMiddleware`` put on the request."""
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):  # pragma: no cover - the middleware is always installed
        raise RuntimeError("ActorMiddleware is not installed")
    return actor


class ActorMiddleware:
    """``request.actor``: who acts, for which organisation, with which roles (``access.actor.Actor``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = client_ip(request)
        if not request.user.is_authenticated:
            request.actor = Actor.anonymous(ip_address=ip)  # type: ignore[attr-defined]
            if request.path != "/" and not request.path.startswith(PUBLIC_PREFIXES):
                return HttpResponseRedirect(
                    f"{reverse('identity:login')}?{urlencode({'next': request.get_full_path()})}"
                )
            return self.get_response(request)
        person = request.user
        choices = acting_choices(person)
        values = {value for value, _label in choices}
        chosen = request.session.get(ACTING_KEY)
        if chosen not in values:
            chosen = choices[0][0] if len(choices) == 1 else None
            if chosen is None:
                request.session.pop(ACTING_KEY, None)
            else:
                request.session[ACTING_KEY] = chosen
        actor = actor_for_choice(person, chosen, choices=choices, ip_address=ip)
        request.actor = actor  # type: ignore[attr-defined]
        if chosen is None and len(choices) > 1 and not request.path.startswith(EXEMPT_PREFIXES):
            return HttpResponseRedirect(
                f"{reverse('choose_organisation')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
