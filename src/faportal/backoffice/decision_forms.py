"""Back-office forms for Af's decisions about participants (SPEC S4.1, S4.4, S4.7, S4.8, S6)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from faportal.access.forms import PERSONNUMMER_MESSAGES, PersonnummerField
from faportal.core.forms import DateInput, DsForm
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.placements import rules
from faportal.placements.models import today
from faportal.placements.rules import InterruptionReason, Level
from faportal.placements.services import ParticipantData
from faportal.placements.templatetags.placements import REASONS
from faportal.registry.models import Address, Service

# What each rule code means, at the field it concerns.
DECISION_MESSAGES = {
    "start_too_early": _("The service can start at the earliest ten working days after the decision."),
    "start_not_working_day": _("The service starts on a working day: not a weekend or a public holiday."),
    "participant_already_placed": _(
        "The job seeker already has a placement at that time. Decide period 2 or a change of provider on it instead."
    ),
    "decided_in_future": _("The decision date cannot be in the future."),
    "unknown_address": _("Choose an address that is registered and not retired."),
    "address_of_other_service": _("The address belongs to a unit of another service."),
    "unknown_level": _("Choose level A, B or C."),
    "key_reused": _("This form was already sent with other content. Reload the page and start again."),
    "not_first_period": _("Period 2 can only follow a period 1."),
    "first_period_interrupted": _("Period 1 is interrupted: there can be no period 2."),
    "second_period_exists": _("Period 2 is already decided."),
    "first_period_ended": _(
        "Period 1 has already ended: period 2 follows it without a gap, so it must be decided before period 1 ends."
    ),
    "placement_ended": _("The placement has ended: there is no provider to change from."),
    "interruption_in_past": _("The interruption date cannot be in the past: today or later."),
    "interruption_after_end": _("The interruption date is after the placement ends."),
    "already_interrupted": _("The placement is already interrupted. Move or withdraw that interruption instead."),
    "not_interrupted": _("The placement has no interruption to change."),
    "interruption_passed": _("The interruption date has passed: it can no longer be moved or withdrawn."),
    "unknown_reason": _("Choose a reason."),
    "same_provider": _("Choose an address at another provider."),
    "language_missing": _("Say which language the support is in."),
}


def address_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active addresses grouped by organisation, labelled by unit and address, for a select."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for address in (
        Address.objects.active()
        .select_related("unit__organisation", "unit__service", "municipality")
        .order_by("unit__organisation__name", "unit__name", "street")
    ):
        label = f"{address.unit.name} ({address.unit.service.name}) – {address.label_with_municipality}"
        groups.setdefault(address.unit.organisation.name, []).append((address.pk, label))
    return list(groups.items())


class DecisionKeyMixin(forms.Form):
    """A hidden, per-form idempotency key: sending the same form twice (a double click) decides once."""

    decision_id = forms.CharField(widget=forms.HiddenInput)
    # Several of these forms share one page: each gets ids of its own (the field names stay as they are).
    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decision_id", f"bo-{uuid.uuid4()}")

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put each rule code's message at its field (or on the form when the field is not on it)."""
        for field_name, codes in problems.items():
            target = field_name if field_name in self.fields else None
            for code in codes:
                self.add_error(target, str(DECISION_MESSAGES.get(code, code)))


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
                self.add_error("decided_on", DECISION_MESSAGES["decided_in_future"])
            return
        earliest = rules.earliest_start(decided_on)
        for problem in rules.first_period_problems(
            decided_on=decided_on, starts_on=data.get("starts_on") or earliest, today=now
        ):
            message: Any = DECISION_MESSAGES[problem]
            if problem == "start_too_early":
                message = _(
                    "The service can start at the earliest ten working days after the decision: %(date)s or later."
                ) % {"date": earliest.isoformat()}
            self.add_error(rules.DATE_PROBLEM_FIELDS[problem], message)


class DecisionForm(DecisionDatesMixin, DecisionKeyMixin, DsForm):
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
    address = forms.TypedChoiceField(
        label=_("Unit and address"), coerce=int, error_messages={"required": _("Choose the unit and address.")}
    )
    level = forms.ChoiceField(
        label=_("Level (from the assessment)"),
        choices=[(level.value, level.value) for level in Level],
        widget=forms.RadioSelect,
        error_messages={"required": DECISION_MESSAGES["unknown_level"]},
    )
    decided_on = forms.DateField(
        label=_("Decision date"), widget=DateInput, error_messages={"required": _("Enter the decision date.")}
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the earliest start: ten working days after the decision."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [("", _("Choose an address")), *address_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # the dates too (DecisionDatesMixin)
        if rules.language_missing(
            needs_language_support=bool(data.get("needs_language_support")), language=data.get("language") or ""
        ):
            self.add_error("language", DECISION_MESSAGES["language_missing"])
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
                raise ValidationError(PERSONNUMMER_MESSAGES[error.code], code=error.code) from error
        return text


class InterruptForm(DecisionKeyMixin, DsForm):
    """Avbrott (SPEC S4.7)."""

    id_prefix = "interrupt"

    reason = forms.ChoiceField(
        label=_("Reason"),
        # Nothing chosen beforehand: a forgotten choice must not record the wrong reason.
        choices=[("", _("Choose a reason")), *((reason.value, REASONS[reason]) for reason in InterruptionReason)],
        error_messages={"required": DECISION_MESSAGES["unknown_reason"]},
    )
    interrupts_on = forms.DateField(label=_("Interrupted from"), widget=DateInput, help_text=_("Today or later."))


class ChangeInterruptionForm(DecisionKeyMixin, DsForm):
    """Move a future interruption, or withdraw it."""

    id_prefix = "change"

    interrupts_on = forms.DateField(label=_("New interruption date"), widget=DateInput, required=False)
    withdraw = forms.BooleanField(label=_("Withdraw the interruption"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("withdraw") and not data.get("interrupts_on"):
            raise ValidationError(_("Give a new date, or withdraw the interruption."))
        return data


class SecondPeriodForm(DecisionDatesMixin, DecisionKeyMixin, DsForm):
    """Beslut om period 2 (SPEC S4.4)."""

    id_prefix = "period2"

    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput)


class ProviderChangeForm(DecisionDatesMixin, DecisionKeyMixin, DsForm):
    """Byte av leverantör (SPEC S4.8)."""

    id_prefix = "provider"

    address = forms.TypedChoiceField(label=_("New provider: unit and address"), coerce=int)
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput)
    starts_on = forms.DateField(
        label=_("Start at the new provider"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the earliest start: ten working days after the decision."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [("", _("Choose an address")), *address_choices()]  # type: ignore[attr-defined]
