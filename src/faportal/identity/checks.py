"""Start-up checks: refuse the BankID simulator and debug mode in production."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@register(Tags.security, deploy=False)
def refuse_simulator_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The simulator accepts anyone as anyone: it may only run in dev, test and demo."""
    if not settings.PRODUCTION:
        return []
    errors: list[Error] = []
    host = urlsplit(settings.BANKID_BASE_URL).hostname or ""
    if host in LOOPBACK_HOSTS or "simulator" in settings.BANKID_BASE_URL:
        errors.append(Error("BANKID_BASE_URL points at the local BankID simulator in production.", id="faportal.E001"))
    if settings.BANKID_SIMULATOR_APP_URL:
        errors.append(Error("BANKID_SIMULATOR_APP_URL must be empty in production.", id="faportal.E002"))
    try:
        with open(settings.BANKID_CA_CERT, encoding="ascii", errors="replace") as fh:
            ca_text = fh.read()
    except OSError:
        ca_text = ""
    from faportal.bankid.simulator.certs import is_simulator_ca

    if ca_text and is_simulator_ca(ca_text):
        errors.append(Error("BANKID_CA_CERT is the BankID simulator's CA in production.", id="faportal.E003"))
    if settings.DEBUG:
        errors.append(Error("DEBUG must be off in production.", id="faportal.E004"))
    return errors


@register(Tags.security)
def session_warning_before_timeout(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The idle-timeout warning must come before the timeout itself."""
    if not 0 < settings.SESSION_WARNING_MINUTES < settings.SESSION_IDLE_TIMEOUT_MINUTES:
        return [
            Error(
                "SESSION_WARNING_MINUTES must be more than 0 and less than SESSION_IDLE_TIMEOUT_MINUTES.",
                id="faportal.E005",
            )
        ]
    return []
