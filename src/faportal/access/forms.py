"""Forms for staff administration and registration (SPEC S3)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from faportal.access.models import Role
from faportal.access.selectors import AuditFilters, ServiceChoice
from faportal.audit.actions import actions as audit_actions
from faportal.core.forms import DateInput, DsForm, QuickSelect
from faportal.core.http import ids_in
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.core.problems import message_for
from faportal.identity.models import Person

MAX_INVITATIONS = 50
_EMAIL_SEPARATORS = re.compile(r"[,;\s]+")
# RFC 5321 §4.5.3.1: at most 64 characters before the @, and an address must fit in a 256-octet path ("<" … ">").
EMAIL_LOCAL_PART_MAX = 64
EMAIL_MAX = 254
# Longer addresses are shortened in messages: the person recognises one by its start and its end.
_EMAIL_SHOWN_MAX = 60


class EmailListField(forms.CharField):
    """Several e-mail addresses separated by commas (semicolons and line breaks work too)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        seen: dict[str, str] = {}
        for part in _EMAIL_SEPARATORS.split(text):
            if part and part.lower() not in seen:
                seen[part.lower()] = part
        return list(seen.values())

    def validate(self, value: list[str]) -> None:
        if not value:
            raise ValidationError(_("Enter at least one e-mail address."), code="required")
        problems: dict[str, list[str]] = {"too_long": [], "invalid": []}
        for email in value:
            problem = email_problem(email)
            if problem:
                problems[problem].append(email)
        errors = []
        if problems["too_long"]:
            too_long = problems["too_long"]
            errors.append(
                ValidationError(
                    ngettext(
                        "This e-mail address is too long: %(emails)s. The part before the @ can have at most "
                        "%(local_max)d characters and the whole address at most %(max)d.",
                        "These e-mail addresses are too long: %(emails)s. The part before the @ can have at most "
                        "%(local_max)d characters and the whole address at most %(max)d.",
                        len(too_long),
                    )
                    % {"emails": _quoted(too_long), "local_max": EMAIL_LOCAL_PART_MAX, "max": EMAIL_MAX},
                    code="too_long",
                )
            )
        if problems["invalid"]:
            invalid = problems["invalid"]
            errors.append(
                ValidationError(
                    ngettext(
                        "This is not a valid e-mail address: %(emails)s. Correct it and send again.",
                        "These are not valid e-mail addresses: %(emails)s. Correct them and send again.",
                        len(invalid),
                    )
                    % {"emails": _quoted(invalid)},
                    code="invalid",
                )
            )
        if errors:
            raise ValidationError(errors)
        if len(value) > MAX_INVITATIONS:
            raise ValidationError(
                _("You can invite at most %(max)d people at a time.") % {"max": MAX_INVITATIONS}, code="too_many"
            )


def email_problem(email: str) -> str | None:
    """Why an address in the list cannot be invited: ``too_long`` (RFC 5321 limits), ``invalid``, or None."""
    local_part = email.rpartition("@")[0]
    if len(email) > EMAIL_MAX or len(local_part) > EMAIL_LOCAL_PART_MAX:
        return "too_long"
    try:
        validate_email(email)
    except ValidationError:
        return "invalid"
    return None


def _quoted(emails: list[str]) -> str:
    return ", ".join(pgettext("a quoted value", "“%(value)s”") % {"value": _shortened(email)} for email in emails)


def _shortened(email: str) -> str:
    if len(email) <= _EMAIL_SHOWN_MAX:
        return email
    keep = (_EMAIL_SHOWN_MAX - 1) // 2
    return f"{email[:keep]}…{email[-keep:]}"


