"""What the registry app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("registry.organisation_registered", gettext_lazy("Registered the organisation")),
    Action("registry.ka_import", gettext_lazy("Imported units and addresses from KA-webb")),
    Action("registry.ka_import_started", gettext_lazy("Started an import from KA-webb"), af_only=True),
)
