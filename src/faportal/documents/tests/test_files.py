"""Evidence files and PDF copies (SPEC S5.7; issue 10), with real hostile files: what is kept is clean, what is not a
PDF, JPEG or PNG is refused whatever its name, a 50 MB upload is refused without being read whole into memory, and
files are served only as downloads, through the access check. The PDF copy declares PDF/A-2 and carries the text.
"""

from __future__ import annotations

import datetime
import io
import tracemalloc

import pikepdf
import pypdf
import pytest
from django.urls import reverse
from PIL import Image

from faportal.core.problems import Refused
from faportal.documents import files, rules, services
from faportal.documents.models import DocumentFile, FinalRowError
from faportal.documents.rules import Code
from faportal.testing import (
    attach_evidence,
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    result_draft,
    sign_in,
    submit_document,
    write_document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(scene):
    """A result report's draft, its fields filled in, no evidence yet."""
    return write_document(scene.placement, scene.reporter, "result_1", scene.placement.starts_on, result_draft())


def stored(document_file: DocumentFile) -> bytes:
    with files.open_stored(document_file.stored_name) as handle:
        return handle.read()


def all_keys(pdf: pikepdf.Pdf) -> set[str]:
    keys: set[str] = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            keys.update(str(key) for key in obj)
    return keys


def test_a_pdf_with_javascript_and_an_embedded_file_comes_out_clean(scene, draft):
    hostile = pdf_bytes(text="Lonespecifikation mars", javascript=True, attachment=True)
    with pikepdf.open(io.BytesIO(hostile)) as before:  # the file really is hostile
        assert "/OpenAction" in before.Root
        assert "virus.exe" in before.attachments
        assert "/JS" in all_keys(before)
    attached = attach_evidence(draft, scene.reporter, ("lonespec.pdf", hostile))
    kept = attached.added[0]
    assert (kept.content_type, kept.file_name) == ("application/pdf", "lonespec.pdf")
    with pikepdf.open(io.BytesIO(stored(kept))) as after:
        assert "/OpenAction" not in after.Root
        assert "/Names" not in after.Root or "/JavaScript" not in after.Root.Names
        assert len(after.attachments) == 0
        keys = all_keys(after)
        assert not keys & {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF"}
        assert len(after.pages) == 1
    assert "Lonespecifikation mars" in pypdf.PdfReader(io.BytesIO(stored(kept))).pages[0].extract_text()
    assert b"not really" not in stored(kept)  # the embedded program is gone, not just unlinked


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_kept(scene, draft):
    with pytest.raises(Refused) as refused:
        attach_evidence(draft, scene.reporter, ("lonespec.pdf", exe_bytes()))
    assert refused.value.codes == [Code.EVIDENCE_TYPE]
    assert refused.value.problems[0].field == "evidence"
    assert not DocumentFile.objects.exists()


@pytest.mark.parametrize("make", [jpeg_bytes, png_bytes], ids=["jpeg", "png"])
def test_an_images_gps_position_and_camera_are_gone(scene, draft, make):
    photo = make(gps=True)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # it does carry a GPS position
    kept = attach_evidence(draft, scene.reporter, ("intyg.foto", photo)).added[0]
    assert kept.file_name == f"intyg.{'jpg' if make is jpeg_bytes else 'png'}"  # named by what it is
    with Image.open(io.BytesIO(stored(kept))) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif  # the camera
        assert "exif" not in image.info
        assert image.size == Image.open(io.BytesIO(photo)).size
    assert b"Kamera AB" not in stored(kept)


def test_a_damaged_pdf_is_refused_with_its_name(scene, draft):
    with pytest.raises(Refused) as refused:
        attach_evidence(draft, scene.reporter, ("trasig.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100))
    assert refused.value.codes == [Code.EVIDENCE_UNREADABLE]
    assert refused.value.problems[0].params["name"] == "trasig.pdf"


def test_at_most_five_files(scene, draft):
    attach_evidence(draft, scene.reporter, *[(f"bild{n}.png", png_bytes()) for n in range(4)])
    attached = attach_evidence(draft, scene.reporter, ("bild4.png", png_bytes()), ("bild5.png", png_bytes()))
    assert [each.file_name for each in attached.added] == ["bild4.png"]
    assert [problem.code for problem in attached.problems] == [Code.EVIDENCE_TOO_MANY]
    assert draft.files.count() == 5


MAGIC = b"%PDF-1.7\n"


class LazyUpload:
    """A multipart request body of a form's fields and one big file, made as it is read: never whole in memory.

    ``consumed`` says how much of it the server read.
    """

    def __init__(self, boundary: str, fields: dict[str, str], file_name: str, file_size: int) -> None:
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        self.head = head.encode()
        action = f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n'
        self.tail = f"\r\n{action}--{boundary}--\r\n".encode()
        self.file_size = file_size
        self.length = len(self.head) + file_size + len(self.tail)
        self.consumed = 0

    def _piece(self, position: int, size: int) -> bytes:
        if position < len(self.head):
            return self.head[position : position + size]
        offset = position - len(self.head)
        if offset < self.file_size:
            if offset < len(MAGIC):
                return MAGIC[offset : offset + size]
            return b"0" * min(size, self.file_size - offset, 65536)
        offset -= self.file_size
        return self.tail[offset : offset + size]

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.consumed
        out = bytearray()
        while len(out) < size and self.consumed < self.length:
            piece = self._piece(self.consumed, size - len(out))
            out += piece
            self.consumed += len(piece)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - the multipart parser reads in chunks
        return self.read(size)


def test_a_50_mb_file_is_refused_without_being_read_whole_into_memory(client, scene, draft):
    sign_in(client, scene.reporter.person)
    boundary = "grans"
    fields = {"version": str(draft.version), **{name: values[0] for name, values in draft.draft.items()}}
    url = reverse("documents:save", args=[draft.pk])
    # Once with a file just over the limit, so that what a first request loads (templates, translations) is loaded.
    warm_up = LazyUpload(boundary, fields, "lagom.pdf", rules.EVIDENCE_MAX_BYTES + 1)
    environ = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(warm_up.length)}
    assert client.generic("POST", url, b"", **environ, **{"wsgi.input": warm_up}).status_code == 400
    body = LazyUpload(boundary, fields, "stor.pdf", 50 * 1024 * 1024)
    tracemalloc.start()
    try:
        environ["CONTENT_LENGTH"] = str(body.length)
        response = client.generic("POST", url, b"", **environ, **{"wsgi.input": body})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    page = response.content.decode()
    assert "stor.pdf är större än 10 MB" in page
    assert body.consumed < 12 * 1024 * 1024  # it stopped reading after the limit
    assert peak < 8 * 1024 * 1024  # and never held the file, nor its first ten megabytes
    assert not DocumentFile.objects.exists()
    draft.refresh_from_db()
    assert draft.draft["where"] == ["Lagerbolaget AB"]  # nothing typed is lost


def test_a_request_larger_than_five_files_is_refused_before_it_is_read(client, scene, draft):
    sign_in(client, scene.reporter.person)
    body = LazyUpload("grans", {"version": str(draft.version)}, "enorm.pdf", 60 * 1024 * 1024)
    response = client.generic(
        "POST",
        reverse("documents:save", args=[draft.pk]),
        b"",
        **{
            "CONTENT_TYPE": "multipart/form-data; boundary=grans",
            "CONTENT_LENGTH": str(body.length),
            "wsgi.input": body,
        },
    )
    assert response.status_code == 302
    assert body.consumed == 0
    page = client.get(response["Location"]).content.decode()
    assert "Filerna är för stora tillsammans" in page


def test_files_are_downloads_that_are_never_sniffed_and_their_reads_are_logged(client, scene, draft):
    from faportal.audit.models import AuditEvent

    kept = attach_evidence(draft, scene.reporter, ("lonespec.pdf", pdf_bytes())).added[0]
    sign_in(client, scene.reporter.person)
    response = client.get(reverse("documents:file", args=[draft.pk, kept.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lonespec.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored(kept)
    assert AuditEvent.objects.filter(action="documents.file_read", subject_id=str(kept.pk)).exists()
    # The file of one document is not reached through another's address.
    other = write_document(scene.placement, scene.reporter, "absence", datetime.date.today(), {})
    assert client.get(reverse("documents:file", args=[other.pk, kept.pk])).status_code == 404


def test_evidence_becomes_final_with_its_document(scene, draft):
    kept = attach_evidence(draft, scene.reporter, ("lonespec.pdf", pdf_bytes())).added[0]
    draft.refresh_from_db()
    submit_document(draft, scene.reporter)
    with pytest.raises(Refused) as refused:
        services.remove_evidence(actor=scene.reporter_actor, document=draft, file_id=kept.pk)
    assert refused.value.codes == [Code.NOT_A_DRAFT]
    with pytest.raises(FinalRowError):
        kept.delete()
    with pytest.raises(FinalRowError):
        DocumentFile.objects.filter(pk=kept.pk).update(file_name="x.pdf")
    with pytest.raises(Refused):
        attach_evidence(draft, scene.reporter, ("mer.png", png_bytes()))
    draft.refresh_from_db()
    assert draft.content["evidence"] == [
        {"id": kept.pk, "name": "lonespec.pdf", "size": kept.size, "content_type": "application/pdf"}
    ]


def test_a_deleted_draft_takes_its_files_along(scene, draft, django_capture_on_commit_callbacks):
    kept = attach_evidence(draft, scene.reporter, ("lonespec.pdf", pdf_bytes())).added[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(actor=scene.reporter_actor, document=draft)
    assert not DocumentFile.objects.exists()
    assert not files.storage().exists(kept.stored_name)


# --- the PDF copy -----------------------------------------------------------------------------------------------


def test_the_pdf_copy_declares_pdf_a_2_is_tagged_and_carries_the_documents_text(
    scene, django_capture_on_commit_callbacks
):
    absence = write_document(
        scene.placement,
        scene.reporter,
        "absence",
        datetime.date.today(),
        {
            "day": [(datetime.date.today() - datetime.timedelta(days=1)).isoformat()],
            "reason": ["other_known"],
            "other_reason": ["authority"],
            "extent": ["whole"],
            "comment": ["Möte på Försäkringskassan hela förmiddagen."],
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_document(absence, scene.reporter)  # the worker makes the copy right after
    copy = DocumentFile.objects.get(document=absence, purpose=DocumentFile.Purpose.COPY)
    data = stored(copy)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "2"
        assert metadata.get("pdfaid:conformance") in ("B", "U")
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "sv"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    for words in (
        "Avvikelserapport – frånvaro",
        "Möte på Försäkringskassan hela förmiddagen.",
        "Möte med en myndighet",
    ):
        assert words in text
    assert scene.placement.genomforandereferens in text
    assert copy.file_name.startswith("avvikelserapport-franvaro-")
    # Made once: asking again gives the same file.
    assert services.make_copy(document_id=absence.pk) == copy
    assert DocumentFile.objects.filter(document=absence, purpose=DocumentFile.Purpose.COPY).count() == 1


def test_a_correction_starts_with_copies_of_the_evidence_and_the_old_files_stay(scene, draft):
    from faportal.testing import review_document

    kept = attach_evidence(draft, scene.reporter, ("lonespec.pdf", pdf_bytes())).added[0]
    draft.refresh_from_db()
    submit_document(draft, scene.reporter)
    review_document(draft, scene.reviewer, approve=False, reason="Fel månad på lönespecifikationen.")
    correction = services.start_correction(actor=scene.reporter_actor, document=draft)
    copied = correction.files.get()
    assert (copied.file_name, copied.sha256) == (kept.file_name, kept.sha256)
    assert copied.stored_name != kept.stored_name
    services.remove_evidence(actor=scene.reporter_actor, document=correction, file_id=copied.pk)
    assert DocumentFile.objects.filter(pk=kept.pk).exists()  # the rejected version keeps its own
