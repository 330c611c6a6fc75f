"""Makes the PDF copy of every submitted document that has none (one the worker failed to make, or older ones)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from faportal.documents import services
from faportal.documents.models import Document, DocumentFile


class Command(BaseCommand):
    help = "Make the missing PDF copies of submitted documents."

    def handle(self, *args: Any, **options: Any) -> None:
        missing = (
            Document.objects.submitted()
            .exclude(files__purpose=DocumentFile.Purpose.COPY)
            .order_by("submitted_at")
            .values_list("pk", flat=True)
        )
        made = 0
        for document_id in missing.iterator():
            if services.make_copy(document_id=document_id) is not None:
                made += 1
        self.stdout.write(f"{made} PDF copies made.")
