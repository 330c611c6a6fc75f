"""QuickSelect writes exactly the HTML Django's own select writes, only faster."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from faportal.core.forms import QuickSelect

CHOICES = [
    ("", "Choose one"),
    (1, "Anna <Admin> & co"),
    ('Group "A"', [(2, "Two"), (3, "Three 'quoted'")]),
    (4, "Four"),
    ("Again", [(4, "Four again"), (None, "None at all")]),
    (6, mark_safe("<b>Safe</b> &amp; sound")),
    (7, gettext_lazy("Choose a supervisor")),
]


@pytest.mark.parametrize("value", [None, "", 1, "3", [4], "None", 5])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "class": "ds-input", "aria-invalid": "true", "required": True, "disabled": False}]
)
def test_quick_select_writes_what_djangos_select_writes(value, attrs):
    django_select = forms.Select(choices=CHOICES)
    quick = QuickSelect(choices=CHOICES)
    assert quick.render("x", value, attrs) == django_select.render("x", value, attrs)
