"""Signing in from a fresh browser with Mobilt BankID, and the checks the other journeys rely on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_violations, check_accessibility, qr_payload, screenshot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_a_deep_link_signs_in_and_goes_to_the_page_asked_for(page, phone, world):
    page.goto("/personal/")
    expect(page).to_have_url(re.compile(r"/logga-in/\?next=%2Fpersonal%2F$"))
    check_accessibility(page, "the login page")
    page.get_by_role("button", name="Mobilt BankID").click()
    qr = page.get_by_role("img", name="QR-kod att skanna med BankID-appen")
    expect(qr).to_be_visible()
    expect(page.locator("#bankid-message")).to_have_text("Starta BankID-appen.")
    check_accessibility(page, "the login page with the QR code")
    screenshot(page, "login-page-with-qr-code")

    # The code changes every second; the phone scans whichever frame the page shows.
    first = qr_payload(page)
    expect(page.locator("[data-qr]")).not_to_have_attribute("data-qr", first)
    order_ref = phone.scan(qr_payload(page))
    expect(page.locator("#bankid-message")).to_have_text(
        "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
    )
    check_accessibility(page, "the login page while the phone is in use")
    person = world.admin_a.person
    phone.approve(order_ref, person.personnummer, person.given_name, person.surname)

    expect(page).to_have_url(re.compile(r"/personal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal")
    expect(page.get_by_text("Inloggad som Anna Admin")).to_be_attached()


def test_the_accessibility_check_can_fail(page):
    """axe-core is really run: a page with an unlabelled field and an image without text fails the check."""
    page.set_content('<html lang="sv"><title>Fel</title><main><img src="x.png"><input type="text"></main></html>')
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(page, "a broken page")
