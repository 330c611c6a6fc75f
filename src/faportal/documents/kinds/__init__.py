"""The registry of document kinds (SPEC S5): each kind is one module that joins it.

A kind says what its content is and how it is checked, which periods a new document can cover, and which templates
show it; the life cycle (draft, preview, submit, correction, review) is the same for every kind and lives in
``documents.services``. A new kind subclasses ``DocumentKind`` in a module of its own and calls ``register``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy

from faportal.core.problems import Problem
from faportal.documents import rules
from faportal.documents.rules import Code, Occupation
from faportal.placements.rules import last_day

# What a draft holds: every field as typed, as lists of strings (a form's POST, field by field).
Draft = dict[str, list[str]]

# Words the signal and the result reports share (SPEC S5.6, S5.7).
WORK_OR_STUDIES = {Occupation.WORK: gettext_lazy("Work"), Occupation.STUDIES: gettext_lazy("Studies")}
FULL_OR_PART = {"full": gettext_lazy("Full time"), "part": gettext_lazy("Part time")}


@dataclass(frozen=True)
class Attached:
    """An evidence file attached to a document: what the forms and the rules need to know of it."""

    id: int
    name: str
    size: int
    content_type: str


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about the placement a document is about (plain values)."""

    placement_id: int
    period: int
    starts_on: datetime.date
    ends_on: datetime.date
    interrupts_on: datetime.date | None
    # The kinds of the placement's submitted documents, and of its approved ones (a result report makes a signal
    # pointless; result 2 follows an approved result 1).
    submitted: frozenset[str] = frozenset()
    approved: frozenset[str] = frozenset()
    # The evidence files attached to the document being checked or shown (SPEC S5.7).
    evidence: tuple[Attached, ...] = ()

    @property
    def first_day(self) -> datetime.date:
        return self.starts_on

    @property
    def last_day(self) -> datetime.date:
        """The day the placement ends, or the day before its interruption."""
        return last_day(ends_on=self.ends_on, interrupts_on=self.interrupts_on)


