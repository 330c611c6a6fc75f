"""Forms of the participant pages (SPEC S4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faportal.access.models import StaffAccount
from faportal.core.forms import DsForm, QuickSelect, set_choices
from faportal.placements import listing
from faportal.placements.selectors import SORTS, ListFilters, Status
from faportal.placements.timeline import unread_kinds

STATUS_CHOICES = [
    ("", _("All")),
    (Status.UPCOMING, _("Not started")),
    (Status.ACTIVE, _("Ongoing")),
    (Status.INTERRUPTED, _("Interrupted")),
    (Status.ENDED, _("Ended")),
]
PERIOD_CHOICES = [("", _("Both")), ("1", _("Period 1")), ("2", _("Period 2"))]


class ParticipantListForm(DsForm):
    """Filters of Deltagarlista (SPEC S4.5)."""

    show_optional = False

    q = forms.CharField(label=_("Search by genomförandereferens or name"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    supervisor = forms.TypedChoiceField(
        label=_("Supervisor"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES, widget=QuickSelect)
    period = forms.TypedChoiceField(
        label=_("Period"), required=False, choices=PERIOD_CHOICES, coerce=int, empty_value=None, widget=QuickSelect
    )
    olast = forms.ChoiceField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, supervisors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The filters of the columns other apps add (placements.listing), after the list's own.
        for column in listing.columns():
            if column.filters:
                self.fields[column.key] = forms.ChoiceField(
                    label=column.filter_label,
                    required=False,
                    choices=[("", _("All")), *((option.value, option.label) for option in column.filters)],
                    widget=QuickSelect,
                )
        self.fields["olast"].choices = [("", ""), *((key, key) for key in unread_kinds())]  # type: ignore[attr-defined]
        # Hundreds at a big provider, already (value, label) pairs: not normalised again.
        set_choices(self.fields["supervisor"], [("", _("All supervisors")), *supervisors])  # type: ignore[arg-type]

    def filters(self) -> ListFilters:
        self.is_valid()  # an invalid value (an old bookmark's supervisor, say) drops only its own filter
        data = getattr(self, "cleaned_data", {})
        return ListFilters(
            only_mine=bool(data.get("mine")),
            supervisor=data.get("supervisor"),
            status=data.get("status") or "",
            period=data.get("period"),
            search=data.get("q") or "",
            unread=data.get("olast") or "",
            sort=data.get("sort") or "start",
            columns=tuple(
                (column.key, data[column.key])
                for column in listing.columns()
                if column.filters and data.get(column.key)
            ),
        )


class SupervisorForm(DsForm):
    """Choose a supervisor among those with the reporting role at the address(es)."""

    supervisor = forms.TypedChoiceField(
        label=_("Supervisor"),
        coerce=int,
        error_messages={"required": _("Choose a supervisor.")},
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, supervisors: list[StaffAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = [("", _("Choose a supervisor"))] + [  # type: ignore[attr-defined]
            (account.pk, account.person.full_name) for account in supervisors
        ]
        self.supervisors = {account.pk: account for account in supervisors}

    def chosen(self) -> StaffAccount:
        return self.supervisors[self.cleaned_data["supervisor"]]
