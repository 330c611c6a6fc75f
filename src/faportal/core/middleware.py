"""Gives every unexpected error an id that the error page shows and the log records."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from faportal.core.privacy import new_error_id

logger = logging.getLogger("faportal.errors")


class ErrorIdMiddleware:
    """Logs an unhandled exception with a short id and leaves the id on the request for the 500 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        from django.core.exceptions import PermissionDenied, SuspiciousOperation
        from django.http import Http404

        if isinstance(exception, Http404 | PermissionDenied | SuspiciousOperation):
            return None
        error_id = new_error_id()
        request.error_id = error_id  # type: ignore[attr-defined]
        logger.error("Unhandled error %s on %s %s", error_id, request.method, request.path, exc_info=exception)
        return None


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person chose English with the language switch (the cookie set by ``set_language``).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not used: a Swedish public service speaks
    Swedish to everyone by default, and English is one click away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
