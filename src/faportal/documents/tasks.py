"""Background work of documents: the PDF copy of a submitted document (issue 10)."""

from __future__ import annotations

from django_tasks import task

from faportal.documents import services


@task()
def make_copy(document_id: int) -> None:
    """Makes the PDF copy of a submitted document, once."""
    services.make_copy(document_id=document_id)
