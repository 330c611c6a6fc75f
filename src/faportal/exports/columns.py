"""The columns of a participant export (SPEC S4.10): fixed Swedish headers and one row per placement.

The headers are part of the file format that providers load into their own systems, so they stay Swedish whatever
language the page is shown in. A participant with protected personal data is exported without name or
personnummer, for everyone (SPEC S4.9), and marked so in a column of its own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation

from faportal.placements.models import Placement
from faportal.placements.templatetags.placements import REASONS

HEADERS = [
    "Genomförandereferens",
    "Förnamn",
    "Efternamn",
    "Personnummer",
    "Skyddade personuppgifter",
    "Tjänst",
    "Enhet",
    "Adress",
    "Postnummer",
    "Ort",
    "Kommun",
    "Kommunkod",
    "Period",
    "Nivå",
    "Beslutsdatum",
    "Startdatum",
    "Slutdatum",
    "Period 2 beviljad",
    "Handledare",
    "Avbrottsdatum",
    "Avbrottsorsak",
]

# Column widths in Excel (characters) for the columns whose contents are longer than their header.
WIDTHS = {
    "Genomförandereferens": 20,
    "Förnamn": 16,
    "Efternamn": 18,
    "Personnummer": 15,
    "Tjänst": 22,
    "Enhet": 26,
    "Adress": 26,
    "Ort": 16,
    "Kommun": 16,
    "Handledare": 24,
    "Avbrottsorsak": 22,
}

Cell = str | int | datetime.date | None


def row(placement: Placement) -> list[Cell]:
    """One placement as export cells; needs the annotations of ``exports.selectors.export_rows``."""
    participant = placement.participant
    address = placement.address
    protected = participant.protected_identity
    supervisor = placement.supervisor
    reason = getattr(placement, "interruption_reason", None)
    with translation.override("sv"):
        reason_label = str(REASONS.get(reason, reason)) if reason else ""
    return [
        placement.genomforandereferens,
        "" if protected else participant.given_name,
        "" if protected else participant.surname,
        "" if protected else participant.personnummer_display,
        "Ja" if protected else "Nej",
        placement.service.name,
        placement.unit.name,
        address.street,
        address.postcode,
        address.town,
        address.municipality.name,
        address.municipality.code,
        placement.period,
        placement.level,
        placement.decided_on,
        placement.starts_on,
        placement.ends_on,
        "Ja" if placement.period == 2 or getattr(placement, "has_second_period", False) else "Nej",
        supervisor.person.full_name if supervisor is not None else "",
        getattr(placement, "interrupts_on", None),
        reason_label,
    ]


def as_text(value: Any) -> str:
    """A cell as text (for the semicolon-separated file): dates as ISO 8601, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
