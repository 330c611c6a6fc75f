"""Template helpers for orders and invoices: money the Swedish way, states and reasons in words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from faportal.billing import messages
from faportal.billing.rules import LineStatus, MatchStatus, Mismatch

register = template.Library()


@register.filter
def kronor(amount: Any) -> str:
    """Money in Swedish format, in every language of the interface: 1 234,50 kr."""
    if amount in (None, ""):
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    sign = "−" if value < 0 else ""
    whole, _dot, cents = f"{abs(value):,.2f}".partition(".")
    return f"{sign}{whole.replace(',', ' ')},{cents} kr"


@register.filter
def unit(code: str) -> str:
    """An order line's unit of measure (UN/ECE rec. 20) in words: MON a month, C62 a piece."""
    return {"MON": _("month"), "C62": _("pcs")}.get(code, code)


@register.filter
def share(quantity: Any) -> str:
    """A quantity with a decimal comma and no trailing zeros: 1, 0,5484."""
    if quantity in (None, ""):
        return ""
    return format(Decimal(str(quantity)).normalize(), "f").replace(".", ",")


@register.filter
def line_status(code: str) -> str:
    try:
        return str(messages.LINE_STATUS[LineStatus(code)])
    except ValueError:
        return code


@register.filter
def line_status_color(code: str) -> str:
    try:
        return messages.LINE_STATUS_COLOR[LineStatus(code)]
    except ValueError:
        return "neutral"


@register.filter
def match_status(code: str) -> str:
    try:
        return str(messages.MATCH_STATUS[MatchStatus(code)])
    except ValueError:
        return code


@register.filter
def match_status_color(code: str) -> str:
    try:
        return messages.MATCH_STATUS_COLOR[MatchStatus(code)]
    except ValueError:
        return "neutral"


@register.filter
def mismatch(code: str) -> str:
    try:
        return str(messages.MISMATCH[Mismatch(code)])
    except ValueError:
        return code


@register.filter
def article(code: str) -> str:
    return str(messages.ARTICLES.get(code, code))


@register.filter
def order_kind(code: str) -> str:
    return str(messages.ORDER_KINDS.get(code, code))


@register.filter
def month(day: datetime.date | None) -> str:
    """The month a line is for: "november 2026" (in the interface's language)."""
    if day is None:
        return ""
    return formats.date_format(day, "F Y")


@register.filter
def get_count(counts: dict[str, int], key: str) -> int:
    """The number for ``key`` in a dict of counts (0 when none)."""
    return counts.get(key, 0) if isinstance(counts, dict) else 0
