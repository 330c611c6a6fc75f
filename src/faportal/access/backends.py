"""The portal's authentication backend: the identity layer's, loading with the person what they may act for."""

from __future__ import annotations

from faportal.access.selectors import signed_in_person
from faportal.identity.backends import VerifiedIdentityBackend
from faportal.identity.models import Person


class ActingPersonBackend(VerifiedIdentityBackend):
    """``get_user`` reads the signed-in person and their accounts, roles and addresses in one query (ADR "scale");
    ``ActorMiddleware`` builds the request's actor from that without asking again.
    """

    def get_user(self, user_id: int) -> Person | None:
        return signed_in_person(person_id=user_id)
