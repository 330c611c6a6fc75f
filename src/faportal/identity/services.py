"""Signing in and out, and identification for registration (SPEC S1, S3.2)."""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from faportal.audit.services import Who, record
from faportal.core.http import client_ip
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.core.privacy import mask_personal_number
from faportal.identity.models import BankIDCompletion, Person
from faportal.identity.providers import VerifiedIdentity

PURPOSE_KEY = "identify_purpose"
NEXT_KEY = "identify_next"
VERIFIED_KEY = "verified_identity"
LAST_ACTIVITY_KEY = "last_activity"
# A verified identity waiting for registration is only good for this long.
VERIFIED_MAX_AGE_SECONDS = 15 * 60
logger = logging.getLogger(__name__)


class UnknownPerson(Exception):
    """BankID verified someone who has no account here."""


class InvalidPersonnummer(Exception):
    """The identity provider answered with a personnummer that is not valid (its date or check digit is wrong)."""


REGISTRATION_SALT = "faportal.identity.registration"
REGISTRATION_MAX_AGE_SECONDS = 60 * 60


def registration_login_url(next_url: str) -> str:
    """The login page in registration mode: identify (no account needed yet), then go to ``next_url``.

    The intent travels signed in the URL rather than in the session, so a registration someone abandons does not
    turn the next ordinary sign-in on that computer into one.
    """
    token = signing.dumps(next_url, salt=REGISTRATION_SALT)
    return f"{reverse('identity:login')}?{urlencode({'registrering': token})}"


def registration_next(token: str | None) -> str | None:
    """Where a registration link leads, or None when the link is missing, forged or too old."""
    if not token:
        return None
    try:
        return str(signing.loads(token, salt=REGISTRATION_SALT, max_age=REGISTRATION_MAX_AGE_SECONDS))
    except signing.BadSignature:
        return None


def begin_identification(request: HttpRequest, *, purpose: str, next_url: str) -> None:
    """Remember why the person identifies (sign in or register) and where to go afterwards."""
    request.session[PURPOSE_KEY] = purpose
    request.session[NEXT_KEY] = next_url


def identification_purpose(request: HttpRequest) -> str:
    return str(request.session.get(PURPOSE_KEY, "login"))


def complete_identification(request: HttpRequest, identity: VerifiedIdentity) -> str:
    """Act on a finished identification; returns where to send the browser.

    Raises InvalidPersonnummer (for any purpose) and UnknownPerson (signing in without an account).
    """
    purpose = identity.details.get("purpose") or identification_purpose(request)
    next_url = str(request.session.pop(NEXT_KEY, "/"))
    request.session.pop(PURPOSE_KEY, None)
    _refuse_invalid_personnummer(request, identity, purpose=purpose)
    if purpose == "register":
        remember_verified_identity(request, identity)
        return next_url
    person = Person.objects.filter(personnummer=identity.personnummer, is_active=True).first()
    if person is None:
        record(
            Who(None, "", "anonymous", ip_address=client_ip(request)),
            "identity.sign_in_refused",
            None,
            outcome="denied",
            label="",
            method=identity.method,
        )
        raise UnknownPerson
    sign_in(request, person, identity)
    return next_url


def _refuse_invalid_personnummer(request: HttpRequest, identity: VerifiedIdentity, *, purpose: str) -> None:
    """No one signs in or registers with a personnummer that fails its date or check digit (SPEC S1).

    BankID never issues one, so it means a broken or misused identity provider (or a mistyped test identity in the
    simulator): refused and recorded like a sign-in without an account, with the reason, never the number.
    """
    try:
        if normalize_personnummer(identity.personnummer) == identity.personnummer:
            return
        reason = "format"  # a valid number, but not the 12 bare digits a provider answers with
    except InvalidIdentifier as error:
        reason = error.code
    logger.warning(
        "Refused an identification (%s, %s) with an invalid personnummer %s: %s",
        identity.method,
        purpose,
        mask_personal_number(identity.personnummer),
        reason,
    )
    record(
        Who(None, "", "anonymous", ip_address=client_ip(request)),
        "identity.sign_in_refused",
        None,
        outcome="denied",
        label="",
        method=identity.method,
        purpose=purpose,
        reason=f"personnummer_{reason}",
    )
    raise InvalidPersonnummer


@transaction.atomic
def sign_in(request: HttpRequest, person: Person, identity: VerifiedIdentity) -> None:
    """Sign ``person`` in: a new session key (no fixation), fresh names from BankID, the completion kept."""
    changed = []
    if identity.given_name and person.given_name != identity.given_name:
        person.given_name = identity.given_name
        changed.append("given_name")
    if identity.surname and person.surname != identity.surname:
        person.surname = identity.surname
        changed.append("surname")
    if changed:
        person.save(update_fields=changed)
    # The portal's backend (settings), which may load more with the person than this layer knows of.
    login(request, person, backend=settings.AUTHENTICATION_BACKENDS[0])  # cycles the session key
    request.session[LAST_ACTIVITY_KEY] = time.time()
    keep_completion(person, identity)
    record(_who(request, person), "identity.signed_in", person, method=identity.method)


def keep_completion(person: Person, identity: VerifiedIdentity) -> None:
    """Keep BankID's completion data for audit, as BankID recommends."""
    if identity.method != "bankid":
        return
    details = identity.details
    issue = details.get("bankid_issue_date") or None
    BankIDCompletion.objects.get_or_create(
        order_ref=identity.reference,
        defaults={
            "person": person,
            "ip_address": details.get("ip_address") or None,
            "bankid_issue_date": datetime.date.fromisoformat(issue) if issue else None,
            "signature": details.get("signature", ""),
            "ocsp_response": details.get("ocsp_response", ""),
            "risk": details.get("risk", ""),
        },
    )


def sign_out(request: HttpRequest, *, reason: str = "signed_out") -> None:
    """End the session (the whole session is flushed, including the organisation being acted for)."""
    person = request.user if request.user.is_authenticated else None
    if isinstance(person, Person):
        record(_who(request, person), f"identity.{reason}", person)
    logout(request)


def remember_verified_identity(request: HttpRequest, identity: VerifiedIdentity) -> None:
    """Keep a verified identity in the server-side session for the registration step that follows."""
    request.session[VERIFIED_KEY] = {
        "personnummer": identity.personnummer,
        "given_name": identity.given_name,
        "surname": identity.surname,
        "method": identity.method,
        "reference": identity.reference,
        "details": identity.details,
        "at": time.time(),
    }


def verified_identity(request: HttpRequest) -> VerifiedIdentity | None:
    """The identity verified for registration in this session, if it is still fresh."""
    data: dict[str, Any] | None = request.session.get(VERIFIED_KEY)
    if not data or time.time() - float(data["at"]) > VERIFIED_MAX_AGE_SECONDS:
        return None
    return VerifiedIdentity(
        personnummer=data["personnummer"],
        given_name=data["given_name"],
        surname=data["surname"],
        method=data["method"],
        reference=data["reference"],
        details=dict(data.get("details") or {}),
    )


def forget_verified_identity(request: HttpRequest) -> None:
    request.session.pop(VERIFIED_KEY, None)


def _who(request: HttpRequest, person: Person) -> Who:
    return Who(person.pk, person.full_name, "person", ip_address=client_ip(request))
