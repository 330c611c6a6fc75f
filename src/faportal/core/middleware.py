"""Gives every unexpected error an id that the error page shows and the log records."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
        error_id = uuid.uuid4().hex[:12].upper()
        request.error_id = error_id  # type: ignore[attr-defined]
        logger.error("Unhandled error %s on %s %s", error_id, request.method, request.path, exc_info=exception)
        return None
