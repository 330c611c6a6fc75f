"""What the access app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("access.responsible_admin_registered", gettext_lazy("Registered the responsible permission administrator")),
    Action("access.invitation_sent", gettext_lazy("Sent an invitation")),
    Action("access.invitation_revoked", gettext_lazy("Revoked an invitation")),
    Action("access.invitation_accepted", gettext_lazy("Accepted the invitation and created a staff account")),
    Action("access.role_granted", gettext_lazy("Granted a role")),
    Action("access.role_revoked", gettext_lazy("Revoked a role")),
    Action("access.address_granted", gettext_lazy("Granted an address")),
    Action("access.address_revoked", gettext_lazy("Revoked an address")),
    Action("access.account_deleted", gettext_lazy("Deleted a staff account")),
    Action("access.af_role_granted", gettext_lazy("Granted a back-office role"), af_only=True),
)
