"""What the placements app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("placements.decided", gettext_lazy("Decided a placement")),
    Action("placements.second_period_decided", gettext_lazy("Decided period 2")),
    Action("placements.interrupted", gettext_lazy("Registered an interruption")),
    Action("placements.interruption_moved", gettext_lazy("Moved an interruption")),
    Action("placements.interruption_withdrawn", gettext_lazy("Withdrew an interruption")),
    Action("placements.provider_changed", gettext_lazy("Decided a change of provider")),
    Action("placements.supervisor_assigned", gettext_lazy("Assigned a supervisor")),
    Action("placements.supervisor_changed", gettext_lazy("Changed the supervisor")),
    Action("placements.removed_from_intake", gettext_lazy("Removed from new participants")),
    Action("placements.read", gettext_lazy("Opened a participant")),
    Action("placements.listed", gettext_lazy("Listed participants")),
    Action("placements.searched", gettext_lazy("Searched for participants"), af_only=True),
    Action("placements.personnummer_revealed", gettext_lazy("Showed a personnummer")),
)
