"""PDF copies for archiving: PDF/A-2u with tags, laid out by WeasyPrint from HTML (ADR 0015).

One way for every copy the portal makes (a submitted document, an invoice): PDF/A-2 level U (every character maps
to Unicode, so the text can be searched and copied), with a structure tree (tags) for screen readers, and the
system's fonts (DejaVu, installed by the Makefile's ``system-deps``) embedded as PDF/A requires.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/a-2u"


def archival_pdf(html: str) -> bytes:
    """The PDF/A-2u copy of an HTML page, tagged."""
    import weasyprint  # heavy: imported when the first copy is made

    return bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False))
