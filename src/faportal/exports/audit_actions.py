"""What the exports app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("exports.started", gettext_lazy("Started an export of participants")),
    Action("exports.created", gettext_lazy("Exported participants")),
    Action("exports.downloaded", gettext_lazy("Downloaded an export of participants")),
)
