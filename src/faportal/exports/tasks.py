"""Background work of exports (SPEC S4.10: large exports are made by the worker)."""

from __future__ import annotations

from django_tasks import task

from faportal.exports import services


@task()
def run_export(export_id: int) -> None:
    """Makes the file of a queued export, saving its progress on the ``ExportRun``."""
    services.execute_export(export_id=export_id)
