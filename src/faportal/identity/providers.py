"""The identity-provider seam: how a person proves who they are.

Pages ask a provider to start an identification, poll its progress and cancel it; when it completes, the
provider hands a ``VerifiedIdentity`` to ``identity.services.complete_identification``. BankID (through our
own RP API client) is the provider today. A SAML/OIDC broker (Af's own SSO, Sweden Connect) would be a second
implementation of the same protocol, selected by ``IDENTITY_PROVIDER``; see docs/adr/0003-identity-provider-seam.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class VerifiedIdentity:
    """A person whose identity an identity provider has verified."""

    personnummer: str
    given_name: str
    surname: str
    method: str
    reference: str
    details: dict[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:  # never the personnummer: reprs end up in logs
        return f"VerifiedIdentity(method={self.method!r}, reference={self.reference!r})"


class Mode(StrEnum):
    OTHER_DEVICE = "qr"  # Mobilt BankID on another device: animated QR code
    THIS_DEVICE = "autostart"  # BankID on this computer or phone: autostart link


class State(StrEnum):
    IDLE = "idle"
    PENDING = "pending"
    FAILED = "failed"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Progress:
    """What the login page shows now."""

    state: State
    message: str = ""
    rfa: str = ""
    qr_content: str | None = None
    autostart_url: str | None = None
    simulator_url: str | None = None
    identity: VerifiedIdentity | None = None
    mode: Mode = Mode.OTHER_DEVICE


class IdentityProvider(Protocol):
    """An interactive identification started and polled from our own login page."""

    def start(self, request: HttpRequest, *, mode: Mode, purpose: str) -> Progress:
        """Start an identification; the progress says what to show first."""
        ...

    def poll(self, request: HttpRequest) -> Progress:
        """The identification's state now (called about once a second by the page)."""
        ...

    def cancel(self, request: HttpRequest) -> None:
        """Abandon the identification in progress, if any."""
        ...

    def launch(self, request: HttpRequest) -> str | None:
        """The URL that starts the identification on this device (noting the attempt), if there is one."""
        ...


def get_provider() -> IdentityProvider:
    """The identity provider named by the IDENTITY_PROVIDER setting."""
    provider_class = import_string(settings.IDENTITY_PROVIDER)
    return provider_class()
