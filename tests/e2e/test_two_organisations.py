"""A person with accounts in two organisations picks one after signing in, and switches in the header (SPEC S3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from faportal.access.models import Role
from faportal.testing import make_account, make_person
from tests.e2e.browser import check_accessibility, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def staff_names(page: Page) -> list[str]:
    return [" ".join(name.split()) for name in page.locator("#staff-results tbody th a").all_inner_texts()]


def test_choosing_and_switching_organisation(page, phone, world):
    bengt = world.admin_b.person  # responsible administrator of Beta Matchning AB ...
    make_account(bengt, world.org_a, roles=[Role.ADMINISTER])  # ... and an administrator at Alfa Rusta AB
    make_account(make_person("Britta", "Beta"), world.org_b)

    sign_in(page, phone, bengt)
    expect(page).to_have_url(re.compile(r"/valj-organisation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vilken organisation arbetar du för nu?")
    choices = page.get_by_role("group", name="Organisation").get_by_role("radio")
    expect(choices).to_have_count(2)
    check_accessibility(page, "the organisation chooser")
    page.get_by_role("radio", name="Alfa Rusta AB").check()
    page.get_by_role("button", name="Fortsätt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Bengt")
    expect(page.get_by_text("Du arbetar för Alfa Rusta AB.")).to_be_visible()
    switcher = page.get_by_label("Arbetar för")
    expect(switcher).to_have_value(re.compile(r"^staff:"))
    expect(switcher.locator("option:checked")).to_have_text("Alfa Rusta AB")
    check_accessibility(page, "the start page with the organisation switcher")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal")
    names = staff_names(page)
    assert "Anna Admin" in names
    assert "Britta Beta" not in names
    check_accessibility(page, "Alfa Rusta AB's staff list")

    switcher.select_option(label="Beta Matchning AB")
    page.get_by_role("button", name="Byt", exact=True).click()
    expect(page.get_by_text("Du arbetar för Beta Matchning AB.")).to_be_visible()
    expect(switcher.locator("option:checked")).to_have_text("Beta Matchning AB")
    check_accessibility(page, "the start page after switching")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personal", exact=True).click()
    expect(page.locator("#staff-results tbody th a")).to_have_count(2)
    assert sorted(staff_names(page)) == ["Bengt Beta", "Britta Beta"]
    check_accessibility(page, "Beta Matchning AB's staff list")