@dataclass(frozen=True)
class Period:
    """The days a document covers."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def day(cls, day: datetime.date) -> Period:
        return cls(day, day)


@dataclass(frozen=True)
class Due:
    """Something a kind says the provider should submit now: for which period, by when, and whether it is late."""

    period: Period
    deadline: datetime.date | None
    overdue: bool


@dataclass(frozen=True)
class Writer:
    """Who starts a document, for the fields a kind fills in for them (an informative report's contact details)."""

    name: str
    email: str


class DocumentKind:
    """One kind of document. Subclasses fill in the class attributes and the methods that say what differs."""

    key: str = ""
    label: Any = ""  # "Periodisk redovisning"
    label_plural: Any = ""
    new_label: Any = ""  # the button: "Ny periodisk redovisning"
    spec: str = ""  # "S5.4"
    # Where it stands among the kinds: the buttons that start them, the review queues (the SPEC's order).
    position: int = 100
    edit_template: str = ""
    view_template: str = ""
    # A new version may follow an approved one (a joint plan is updated as the work goes on).
    revisable: bool = False
    # There can be many in a period (an absence report, a deviation): each gets a number, and its period is the day
    # it is about (``dated``), not one to pick before starting it.
    many: bool = False
    # Evidence files can be attached to a draft (a result report, SPEC S5.7).
    takes_evidence: bool = False
    # The button that starts one names the period it is for ("Ny periodisk redovisning (november 2026)").
    names_its_period: bool = False

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """The periods a new document of this kind can cover today (``taken``: period starts that have one)."""
        raise NotImplementedError

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        """How the period reads in lists ("november 2026", "period 1")."""
        raise NotImplementedError

    def dated(self, draft: Draft, period: Period, today: datetime.date) -> Period:
        """The period of a draft of a kind there are many of: the day its fields say it is about (kept as it was
        while they say none). Saving and submitting the draft move the document there.
        """
        return period

    def due(self, facts: Facts, documents: list[Any], today: datetime.date) -> list[Due]:
        """What of this kind the provider should submit now (``documents``: the placement's, with ``is_draft``)."""
        return []

    def prefill(self, draft: Draft, writer: Writer) -> Draft:
        """A new draft with what is known of the person who starts it (contact details)."""
        return draft

    def initial_draft(self, facts: Facts, period: Period, replaced: Mapping[str, Any] | None) -> Draft:
        """A new draft: empty, or what the document it replaces said."""
        raise NotImplementedError

    def check(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The clean content of a draft (JSON-ready), or every problem with it, each at its field."""
        raise NotImplementedError

    def submit_problems(self, facts: Facts, period: Period, today: datetime.date) -> list[Problem]:
        """Why the document cannot be submitted yet, whatever it says (a month not yet over)."""
        return []

    def free_texts(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The free texts of the content, as (field, text): checked for what must not be there."""
        return []

    def field_label(self, field: str) -> str:
        """The name of a field, for error summaries and warnings."""
        return field

    def edit_context(
        self, draft: Draft, facts: Facts, period: Period, today: datetime.date, errors: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        """What the edit template needs besides the document."""
        return {}

    def view_context(self, content: Mapping[str, Any], facts: Facts, period: Period) -> dict[str, Any]:
        """What the read-only template needs to show submitted content."""
        return {}


class DayKind(DocumentKind):
    """A kind there are many of, each about one day (an absence, a deviation, a signal): started any time reports
    can be written (``rules.reports_open``), listed by its day, dated by its "day" field.
    """

    many = True

    def new_periods(self, facts: Facts, taken: set[datetime.date], today: datetime.date) -> list[Period]:
        """Any time from the placement's first day until a while after its last (the day is chosen in the form)."""
        if not rules.reports_open(first_day=facts.first_day, last_day=facts.last_day, today=today):
            return []
        return [Period.day(today)]

    def period_label(self, start: datetime.date, end: datetime.date) -> str:
        return day_label(start)

    def dated(self, draft: Draft, period: Period, today: datetime.date) -> Period:
        day = parse_date(first(draft, "day"))
        return Period.day(day) if day is not None else period


_KINDS: dict[str, DocumentKind] = {}


K = TypeVar("K", bound=DocumentKind)


def register(kind: K) -> K:
    """Add a kind (once per key)."""
    existing = _KINDS.setdefault(kind.key, kind)
    if existing is not kind:
        raise ValueError(f"Document kind {kind.key!r} is registered twice")
    return kind


def kind(key: str) -> DocumentKind:
    """The kind with this key (KeyError for none)."""
    return _KINDS[key]


def find(key: str) -> DocumentKind | None:
    return _KINDS.get(key)


def all_kinds() -> list[DocumentKind]:
    """Every kind, in their order (``position``)."""
    return sorted(_KINDS.values(), key=lambda kind: kind.position)


# --- helpers the kinds share ----------------------------------------------------------------------------------


def first(draft: Draft, name: str) -> str:
    """A single-valued field of a draft, as typed ("" when absent)."""
    values = draft.get(name) or [""]
    return str(values[0])


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_time(text: str) -> datetime.time | None:
    value = text.strip()
    if len(value) not in (4, 5) or ":" not in value:
        return None
    try:
        return datetime.time.fromisoformat(value.zfill(5))
    except ValueError:
        return None


def yes_no(draft: Draft, name: str, problems: list[Problem]) -> bool | None:
    """A yes/no question: "yes" or "no", else a problem at the field."""
    value = first(draft, name)
    if value in ("yes", "no"):
        return value == "yes"
    problems.append(Problem(name, Code.REQUIRED))
    return None


def text(draft: Draft, name: str, problems: list[Problem], *, limit: int, required: bool = False) -> str:
    """A free text, within ``limit`` characters (after trimming; line breaks as one)."""
    value = first(draft, name).replace("\r\n", "\n").strip()
    if required and not value:
        problems.append(Problem(name, Code.TEXT_REQUIRED))
    if len(value) > limit:
        problems.append(Problem(name, Code.TOO_LONG, {"limit": limit, "length": len(value)}))
    return value


def date_field(draft: Draft, name: str, problems: list[Problem], *, required: bool = True) -> datetime.date | None:
    """A date typed as YYYY-MM-DD (a date picker sends that); a problem at the field when missing or unreadable."""
    value = first(draft, name).strip()
    if not value:
        if required:
            problems.append(Problem(name, Code.REQUIRED))
        return None
    day = parse_date(value)
    if day is None:
        problems.append(Problem(name, Code.INVALID_DATE))
    return day


def time_field(draft: Draft, name: str, problems: list[Problem]) -> datetime.time | None:
    """A time typed as HH:MM; a problem at the field when it is missing or unreadable."""
    value = first(draft, name).strip()
    if not value:
        problems.append(Problem(name, Code.REQUIRED))
        return None
    parsed = parse_time(value)
    if parsed is None:
        problems.append(Problem(name, Code.INVALID_TIME))
    return parsed


def choice(draft: Draft, name: str, allowed: Iterable[str], problems: list[Problem]) -> str:
    """One of ``allowed`` ("" with a problem at the field when it is not)."""
    value = first(draft, name).strip()
    if value in set(allowed):
        return value
    problems.append(Problem(name, Code.REQUIRED if not value else Code.INVALID_CHOICE))
    return ""


def extent(draft: Draft, problems: list[Problem]) -> tuple[bool | None, int | None]:
    """Full time ("full") or part time ("part") with ``percent`` (whole percent; its rule checks the range)."""
    value = first(draft, "extent")
    if value not in ("full", "part"):
        problems.append(Problem("extent", Code.REQUIRED))
        return None, None
    if value == "full":
        return True, None
    percent_text = first(draft, "percent").strip().rstrip("%").strip()
    percent = int(percent_text) if percent_text.isascii() and percent_text.isdigit() and len(percent_text) < 4 else None
    return False, percent


def day_label(day: datetime.date) -> str:
    """A day as the lists show it (2026-03-12)."""
    return day.isoformat()


def values(draft: Draft, names: Iterable[str]) -> dict[str, str]:
    """The fields of a draft as the edit templates show them."""
    return {name: first(draft, name) for name in names}


def choices(words: Mapping[Any, Any]) -> list[tuple[str, str]]:
    """(value, words) pairs for a template's radios or select, in the mapping's order."""
    return [(str(key), str(label)) for key, label in words.items()]


def draft_of(content: Mapping[str, Any], names: Iterable[str]) -> Draft:
    """A correction's draft from the content it corrects: each named field as it was (booleans as yes/no)."""
    draft: Draft = {}
    for name in names:
        value = content.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            draft[name] = ["yes" if value else "no"]
        else:
            draft[name] = [str(value)]
    return draft
