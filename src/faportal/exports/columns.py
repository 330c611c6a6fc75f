"""The columns of a participant export (SPEC S4.10): fixed Swedish headers and one row per placement.

The headers are part of the file format that providers load into their own systems, so they stay Swedish whatever
language the page is shown in. A participant with protected personal data is exported without name or
personnummer, for everyone (SPEC S4.9), and marked so in a column of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import translation

from faportal.core.identifiers import format_personnummer
from faportal.placements.timeline import REASONS

HEADERS = [
    "Genomförandereferens",
    "Förnamn",
    "Efternamn",
    "Personnummer",
    "Skyddade personuppgifter",
    "Tjänst",
    "Utförande verksamhet",
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
    "Utförande verksamhet": 26,
    "Adress": 26,
    "Ort": 16,
    "Kommun": 16,
    "Handledare": 24,
    "Avbrottsorsak": 22,
}

Cell = str | int | datetime.date | None


# What a row is made of, read as plain values (``values_list``) rather than models: an export of 40 000 would
# otherwise build eight models a row. ``row`` takes them in this order. Whether period 2 was granted is the period
# of the placement that follows (``previous`` is one to one: a join, not a subquery per row); ``exported_before``
# (``selectors.export_rows``) tells the export history which are exported for the first time (``row`` leaves it out).
FIELDS = (
    "pk",
    "genomforandereferens",
    "participant__given_name",
    "participant__surname",
    "participant__personnummer",
    "participant__protected_identity",
    "service__name",
    "unit__name",
    "address__street",
    "address__postcode",
    "address__town",
    "address__municipality__name",
    "address__municipality_id",
    "period",
    "level",
    "decided_on",
    "starts_on",
    "ends_on",
    "next_placement__period",
    "supervisor__person__given_name",
    "supervisor__person__surname",
    "interrupts_on",
    "interruption_reason",
    "exported_before",
)


def reason_labels() -> dict[str, str]:
    """The interruption reasons in Swedish, whatever the language of the page that asked for the export."""
    with translation.override("sv"):
        return {str(code): str(label) for code, label in REASONS.items()}


def row(values: Sequence[Any], reasons: dict[str, str]) -> list[Cell]:
    """One placement as export cells, from its ``FIELDS`` (read by ``exports.selectors.export_rows``)."""
    (
        _pk,
        reference,
        given_name,
        surname,
        personnummer,
        protected,
        service,
        unit,
        street,
        postcode,
        town,
        municipality,
        municipality_code,
        period,
        level,
        decided_on,
        starts_on,
        ends_on,
        next_period,
        supervisor_given_name,
        supervisor_surname,
        interrupts_on,
        reason,
        _exported_before,
    ) = values
    return [
        reference,
        "" if protected else given_name,
        "" if protected else surname,
        "" if protected else format_personnummer(personnummer),
        "Ja" if protected else "Nej",
        service,
        unit,
        street,
        f"{postcode[:3]} {postcode[3:]}" if postcode else "",  # "111 21", as the post and the portal write it
        town,
        municipality,
        municipality_code,
        period,
        level,
        decided_on,
        starts_on,
        ends_on,
        "Ja" if period == 2 or next_period == 2 else "Nej",
        f"{supervisor_given_name} {supervisor_surname}".strip() if supervisor_surname is not None else "",
        interrupts_on,
        reasons.get(reason, reason) if reason else "",
    ]


def as_text(value: Any) -> str:
    """A cell as text (for the semicolon-separated file): dates as ISO 8601, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
