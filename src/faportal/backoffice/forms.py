"""Back-office forms: registering an organisation and its responsible administrator (SPEC S3.1, S6)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from faportal.access.forms import PersonnummerField
from faportal.core.forms import DsForm
from faportal.core.identifiers import InvalidIdentifier, normalize_organisationsnummer
from faportal.core.problems import message_for
from faportal.registry.models import Organisation


class OrganisationsnummerField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("help_text", _("10 digits: NNNNNN-NNNN"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        try:
            return normalize_organisationsnummer(value)
        except InvalidIdentifier as error:
            raise ValidationError(message_for(error.code), code=error.code) from error


class ResponsibleAdminForm(DsForm):
    admin_given_name = forms.CharField(label=_("Administrator's given name"), max_length=100)
    admin_surname = forms.CharField(label=_("Administrator's surname"), max_length=100)
    admin_personnummer = PersonnummerField(label=_("Administrator's personnummer"))
    admin_email = forms.EmailField(
        label=_("Administrator's e-mail address"),
        help_text=_("The administrator gets a link to the portal at this address."),
        error_messages={"invalid": _("Enter a valid e-mail address, like name@example.se.")},
    )


class OrganisationForm(ResponsibleAdminForm):
    field_order = ["organisationsnummer", "name"]

    organisationsnummer = OrganisationsnummerField(
        label=_("Organisationsnummer"),
        error_messages={"exists": _("An organisation with this organisationsnummer is already registered.")},
    )
    name = forms.CharField(label=_("Organisation name"), max_length=200)

    def clean_organisationsnummer(self) -> str:
        value = str(self.cleaned_data["organisationsnummer"])
        if Organisation.objects.filter(organisationsnummer=value).exists():
            raise ValidationError(self.fields["organisationsnummer"].error_messages["exists"], code="exists")
        return value


class KaImportForm(DsForm):
    file = forms.FileField(
        label=_("File from KA-webb"),
        help_text=_("CSV (semicolon separated, UTF-8) or JSON in the ka-webb/1 format. At most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".json")):
            raise ValidationError(_("Choose a .csv or .json file."))
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload
