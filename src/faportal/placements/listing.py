"""Columns that other apps add to the participant list (Deltagarlista, SPEC S4.5), with their filters.

The list belongs to placements, but what it shows grows with the apps above it (documents add each participant's
report status; billing will add what can be invoiced). An app registers a ``ListColumn``: its header, the cell's HTML
(made in Python: fifty rows a page), a ``decorate`` that reads what the rows shown need in a fixed number of
queries, and filters as SQL conditions. The list applies them without knowing what they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.safestring import SafeString

from faportal.access.actor import Actor
from faportal.placements.models import Placement


@dataclass(frozen=True)
class ListFilterOption:
    value: str
    label: Any
    # The rows to keep, as of a day; the list's queryset has ``interrupts_on`` (selectors.with_interruption).
    condition: Callable[[datetime.date], Q]


@dataclass(frozen=True)
class ListColumn:
    key: str  # also the filter's name in the address, e.g. "rapportering"
    header: Any
    decorate: Callable[[Actor, Iterable[Placement], datetime.date], None]
    cell: Callable[[Placement], SafeString]  # the row's cell, made with format_html from what ``decorate`` read
    filter_label: Any = ""
    filters: tuple[ListFilterOption, ...] = ()

    def option(self, value: str) -> ListFilterOption | None:
        return next((option for option in self.filters if option.value == value), None)


_COLUMNS: dict[str, ListColumn] = {}


def register_column(column: ListColumn) -> ListColumn:
    existing = _COLUMNS.setdefault(column.key, column)
    if existing is not column:
        raise ValueError(f"List column {column.key!r} is registered twice")
    return column


def columns() -> list[ListColumn]:
    return list(_COLUMNS.values())


def column(key: str) -> ListColumn | None:
    return _COLUMNS.get(key)
