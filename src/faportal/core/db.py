"""Database helpers that Django lacks on both of our databases."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Aggregate, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone


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


# --- many rows in one statement ------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """A date or time in a row sent as JSON, as the database stores it (``json.dumps``'s ``default``)."""
    if isinstance(value, datetime.datetime):
        adapted = connection.ops.adapt_datetimefield_value(value)
        return adapted.isoformat() if isinstance(adapted, datetime.datetime) else adapted
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be sent in a row")


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    same: Mapping[str, Any],
    unique: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Inserts ``rows`` in one statement and answers the ``returning`` columns of each row inserted.

    Each row is {field name: value} with the same fields (values as JSON has them: text, numbers, booleans, None,
    dates; a JSON field's value an object or a list); every row also takes the values of ``same`` (any type), and
    every other field its default, as ``bulk_create`` would. With ``unique`` (a unique field), a row whose value
    exists already is skipped (``ON CONFLICT DO NOTHING``), and waited for while another transaction holds it.

    The rows travel as a single JSON parameter that the database unpacks (PostgreSQL's ``json_populate_recordset``,
    SQLite's ``json_each``): adapting each value of each row on its own, as ``bulk_create`` does, cost more than
    writing them (issue 9: the integration API's batches, the audit entries of many).
    """
    if not rows:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    varying = [model_field(model, name) for name in rows[0]]
    fixed = model_defaults(model, rows[0], same)
    if connection.vendor == "postgresql":
        values = [f"r.{quoted_column(found)}" for found in varying]
        constants = [f"CAST(%s AS {found.db_type(connection)})" for found in fixed]
        source = f"json_populate_recordset(NULL::{table}, %s::json) AS r"
    else:
        values = [f"json_extract(r.value, '$.{quoted_column(found)}')" for found in varying]
        constants = ["%s"] * len(fixed)
        source = "json_each(%s) AS r"
    columns = ", ".join(quoted_column(found) for found in [*varying, *fixed])
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (names from the model)
        f"SELECT {', '.join([*values, *constants])} FROM {source} WHERE true"
    )
    if unique is not None:
        sql += f" ON CONFLICT ({quoted_column(model_field(model, unique))}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(quoted_column(model_field(model, name)) for name in returning)}"
    if any(found.column != name for found, name in zip(varying, rows[0], strict=True)):
        rows = [{found.column or name: row[name] for found, name in zip(varying, row, strict=True)} for row in rows]
    params = [found.get_db_prep_save(value, connection) for found, value in fixed.items()]
    params.append(json.dumps(rows, default=_json_value, ensure_ascii=False, separators=(",", ":")))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def model_defaults(
    model: type[models.Model], names: Iterable[str], same: Mapping[str, Any]
) -> dict[models.Field[Any, Any], Any]:
    """The values of ``same``, and of every other field but ``names`` and the primary key its default."""
    fixed = {model_field(model, name): value for name, value in same.items()}
    given = {found.attname for found in fixed} | {model_field(model, name).attname for name in names}
    for found in model._meta.concrete_fields:
        if found.attname not in given and not found.primary_key:
            auto = getattr(found, "auto_now", False) or getattr(found, "auto_now_add", False)
            fixed[found] = timezone.now() if auto else found.get_default()
    return fixed


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def quoted_column(found: models.Field[Any, Any]) -> str:
    """The field's column, quoted."""
    assert found.column
    return connection.ops.quote_name(found.column)
