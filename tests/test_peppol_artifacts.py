"""The portal finds the official PEPPOL artefacts where PEPPOL_ARTIFACTS_DIR says (default ../shared/peppol)."""

from __future__ import annotations

from django.conf import settings

from faportal.billing.peppol import validator_for
from faportal.billing.peppol.validation import Artifacts, DocumentType


def test_the_setting_points_at_the_artefacts_the_validator_needs():
    Artifacts(settings.PEPPOL_ARTIFACTS_DIR).check()
    sample = (settings.PEPPOL_ARTIFACTS_DIR / "samples" / "invoice-se-af.xml").read_bytes()
    report = validator_for(settings.PEPPOL_ARTIFACTS_DIR).validate(sample)
    assert (report.document_type, report.valid) == (DocumentType.INVOICE, True)
