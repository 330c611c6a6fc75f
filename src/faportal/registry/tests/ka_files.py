"""Building KA-webb files for tests."""

from __future__ import annotations

import json
from collections.abc import Mapping

from faportal.registry.ka_import import COLUMNS
from faportal.registry.tests.factories import organisationsnummer

ORG_A = organisationsnummer(1)
ORG_B = organisationsnummer(2)
SERVICE = "rusta-och-matcha"


def row(**overrides: str) -> dict[str, str]:
    """One file row (an address of a unit); ``overrides`` replace the defaults by column name."""
    values = {
        "organisationsnummer": ORG_A,
        "tjanst": SERVICE,
        "enhet_id": "E1",
        "enhet_namn": "Enhet Ett",
        "adress_id": "A1",
        "gatuadress": "Storgatan 1",
        "postnummer": "11122",
        "ort": "Stockholm",
        "kommunkod": "0180",
    }
    values.update(overrides)
    return values


def csv_text(*rows: Mapping[str, str], separator: str = ";") -> str:
    lines = [separator.join(COLUMNS)] + [separator.join(r[c] for c in COLUMNS) for r in rows]
    return "\n".join(lines) + "\n"


def json_text(*rows: object, indent: int | None = 2) -> str:
    return json.dumps({"format": "ka-webb/1", "rows": list(rows)}, indent=indent, ensure_ascii=False)
