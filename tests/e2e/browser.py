"""What the browser journeys share: axe-core checks, signing in with Mobilt BankID, e-mail, screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from faportal.bankid.simulator.driver import SimulatorDriver

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = REPO / "test-results"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            // Judge what a person sees once things have settled: a dialog fading in has faded colours.
            await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => null)));
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )
    return violations


_checked_once: set[str] = set()


def check_accessibility(page: Page, where: str, *, once: bool = False) -> None:
    """Asserts that axe-core finds no WCAG 2.1 A/AA violation on the page as it is now.

    ``once``: a page every journey passes through the same way (the login page) is checked by the first journey
    that gets there, and not again in this test process.
    """
    if once:
        if where in _checked_once:
            return
        _checked_once.add(where)
    violations = axe_violations(page)
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.append(f"       {' '.join(str(node['summary'] or '').split())}")
    assert not violations, f"axe-core: {len(violations)} WCAG violation(s) on {where} ({page.url}):\n" + "\n".join(
        lines
    )


def qr_payload(page: Page) -> str:
    """The QR code's content as the page shows it now (a new frame every second)."""
    figure = page.locator("[data-qr]")
    expect(figure).to_have_count(1)
    payload = figure.get_attribute("data-qr")
    assert payload is not None
    assert payload.startswith("bankid."), payload
    return payload


def identify_with_mobile_bankid(
    page: Page, phone: SimulatorDriver, *, personnummer: str, given_name: str, surname: str, where: str
) -> None:
    """On a page offering BankID: choose Mobilt BankID, scan the QR code with the phone, approve as this person."""
    page.get_by_role("button", name="Mobilt BankID").click()
    expect(page.get_by_role("img", name="QR-kod att skanna med BankID-appen")).to_be_visible()
    expect(page.locator("#bankid-message")).to_contain_text("Starta BankID-appen")
    check_accessibility(page, f"{where} showing the QR code", once=where == "the login page")
    order_ref = phone.scan(qr_payload(page))
    phone.approve(order_ref, personnummer, given_name, surname)
    expect(page).not_to_have_url(re.compile(r"/logga-in/"))


def sign_in(page: Page, phone: SimulatorDriver, person: Any) -> None:
    """Opens the portal signed out and signs in as ``person`` with Mobilt BankID."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in på Mina sidor för fristående aktörer")
    check_accessibility(page, "the login page", once=True)
    identify_with_mobile_bankid(
        page,
        phone,
        personnummer=person.personnummer,
        given_name=person.given_name,
        surname=person.surname,
        where="the login page",
    )


def emails_to(address: str) -> list[Any]:
    """The e-mail sent to ``address`` so far (the test settings keep e-mail in django.core.mail.outbox)."""
    return [message for message in mail.outbox if address in message.to]


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, f"no link in the e-mail:\n{message.body}"
    return found.group(0)


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-results/, for a person to look at."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
