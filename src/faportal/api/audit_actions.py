"""What the api app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("api.client_created", gettext_lazy("Created an integration API client"), af_only=True),
    Action("api.client_deactivated", gettext_lazy("Deactivated an integration API client"), af_only=True),
)
