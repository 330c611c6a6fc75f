"""Template helpers for documents: statuses in words and colours, hours the Swedish way."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from faportal.documents import rules

register = template.Library()

STATUSES: dict[str, tuple[Any, str]] = {
    "missing": (gettext_lazy("Missing"), "warning"),
    "draft": (gettext_lazy("Draft"), "neutral"),
    "submitted": (gettext_lazy("Submitted"), "info"),
    "received": (gettext_lazy("Received by Af"), "info"),
    "approved": (gettext_lazy("Approved"), "success"),
    "rejected": (gettext_lazy("Not approved"), "danger"),
    "replaced": (gettext_lazy("Replaced"), "neutral"),
}


@register.filter
def status_words(status: str) -> str:
    return str(STATUSES.get(status, (status, ""))[0])


@register.filter
def status_color(status: str) -> str:
    return STATUSES.get(status, ("", "neutral"))[1]


@register.simple_tag
def status_tag(status: str) -> SafeString:
    """A document's status as a tag ("Godkänd", green); also the participant list's report column."""
    return format_html(
        '<span class="ds-tag" data-color="{}" data-size="sm">{}</span>', status_color(status), status_words(status)
    )


@register.filter
def hours(value: Any) -> str:
    """Hours the Swedish way ("7,5"); nothing for zero."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return rules.format_hours(number) if number else ""


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """A value of a dictionary by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None
