"""Request helpers shared by every app."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str:
    """The user's IP address: REMOTE_ADDR, or the address our own trusted proxies appended to X-Forwarded-For.

    Only the last ``TRUSTED_PROXY_COUNT`` entries of X-Forwarded-For were written by proxies we run; anything
    before them is whatever the client sent, so it is never used.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "127.0.0.1"
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            remote = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "127.0.0.1"


def safe_next_url(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    """``candidate`` if it is a path on this site ("/deltagare/?sida=2"), else ``default``.

    Only an absolute path will do: no other host (no open redirects), and nothing ``redirect()`` would read as the
    name of a view ("abc", "-1"), which would fail after the work was done.
    """
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def is_background(request: HttpRequest) -> bool:
    """True for requests a page makes by itself (polling), which must not count as the user being active."""
    return request.headers.get("X-Background") == "1"


def htmx_redirect(url: str) -> HttpResponse:
    """Tell htmx to load ``url`` as a whole page."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def is_mobile(request: HttpRequest) -> bool:
    """A phone or tablet browser, where BankID starts on the same device by default."""
    agent = request.headers.get("User-Agent", "")
    return any(marker in agent for marker in ("Mobi", "Android", "iPhone", "iPad"))


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one: no ticked boxes is an answer too), else None for GET."""
    return request.POST if request.method == "POST" else None


# The largest id a database's bigint holds has 19 digits; ids from a query string never need more than 18.
_MAX_ID_DIGITS = 18


def ids_in(values: Iterable[str]) -> frozenset[int]:
    """The ids among values from a query string or form: plain ASCII digits only (no "²", no "-1", no overflow)."""
    return frozenset(
        int(value) for value in values if value.isascii() and value.isdigit() and len(value) <= _MAX_ID_DIGITS
    )
