"""Signals documents sends for the apps above it (which it may not import): billing reacts to Af's decisions."""

from django.dispatch import Signal

# Sent once Af's decision on a document is committed (``services.decide``): kwargs ``document_id`` (int),
# ``kind`` (the document kind's key, e.g. "plan", "monthly_report", "result_1"), ``approved`` (bool) and
# ``review_id`` (int). Receivers run after the commit: they must not need the decision's transaction.
document_decided = Signal()
