"""The outbox to the PEPPOL access point (docs/peppol-outbox.md): the portal is the access point's client.

Every order, invoice and credit note the portal issues is handed on once its transaction has committed:

1. written as a file ``<BILLING_OUTBOX_DIR>/<YYYY-MM-DD>/<Document>-<number>.xml`` (with a ``.json`` beside it
   naming the document type, the sender's and receiver's PEPPOL ids and its SHA-256), atomically (a temporary file
   renamed), so an access point or an integration that reads the directory never sees half a file;
2. when ``BILLING_ACCESS_POINT_URL`` is set, posted to the access point's API (``POST`` of the XML, the ids in
   headers), by the worker, with the attempts and the last error kept on its ``OutboxEntry``.

The URL is empty by default: in development nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from faportal.access.actor import Actor
from faportal.audit.services import record
from faportal.billing.models import OutboxEntry

logger = logging.getLogger(__name__)

#: The PEPPOL document type identifiers (docs.peppol.eu), as the access point's SBDH needs them.
DOCUMENT_TYPES = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##"
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1",
    "Order": "urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:fdc:peppol.eu:poacc:trns:order:3::2.1",
}
PROCESSES = {
    "Invoice": "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
    "CreditNote": "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
    "Order": "urn:fdc:peppol.eu:poacc:bis:order_only:3",
}


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:100]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def enqueue(*, organisation_id: int, document: str, number: str, sender: str, receiver: str, xml: bytes) -> None:
    """Hand a committed document on: the file now, the API call in the worker (when configured)."""
    digest = hashlib.sha256(xml).hexdigest()
    entry, _created = OutboxEntry.objects.get_or_create(
        document=document,
        number=number,
        sender=sender,
        defaults={"organisation_id": organisation_id, "receiver": receiver, "sha256": digest},
    )
    day = timezone.localdate(entry.created_at).isoformat()
    path = Path(settings.BILLING_OUTBOX_DIR) / day / f"{document}-{_safe(number)}.xml"
    metadata = {
        "document": document,
        "document_type": DOCUMENT_TYPES[document],
        "process": PROCESSES[document],
        "number": number,
        "sender": f"iso6523-actorid-upis::{sender}",
        "receiver": f"iso6523-actorid-upis::{receiver}",
        "sha256": digest,
        "file": path.name,
    }
    try:
        _write_atomically(path, xml)
        _write_atomically(path.with_suffix(".json"), json.dumps(metadata, indent=2).encode())
        entry.file_name = str(path)
        entry.written_at = timezone.now()
        entry.save(update_fields=["file_name", "written_at"])
    except OSError as exc:  # the API call may still hand it on; the entry says what went wrong
        logger.error("Outbox: could not write %s: %s", path, exc)
        entry.last_error = f"file: {exc}"[:300]
        entry.save(update_fields=["last_error"])
    if settings.BILLING_ACCESS_POINT_URL:
        post_to_access_point.enqueue(entry_id=entry.pk)


@task()
def post_to_access_point(*, entry_id: int) -> bool:
    """POST one outbox entry's XML to the access point's API; True when it answered 2xx."""
    entry = OutboxEntry.objects.get(pk=entry_id)
    if entry.posted_at is not None or not settings.BILLING_ACCESS_POINT_URL:
        return entry.posted_at is not None
    xml = Path(entry.file_name).read_bytes() if entry.file_name else _xml_of(entry)
    headers = {
        "Content-Type": "application/xml",
        "X-Peppol-Document-Type": DOCUMENT_TYPES[entry.document],
        "X-Peppol-Process": PROCESSES[entry.document],
        "X-Peppol-Sender": f"iso6523-actorid-upis::{entry.sender}",
        "X-Peppol-Receiver": f"iso6523-actorid-upis::{entry.receiver}",
        "X-Document-Number": entry.number,
        "X-Content-SHA256": entry.sha256,
        # The same document posted again (a retry) carries the same key: the access point sends it once.
        "Idempotency-Key": f"{entry.document}:{entry.sender}:{entry.number}",
    }
    if settings.BILLING_ACCESS_POINT_TOKEN:
        headers["Authorization"] = f"Bearer {settings.BILLING_ACCESS_POINT_TOKEN}"
    entry.attempts += 1
    try:
        response = httpx.post(
            settings.BILLING_ACCESS_POINT_URL,
            content=xml,
            headers=headers,
            timeout=settings.BILLING_ACCESS_POINT_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        logger.warning("Outbox: access point refused %s %s: %s", entry.document, entry.number, exc)
        entry.last_error = str(exc)[:300]
        entry.save(update_fields=["attempts", "last_error"])
        return False
    entry.posted_at = timezone.now()
    entry.last_error = ""
    entry.save(update_fields=["attempts", "posted_at", "last_error"])
    record(Actor.system("Ekonomisystemet"), "billing.handed_on", entry, document=entry.document, number=entry.number)
    return True


def _xml_of(entry: OutboxEntry) -> bytes:
    from faportal.billing.models import Invoice, PurchaseOrder

    if entry.document == "Order":
        return bytes(PurchaseOrder.objects.get(number=entry.number).xml)
    return bytes(Invoice.objects.get(organisation_id=entry.organisation_id, number=entry.number).xml)


def retry_unposted() -> int:
    """Post again every entry the access point has not taken (the monthly run calls it)."""
    if not settings.BILLING_ACCESS_POINT_URL:
        return 0
    pending = list(OutboxEntry.objects.filter(posted_at__isnull=True).values_list("pk", flat=True)[:1000])
    for entry_id in pending:
        post_to_access_point.enqueue(entry_id=entry_id)
    return len(pending)
