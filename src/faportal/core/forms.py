"""Forms rendered with Designsystemet's markup, an error summary, and error messages tied to their fields.

Every form in the portal uses ``DsForm``/``DsModelForm`` (or the ``DsFormMixin``): each input gets ``ds-input``,
``aria-invalid`` and ``aria-describedby`` pointing at its help text and its error, and the form starts with an
error summary linking to each field (WCAG 2.1 AA: 3.3.1, 3.3.3).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DsBoundField(BoundField):
    """A bound field whose widget carries the design system's class and the ARIA links to help and errors."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
            existing = attrs.get("class", widget.attrs.get("class", ""))
            attrs["class"] = f"{existing} ds-input".strip()
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}_helptext")
        if self.errors:
            described.append(f"{self.auto_id}_error")
            attrs["aria-invalid"] = "true"
        if described:
            attrs["aria-describedby"] = " ".join(described)
        else:
            attrs.pop("aria-describedby", None)
        return attrs

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def is_choice_group(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), whose value is always an ISO 8601 date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


class DsFormMixin:
    bound_field_class: type[BoundField] | None = DsBoundField
    default_renderer: Any = PortalFormRenderer
    template_name_div = "forms/form.html"
    # Labels say "(frivilligt)" on optional fields; search and filter forms, where everything is optional, don't.
    show_optional = True


class DsForm(DsFormMixin, forms.Form):
    """A plain form in the portal's look."""


class DsModelForm(DsFormMixin, forms.ModelForm):
    """A model form in the portal's look."""
