"""The words for every placement rule (``rules.Code``): one wording that forms, pages and the API all show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from faportal.core.problems import register_wording
from faportal.placements.rules import Code

WORDING = {
    Code.START_TOO_EARLY: _(
        "The service can start at the earliest ten working days after the decision: %(date)s or later."
    ),
    Code.START_NOT_WORKING_DAY: _("The service starts on a working day: not a weekend or a public holiday."),
    Code.PARTICIPANT_ALREADY_PLACED: _(
        "The job seeker already has a placement at that time. Decide period 2 or a change of provider on it instead."
    ),
    Code.DECIDED_IN_FUTURE: _("The decision date cannot be in the future."),
    Code.UNKNOWN_ADDRESS: _("Choose an address that is registered and not retired."),
    Code.ADDRESS_OF_OTHER_SERVICE: _("The address belongs to a unit of another service."),
    Code.UNKNOWN_LEVEL: _("Choose level A, B or C."),
    Code.KEY_REUSED: _("This decision was already sent with other content. Start again with a new decision."),
    Code.NOT_FIRST_PERIOD: _("Period 2 can only follow a period 1."),
    Code.FIRST_PERIOD_INTERRUPTED: _("Period 1 is interrupted: there can be no period 2."),
    Code.SECOND_PERIOD_EXISTS: _("Period 2 is already decided."),
    Code.FIRST_PERIOD_ENDED: _(
        "Period 1 has already ended: period 2 follows it without a gap, so it must be decided before period 1 ends."
    ),
    Code.PLACEMENT_ENDED: _("The placement has ended: there is no provider to change from."),
    Code.INTERRUPTION_IN_PAST: _("The interruption date cannot be in the past: today or later."),
    Code.INTERRUPTION_AFTER_END: _("The interruption date is after the placement ends."),
    Code.ALREADY_INTERRUPTED: _("The placement is already interrupted. Move or withdraw that interruption instead."),
    Code.NOT_INTERRUPTED: _("The placement has no interruption to change."),
    Code.INTERRUPTION_PASSED: _("The interruption date has passed: it can no longer be moved or withdrawn."),
    Code.UNKNOWN_REASON: _("Choose a reason."),
    Code.SAME_PROVIDER: _("Choose an address at another provider."),
    Code.LANGUAGE_MISSING: _("Say which language the support is in."),
    Code.SUPERVISOR_NOT_ALLOWED: _(
        "The chosen supervisor does not have the reporting role at every chosen participant's address."
    ),
    Code.ALREADY_ASSIGNED: _("%(genomforandereferens)s already has a supervisor. Reload the page."),
    Code.NOT_INTERRUPTED_BEFORE_START: _(
        "Only a participant whose service was interrupted before it started can be removed."
    ),
    Code.PROTECTED_IDENTITY: _(
        "The participant has protected personal data: only the assigned supervisor sees the personnummer."
    ),
}

register_wording(Code, WORDING)
