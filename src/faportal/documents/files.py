"""The files of documents: evidence made safe before it is kept, and the storage every file lives in (SPEC S5.7).

An evidence file is recognised by its content (``filetype`` reads its first bytes), never by its name. What is kept is
a clean copy: a PDF is rewritten without JavaScript, actions, embedded files and forms (``pikepdf``), an image is
re-encoded from its pixels alone, so its metadata (camera, GPS position, comments) is gone (Pillow). Files go to the
"documents" storage (``FAPORTAL_DOCUMENT_FILES_DIR``, outside the web root) under a random name.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import filetype
import pikepdf
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from PIL import Image, ImageOps, UnidentifiedImageError

from faportal.documents import rules

# A picture larger than this many pixels is refused rather than decoded (a small file can hold a huge image).
MAX_IMAGE_PIXELS = 60_000_000
# PDF actions that do something other than move within the document.
_ACTION_KEYS = ("/A", "/AA", "/OpenAction", "/JS", "/JavaScript")


class Unreadable(Exception):
    """The file claims to be a PDF or an image but cannot be read as one (damaged, or protected by a password)."""


@dataclass(frozen=True)
class Clean:
    """A file made safe to keep: its bytes, what they are, and the extension its stored name gets."""

    data: bytes
    content_type: str
    extension: str


def storage() -> Storage:
    return storages["documents"]


def sniff(head: bytes) -> str | None:
    """What a file is by its first bytes (a PDF, a JPEG, a PNG …): the MIME type, or None."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def chunks_of(file: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    while chunk := file.read(size):
        yield chunk


def clean(data: bytes, content_type: str) -> Clean:
    """A safe copy of an evidence file of ``content_type`` (one of ``rules.EVIDENCE_TYPES``)."""
    if content_type == "application/pdf":
        return Clean(clean_pdf(data), content_type, "pdf")
    return clean_image(data, content_type)


def clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten without what can act when it is opened: JavaScript, actions (open, page, annotation and
    form-field actions, except links within the document), embedded and attached files, and XFA forms. Form fields
    keep what they show.
    """
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise Unreadable from error
    with pdf:
        root = pdf.Root
        for key in ("/OpenAction", "/AA"):
            if key in root:
                del root[key]
        if "/AcroForm" in root and "/XFA" in root.AcroForm:
            del root.AcroForm["/XFA"]
        if "/Names" in root:
            names = root.Names
            for key in ("/JavaScript", "/EmbeddedFiles"):
                if key in names:
                    del names[key]
        for page in pdf.pages:
            if "/AA" in page.obj:
                del page.obj["/AA"]
            if "/Annots" in page.obj:
                kept = pikepdf.Array()
                for annotation in page.obj.Annots:
                    if not isinstance(annotation, pikepdf.Dictionary):
                        continue
                    if annotation.get("/Subtype") == pikepdf.Name.FileAttachment:
                        continue
                    _strip_actions(annotation)
                    kept.append(annotation)
                page.obj.Annots = kept
        # Whatever else still carries an action (outline entries, stray objects) loses it too.
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                _strip_actions(obj)
                if obj.get("/Type") == pikepdf.Name.EmbeddedFile or obj.get("/Type") == pikepdf.Name.Filespec:
                    for key in list(obj.keys()):
                        if key in ("/EF", "/RF"):
                            del obj[key]
        pdf.remove_unreferenced_resources()
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False)
    return out.getvalue()


def _strip_actions(obj: pikepdf.Dictionary) -> None:
    for key in _ACTION_KEYS:
        if key not in obj:
            continue
        action = obj.get(key)
        if key == "/A" and isinstance(action, pikepdf.Dictionary) and action.get("/S") == pikepdf.Name.GoTo:
            continue  # a link to another page of the same document
        del obj[key]


def clean_image(data: bytes, content_type: str) -> Clean:
    """The picture re-encoded from its pixels alone (turned upright first, as its EXIF orientation says), so nothing
    of its metadata is kept.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Unreadable("too many pixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError, SyntaxError) as error:
        raise Unreadable from error
    if content_type == "image/png":
        mode = "RGBA" if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info else "RGB"
        if upright.mode in ("L", "I;16"):
            mode = "L"
        pixels = upright.convert(mode)
        fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
        out = io.BytesIO()
        fresh.save(out, format="PNG", optimize=True)
        return Clean(out.getvalue(), "image/png", "png")
    pixels = upright.convert("L" if upright.mode == "L" else "RGB")
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    fresh.save(out, format="JPEG", quality=90)
    return Clean(out.getvalue(), "image/jpeg", "jpg")


def store(data: bytes, extension: str) -> tuple[str, str]:
    """Keeps ``data`` under a new random name: (the stored name, its SHA-256)."""
    name = f"{secrets.token_hex(16)}.{extension}"
    saved = storage().save(name, ContentFile(data))
    return saved, hashlib.sha256(data).hexdigest()


def open_stored(name: str) -> IO[bytes]:
    return storage().open(name, "rb")


def delete_stored(name: str) -> None:
    storage().delete(name)


def safe_name(name: str, extension: str) -> str:
    """The file name to show and to download as: the uploaded name's own part, without path or odd characters,
    ending in what the file really is.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    cleaned = "".join(ch if ch.isalnum() or ch in " -_()" else "_" for ch in stem).strip(" ._") or "underlag"
    return f"{cleaned[:80]}.{extension}"


def accepted_types() -> str:
    """The file types an evidence field accepts, for its ``accept`` attribute."""
    return ",".join(f".{ext}" for ext in sorted(set(rules.EVIDENCE_TYPES.values()))) + ",.jpeg"
