"""Demo identities for the simulated app, read from a JSON file on every page view (it may appear later)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.core.privacy import mask_personal_number

_PERSONAL_NUMBER_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Identity:
    """A person the demo user can approve orders as."""

    personal_number: str = field(repr=False)
    given_name: str
    surname: str
    label: str

    def __repr__(self) -> str:
        return f"Identity({mask_personal_number(self.personal_number)!r}, {self.label!r})"


def normalise_personal_number(text: str) -> str:
    """Removes the spaces and the "-" or "+" a person may type in a 12-digit personnummer."""
    return re.sub(r"[\s+-]", "", text)


_TYPED_PROBLEMS = {
    "format": "Skriv personnumret med 12 siffror: ÅÅÅÅMMDD-NNNN.",
    "date": "Personnumret innehåller inget giltigt födelsedatum.",
    "checksum": "Personnumret är inte giltigt: kontrollsiffran (den sista siffran) stämmer inte.",
    "future": "Personnumret har ett födelsedatum i framtiden: ingen har fått det ännu.",
    "name": "Skriv både förnamn och efternamn.",
}


def typed_identity_problem(personal_number: str, given_name: str, surname: str) -> str | None:
    """What is wrong with an identity typed on the page, in Swedish; None if BankID could have issued it.

    That is 12 digits (spaces and the "-" or "+" allowed) with a real date of birth, not after today, and a correct
    check digit.
    """
    digits = normalise_personal_number(personal_number)
    if not _PERSONAL_NUMBER_RE.match(digits):
        return _TYPED_PROBLEMS["format"]
    try:
        normalize_personnummer(digits)
    except InvalidIdentifier as error:
        return _TYPED_PROBLEMS[error.code]
    if not given_name.strip() or not surname.strip():
        return _TYPED_PROBLEMS["name"]
    return None


def load_identities(path: Path | None) -> tuple[list[Identity], str | None]:
    """The identities in ``path`` (a JSON list of {personalNumber, givenName, surname, label}) and a problem text."""
    if path is None:
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], f"Filen {path} finns inte (ännu)."
    except (OSError, ValueError) as exc:
        return [], f"Filen {path} kunde inte läsas: {type(exc).__name__}."
    if not isinstance(data, list):
        return [], f"Filen {path} ska innehålla en JSON-lista."
    identities: list[Identity] = []
    skipped = 0
    for entry in data:
        identity = _identity(entry)
        if identity is None:
            skipped += 1
        else:
            identities.append(identity)
    problem = (
        f"{skipped} poster i {path} saknar personnummer (12 siffror), förnamn eller efternamn." if skipped else None
    )
    return identities, problem


def _identity(entry: object) -> Identity | None:
    if not isinstance(entry, dict):
        return None
    personal_number = normalise_personal_number(str(entry.get("personalNumber", "")))
    given_name = str(entry.get("givenName", "")).strip()
    surname = str(entry.get("surname", "")).strip()
    if not _PERSONAL_NUMBER_RE.match(personal_number) or not given_name or not surname:
        return None
    label = str(entry.get("label") or "").strip() or f"{given_name} {surname}"
    return Identity(personal_number=personal_number, given_name=given_name, surname=surname, label=label)
