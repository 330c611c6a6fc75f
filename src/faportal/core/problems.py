"""One way to refuse, from a rule to a form, a page and the API: ``Problem`` and ``Refused``.

A rule (a pure function in an app's ``rules.py``) finds problems: where (the field a person would correct, or "" for
the whole request), which rule (a code from the app's code enum, beside its rules) and the values the message needs.
A service that will not do what it was asked raises ``Refused`` with every problem found, at once. Forms put each
problem's message at its field (``DsFormMixin.add_problems``), pages show it, and the API answers it as
``{"field", "code", "message"}``: all three read the same words, which each app registers once for its code enum
(``register_wording``, in the app's ``messages.py``).

Plain Python: rules import this module, and rules import no Django.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing a rule refuses: at ``field`` ("" for the whole), rule ``code``, with ``params`` for its message."""

    field: str
    code: StrEnum
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def at(self, field_name: str) -> Problem:
        """The same problem shown at another field (a form names the field differently from the rule)."""
        return Problem(field_name, self.code, self.params)


class Refused(Exception):
    """A request the rules refuse, with every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("Refused needs at least one problem")
        # Codes and fields only: a message or a parameter may hold personal data, and exceptions end up in logs.
        super().__init__(", ".join(f"{problem.field or '-'}:{problem.code}" for problem in self.problems))

    @property
    def codes(self) -> list[StrEnum]:
        return [problem.code for problem in self.problems]

    def has(self, code: StrEnum) -> bool:
        return code in self.codes

    def by_field(self) -> dict[str, list[StrEnum]]:
        """The codes found at each field."""
        found: dict[str, list[StrEnum]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem.code)
        return found


def refuse(field_name: str, code: StrEnum, **params: Any) -> Refused:
    """``Refused`` with one problem (to ``raise``)."""
    return Refused([Problem(field_name, code, params)])


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise ``Refused`` when a rule found any problem."""
    found = list(problems)
    if found:
        raise Refused(found)


# --- wording --------------------------------------------------------------------------------------------------

_WORDING: dict[type[StrEnum], Mapping[Any, Any]] = {}


def register_wording(codes: type[StrEnum], wording: Mapping[Any, Any]) -> None:
    """An app's words for its codes (translatable strings, with ``%(name)s`` for a problem's ``params``).

    Every code must have its words: a code without them fails here, when the app starts, not in front of a user.
    """
    missing = [code.value for code in codes if code not in wording]
    if missing:
        raise ValueError(f"{codes.__name__}: no wording for {', '.join(missing)}")
    _WORDING[codes] = wording


def registered_codes() -> list[type[StrEnum]]:
    """The code enums that have their words (for the tests that check every app's codes are worded)."""
    return list(_WORDING)


def message(problem: Problem) -> str:
    """The words for a problem, in the active language, with its parameters filled in."""
    words = _WORDING.get(type(problem.code), {}).get(problem.code)
    if words is None:
        return str(problem.code)
    text = str(words)
    return text % dict(problem.params) if problem.params and "%(" in text else text


def message_for(code: StrEnum, **params: Any) -> str:
    """The words for a code without a field (a form's field validator, a page's notice)."""
    return message(Problem("", code, params))
