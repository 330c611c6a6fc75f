"""Session idle timeout (SPEC S1): signed out after SESSION_IDLE_TIMEOUT_MINUTES without activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from faportal.core.http import htmx_redirect, is_background
from faportal.identity.services import LAST_ACTIVITY_KEY, sign_out

# Writing the session on every request would cost a database write each time; a minute's precision is plenty.
TOUCH_INTERVAL_SECONDS = 60


def seconds_left(request: HttpRequest, now: float | None = None) -> float:
    """Seconds until the signed-in session times out for inactivity."""
    last = float(request.session.get(LAST_ACTIVITY_KEY, 0))
    return last + settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - (now or time.time())


class IdleTimeoutMiddleware:
    """Signs out idle sessions; a page's own polling (X-Background) does not count as activity.

    Pages shown to a signed-in person are marked ``no-store``: after signing out, the browser's back button must
    not bring back staff lists or personal data on a shared computer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self._handle(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response

    def _handle(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if LAST_ACTIVITY_KEY not in request.session:  # a session from before this rule: start counting now
                request.session[LAST_ACTIVITY_KEY] = now
            if seconds_left(request, now) <= 0:
                sign_out(request, reason="timed_out")
                url = f"{reverse('identity:login')}?{urlencode({'utloggad': 'inaktiv'})}"
                if is_background(request):  # the page's own polling: it navigates itself when told
                    return JsonResponse({"seconds_left": 0, "login_url": url}, status=401)
                return htmx_redirect(url) if request.headers.get("HX-Request") else HttpResponseRedirect(url)
            last = float(request.session.get(LAST_ACTIVITY_KEY, 0))
            if not is_background(request) and now - last >= TOUCH_INTERVAL_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
