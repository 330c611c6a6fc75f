"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "PORTAL_ENV": settings.ENV,
        "SESSION_IDLE_TIMEOUT_SECONDS": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_MINUTES * 60,
        "DEV_OUTBOX": settings.DEV_OUTBOX,
    }
