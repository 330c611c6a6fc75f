"""Writes for exports (SPEC S4.10): make an export now or in the worker, download it, remove old files."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterator
from dataclasses import asdict
from functools import partial

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.scoping import require_role
from faportal.audit.services import record
from faportal.exports import columns, writers
from faportal.exports.models import ExportedPlacement, ExportFormat, ExportRun, ExportStatus
from faportal.exports.selectors import EXPORT_ROLE, ExportChoices, export_rows
from faportal.placements.models import Placement

logger = logging.getLogger(__name__)

PROGRESS_SAVE_SECONDS = 1.0
CHUNK_ROWS = 2000
HISTORY_ROWS = 5000


class NothingToExport(Exception):
    """The choices find no participants: no empty file is made."""


def start_export(*, actor: Actor, choices: ExportChoices, format: ExportFormat) -> ExportRun:
    """Starts an export: at most ``EXPORT_INLINE_MAX_ROWS`` participants are written at once, more by the worker.

    Poll the returned run's ``status`` and ``processed_rows``; ``download`` gives the file once it is ready.
    """
    require_role(actor, EXPORT_ROLE)
    assert actor.account is not None
    assert actor.organisation_id is not None
    purge_expired_exports()
    total = export_rows(actor=actor, choices=choices).count()
    if total == 0:
        raise NothingToExport
    run = ExportRun.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor.account,
        **asdict(choices),
        format=format,
        total_rows=total,
    )
    record(actor, "exports.started", run, rows=total, format=str(format))
    if total <= settings.EXPORT_INLINE_MAX_ROWS:
        return execute_export(export_id=run.pk)
    # Imported here: the task module imports this one.
    from faportal.exports.tasks import run_export

    transaction.on_commit(partial(run_export.enqueue, export_id=run.pk))
    return run


def execute_export(*, export_id: int) -> ExportRun:
    """Makes the file of a stored export, as its maker with the rights they have now; a finished one is left alone.

    The placements it contained are kept in the export history in the same transaction as the file, so a failed
    export counts nothing as "exported before".
    """
    run = ExportRun.objects.select_related("created_by__person").get(pk=export_id)
    if run.is_finished:
        return run
    run.status = ExportStatus.RUNNING
    run.save(update_fields=["status"])
    actor = Actor.for_staff_account(run.created_by)
    if not actor.has_role(EXPORT_ROLE) or actor.organisation_id != run.organisation_id:
        # The maker lost the right between asking and the worker starting: nothing is written.
        return _finish(run, ExportStatus.FAILED)
    exported: list[int] = []
    first_time: list[int] = []
    try:
        placements = export_rows(actor=actor, choices=ExportChoices.of_run(run))
        rows = _rows(run, placements, exported, first_time)
        if run.format == ExportFormat.XLSX:
            content = writers.write_xlsx(columns.HEADERS, rows, widths=columns.WIDTHS)
        else:
            content = writers.write_csv(columns.HEADERS, rows)
        with transaction.atomic():
            _keep_history(run, exported, first_time)
            _store_content(run, content)
            run.total_rows = run.processed_rows = len(exported)
            finished = _finish(run, ExportStatus.DONE)
            record(actor, "exports.created", run, rows=len(exported), format=run.format)
        return finished
    except Exception:
        # Nothing of a half-made file is kept; the traceback goes to the log with the export's id.
        logger.exception("Export %s stopped on an unexpected error", run.pk)
        return _finish(run, ExportStatus.FAILED)


def _keep_history(run: ExportRun, placement_ids: list[int], first_time: list[int]) -> None:
    """What the export contained (``ExportedPlacement``), and ``Placement.exported_at``, the copy that the next
    export's "exported before" reads, for those no finished export had held (``first_time``, as they were read;
    another export finishing meanwhile keeps its own, earlier time).

    Written as plain rows, not models (tens of thousands of model instances cost more than the file): on
    PostgreSQL each as one statement with the ids as one array, elsewhere thousands to a statement.
    """
    table = connection.ops.quote_name(ExportedPlacement._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(ExportedPlacement._meta.get_field(name).column)  # type: ignore[union-attr, arg-type]
        for name in ("export", "placement")
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT %s, placement"  # noqa: S608 (names from the model)
                " FROM unnest(%s::bigint[]) WITH ORDINALITY AS exported(placement, position) ORDER BY position",
                [run.pk, _array(placement_ids)],
            )
            if first_time:
                placements = connection.ops.quote_name(Placement._meta.db_table)
                pk = connection.ops.quote_name(Placement._meta.pk.column)  # type: ignore[arg-type]
                exported_at = connection.ops.quote_name(Placement._meta.get_field("exported_at").column)  # type: ignore[arg-type]
                cursor.execute(
                    f"UPDATE {placements} SET {exported_at} = %s"  # noqa: S608 (names from the model)
                    f" WHERE {pk} = ANY(%s::bigint[]) AND {exported_at} IS NULL",
                    [now, _array(first_time)],
                )
            return
        for start in range(0, len(placement_ids), HISTORY_ROWS):
            chunk = placement_ids[start : start + HISTORY_ROWS]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 (names from the model)
                [value for pk in chunk for value in (run.pk, pk)],
            )
    for start in range(0, len(first_time), HISTORY_ROWS):
        chunk = first_time[start : start + HISTORY_ROWS]
        Placement.objects.filter(pk__in=chunk, exported_at__isnull=True).update(exported_at=now)


def _array(ids: list[int]) -> str:
    """The ids as the text of a PostgreSQL array: made at once, where the driver would convert each id alone."""
    return "{" + ",".join(map(str, ids)) + "}"


def _rows(
    run: ExportRun, placements: QuerySet[Placement], exported: list[int], first_time: list[int]
) -> Iterator[list[columns.Cell]]:
    """The export's rows in order, read as plain values by one query whose rows come a chunk at a time (a
    server-side cursor on PostgreSQL): memory stays that of a chunk. Each placement written is added to
    ``exported``, and to ``first_time`` too if no finished export had held it; the progress is saved about once a
    second.
    """
    reasons = columns.reason_labels()
    row = columns.row
    saved_at = time.monotonic()
    for count, values in enumerate(placements.values_list(*columns.FIELDS).iterator(chunk_size=CHUNK_ROWS), 1):
        pk = values[0]
        exported.append(pk)
        if not values[-1]:  # ``exported_before``, the last of the fields
            first_time.append(pk)
        yield row(values, reasons)
        if count % CHUNK_ROWS == 0 and count < run.total_rows and time.monotonic() - saved_at >= PROGRESS_SAVE_SECONDS:
            saved_at = time.monotonic()
            ExportRun.objects.filter(pk=run.pk).update(processed_rows=count)


def _store_content(run: ExportRun, content: bytes) -> None:
    """Saves the file on the run. On PostgreSQL as a binary parameter: Django's client-side binding writes bytes as
    a hex literal in the statement (megabytes, twice the file, copied and parsed again by the server).
    """
    run.content = content
    if connection.vendor != "postgresql":
        ExportRun.objects.filter(pk=run.pk).update(content=content)
        return
    connection.ensure_connection()
    table = connection.ops.quote_name(ExportRun._meta.db_table)
    field = connection.ops.quote_name(ExportRun._meta.get_field("content").column)  # type: ignore[arg-type]
    pk = connection.ops.quote_name(ExportRun._meta.pk.column)  # type: ignore[arg-type]
    # The connection's own cursor class binds on the client; this one binds on the server, in the same transaction.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"UPDATE {table} SET {field} = %b WHERE {pk} = %s", [content, run.pk])  # noqa: S608 (names from the model)


def _finish(run: ExportRun, status: ExportStatus) -> ExportRun:
    """Saves how the run ended (a finished file is saved before, by ``_store_content``; a failed one has none)."""
    run.status = status
    run.finished_at = timezone.now()
    fields = ["status", "finished_at", "total_rows", "processed_rows"]
    if status == ExportStatus.FAILED:
        run.content = b""
        fields.append("content")
    run.save(update_fields=fields)
    return run


def download(*, actor: Actor, run: ExportRun) -> bytes:
    """The file of a ready export, for the person who made it (the selector finds only theirs); audited."""
    record(actor, "exports.downloaded", run, rows=run.total_rows, format=run.format)
    return bytes(run.content)


def purge_expired_exports(*, now: datetime.datetime | None = None) -> int:
    """Removes export files older than ``EXPORT_RETENTION_DAYS``; the history of what they contained stays."""
    moment = now or timezone.now()
    cutoff = moment - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return ExportRun.objects.filter(purged_at__isnull=True, created_at__lt=cutoff).update(content=b"", purged_at=moment)
