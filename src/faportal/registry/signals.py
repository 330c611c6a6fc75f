"""Signals the registry sends for the apps above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the import's transaction when KA-webb retires addresses: kwargs ``address_ids`` (list of int),
# ``actor`` (an audit.services.AuditActor) and ``at`` (datetime). Access ends the grants on them.
addresses_retired = Signal()
