"""Bearer-key authentication for the integration API (SPEC S8.2): the key names an ``ApiClient``, which acts as Af.

The API never looks at the session: a signed-in person's cookie opens nothing here, and a key opens nothing but
the API (the web pages do not read the Authorization header).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from faportal.access.actor import Actor, ActorKind
from faportal.access.models import AfRole
from faportal.api.models import ApiClient
from faportal.api.services import client_for_key
from faportal.core.http import client_ip

logger = logging.getLogger("faportal.api")


class NotAuthenticated(AuthenticationError):
    """No usable key: ``code`` is ``missing_key`` or ``invalid_key`` (unknown and switched-off keys alike)."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


def client_actor(client: ApiClient, *, ip_address: str | None = None) -> Actor:
    """The actor an API client acts as: Af's system, as a case officer, named after the client in every log."""
    return Actor(
        kind=ActorKind.SYSTEM,
        system_label=f"API: {client.name}",
        af_roles=frozenset({AfRole.CASE_OFFICER}),
        ip_address=ip_address,
    )


class BearerKey(HttpBearer):
    """``Authorization: Bearer <key>``; anything else is refused with 401 (the key itself is never logged)."""

    def __call__(self, request: HttpRequest) -> Actor:
        header = request.headers.get(self.header, "")
        if not header.strip():
            raise NotAuthenticated("missing_key")
        scheme, _space, key = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return self._refuse(request, "invalid_key")
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        client = client_for_key(token)
        if client is None:
            return self._refuse(request, "invalid_key")
        return client_actor(client, ip_address=client_ip(request))

    def _refuse(self, request: HttpRequest, code: str) -> Any:
        logger.warning("Integration API: key refused (%s) from %s", code, client_ip(request))
        raise NotAuthenticated(code)


def api_actor(request: HttpRequest) -> Actor:
    """The actor ``BearerKey`` authenticated for this request."""
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # pragma: no cover - every operation requires the key
        raise NotAuthenticated("missing_key")
    return actor
