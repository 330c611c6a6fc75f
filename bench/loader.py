"""Writing millions of rows fast: PostgreSQL's COPY, SQLite's executemany, in the columns a model declares.

The benchmark world bypasses the services on purpose (they would take hours at this volume): rows are written
with explicit primary keys, in the same columns and formats Django would write, and the sequences are moved past
them afterwards so the portal's own inserts continue from there.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

Converter = Callable[[Any], Any]


def _sqlite_converter(field: models.Field) -> Converter | None:
    """Values as Django's SQLite backend stores them (datetimes as naive UTC text, JSON as text)."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


def _postgres_converter(field: models.Field) -> Converter | None:
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    return None


class Table:
    """The columns of ``model`` named by ``fields`` (attnames: ``placement_id``, not ``placement``)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        self.fields = list(fields)
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        self.columns = [by_attname[name].column for name in self.fields]
        make = _postgres_converter if connection.vendor == "postgresql" else _sqlite_converter
        self.converters = [make(by_attname[name]) for name in self.fields]

    def _convert(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            value if convert is None else convert(value) for convert, value in zip(self.converters, row, strict=False)
        )

    def write(self, rows: Iterable[Sequence[Any]], *, batch: int = 20_000) -> int:
        """Appends ``rows`` (tuples in the order of ``fields``); returns how many."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(self._convert(row))
                        count += 1
                return count
            # Table and column names come from the model, never from input.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(self.columns))})"  # noqa: S608
            raw = cursor.cursor  # sqlite3's own cursor: Django's would rewrite every %s per row
            chunk: list[tuple[Any, ...]] = []
            for row in rows:
                chunk.append(self._convert(row))
                if len(chunk) >= batch:
                    raw.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                raw.executemany(sql, chunk)
                count += len(chunk)
        return count


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table."""
    found = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return (found or 0) + 1


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Moves each table's id sequence past the ids written here (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze() -> None:
    """Fresh planner statistics, and on PostgreSQL a vacuumed heap (index-only scans need its visibility map)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
