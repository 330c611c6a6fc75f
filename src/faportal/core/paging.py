"""Pages of long lists that cost the same on the first page and the last (ADR "scale").

``IdsFirstPaginator`` finds a page's ids with a query of their own, which an index answers without reading the rows
it skips (an index-only scan on PostgreSQL), then reads only those rows, with everything joined and prefetched.
A plain ``OFFSET`` over the full rows would read every row before the page: 40 000 of them for the last page of a
big provider's Deltagarlista.

``KeysetPage`` is for lists too long to count or to number at all (the audit log): each page continues from the
last row of the one before, by the sort key itself, so any page is one index range scan however deep it is.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet


class IdsFirstPaginator(Paginator):
    """A ``Paginator`` over a queryset that reads a page's ids first, then only those rows.

    The ids are read a window at a time (``WINDOW``) from the page asked for: a list that ends within the window
    (a search, a narrow filter, a small organisation) is counted from the ids read, without a ``COUNT`` of its own,
    which would find every matching row a second time; only a longer list is counted.
    """

    object_list: QuerySet[Any]
    WINDOW = 1000
    # Pages further in than this are read the plain way: counted first (an offset that deep is a guess or a typo).
    WINDOW_MAX_OFFSET = 10_000

    def __init__(self, object_list: QuerySet[Any], per_page: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self._window: tuple[int, list[Any]] | None = None  # (offset, ids read from there)

    def get_page(self, number: Any) -> Page:
        asked = _page_number(number)
        offset = (asked - 1) * self.per_page
        if asked >= 1 and offset <= self.WINDOW_MAX_OFFSET and "count" not in self.__dict__:
            ids = list(
                self.object_list.values_list("pk", flat=True)[offset : offset + max(self.WINDOW, self.per_page) + 1]
            )
            self._window = (offset, ids)
            if len(ids) <= max(self.WINDOW, self.per_page) and (ids or offset == 0):
                self.count = offset + len(ids)  # the list ends within the window: counted  # type: ignore[misc]
        return super().get_page(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top <= bottom:
            return self._get_page([], number, self)  # type: ignore[attr-defined]
        if self._window is not None and self._window[0] <= bottom and top <= self._window[0] + len(self._window[1]):
            start = bottom - self._window[0]
            ids = self._window[1][start : start + top - bottom]
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # A row gone between the two reads is left out; the order is the first read's.
        return self._get_page(rows_of(self.object_list, ids), number, self)  # type: ignore[attr-defined]


def _page_number(number: Any) -> int:
    """The page asked for as ``Paginator.get_page`` reads it: anything but a whole number is the first page."""
    try:
        if isinstance(number, float) and not number.is_integer():
            return 1
        return int(number)
    except (TypeError, ValueError, OverflowError):
        return 1


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def first_rows(queryset: QuerySet[Any], count: int, *, offset: int = 0) -> list[Any]:
    """``count`` rows of ``queryset`` from ``offset``: their ids first (from an index), then only those rows."""
    return rows_of(queryset, list(queryset.values_list("pk", flat=True)[offset : offset + count]))


def rows_of(queryset: QuerySet[Any], ids: list[Any]) -> list[Any]:
    """The rows of ``queryset`` with these ids, in their order; one gone since the ids were read is left out."""
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def _encode(moment: datetime.datetime, pk: int) -> str:
    """A row's position as an opaque cursor: its moment to the microsecond (exactly, no float) and its pk."""
    text = f"{(moment - _EPOCH) // _MICROSECOND}_{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime.datetime, int] | None:
    """The position a cursor names, or None for anything that is not one of ours (never an error)."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        micros, pk = text.split("_")
        return _EPOCH + int(micros) * _MICROSECOND, int(pk)
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None


@dataclass
class KeysetPage:
    """One page of a list sorted newest first by (``field``, pk), and the cursors of the pages beside it.

    ``newer`` and ``older`` are the cursors for the links (None where there is nothing more); ``number`` is the
    page's position counted from the newest, carried in the links for display only.
    """

    object_list: Sequence[Model]
    number: int
    newer: str | None
    older: str | None

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None

    @classmethod
    def of(
        cls,
        queryset: QuerySet[Any],
        *,
        field: str,
        per_page: int,
        older_than: str = "",
        newer_than: str = "",
        number: int = 1,
    ) -> KeysetPage:
        """The page after ``older_than`` (towards older rows), or before ``newer_than``, or the newest page."""
        older_position = _decode(older_than) if older_than else None
        newer_position = _decode(newer_than) if newer_than else None
        if newer_position is not None:
            moment, pk = newer_position
            # The bound on the field alone is what an index range scan uses; the pk settles equal moments.
            rows = list(
                queryset.filter(**{f"{field}__gte": moment})
                .exclude(Q(**{field: moment}) & Q(pk__lte=pk))
                .order_by(field, "pk")[: per_page + 1]
            )
            more_newer = len(rows) > per_page
            rows = rows[:per_page][::-1]
            page = max(1, number)
            return cls(
                rows,
                page,
                newer=_encode(getattr(rows[0], field), rows[0].pk) if rows and more_newer else None,
                older=_encode(getattr(rows[-1], field), rows[-1].pk) if rows else None,
            )
        found = queryset
        if older_position is not None:
            moment, pk = older_position
            found = found.filter(**{f"{field}__lte": moment}).exclude(Q(**{field: moment}) & Q(pk__gte=pk))
        rows = list(found.order_by(f"-{field}", "-pk")[: per_page + 1])
        more_older = len(rows) > per_page
        rows = rows[:per_page]
        return cls(
            rows,
            max(1, number) if older_position is not None else 1,
            newer=_encode(getattr(rows[0], field), rows[0].pk) if rows and older_position is not None else None,
            older=_encode(getattr(rows[-1], field), rows[-1].pk) if rows and more_older else None,
        )


def capped_count(queryset: QuerySet[Any], cap: int) -> int:
    """How many rows, counting no further than ``cap`` + 1 (so "more than ``cap``" can be said without a full count)."""
    return queryset.order_by()[: cap + 1].count()
