"""Receiving evidence files without holding them in memory (SPEC S5.7).

Django writes an uploaded file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file as it arrives. In front
of that, ``LimitedUploadHandler`` stops reading the request as soon as one file passes the evidence limit (10 MB), so
a 50 MB file is refused after its first ten megabytes, and ``too_large`` refuses a request larger than five files
before a byte of it is read.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from faportal.documents import rules

# Five files at their limit, and room for the form's fields and the multipart framing.
MAX_REQUEST_BYTES = rules.EVIDENCE_MAX_FILES * rules.EVIDENCE_MAX_BYTES + 1024 * 1024


def too_large(request: HttpRequest) -> bool:
    """Whether the request says it is larger than any evidence upload can be (then it is not read at all)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isascii() and length.isdigit() and int(length) > MAX_REQUEST_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Passes each file on to the next handler until it grows past the evidence limit; then stops the upload.

    ``refused`` names the file that was too large; what the request held after it is not read.
    """

    def __init__(self, request: HttpRequest | None = None, limit: int = rules.EVIDENCE_MAX_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.refused = ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.refused = self.file_name or "?"
            # connection_reset: the rest of the request is left unread rather than read and thrown away.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler makes the file


def limit_uploads(request: HttpRequest) -> LimitedUploadHandler:
    """Puts the limit in front of the request's upload handlers (before anything reads ``request.POST``)."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler
