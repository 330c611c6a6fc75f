"""The audit log's vocabulary: every action an app records, with its words (SPEC S9).

Each app registers its own actions when it starts (``register_actions`` in the app's ``audit_actions.py``), and
``audit.record`` refuses an action nobody registered, so every row of the log reads as words. An action marked
``af_only`` never concerns a provider's organisation (Af's own searches, API clients, back-office grants): the
provider's log does not offer it as a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    code: str  # "<app>.<what>", e.g. "placements.read"
    label: Any  # a translatable string: what the person did, in words
    af_only: bool = False


_ACTIONS: dict[str, Action] = {}


def register_actions(*actions: Action) -> None:
    """Add an app's actions (each code once)."""
    for action in actions:
        existing = _ACTIONS.setdefault(action.code, action)
        if existing is not action:
            raise ValueError(f"Audit action {action.code!r} is registered twice")


def action(code: str) -> Action | None:
    return _ACTIONS.get(code)


def is_registered(code: str) -> bool:
    return code in _ACTIONS


def actions(*, for_provider: bool = False) -> list[Action]:
    """Every registered action; ``for_provider``: only those that can appear in a provider's log."""
    return [found for found in _ACTIONS.values() if not (for_provider and found.af_only)]


def label(code: str) -> str:
    """What an action records, in words (its code, for an action no app registers any more)."""
    found = _ACTIONS.get(code)
    return str(found.label) if found is not None else code
