"""Authentication backend: a person is signed in only after an identity provider has verified them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from faportal.identity.models import Person


class VerifiedIdentityBackend:
    """Gives ``login()`` a backend and loads the signed-in person; ``authenticate()`` never accepts anything."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: int) -> Person | None:
        return Person.objects.filter(pk=user_id, is_active=True).first()
