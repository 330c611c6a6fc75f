"""The PDF copy of a submitted document (issue 10): PDF/A-2 with tags, so it can be archived and read aloud.

The copy shows what the document's page shows (the kind's own template, ``view_template``) under a header that says
what it is, whose it is and when it was submitted; in Swedish, the language Arbetsförmedlingen files it in. WeasyPrint
lays it out from HTML as PDF/A-2u with tags (``core.pdf``).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from faportal.core.pdf import archival_pdf
from faportal.documents import kinds, services
from faportal.documents.kinds import DocumentKind
from faportal.documents.models import Document


def html(document: Document) -> str:
    """The copy's HTML (Swedish), from the document's content as it was submitted."""
    document = (
        Document.objects.select_related(
            "placement__organisation",
            "placement__unit",
            "placement__address__municipality",
            "submitted_by__person",
            "corrects",
        )
        .prefetch_related("files")
        .get(pk=document.pk)
    )
    kind = kinds.kind(document.kind)
    facts = services.facts_of(document.placement, document)
    period = services.period_of(document)
    content = document.content or {}
    with translation.override("sv"):
        return render_to_string(
            "documents/pdf.html",
            {
                "document": document,
                "placement": document.placement,
                "kind": kind,
                "period_label": kind.period_label(document.period_start, document.period_end),
                "content": content,
                "kind_template": kind.view_template,
                "pdf": True,
                "made_at": timezone.localtime(),
                **kind.view_context(content, facts, period),
            },
        )


def render(document: Document) -> bytes:
    """The PDF/A-2 copy of a submitted document, tagged."""
    return archival_pdf(html(document))


def file_name(document: Document, kind: DocumentKind) -> str:
    """The copy's name when downloaded: "franvaro-2026-03-12-GFR-2026-000123.pdf"."""
    with translation.override("sv"):
        label = slugify(str(kind.label))
    return f"{label}-{document.period_start.isoformat()}-{document.placement.genomforandereferens}.pdf"
