"""The address picker: one of every provider's addresses (thousands) found by typing, not chosen from a select.

A search box and, under it, the addresses that match what is typed (at most ``MATCHES``) as radio buttons; the one
chosen stays at the top while the search changes. With script the matches follow the typing (htmx, from
``backoffice:address_options``); without it, a search button sends the form back with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from faportal.registry.selectors import AddressOption, address_option, find_addresses

MATCHES = 15
SEARCH_SUFFIX = "_sok"  # the search box's name: the field's name and this
SEARCH_BUTTON_SUFFIX = "_sok_knapp"  # the search button's name (without script)


def options_context(*, name: str, id_: str, text: str, chosen: int | None, invalid: bool = False) -> dict[str, Any]:
    """What the matches show: the chosen address first, then the addresses that match ``text``."""
    found, more = find_addresses(text, limit=MATCHES)
    current = address_option(chosen)
    options: list[AddressOption] = [current] if current else []
    options += [option for option in found if current is None or option.pk != current.pk]
    return {
        "name": name,
        "id": id_,
        "options": options,
        "chosen": current.pk if current else None,
        "text": text.strip(),
        "found": len(found),
        "more": more,
        "invalid": invalid,
    }


def chosen_id(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


class AddressPicker(forms.Widget):
    """See the module. The form gives the search text (``query``); the value is the chosen address's id."""

    template_name = "backoffice/_address_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.query = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        id_ = final.get("id") or f"id_{name}"
        context = options_context(
            name=name, id_=id_, text=self.query, chosen=chosen_id(value), invalid=final.get("aria-invalid") == "true"
        )
        context.update(
            search_name=f"{name}{SEARCH_SUFFIX}",
            button_name=f"{name}{SEARCH_BUTTON_SUFFIX}",
            described_by=" ".join(filter(None, [f"{id_}_hint", final.get("aria-describedby")])),
            url=f"{reverse('backoffice:address_options')}?falt={name}&id={id_}",
            focus_after_swap=bool(final.get("data-focus-after-swap")),
        )
        return SafeString(render_to_string(self.template_name, context))
