"""Background work of the registry (SPEC S9: imports run in a worker)."""

from __future__ import annotations

from django_tasks import task

from faportal.registry import services


@task()
def run_ka_import(run_id: int) -> None:
    """Runs a queued KA-webb import (SPEC S2.2), saving its progress and result on the ``KaImportRun``."""
    services.execute_ka_import_run(run_id=run_id)
