"""Swedish texts for the official rules, from ``data/rule_texts.toml``.

The file has one table per rule id found in the release's compiled Schematron (EN 16931 for UBL, PEPPOL BIS
Billing 3.0 with the national rules, PEPPOL Order T01): ``en`` is the official English text the Swedish was made
from, ``sv`` the Swedish one shown to people beside the rule id. A test fails when a rule of the release has no
Swedish text, or when its English text has changed since it was translated.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

_FILE = "rule_texts.toml"


@dataclass(frozen=True, kw_only=True)
class RuleText:
    """A rule's official English text and its Swedish translation."""

    en: str
    sv: str


@functools.cache
def all_texts() -> dict[str, RuleText]:
    """Every rule id with its texts."""
    raw = (resources.files("faportal.billing.peppol") / "data" / _FILE).read_text(encoding="utf-8")
    return {rule_id: RuleText(en=entry["en"], sv=entry["sv"]) for rule_id, entry in tomllib.loads(raw).items()}


def swedish(rule_id: str, english: str) -> str:
    """The Swedish text of a rule; for a rule of a newer release not yet translated, the English text, said so."""
    text = all_texts().get(rule_id)
    if text is not None:
        return text.sv
    return f"{english} (Regeln saknar ännu svensk text.)"