class PersonnummerField(forms.CharField):
    """A personnummer (or samordningsnummer), stored as 12 digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", _("12 digits: YYYYMMDD-NNNN (10 digits work too)"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalize_personnummer(value)
        except InvalidIdentifier as error:
            raise ValidationError(message_for(error.code), code=error.code) from error


class InviteForm(DsForm):
    emails = EmailListField(
        label=_("E-mail addresses"),
        help_text=_("Separate several addresses with commas. Each person gets their own invitation link."),
    )


class StaffSearchForm(DsForm):
    show_optional = False
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    without_permissions = forms.BooleanField(label=_("Show only accounts without permissions"), required=False)


class PermissionsForm(DsForm):
    """Behörigheter: roles, and the addresses (chosen per service and unit) where the roles apply."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    addresses = forms.TypedMultipleChoiceField(
        label=_("Units and addresses"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, services: list[ServiceChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = services
        self.fields["addresses"].choices = [  # type: ignore[attr-defined]
            (address.pk, str(address)) for service in services for unit in service.units for address in unit.addresses
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = set(data.get("roles") or [])
        if roles & {Role.RECEIVE, Role.REPORT} and not data.get("addresses"):
            self.add_error(
                "addresses",
                _(
                    "Choose at least one address: the roles for new participants and reporting apply at the "
                    "account's addresses."
                ),
            )
        return data

    def selected_addresses(self) -> set[int]:
        if self.is_bound:
            raw = self.data.getlist("addresses") if hasattr(self.data, "getlist") else []
            return set(ids_in(str(value) for value in raw))
        return set(self.initial.get("addresses", []))

    def selected_roles(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist("roles")) if hasattr(self.data, "getlist") else set()
        return set(self.initial.get("roles", []))


class ConfirmationCodeForm(DsForm):
    code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=6,
        min_length=6,
        help_text=_("Six digits. The code is valid for %(minutes)s minutes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"min_length": _("The code has six digits."), "max_length": _("The code has six digits.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = self.fields["code"].help_text % {"minutes": settings.EMAIL_CODE_VALID_MINUTES}

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not code.isdigit():
            raise ValidationError(_("The code has six digits."), code="format")
        return code


# The imports of AuditLogForm stay next to it for now, so that this change only appends to the module.


# A typed (not picked) date that cannot be read gets the export form's message; a mistyped year (0202) can be read
# but lies outside any log, and would overflow the day bounds near year 1 or 9999.
_AUDIT_DATE_ERRORS = {"invalid": _("Enter a whole date, e.g. 2026-11-24.")}
_AUDIT_DATE_VALIDATORS = [MinValueValidator(datetime.date(2000, 1, 1)), MaxValueValidator(datetime.date(2999, 12, 31))]


class AuditLogForm(DsForm):
    """Filters of Logg (SPEC S9): who acted, which action, between which dates; each invalid value drops only itself."""

    show_optional = False

    person = forms.TypedChoiceField(
        label=_("Person"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a person from the list.")},
        widget=QuickSelect,
    )
    action = forms.ChoiceField(
        label=_("Event"),
        required=False,
        error_messages={"invalid_choice": _("Choose an event from the list.")},
        widget=QuickSelect,
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput,
        error_messages=_AUDIT_DATE_ERRORS,
        validators=_AUDIT_DATE_VALIDATORS,
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput,
        error_messages=_AUDIT_DATE_ERRORS,
        validators=_AUDIT_DATE_VALIDATORS,
    )

    def __init__(self, *args: Any, people: list[Person] | None, for_provider: bool, **kwargs: Any) -> None:
        """``for_provider``: a provider's log offers only the events that can appear in it."""
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("All events")),
            *((action.code, action.label) for action in audit_actions(for_provider=for_provider)),
        ]
        if people is None:  # too many to list: part of a name instead (a person's id, from a link, still works)
            self.fields["person"] = forms.CharField(
                label=_("Person"), required=False, max_length=100, help_text=_("Part of the name.")
            )
            return
        self.fields["person"].choices = [("", _("Everyone"))] + [  # type: ignore[attr-defined]
            (person.pk, person.full_name) for person in people
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the range cannot be before its start."))
        return data

    def filters(self) -> AuditFilters:
        self.is_valid()  # an invalid value (an old bookmark's person, a mistyped date) drops only its own filter
        data = getattr(self, "cleaned_data", {})
        person = data.get("person")
        if isinstance(person, str):  # the field for part of a name (or an id from a link)
            person, person_name = (int(person), "") if person.isdigit() else (None, person)
        else:
            person_name = ""
        return AuditFilters(
            person=person,
            person_name=person_name,
            action=data.get("action") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class ChooseOrganisationForm(DsForm):
    """Välj organisation: nothing chosen in advance, so the person chooses on purpose."""

    choice = forms.ChoiceField(
        label=_("Organisation"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose which organisation you are working for now."),
            "invalid_choice": _("Choose which organisation you are working for now."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]
