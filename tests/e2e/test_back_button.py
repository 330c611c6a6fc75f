"""After signing out, the back button does not bring back what a signed-in person saw (a shared computer)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_back_after_signing_out_shows_no_staff_list(playwright, portal, phone, world):
    # Playwright turns Chrome's back-forward cache off by default; people's browsers have it on.
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    try:
        page = browser.new_context(base_url=portal, locale="sv-SE").new_page()
        sign_in(page, phone, world.admin_a.person)
        page.goto("/personal/oversikt/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Behörighetsöversikt")
        page.get_by_role("button", name="Logga ut").first.click()
        expect(page).to_have_url(re.compile(r"/logga-in/"))
        page.go_back()
        expect(page).to_have_url(re.compile(r"/logga-in/"))
        expect(page.get_by_text("Drottninggatan 1")).to_have_count(0)
        expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)
    finally:
        browser.close()
