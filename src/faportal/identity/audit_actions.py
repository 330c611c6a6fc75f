"""What the identity app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("identity.signed_in", gettext_lazy("Signed in")),
    Action("identity.signed_out", gettext_lazy("Signed out")),
    Action("identity.timed_out", gettext_lazy("Signed out for inactivity")),
    Action("identity.sign_in_refused", gettext_lazy("Sign-in refused")),
)
