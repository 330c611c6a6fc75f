"""Forms rendered with Designsystemet's markup, an error summary, and error messages tied to their fields.

Every form in the portal uses ``DsForm``/``DsModelForm`` (or the ``DsFormMixin``): each input gets ``ds-input``,
``aria-invalid`` and ``aria-describedby`` pointing at its help text and its error, and the form starts with an
error summary linking to each field (WCAG 2.1 AA: 3.3.1, 3.3.3).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from faportal.core.dates import EARLIEST_DATE, LATEST_DATE, is_supported_date
from faportal.core.problems import Problem, Refused, message, message_for


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


class QuickSelect(forms.Select):
    """A select written out in Python: the very HTML of Django's select, without a template for every option.

    For selects of hundreds or thousands of options (a big provider's supervisors, every provider's addresses), where
    rendering each option through its template costs more than the rest of the page.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # As ChoiceWidget.optgroups() and create_option() decide them: the first option whose value is the
        # value is selected, a list as a label makes a group, and an option carries no attribute but that.
        values = set(self.format_value(value))
        found = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal found
            selected = not found and str(option_value) in values
            found = found or selected
            return (
                f'\n  <option value="{_escape(str(option_value))}"{" selected" if selected else ""}>'
                f"{_escape(label)}</option>\n"
            )

        parts = [f'<select name="{_escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            option_value = "" if option_value is None else option_value  # at the top level only, as Django does
            if isinstance(label, list | tuple):
                parts.append(f'\n  <optgroup label="{_escape(option_value)}">')
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


class Choices:
    """Choices read when first needed (when the field is shown or checked), then kept: a form left unshown on the
    page never reads them. ``read`` returns them as Django keeps them: (value, label) pairs, or (group, pairs).
    """

    def __init__(self, read: Callable[[], list[tuple[Any, Any]]]) -> None:
        self.read = read
        self.found: list[tuple[Any, Any]] | None = None

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.found is None:
            self.found = self.read()
        return iter(self.found)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def set_choices(field: forms.ChoiceField, choices: Iterable[tuple[Any, Any]]) -> None:
    """Gives ``field`` choices already in Django's normal form, without normalising them again (thousands of
    addresses cost Django's normalising more than everything else on the page).
    """
    field._choices = field.widget._choices = choices  # type: ignore[attr-defined]


def _escape(value: Any) -> str:
    """Django's ``conditional_escape``, without its lazy-string wrapping (it counts, thousands of times a page)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: True as a bare name, False left out, anything else quoted."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), whose value is always an ISO 8601 date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


# A code's words for a form field's own error messages, looked up when the message is shown (in its language).
lazy_message = lazy(message_for, str)


class DateField(forms.DateField):
    """A date typed or picked in a form: the browser's date picker, and a year the portal can work with.

    A date outside ``core.dates.EARLIEST_DATE`` … ``LATEST_DATE`` (a year 0202 or 9999) is a typo, answered at its
    field, never carried into date arithmetic that would run past the calendar.
    """

    widget = DateInput

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not is_supported_date(value):
            raise forms.ValidationError(
                _("Check the year: enter a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()},
                code="out_of_range",
            )


class DsFormMixin:
    bound_field_class: type[BoundField] | None = DsBoundField
    default_renderer: Any = PortalFormRenderer
    template_name_div = "forms/form.html"
    # Labels say "(frivilligt)" on optional fields; search and filter forms, where everything is optional, don't.
    show_optional = True
    # A rule's field name, where this form names the field differently (the rule's "placement" is the whole form).
    problem_fields: Mapping[str, str] = {}

    def add_problems(self, problems: Refused | Iterable[Problem]) -> None:
        """Show each problem a rule or service found at its field (on the form as a whole when it has no such field)."""
        found = problems.problems if isinstance(problems, Refused) else problems
        form: Any = self
        for problem in found:
            name = self.problem_fields.get(problem.field, problem.field)
            form.add_error(name if name in form.fields else None, message(problem))


class DsForm(DsFormMixin, forms.Form):
    """A plain form in the portal's look."""


class DsModelForm(DsFormMixin, forms.ModelForm):
    """A model form in the portal's look."""
