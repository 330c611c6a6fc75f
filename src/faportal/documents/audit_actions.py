"""What the documents app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("documents.draft_started", gettext_lazy("Started a document")),
    Action("documents.correction_started", gettext_lazy("Started a correction")),
    Action("documents.draft_saved", gettext_lazy("Saved a draft")),
    Action("documents.draft_deleted", gettext_lazy("Deleted a draft")),
    Action("documents.submitted", gettext_lazy("Submitted a document")),
    Action("documents.read", gettext_lazy("Opened a document")),
    Action("documents.received", gettext_lazy("Received a document for review")),
    Action("documents.approved", gettext_lazy("Approved a document")),
    Action("documents.rejected", gettext_lazy("Did not approve a document")),
    Action("documents.catalogue_changed", gettext_lazy("Changed the activity catalogue"), af_only=True),
    Action("documents.terms_changed", gettext_lazy("Changed the list of sensitive terms"), af_only=True),
    Action("documents.topics_changed", gettext_lazy("Changed the topics of informative reports"), af_only=True),
    Action("documents.evidence_attached", gettext_lazy("Attached evidence to a document")),
    Action("documents.evidence_removed", gettext_lazy("Removed evidence from a document")),
    Action("documents.file_read", gettext_lazy("Downloaded a document's file")),
    Action("documents.copy_made", gettext_lazy("Made the PDF copy of a document")),
)
