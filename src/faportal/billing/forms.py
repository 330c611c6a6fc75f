"""Forms of the Ekonomi pages and Af's finance pages: filters, billing details, an ERP upload, a tariff, a decision."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faportal.billing import messages
from faportal.billing.rules import Article, Code, LineStatus, MatchStatus, VatChoice
from faportal.core.dates import YearMonth
from faportal.core.forms import DateField, DsForm
from faportal.core.problems import message_for


class LineFilterForm(DsForm):
    show_optional = False
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=[(status.value, messages.LINE_STATUS[status]) for status in LineStatus],
        widget=forms.CheckboxSelectMultiple,
    )
    article = forms.ChoiceField(
        label=_("Article"),
        required=False,
        choices=[("", _("All"))] + [(article.value, messages.ARTICLES[article.value]) for article in Article],
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("YYYY-MM, e.g. 2026-11"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    q = forms.CharField(label=_("Order number or genomförandereferens"), required=False, max_length=40)

    def clean_month(self) -> YearMonth | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        month = YearMonth.parse(text)
        if month is None or not re.fullmatch(r"\d{4}-\d{2}", text):
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        return month


class InvoiceFilterForm(DsForm):
    show_optional = False
    match = forms.MultipleChoiceField(
        label=_("Matching"),
        required=False,
        choices=[(status.value, messages.MATCH_STATUS[status]) for status in MatchStatus],
        widget=forms.CheckboxSelectMultiple,
    )
    q = forms.CharField(label=_("Invoice number, order number or reference"), required=False, max_length=100)


class ProfileForm(DsForm):
    """Faktureringsuppgifter: the address, VAT, F-skatt and account on the organisation's invoices (S7.4)."""

    street = forms.CharField(label=_("Street address"), max_length=200)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    town = forms.CharField(label=_("Town"), max_length=100)
    vat = forms.ChoiceField(
        label=_("VAT on the compensations"),
        choices=[
            (VatChoice.STANDARD.value, _("25 % VAT")),
            (VatChoice.EXEMPT.value, _("Exempt from VAT (give the reason)")),
        ],
        widget=forms.RadioSelect,
    )
    exemption_reason = forms.CharField(
        label=_("Reason for the exemption"),
        required=False,
        max_length=300,
        help_text=_("Shown on the invoice, e.g. the section of the VAT act. Only when exempt."),
    )
    f_skatt = forms.BooleanField(label=_("Approved for F-tax (Godkänd för F-skatt)"), required=False)
    account_kind = forms.ChoiceField(
        label=_("Paid to"), choices=list(messages.ACCOUNT_KINDS.items()), widget=forms.RadioSelect
    )
    account_number = forms.CharField(label=_("Account number"), max_length=20)
    contact_name = forms.CharField(label=_("Contact for invoices"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("E-mail address for invoices"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def clean_postcode(self) -> str:
        text = re.sub(r"\s", "", self.cleaned_data.get("postcode") or "")
        if not re.fullmatch(r"\d{5}", text):
            raise forms.ValidationError(message_for(Code.INVALID_POSTCODE))
        return text

    def clean_account_number(self) -> str:
        text = re.sub(r"[\s-]", "", self.cleaned_data.get("account_number") or "")
        if not re.fullmatch(r"\d{2,8}", text) or (
            self.data.get("account_kind") == "SE:BANKGIRO" and not re.fullmatch(r"\d{7,8}", text)
        ):
            raise forms.ValidationError(message_for(Code.INVALID_ACCOUNT))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("vat") == VatChoice.EXEMPT and not (data.get("exemption_reason") or "").strip():
            self.add_error("exemption_reason", message_for(Code.REQUIRED))
        return data


class UploadForm(DsForm):
    """Skicka faktura från eget affärssystem: a UBL invoice or credit note, as a file or pasted."""

    file = forms.FileField(
        label=_("File (UBL XML)"),
        required=False,
        help_text=_("A PEPPOL BIS Billing 3.0 invoice or credit note, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    text = forms.CharField(
        label=_("Or paste the XML"), required=False, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})
    )

    def document(self) -> bytes | None:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return b"".join(upload.chunks())
        text = self.cleaned_data.get("text") or ""
        return text.encode("utf-8") if text.strip() else None


class CreditForm(DsForm):
    reissue = forms.BooleanField(label=_("Make a new invoice for the same lines at once"), required=False, initial=True)


def parse_amount(text: str) -> Decimal | None:
    """An amount as people type it: 12 400, 12400,50, 12 400.50 kr (None when it is not one)."""
    cleaned = re.sub(r"(?i)\s|kr|sek|\u00a0", "", text).replace(",", ".")
    if not re.fullmatch(r"\d{1,10}(\.\d{1,2})?", cleaned):
        return None
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern allows only numbers
        return None


class TariffForm(DsForm):
    """Ett pris (S7.1): article, level, price and the days it is valid."""

    article = forms.ChoiceField(
        label=_("Article"), choices=[(article.value, messages.ARTICLES[article.value]) for article in Article]
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("No level (one price)")), ("A", "A"), ("B", "B"), ("C", "C")],
        help_text=_("Only the base compensation has a price per level."),
    )
    price = forms.CharField(
        label=_("Price (kronor)"), max_length=20, help_text=_("Per month for the base compensation.")
    )
    valid_from = DateField(label=_("Valid from"))
    valid_to = DateField(label=_("Valid to"), required=False)
    example = forms.BooleanField(label=_("Example price (not Arbetsförmedlingen's real price)"), required=False)

    def clean_price(self) -> Decimal:
        amount = parse_amount(self.cleaned_data.get("price") or "")
        if amount is None:
            raise forms.ValidationError(message_for(Code.INVALID_AMOUNT))
        return amount


class DecisionForm(DsForm):
    """Af's decision on an invoice in the manual queue: accept it, or reject it with what to correct."""

    reason = forms.CharField(
        label=_("What the provider must correct (when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
