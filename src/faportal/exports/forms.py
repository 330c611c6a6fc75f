"""The export form (SPEC S4.10)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faportal.core.forms import DateField, DsForm
from faportal.exports.models import ExportFormat, SupervisorFilter
from faportal.exports.selectors import ExportChoices
from faportal.placements.models import today

# The range offered at first: decisions of the last three months.
DEFAULT_DAYS = 92
LONGEST_RANGE_DAYS = 366 * 3
# A browser sends an empty value for a date it cannot read (31 February, half typed): say what a date looks like.
DATE_ERRORS = {
    "required": _("Enter a whole date, e.g. 2026-11-24."),
    "invalid": _("Enter a whole date, e.g. 2026-11-24."),
}


class ExportForm(DsForm):
    decided_from = DateField(label=_("Decisions from"), error_messages=DATE_ERRORS)
    decided_to = DateField(label=_("Decisions until"), error_messages=DATE_ERRORS)
    supervisor_filter = forms.ChoiceField(
        label=_("Supervisor"), choices=SupervisorFilter.choices, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(label=_("File format"), choices=ExportFormat.choices, widget=forms.RadioSelect)
    include_exported = forms.BooleanField(
        label=_("Also participants exported before"),
        help_text=_("Without this, participants already in an earlier export (yours or a colleague's) are left out."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = today()
        self.initial.setdefault("decided_from", day - datetime.timedelta(days=DEFAULT_DAYS))
        self.initial.setdefault("decided_to", day)
        self.initial.setdefault("supervisor_filter", SupervisorFilter.ALL)
        self.initial.setdefault("format", ExportFormat.XLSX)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end:
            if end < start:
                self.add_error("decided_to", _("The end of the range cannot be before its start."))
            elif (end - start).days > LONGEST_RANGE_DAYS:
                self.add_error(None, _("Choose a range of at most three years."))
        return data

    def choices(self) -> ExportChoices:
        data = self.cleaned_data
        return ExportChoices(
            decided_from=data["decided_from"],
            decided_to=data["decided_to"],
            supervisor_filter=data["supervisor_filter"],
            include_exported=data["include_exported"],
        )

    def initial_choices(self) -> ExportChoices:
        """The choices the unsent form shows, to preview before anything is changed."""
        return ExportChoices(
            decided_from=self.initial["decided_from"],
            decided_to=self.initial["decided_to"],
            supervisor_filter=self.initial["supervisor_filter"],
        )
