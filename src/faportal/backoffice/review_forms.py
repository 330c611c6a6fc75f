"""The back office's review of documents (SPEC S6): approve, or not with a written reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faportal.core.forms import DsForm, lazy_message
from faportal.documents.rules import Code


class ReviewForm(DsForm):
    """Godkänn, or Godkänn ej with a reason (motivering) that the provider reads."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve the document.")},
    )
    reason = forms.CharField(
        label=_("Written reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": "2000"}),
        help_text=_("Required when the document is not approved: say what is wrong, so the provider can correct it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", lazy_message(Code.REASON_REQUIRED))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ActivityForm(DsForm):
    """An activity of the catalogue (SPEC S5.1)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Letters a–z, digits, - and _. It never changes: submitted plans name the activity by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    mandatory = forms.BooleanField(label=_("Mandatory: every plan contains it"), required=False)
    active = forms.BooleanField(label=_("In use: offered in new plans"), required=False, initial=True)
    position = forms.IntegerField(label=_("Order in the list"), min_value=0, max_value=32000, initial=100)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class SensitiveTermForm(DsForm):
    """A word that suggests sensitive personal data (SPEC S5)."""

    term = forms.CharField(
        label=_("Word or beginning of a word"),
        max_length=60,
        help_text=_("Matches words that begin with it, whatever the case: “sjuk” also finds “sjukskriven”."),
    )
    category = forms.ChoiceField(label=_("What it may reveal"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from faportal.documents.models import SensitiveTerm

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose")), *SensitiveTerm.Category.choices]  # type: ignore[attr-defined]


class InformationTopicForm(DsForm):
    """What an informative report can concern (SPEC S5.5)."""

    name = forms.CharField(label=_("Topic"), max_length=200, help_text=_("As the provider reads it in the list."))
