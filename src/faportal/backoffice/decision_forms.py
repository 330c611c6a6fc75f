"""Back-office forms for Af's decisions about participants (SPEC S4.1, S4.4, S4.7, S4.8, S6)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from faportal.access.forms import PersonnummerField
from faportal.backoffice.widgets import SEARCH_BUTTON_SUFFIX, SEARCH_SUFFIX, AddressPicker
from faportal.core.forms import DateField, DsForm, lazy_message
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.core.problems import message_for
from faportal.placements import rules
from faportal.placements.models import today
from faportal.placements.rules import InterruptionReason, Level
from faportal.placements.services import ParticipantData
from faportal.placements.timeline import REASONS
from faportal.registry.models import Service
from faportal.registry.selectors import address_option


class AddressField(forms.IntegerField):
    """One active address of any provider, found with the address picker (``backoffice.widgets``)."""

    widget = AddressPicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": _("Choose the unit and address.")})
        super().__init__(**kwargs)
        self.error_messages["invalid"] = self.error_messages["required"]

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and address_option(value) is None:  # gone, retired, or never one
            raise ValidationError(self.error_messages["required"], code="invalid_choice")


class AddressSearchMixin(forms.Form):
    """Gives the address picker what was typed in its search box; says whether the form was sent to search."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["address"]
        assert isinstance(field.widget, AddressPicker)
        given = self.data if self.is_bound else self.initial
        field.widget.query = str(given.get(self.add_prefix("address") + SEARCH_SUFFIX, ""))[:100]

    @property
    def only_searching(self) -> bool:
        """Sent with the address search button (without script): shown again with the matches, nothing decided."""
        return self.is_bound and bool(self.data.get(self.add_prefix("address") + SEARCH_BUTTON_SUFFIX))

    def to_search_again(self) -> Any:
        """The form as sent, to show again with the addresses found: everything typed kept, nothing judged yet."""
        return type(self)(initial=dict(self.data.items()), prefix=self.prefix)


class DecisionKeyMixin(forms.Form):
    """A hidden, per-form idempotency key: sending the same form twice (a double click) decides once."""

    decision_id = forms.CharField(widget=forms.HiddenInput)
    # Several of these forms share one page: each gets ids of its own (the field names stay as they are).
    id_prefix = "id"
    # A reused key concerns the whole form, not its hidden field.
    problem_fields: Mapping[str, str] = {"decision_id": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decision_id", f"bo-{uuid.uuid4()}")


class DecisionDatesMixin(forms.Form):
    """The decision's dates judged by the same rules as the services, all at once and at their fields, with the
    earliest start spelled out; and a decision date far back asked to be checked (a typo, as a rule), which the
    officer confirms with a tick when it is right (a backlog).
    """

    decided_on_checked = forms.BooleanField(
        label=_("The decision date is right"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decided_on", today())
        # The confirmation sits right after the decision date.
        names = [name for name in self.fields if name != "decided_on_checked"]
        at = names.index("decided_on") + 1 if "decided_on" in names else len(names)
        self.order_fields([*names[:at], "decided_on_checked", *names[at:]])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_dates(data)
        return data

    def check_dates(self, data: dict[str, Any]) -> None:
        """Period 1 and a change of provider have a start date to judge as well; period 2 has none of its own."""
        with_start = "starts_on" in self.fields
        decided_on = data.get("decided_on")
        if decided_on is None:
            return
        now = today()
        if rules.decided_long_ago(decided_on=decided_on, today=now) and not data.get("decided_on_checked"):
            self.add_error(
                "decided_on",
                _("The decision date is more than %(days)d days back. Check it; if it is right, tick the box below.")
                % {"days": rules.DECISION_MAX_DAYS_BACK},
            )
            self.fields["decided_on_checked"].widget = forms.CheckboxInput()
        if not with_start:
            if decided_on > now:
                self.add_error("decided_on", message_for(rules.Code.DECIDED_IN_FUTURE))
            return
        starts_on = data.get("starts_on") or rules.earliest_start(decided_on)
        self.add_problems(rules.first_period_problems(decided_on=decided_on, starts_on=starts_on, today=now))  # type: ignore[attr-defined]


class DecisionForm(AddressSearchMixin, DecisionDatesMixin, DecisionKeyMixin, DsForm):
    """Beslut om deltagande (SPEC S4.1)."""

    personnummer = PersonnummerField(label=_("Personnummer"))
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    surname = forms.CharField(label=_("Surname"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{3} ?\d{2}$",
        required=False,
        error_messages={"invalid": _("Enter five digits, e.g. 111 22.")},
    )
    town = forms.CharField(label=_("Town"), max_length=100, required=False)
    protected_identity = forms.BooleanField(label=_("Protected personal data"), required=False)
    needs_language_support = forms.BooleanField(label=_("Needs language support"), required=False)
    language = forms.CharField(label=_("Language"), max_length=100, required=False)
    work_experience = forms.CharField(
        label=_("Work experience"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    education = forms.CharField(label=_("Education"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    driving_licence = forms.CharField(label=_("Driving licence"), max_length=100, required=False)
    has_car = forms.BooleanField(label=_("Access to a car"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the service.")},
    )
    address = AddressField(label=_("Unit and address"))
    level = forms.ChoiceField(
        label=_("Level (from the assessment)"),
        choices=[(level.value, level.value) for level in Level],
        widget=forms.RadioSelect,
        error_messages={"required": lazy_message(rules.Code.UNKNOWN_LEVEL)},
    )
    decided_on = DateField(label=_("Decision date"), error_messages={"required": _("Enter the decision date.")})
    starts_on = DateField(
        label=_("Start date"),
        required=False,
        help_text=_("Leave empty for the earliest start: ten working days after the decision."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # the dates too (DecisionDatesMixin)
        if rules.language_missing(
            needs_language_support=bool(data.get("needs_language_support")), language=data.get("language") or ""
        ):
            self.add_error("language", message_for(rules.Code.LANGUAGE_MISSING))
        return data

    def participant(self) -> ParticipantData:
        data = self.cleaned_data
        return ParticipantData(
            personnummer=data["personnummer"],
            given_name=data["given_name"],
            surname=data["surname"],
            phone=data["phone"],
            email=data["email"],
            street=data["street"],
            postcode=(data["postcode"] or "").replace(" ", ""),
            town=data["town"],
            protected_identity=data["protected_identity"],
            needs_language_support=data["needs_language_support"],
            language=data["language"],
            work_experience=data["work_experience"],
            education=data["education"],
            driving_licence=data["driving_licence"],
            has_car=data["has_car"],
        )


class SearchForm(DsForm):
    show_optional = False
    q = forms.CharField(label=_("Genomförandereferens or personnummer"), max_length=20, required=False)

    def clean_q(self) -> str:
        """What looks like a personnummer must be one: a wrong digit is said so, not answered with no hits."""
        text = str(self.cleaned_data.get("q") or "").strip()
        if re.fullmatch(r"[0-9+\- ]+", text) and sum(ch.isdigit() for ch in text) >= 10:
            try:
                normalize_personnummer(text)
            except InvalidIdentifier as error:
                raise ValidationError(message_for(error.code), code=error.code) from error
        return text


class InterruptForm(DecisionKeyMixin, DsForm):
    """Avbrott (SPEC S4.7)."""

    id_prefix = "interrupt"

    reason = forms.ChoiceField(
        label=_("Reason"),
        # Nothing chosen beforehand: a forgotten choice must not record the wrong reason.
        choices=[("", _("Choose a reason")), *((reason.value, REASONS[reason]) for reason in InterruptionReason)],
        error_messages={"required": lazy_message(rules.Code.UNKNOWN_REASON)},
    )
    interrupts_on = DateField(label=_("Interrupted from"), help_text=_("Today or later."))


class ChangeInterruptionForm(DecisionKeyMixin, DsForm):
    """Move a future interruption, or withdraw it."""

    id_prefix = "change"

    interrupts_on = DateField(label=_("New interruption date"), required=False)
    withdraw = forms.BooleanField(label=_("Withdraw the interruption"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("withdraw") and data.get("interrupts_on"):
            # One or the other: a date given with the box ticked must not be dropped without a word.
            raise ValidationError(_("Give a new date or withdraw the interruption, not both."))
        if not data.get("withdraw") and not data.get("interrupts_on") and "interrupts_on" not in self.errors:
            raise ValidationError(_("Give a new date, or withdraw the interruption."))
        return data


class SecondPeriodForm(DecisionDatesMixin, DecisionKeyMixin, DsForm):
    """Beslut om period 2 (SPEC S4.4)."""

    id_prefix = "period2"

    decided_on = DateField(label=_("Decision date"))


class ProviderChangeForm(AddressSearchMixin, DecisionDatesMixin, DecisionKeyMixin, DsForm):
    """Byte av leverantör (SPEC S4.8)."""

    id_prefix = "provider"

    address = AddressField(
        label=_("New provider: unit and address"),
        widget=AddressPicker(attrs={"data-focus-after-swap": True}),  # shown when asked for: the focus goes to it
    )
    decided_on = DateField(label=_("Decision date"))
    starts_on = DateField(
        label=_("Start at the new provider"),
        required=False,
        help_text=_("Leave empty for the earliest start: ten working days after the decision."),
    )
