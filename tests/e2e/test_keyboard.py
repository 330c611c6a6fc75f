"""Keyboard only: the skip link, signing in and the permission form, with the focus visible at every stop."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import check_accessibility, qr_payload, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# The element that has the focus: what it is, its accessible name (roughly), and whether the focus can be seen: a
# non-zero, non-transparent outline or a box-shadow on the element, or on the field around it (Designsystemet draws
# the focus ring of a checkbox or radio button on its .ds-field). A skip link shows itself when focused.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const name = (el.labels && el.labels.length ? el.labels[0].innerText
        : el.getAttribute("aria-label") || el.innerText || el.value || "").replace(/\\s+/g, " ").trim();
    const transparent = (color) => color === "transparent" || /rgba\\([^)]*,\\s*0\\)$/.test(color);
    const ring = (node) => {
        const style = getComputedStyle(node);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            && !transparent(style.outlineColor);
        const shadow = style.boxShadow !== "none";
        return {visible: outline || shadow, text: `outline ${style.outline}; box-shadow ${style.boxShadow}`};
    };
    const own = ring(el);
    const field = el.matches("input[type=checkbox], input[type=radio]") && el.closest(".ds-field");
    const around = field ? ring(field) : {visible: false, text: ""};
    const box = el.getBoundingClientRect();
    const onScreen = box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0;
    const skipLink = el.matches(".ds-skip-link");
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name, onScreen,
        visible: own.visible || around.visible || (skipLink && onScreen),
        style: own.text + (field ? ` (its .ds-field: ${around.text})` : ""),
    };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    result: dict[str, Any] | None = page.evaluate(FOCUSED)
    return result


def tab_to(page: Page, name: str | re.Pattern[str], *, most: int = 40) -> list[dict[str, Any]]:
    """Presses Tab until the focused element is called ``name``; returns every stop on the way, that one last."""
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop is None:
            continue
        stops.append(stop)
        if name.search(stop["name"]) if isinstance(name, re.Pattern) else stop["name"] == name:
            return stops
    visited = "\n".join(f"  {stop['tag']} {stop['name']!r}" for stop in stops)
    raise AssertionError(f"Tab never reached {name!r}; the stops were:\n{visited}")


def assert_focus_visible(stops: list[dict[str, Any]]) -> None:
    hidden = [stop for stop in stops if not (stop["visible"] and stop["onScreen"])]
    details = "\n".join(
        f"  <{stop['tag']} id={stop['id']!r}> {stop['name']!r}: {stop['style']}, on screen: {stop['onScreen']}"
        for stop in hidden
    )
    assert not hidden, f"The keyboard focus cannot be seen on:\n{details}"


def test_signing_in_with_the_keyboard_only(page, phone, world):
    page.goto("/logga-in/")
    first = tab_to(page, "Hoppa till huvudinnehållet", most=1)
    assert_focus_visible(first)
    expect(page.get_by_role("link", name="Hoppa till huvudinnehållet")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    stops = tab_to(page, "Mobilt BankID")
    assert len(stops) == 1, "the first stop after the skip link is the first button in the main content"
    assert_focus_visible(stops)
    page.keyboard.press("Enter")
    expect(page.locator("[data-qr]")).to_be_visible()
    expect(page.locator("#bankid-panel")).to_contain_text("Starta BankID-appen")
    page.wait_for_function("document.activeElement && document.activeElement !== document.body", timeout=2_000)
    focus_after_start = focused(page)
    focus_in_panel = page.evaluate("document.getElementById('bankid-panel').contains(document.activeElement)")
    check_accessibility(page, "the QR code, reached with the keyboard")

    person = world.admin_a.person
    order_ref = phone.scan(qr_payload(page))
    phone.approve(order_ref, person.personnummer, person.given_name, person.surname)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")

    # The button that was pressed is replaced by the QR code: the focus must go to the new content, not fall back
    # to the top of the page (where Tab starts over at the skip link).
    assert focus_after_start is not None, "after Mobilt BankID the focus is on nothing (document.body)"
    assert focus_in_panel, f"after Mobilt BankID the focus is outside the BankID panel: {focus_after_start}"


def test_the_permission_form_with_the_keyboard_only(page, phone, world):
    account = world.by_roles[frozenset()]  # Roll0 Kombination: address A11 (Alfa Stockholm), no roles
    sign_in(page, phone, world.admin_a.person)
    page.goto(f"/personal/{account.pk}/behorigheter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Behörigheter för Roll0 Kombination")

    stops = tab_to(page, "Rapportering, planering och information om deltagare")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Rapportering, planering och information om deltagare")).to_be_checked()
    stops += tab_to(page, "Alfa Göteborg – alla adresser")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=re.compile("^Avenyn 3"))).to_be_checked()
    stops += tab_to(page, "Spara behörigheter")
    assert_focus_visible(stops)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Behörigheterna för Roll0 Kombination är sparade.")).to_be_visible()
    roles = page.get_by_role("heading", name="Behörigheter", exact=True).locator("xpath=following-sibling::ul[1]")
    expect(roles.get_by_role("listitem")).to_have_text(["Rapportering, planering och information om deltagare"])
    places = page.get_by_role("heading", name="Utförande verksamheter och adresser").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(places.get_by_role("listitem")).to_have_text(
        [re.compile("Alfa Göteborg · Avenyn 3"), re.compile("Alfa Stockholm · Drottninggatan 1")]
    )
