"""Forms for staff administration and registration (SPEC S3)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from faportal.access.models import Role
from faportal.access.selectors import ServiceChoice
from faportal.core.forms import DsForm
from faportal.core.http import ids_in
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer

MAX_INVITATIONS = 50
_EMAIL_SEPARATORS = re.compile(r"[,;\s]+")

PERSONNUMMER_MESSAGES = {
    "format": _("Enter the personnummer as YYYYMMDD-NNNN (12 digits)."),
    "date": _("The personnummer does not contain a valid date of birth."),
    "checksum": _("The personnummer is not valid: check the last digit."),
}


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
        invalid = []
        for email in value:
            try:
                validate_email(email)
            except ValidationError:
                invalid.append(email)
        if invalid:
            quoted = ", ".join(pgettext("a quoted value", "“%(value)s”") % {"value": email} for email in invalid)
            raise ValidationError(
                ngettext(
                    "This is not a valid e-mail address: %(emails)s. Correct it and send again.",
                    "These are not valid e-mail addresses: %(emails)s. Correct them and send again.",
                    len(invalid),
                )
                % {"emails": quoted},
                code="invalid",
            )
        if len(value) > MAX_INVITATIONS:
            raise ValidationError(
                _("You can invite at most %(max)d people at a time.") % {"max": MAX_INVITATIONS}, code="too_many"
            )


class PersonnummerField(forms.CharField):
    """A personnummer (or samordningsnummer), stored as 12 digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", _("12 digits: YYYYMMDD-NNNN"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalize_personnummer(value)
        except InvalidIdentifier as error:
            raise ValidationError(PERSONNUMMER_MESSAGES[error.code], code=error.code) from error


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
