"""Background work of billing (SPEC S9: order generation runs in a worker)."""

from __future__ import annotations

from django_tasks import task

from faportal.billing import run, services


@task()
def react_to_decision(*, document_id: int, kind: str, approved: bool) -> None:
    """Af decided a document: issue its order or its goods receipt (SPEC S7.2, S7.3)."""
    services.react_to_decision(document_id=document_id, kind=kind, approved=approved)


@task()
def run_batch(*, batch_id: int) -> None:
    """Fakturera markerade in the worker, with progress (SPEC S7.4)."""
    services.execute_batch(batch_id=batch_id)


@task()
def monthly_run(*, run_id: int) -> None:
    """Månadskörningen: every newly invoiceable line, the due payments, the outbox (SPEC S7.3, S7.6)."""
    run.execute(run_id=run_id)
