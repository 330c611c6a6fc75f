"""Autostart (launch) URLs for BankID on the same device (reference §1.9)."""

from __future__ import annotations

from urllib.parse import quote

DESKTOP_LAUNCH_URL = "bankid:///"
MOBILE_LAUNCH_URL = "https://app.bankid.com/"


def autostart_url(token: str, *, mobile: bool, redirect: str | None = None) -> str:
    """The URL that starts the BankID app with ``autoStartToken``.

    Mobile browsers get the universal link, desktop browsers the ``bankid:///`` scheme. ``redirect`` is the legacy
    way back and only used on mobile; desktop launches always send ``redirect=null`` as BankID recommends, and the
    ``returnUrl`` of the auth request is the preferred way back on both.
    """
    base = MOBILE_LAUNCH_URL if mobile else DESKTOP_LAUNCH_URL
    target = quote(redirect, safe="") if (mobile and redirect) else "null"
    return f"{base}?autostarttoken={quote(token, safe='')}&redirect={target}"
