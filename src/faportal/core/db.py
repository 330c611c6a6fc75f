"""Database helpers that Django lacks on both of our databases."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Aggregate, QuerySet, TextField
from django.db.models.expressions import RawSQL


class JSONList(Aggregate):
    """The values as one JSON array (SQLite's ``json_group_array``, PostgreSQL's ``json_agg``); see ``as_list``.

    Lets one query bring back a row with the lists that belong to it (an account and its grants), where Django would
    otherwise need a query per list.
    """

    function = "JSON_GROUP_ARRAY"
    # Not a JSONField: its decoding expects text, and the driver has decoded PostgreSQL's json already.
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSON_AGG", **extra_context)


def as_list(value: Any) -> list[Any]:
    """A ``JSONList`` as Python: none when nothing was aggregated (PostgreSQL's NULL), and decoded where a nested
    list arrives as text (SQLite forgets that a subquery's value is JSON).
    """
    if value is None:
        return []
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return list(value)


def distinct_values(queryset: QuerySet[Any], field: str, *, limit: int | None = None) -> list[Any]:
    """The distinct non-null values of ``field`` among ``queryset``'s rows, in order, at most ``limit`` + 1 of them.

    A loose index scan (a recursive query): each step asks the index for the next value above the last one found,
    so the cost follows how many values there are, not how many rows have them. Needs an index whose columns are
    the queryset's equality filters, then ``field``.
    """
    found = distinct_values_sql(queryset, field, limit=limit)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return [row[0] for row in cursor.fetchall()]


def distinct_values_sql(
    queryset: QuerySet[Any], field: str, *, limit: int | None = None
) -> tuple[str, tuple[Any, ...]] | None:
    """``distinct_values`` as SQL (one column, ``value``) and its parameters, to use inside another query (e.g. as
    ``pk__in=RawSQL(*found)``); None when the queryset can have no rows.
    """
    rows = queryset.filter(**{f"{field}__isnull": False}).order_by(field).values(field)
    step = rows.filter(**{f"{field}__gt": RawSQL("found.value", ())})
    try:
        first_sql, first_params = rows[:1].query.sql_with_params()
        step_sql, step_params = step[:1].query.sql_with_params()
    except EmptyResultSet:  # a queryset that can have no rows (e.g. no right to see any)
        return None
    bound = "" if limit is None else "AND n <= %s"
    sql = (
        f"WITH RECURSIVE found(value, n) AS (SELECT ({first_sql}), 1 UNION ALL "  # noqa: S608 (our own SQL)
        f"SELECT ({step_sql}), n + 1 FROM found WHERE value IS NOT NULL {bound}) "
        "SELECT value FROM found WHERE value IS NOT NULL"
    )
    return sql, (*first_params, *step_params, *([] if limit is None else [limit]))


class CompiledQuery:
    """A query compiled to SQL once per database, then run with other values: for a query asked on every request
    whose building and compiling in the ORM costs more than running it (the signed-in person with their access:
    the ORM takes several milliseconds over its subqueries, the database one).

    ``build`` makes the queryset from keyword values; ``markers`` are values of the same kinds that cannot occur
    otherwise, which show where each value lands among the query's parameters.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **markers: Any) -> None:
        self.build = build
        self.markers = markers
        self.compiled: dict[str, tuple[QuerySet[Any], str, list[Any], dict[int, str]]] = {}

    @staticmethod
    def _adapt(value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _compile(self) -> tuple[QuerySet[Any], str, list[Any], dict[int, str]]:
        key = f"{connection.alias}:{connection.vendor}"
        if key not in self.compiled:
            queryset = self.build(**self.markers)
            sql, params = queryset.query.sql_with_params()
            adapted = {name: self._adapt(marker) for name, marker in self.markers.items()}
            slots = {
                index: name
                for index, param in enumerate(params)
                for name, marker in adapted.items()
                if type(param) is type(marker) and param == marker
            }
            missing = set(self.markers) - set(slots.values())
            if missing:
                raise ValueError(f"The query does not take {sorted(missing)} as parameters.")
            self.compiled[key] = (queryset, sql, list(params), slots)
        return self.compiled[key]

    def run(self, **values: Any) -> list[Any]:
        """The rows for these values, as the model's instances with their annotations as attributes."""
        queryset, sql, params, slots = self._compile()
        given = [self._adapt(values[slots[index]]) if index in slots else param for index, param in enumerate(params)]
        return list(queryset.model._default_manager.raw(sql, given))
