"""The words for every document rule (``rules.Code``): one wording for forms, pages and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from faportal.core.problems import register_wording
from faportal.documents.rules import Code

WORDING = {
    Code.NOT_A_DRAFT: _("The document is already submitted: it can no longer be changed."),
    Code.STALE_DRAFT: _(
        "The draft was changed at %(saved_at)s in another window or by a colleague. Your text is still here: copy "
        "what you need, then load the saved draft."
    ),
    Code.ALREADY_EXISTS: _("There is already a document of this kind for that period: open it in the list."),
    Code.NOT_CORRECTABLE: _("Only a document that was not approved can be corrected."),
    Code.CORRECTION_EXISTS: _("A correction of this document has already been submitted."),
    Code.PERIOD_NOT_OPEN: _("A document for that period cannot be started now."),
    Code.PLACEMENT_OVER: _("The placement has ended: the plan can no longer be updated."),
    Code.NOT_YET_SUBMITTABLE: _(
        "The report can be submitted when the month, or the placement, has ended: from %(date)s."
    ),
    Code.SENSITIVE_NOT_CONFIRMED: _(
        "Correct the text, or confirm that it is factual and necessary and should be submitted as it is."
    ),
    Code.NOT_CONFIRMED: _("Confirm that the information is correct."),
    Code.ALREADY_DECIDED: _("The document has already been reviewed."),
    Code.REASON_REQUIRED: _("Write why the document is not approved: the provider reads it."),
    Code.NO_APPROVED_PLAN: _(
        "The participant has no approved joint plan yet: the report's activities come from it. Submit the plan first."
    ),
    Code.REQUIRED: _("Answer this question."),
    Code.TOO_LONG: _("At most %(limit)d characters: the text has %(length)d."),
    Code.INVALID_DATE: _("Enter a date as YYYY-MM-DD."),
    Code.INVALID_TIME: _("Enter a time as HH:MM, e.g. 09:30."),
    Code.INVALID_CHOICE: _("Choose one of the alternatives."),
    Code.MANDATORY_MISSING: _("The plan must contain the mandatory activities: %(activities)s."),
    Code.NO_OPTIONAL_ACTIVITY: _("Choose at least one activity besides the mandatory ones."),
    Code.UNKNOWN_ACTIVITY: _("This activity is not in the participant's approved plan."),
    Code.NOT_TOGETHER: _("The plan is made together with the participant: confirm that it was."),
    Code.NO_SCHEDULE: _("Plan at least one activity in the schedule for the coming weeks."),
    Code.SCHEDULE_OUTSIDE_WEEKS: _(
        "The schedule covers the next %(weeks)s weeks: choose a date from %(first)s to %(last)s."
    ),
    Code.SCHEDULE_OUTSIDE_PLACEMENT: _("Choose a date while the placement runs: %(first)s to %(last)s."),
    Code.SCHEDULE_ACTIVITY_NOT_IN_PLAN: _("Choose one of the activities ticked in the plan."),
    Code.ENDS_BEFORE_START: _("The end must be after the start."),
    Code.PROVIDER_NAME_MISSING: _("Name the actor that provides the activity."),
    Code.INVALID_HOURS: _("Enter hours in quarter hours, e.g. 2, 1,5, 0,75 or 1:15."),
    Code.CLOSED_DAY: _("No hours can be reported on this day."),
    Code.DAY_OVER_MAX: _("%(total)s hours in all: at most %(max)s hours a day."),
    Code.TEXT_REQUIRED: _("Write this: it is required."),
    Code.DATE_IN_FUTURE: _("The date cannot be in the future: choose %(today)s or earlier."),
    Code.DATE_OUTSIDE_PLACEMENT: _("Choose a date while the placement ran: %(first)s to %(last)s."),
    Code.DATE_BEFORE_PLACEMENT: _("Choose a date from the placement's start, %(first)s, or later."),
    Code.ABSENCE_OUTSIDE_PLANNED: _("The absence lies within the planned time: %(first)s to %(last)s."),
    Code.INVALID_PERCENT: _("Enter the extent in percent of full time, a whole number from 1 to 99."),
    Code.RESULT_EXISTS: _("A result report is submitted for the participant: report work or studies in it instead."),
    Code.RESULT_1_NOT_APPROVED: _("Result report 2 can be written once result report 1 is approved."),
    Code.EVIDENCE_MISSING: _("Attach the evidence of the result: a payslip, an employment contract or a certificate."),
    Code.EVIDENCE_TYPE: _("%(name)s is not a PDF, JPEG or PNG file: choose one of those."),
    Code.EVIDENCE_TOO_LARGE: _("%(name)s is larger than %(max)s MB: make it smaller or choose another file."),
    Code.EVIDENCE_TOO_MANY: _("At most %(max)s files per report: remove one before you add another."),
    Code.EVIDENCE_UNREADABLE: _(
        "%(name)s cannot be read (damaged, or protected with a password): save it again without a password."
    ),
    Code.UPLOAD_TOO_LARGE: _("The files are too large together: at most %(max)s files of at most %(mb)s MB each."),
    Code.FINAL_NOT_YET: _("The final report can be written from the placement's last month: from %(date)s."),
    Code.UNKNOWN_OCCUPATION: _("Choose an occupation group in the chosen occupational area."),
    Code.CONTACT_MISSING: _("Give a phone number or an e-mail address where Arbetsförmedlingen can reach you."),
    Code.INVALID_PHONE: _("Enter a phone number with digits, e.g. 08-123 456 78."),
    Code.INVALID_EMAIL: _("Enter an e-mail address, e.g. namn@example.se."),
}

register_wording(Code, WORDING)
