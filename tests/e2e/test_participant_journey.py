"""Participants from Af's decision to the provider's supervisor, and an interruption (SPEC S4.1–S4.9, issue 3).

Four people at four computers, each in a browser context of their own and signed in with Mobilt BankID through the
simulator: an Af case officer (Åsa Öberg) in the back office, the provider's coordinator (Karl Koordinator: receives
new participants), the supervisor (Hanna Handledare: reporting at Drottninggatan 1) and her colleague with the same
role at the same address (Kalle Kollega). Every page any of them sees is checked with axe-core, and that each form
field has a label of its own (which axe-core cannot tell when two fields share an id); the assertions are about what
a person sees (headings, rows, messages), not about the database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from faportal.access.actor import Actor
from faportal.access.models import AfStaffAccount, Role, StaffAccount
from faportal.core.identifiers import format_personnummer
from faportal.placements import services
from faportal.placements.models import today
from faportal.testing import World, make_account, make_af_officer, make_person, personnummer, place
from tests.e2e.browser import check_accessibility, sign_in
from tests.e2e.test_keyboard import assert_focus_visible, focused, tab_to

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PETRA_PNR = personnummer(1990, 4, 12)
ADDRESS = "Drottninggatan 1, 111 51 Stockholm"
PROTECTED = "Skyddade personuppgifter"

# Form fields whose label does not reach them: axe-core judges a field by the <label for> that names its id, so two
# fields with the same id both pass, while the browser gives the first both labels and the second none.
FIELDS_WITHOUT_ONE_LABEL = """() => {
    const uses = new Map();
    for (const el of document.querySelectorAll("[id]")) uses.set(el.id, (uses.get(el.id) || 0) + 1);
    const problems = [];
    for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        if (el.closest("[hidden]")) continue;
        const labels = el.labels ? el.labels.length : 0;
        const named = el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby");
        const shared = el.id && uses.get(el.id) > 1;
        if (shared || (labels !== 1 && !named)) {
            const text = Array.from(el.labels || []).map((label) => label.innerText.replace(/\\s+/g, " ").trim());
            problems.push(`<${el.tagName.toLowerCase()} id=${el.id} name=${el.name}>: ${labels} label(s) `
                + JSON.stringify(text) + (shared ? `, and its id is on ${uses.get(el.id)} elements` : ""));
        }
    }
    return problems;
}"""


def check_page(page: Page, where: str) -> None:
    """axe-core (WCAG 2.1 A/AA), and every form field has exactly one label of its own."""
    check_accessibility(page, where)
    problems: list[str] = page.evaluate(FIELDS_WITHOUT_ONE_LABEL)
    assert not problems, f"Fields without a label of their own on {where} ({page.url}):\n  " + "\n  ".join(problems)


@dataclass
class Cast:
    officer: AfStaffAccount
    coordinator: StaffAccount  # receives new participants at Drottninggatan 1 and Kungsgatan 2
    supervisor: StaffAccount  # reporting at Drottninggatan 1
    colleague: StaffAccount  # reporting at Drottninggatan 1 too
    elsewhere: StaffAccount  # reporting, but only at Avenyn 3 in Göteborg: never offered for Drottninggatan 1


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(
        officer=make_af_officer("Åsa", "Öberg"),
        coordinator=make_account(
            make_person("Karl", "Koordinator"), world.org_a, roles=[Role.RECEIVE], addresses=[world.a11, world.a12]
        ),
        supervisor=make_account(
            make_person("Hanna", "Handledare"), world.org_a, roles=[Role.REPORT], addresses=[world.a11]
        ),
        colleague=make_account(
            make_person("Kalle", "Kollega"), world.org_a, roles=[Role.REPORT], addresses=[world.a11]
        ),
        elsewhere=make_account(
            make_person("Greta", "Göteborg"), world.org_a, roles=[Role.REPORT], addresses=[world.a21]
        ),
    )


def iso(day: datetime.date) -> str:
    return day.isoformat()  # Swedish short dates are ISO dates (SPEC S9)


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def row_of(page: Page, reference: str) -> Locator:
    """The table row of a placement (the genomförandereferens heads the row)."""
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader").filter(has_text=reference))


def intake_row(page: Page, reference: str) -> Locator:
    return (
        page.get_by_role("table", name="Nya deltagare, de mest brådskande först")
        .locator("tbody tr")
        .filter(has_text=reference)
    )


def list_row(page: Page, reference: str) -> Locator:
    return page.get_by_role("table", name="Deltagare på dina adresser").locator("tbody tr").filter(has_text=reference)


def intake_count(page: Page) -> Locator:
    """The count above the table of Nya deltagare ("2 nya deltagare")."""
    return page.get_by_role("status").filter(has_text=re.compile(r"^\d+ nya? deltagare$"))


def supervisor_options(page: Page) -> list[str]:
    return [" ".join(text.split()) for text in page.get_by_label("Handledare").locator("option").all_inner_texts()]


# --- 1. The journey --------------------------------------------------------------------------------------------


def record_decision_in_back_office(page: Page) -> str:
    """The officer records Petra Deltagare's placement at Alfa Stockholm, Drottninggatan 1; returns its reference."""
    menu(page, "Deltagare")
    expect(h1(page)).to_have_text("Deltagare")
    check_page(page, "the back office's participants")
    page.get_by_role("link", name="Nytt beslut om deltagande").click()
    expect(h1(page)).to_have_text("Nytt beslut om deltagande")
    expect(page.get_by_label("Beslutsdatum")).to_have_value(iso(today()))
    check_page(page, "the new placement decision form")

    page.get_by_label("Personnummer").fill(format_personnummer(PETRA_PNR))
    page.get_by_label("Förnamn").fill("Petra")
    page.get_by_label("Efternamn").fill("Deltagare")
    page.get_by_label("Telefon").fill("070-123 45 67")
    page.get_by_label("Gatuadress").fill("Testgatan 1")
    page.get_by_label("Tjänst").select_option(label="Rusta och matcha")
    # Among every provider's addresses, found by typing (the Enter key searches, it does not send the form).
    page.get_by_label("Verksamhet och adress").fill("drottninggatan")
    page.get_by_label("Verksamhet och adress").press("Enter")
    address = page.get_by_role(
        "radio", name=re.compile(r"^Alfa Rusta AB · Alfa Stockholm \(Rusta och matcha\) – Drottninggatan 1")
    )
    expect(address).to_have_count(1)
    address.check()
    expect(h1(page)).to_have_text("Nytt beslut om deltagande")
    check_page(page, "the new placement decision form with addresses found")
    page.get_by_role("radio", name="B", exact=True).check()
    page.get_by_role("button", name="Registrera beslutet").click()

    expect(h1(page)).to_have_text(re.compile(r"^GFR-[0-9A-Z]{10}$"))
    reference = h1(page).inner_text().strip()
    expect(page.get_by_role("status").filter(has_text="Beslutet är registrerat")).to_have_text(
        re.compile(rf"Beslutet är registrerat: {reference} hos Alfa Rusta AB, start \d{{4}}-\d{{2}}-\d{{2}}\.")
    )
    expect(page.get_by_text("Petra Deltagare", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Alfa Rusta AB · Alfa Stockholm · Drottninggatan 1"))).to_be_visible()
    # axe-core only: its fields are checked in test_every_back_office_field_has_a_label_of_its_own.
    check_accessibility(page, "the new placement in the back office")
    return reference


def interrupt_in_back_office(page: Page, reference: str) -> None:
    """The officer finds the placement by its reference and interrupts it: first a past date (refused), then today."""
    menu(page, "Deltagare")
    page.get_by_label("Genomförandereferens eller personnummer").fill(reference)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Träffar")).to_be_visible()
    found = row_of(page, reference)
    expect(found).to_contain_text("Alfa Rusta AB")
    expect(found).to_contain_text("Petra Deltagare")
    check_page(page, "the back office's search result")
    found.get_by_role("link", name=reference).click()
    expect(h1(page)).to_have_text(reference)
    expect(page.get_by_text("Hanna Handledare", exact=True)).to_be_visible()  # the supervisor the provider chose

    interruption = page.get_by_role("region", name="Avbrott")
    interruption.get_by_label("Orsak").select_option(label="Arbete")
    interruption.get_by_label("Avbrott från").fill(iso(today() - datetime.timedelta(days=1)))
    interruption.get_by_role("button", name="Registrera avbrottet").click()
    message = "Avbrottsdatumet kan inte ligga bakåt i tiden: i dag eller senare."
    interruption = page.get_by_role("region", name="Avbrott")
    expect(interruption.get_by_label("Avbrott från")).to_have_accessible_description(re.compile(re.escape(message)))
    expect(interruption.get_by_role("alert").get_by_role("link")).to_have_text(f"Avbrott från: {message}")
    expect(page.locator("dd").filter(has_text=f"{iso(today())}: Arbete")).to_have_count(0)
    check_accessibility(page, "the interruption form with a date in the past")  # (as above)

    interruption.get_by_label("Avbrott från").fill(iso(today()))
    interruption.get_by_role("button", name="Registrera avbrottet").click()
    expect(page.get_by_text("Avbrottet är registrerat.")).to_be_visible()
    # From today: it has taken effect, so it can no longer be moved or withdrawn (nor is that offered).
    expect(
        page.get_by_text("Avbrottet har börjat gälla: det kan inte längre flyttas eller återkallas.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Flytta eller återkalla avbrottet")).to_have_count(0)
    expect(page.locator("dd").filter(has_text=f"{iso(today())}: Arbete")).to_be_visible()
    check_page(page, "the interrupted placement in the back office")


def test_from_decision_to_supervisor_to_interruption(new_context, phone, world, cast):
    # Others at the same address: one without a supervisor yet, one the colleague supervises.
    place(world.a11, given_name="Olle", surname="Oplacerad")
    other = place(world.a11, given_name="Klara", surname="Kollegasdeltagare")
    services.assign_supervisor(
        actor=Actor.for_staff_account(cast.coordinator), placements=[other], supervisor=cast.colleague
    )

    # The Af case officer records the placement decision.
    officer = new_context().new_page()
    sign_in(officer, phone, cast.officer.person)
    expect(h1(officer)).to_have_text("Välkommen, Åsa")
    check_page(officer, "the back office's start page")
    reference = record_decision_in_back_office(officer)

    # The coordinator sees Petra at once under Nya deltagare, selects her and gives her a supervisor.
    coordinator = new_context().new_page()
    sign_in(coordinator, phone, cast.coordinator.person)
    expect(h1(coordinator)).to_have_text("Välkommen, Karl")
    check_page(coordinator, "the coordinator's start page")
    menu(coordinator, "Nya deltagare")
    expect(h1(coordinator)).to_have_text("Nya deltagare")
    expect(intake_count(coordinator)).to_have_text("2 nya deltagare")
    row = intake_row(coordinator, reference)
    expect(row).to_contain_text("Petra Deltagare")
    expect(row).to_contain_text("Oläst")
    expect(row).to_contain_text("Alfa Stockholm")
    expect(row).to_contain_text(ADDRESS)
    expect(row).to_contain_text(iso(today()))
    expect(row).to_contain_text("10 arbetsdagar")  # the earliest start: ten working days after the decision
    check_page(coordinator, "Nya deltagare")
    coordinator.get_by_role("checkbox", name=f"Markera {reference}").check()
    coordinator.get_by_role("button", name="Välj handledare för markerade").click()

    expect(h1(coordinator)).to_have_text("Välj handledare")
    expect(coordinator.get_by_role("main").get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{reference} – Petra Deltagare \({ADDRESS}\)$")]
    )
    # Only staff with the reporting role at Drottninggatan 1 are offered: not the coordinator, not Greta in Göteborg.
    options = supervisor_options(coordinator)
    assert "Hanna Handledare" in options
    assert "Kalle Kollega" in options
    assert "Karl Koordinator" not in options
    assert "Greta Göteborg" not in options
    check_page(coordinator, "choosing a supervisor")
    coordinator.get_by_label("Handledare").select_option(label="Hanna Handledare")
    coordinator.get_by_role("button", name="Bekräfta").click()

    expect(h1(coordinator)).to_have_text("Nya deltagare")
    expect(coordinator.get_by_text("Hanna Handledare är nu handledare för 1 ny deltagare.")).to_be_visible()
    expect(intake_row(coordinator, reference)).to_have_count(0)
    expect(intake_count(coordinator)).to_have_text("1 ny deltagare")
    check_page(coordinator, "Nya deltagare after assigning")

    # The supervisor finds Petra among her own participants and opens her page.
    supervisor = new_context().new_page()
    sign_in(supervisor, phone, cast.supervisor.person)
    expect(h1(supervisor)).to_have_text("Välkommen, Hanna")
    check_page(supervisor, "the supervisor's start page")
    menu(supervisor, "Deltagare")
    expect(h1(supervisor)).to_have_text("Deltagare")
    results = supervisor.locator("#participant-results").get_by_role("status")
    expect(results).to_have_text("3 deltagare")
    check_page(supervisor, "the Deltagarlista")
    supervisor.get_by_label("Endast mina").check()
    expect(results).to_have_text("1 deltagare")
    expect(supervisor).to_have_url(re.compile(r"mine=on"))
    row = list_row(supervisor, reference)
    expect(row).to_contain_text("Petra Deltagare")
    expect(row).to_contain_text("Period 1, nivå B")
    expect(row).to_contain_text("Inte startad")
    expect(row).to_contain_text("Hanna Handledare")
    expect(list_row(supervisor, "Klara")).to_have_count(0)
    check_page(supervisor, "the Deltagarlista, only mine")
    row.get_by_role("link", name=reference).click()

    expect(h1(supervisor)).to_have_text("Petra Deltagare")
    expect(supervisor.get_by_text(f"{reference} · Rusta och matcha · period 1, nivå B · Inte startad")).to_be_visible()
    tabs = supervisor.get_by_role("navigation", name="Om deltagaren")
    expect(tabs.get_by_role("link", name="Deltagare & tjänst")).to_have_attribute("aria-current", "page")
    expect(supervisor.get_by_text(format_personnummer(PETRA_PNR))).to_have_count(0)
    check_page(supervisor, "the participant page")
    supervisor.get_by_role("button", name="Visa personnummer").click()
    expect(supervisor.get_by_text(format_personnummer(PETRA_PNR))).to_be_visible()
    expect(supervisor.get_by_role("button", name="Visa personnummer")).to_have_count(0)
    check_page(supervisor, "the participant page with the personnummer shown")

    # Af interrupts the placement.
    interrupt_in_back_office(officer, reference)

    # The supervisor sees it at once: the unread filter, the row, the participant page and its events.
    menu(supervisor, "Deltagare")
    unread = supervisor.get_by_role("navigation", name="Oläst")
    expect(unread.get_by_role("link", name=re.compile(r"^Avbrott"))).to_have_text(re.compile(r"^Avbrott\s*1$"))
    row = list_row(supervisor, reference)
    expect(row.get_by_role("rowheader")).to_contain_text("Avbrott")
    expect(row).to_contain_text("Avbruten")
    expect(row).to_contain_text(f"Avbrott {iso(today())}")
    show_events = row.get_by_role("button", name=f"Visa händelser {reference}")
    expect(show_events).to_have_attribute("aria-expanded", "false")
    events_id = show_events.get_attribute("aria-controls")
    show_events.click()
    # Unfolded, the button says what it does next (issue 8).
    hide_events = row.get_by_role("button", name=f"Dölj händelser {reference}")
    expect(hide_events).to_have_attribute("aria-expanded", "true")
    recent = supervisor.locator(f"#{events_id}")
    expect(recent).to_contain_text(f"Avbrott från {iso(today())}: Arbete")
    expect(recent).to_contain_text("Handledare tilldelad: Hanna Handledare")
    expect(recent.get_by_role("link", name="Alla händelser")).to_be_visible()
    check_page(supervisor, "the Deltagarlista with an interruption and a row's events shown")
    hide_events.click()
    expect(recent).to_be_hidden()
    expect(show_events).to_have_attribute("aria-expanded", "false")
    unread.get_by_role("link", name=re.compile(r"^Avbrott")).click()
    expect(results).to_have_text("1 deltagare")
    expect(unread.get_by_role("link", name=re.compile(r"^Avbrott"))).to_have_attribute("aria-current", "true")
    expect(list_row(supervisor, reference)).to_be_visible()
    check_page(supervisor, "the Deltagarlista filtered on unread interruptions")
    supervisor.get_by_label("Status").select_option(label="Avbruten")
    expect(list_row(supervisor, reference)).to_be_visible()
    expect(results).to_have_text("1 deltagare")
    list_row(supervisor, reference).get_by_role("link", name=reference).click()

    expect(h1(supervisor)).to_have_text("Petra Deltagare")
    expect(supervisor.get_by_role("status").filter(has_text="Arbetsförmedlingen")).to_have_text(
        f"Arbetsförmedlingen har beslutat om avbrott från {iso(today())}. Orsak: Arbete."
    )
    expect(supervisor.get_by_text(f"{reference} · Rusta och matcha · period 1, nivå B · Avbruten")).to_be_visible()
    expect(supervisor.locator("dd").filter(has_text=f"{iso(today())}: Arbete")).to_be_visible()
    check_page(supervisor, "the interrupted participant's page")
    tabs.get_by_role("link", name="Händelser").click()
    expect(supervisor.get_by_role("heading", level=2, name="Händelser")).to_be_visible()
    expect(tabs.get_by_role("link", name="Händelser")).to_have_attribute("aria-current", "page")
    events = supervisor.locator(".fa-timeline > li")
    expect(events).to_have_count(3)
    expect(events.nth(0)).to_contain_text(f"Avbrott från {iso(today())}: Arbete")
    expect(events.nth(0)).to_contain_text("Åsa Öberg, Arbetsförmedlingen")
    expect(events.nth(1)).to_contain_text("Handledare tilldelad: Hanna Handledare")
    expect(events.nth(1)).to_contain_text("Karl Koordinator, Alfa Rusta AB")
    expect(events.nth(2)).to_contain_text("Beslut: period 1, nivå B")
    check_page(supervisor, "the interrupted participant's events")

    # Seen: the unread interruption is gone from the list.
    menu(supervisor, "Deltagare")
    expect(unread.get_by_role("link", name=re.compile(r"^Avbrott"))).to_have_text(re.compile(r"^Avbrott\s*0$"))
    expect(list_row(supervisor, reference).get_by_role("rowheader")).not_to_contain_text("Avbrott")


# --- 2. Protected identity ---------------------------------------------------------------------------------------


def assert_no_identity(page: Page, secrets: list[str], where: str) -> None:
    """None of the protected participant's details anywhere in the page, hidden parts included."""
    html = page.content()
    leaked = [secret for secret in secrets if secret in html]
    assert not leaked, f"{where} ({page.url}) shows protected details: {leaked}"


def test_protected_identity_only_for_the_assigned_supervisor(new_context, phone, world, cast):
    siri = place(world.a11, given_name="Siri", surname="Lönnqvist", protected=True)
    reference = siri.genomforandereferens
    pnr = siri.participant.personnummer
    secrets = ["Siri", "Lönnqvist", pnr, format_personnummer(pnr), "Testgatan", "070-123 45 67", "siri@example.se"]

    # Nya deltagare and Välj handledare: no name for the coordinator.
    coordinator = new_context().new_page()
    sign_in(coordinator, phone, cast.coordinator.person)
    menu(coordinator, "Nya deltagare")
    row = intake_row(coordinator, reference)
    expect(row.get_by_role("cell").nth(1)).to_have_text(PROTECTED)
    assert_no_identity(coordinator, secrets, "Nya deltagare")
    check_page(coordinator, "Nya deltagare with a protected participant")
    coordinator.get_by_role("checkbox", name=f"Markera {reference}").check()
    coordinator.get_by_role("button", name="Välj handledare för markerade").click()
    expect(coordinator.get_by_role("main").get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{reference} – {PROTECTED} \(")]
    )
    assert_no_identity(coordinator, secrets, "Välj handledare")
    check_page(coordinator, "choosing a supervisor for a protected participant")
    coordinator.get_by_label("Handledare").select_option(label="Hanna Handledare")
    coordinator.get_by_role("button", name="Bekräfta").click()
    expect(coordinator.get_by_text("Hanna Handledare är nu handledare för 1 ny deltagare.")).to_be_visible()
    assert_no_identity(coordinator, secrets, "Nya deltagare after assigning")
    check_page(coordinator, "Nya deltagare after assigning a protected participant")

    # The assigned supervisor: no name in the list, but name and personnummer on the participant page.
    supervisor = new_context().new_page()
    sign_in(supervisor, phone, cast.supervisor.person)
    menu(supervisor, "Deltagare")
    row = list_row(supervisor, reference)
    expect(row.get_by_role("cell").nth(0)).to_have_text(PROTECTED)
    expect(row).to_contain_text("Hanna Handledare")
    assert_no_identity(supervisor, secrets, "the supervisor's Deltagarlista")
    check_page(supervisor, "the Deltagarlista with a protected participant")
    row.get_by_role("link", name=reference).click()
    expect(h1(supervisor)).to_have_text("Siri Lönnqvist")
    expect(supervisor.get_by_text("Skyddade personuppgifter: visas inte.")).to_be_visible()
    check_page(supervisor, "the protected participant's page, for the supervisor")
    supervisor.get_by_role("button", name="Visa personnummer").click()
    expect(supervisor.get_by_text(format_personnummer(pnr))).to_be_visible()
    contact = ["Testgatan", "070-123 45 67", "siri@example.se"]
    assert_no_identity(supervisor, contact, "the protected participant's page, for the supervisor (contact details)")
    check_page(supervisor, "the protected participant's personnummer, shown to the supervisor")

    # A colleague with the reporting role at the same address sees neither name nor personnummer, anywhere.
    colleague = new_context().new_page()
    sign_in(colleague, phone, cast.colleague.person)
    menu(colleague, "Deltagare")
    row = list_row(colleague, reference)
    expect(row.get_by_role("cell").nth(0)).to_have_text(PROTECTED)
    assert_no_identity(colleague, secrets, "the colleague's Deltagarlista")
    check_page(colleague, "the colleague's Deltagarlista with a protected participant")
    colleague.get_by_label("Sök på genomförandereferens eller namn").fill("Siri")
    expect(colleague.get_by_text("Inga deltagare matchar.")).to_be_visible()
    check_page(colleague, "the colleague's search by the protected participant's name")
    colleague.get_by_label("Sök på genomförandereferens eller namn").fill(reference)
    expect(list_row(colleague, reference)).to_be_visible()
    list_row(colleague, reference).get_by_role("link", name=reference).click()
    expect(h1(colleague)).to_have_text(PROTECTED)
    expect(colleague.get_by_text("Endast den tilldelade handledaren ser det.")).to_be_visible()
    expect(colleague.get_by_role("button", name="Visa personnummer")).to_have_count(0)
    assert_no_identity(colleague, secrets, "the protected participant's page, for a colleague")
    check_page(colleague, "the protected participant's page, for a colleague")
    colleague.get_by_role("navigation", name="Om deltagaren").get_by_role("link", name="Händelser").click()
    expect(colleague.get_by_role("heading", level=2, name="Händelser")).to_be_visible()
    assert_no_identity(colleague, secrets, "the protected participant's events, for a colleague")
    check_page(colleague, "the protected participant's events, for a colleague")


# --- 3. Keyboard only --------------------------------------------------------------------------------------------


def test_choosing_new_participants_and_their_supervisor_with_the_keyboard_only(new_context, phone, world, cast):
    first = place(world.a11, given_name="Tove", surname="Tangent").genomforandereferens
    second = place(world.a12, given_name="Tor", surname="Tabb").genomforandereferens
    page = new_context().new_page()
    sign_in(page, phone, cast.coordinator.person)
    page.goto("/nya-deltagare/")
    expect(h1(page)).to_have_text("Nya deltagare")

    stops = tab_to(page, "Hoppa till huvudinnehållet", most=1)
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # Markera alla: Space ticks every row, and again none.
    stops += tab_to(page, "Markera alla")
    boxes = page.get_by_role("table").get_by_role("checkbox", name=re.compile(r"^Markera GFR-"))
    expect(boxes).to_have_count(2)
    page.keyboard.press("Space")
    for box in boxes.all():
        expect(box).to_be_checked()
    page.keyboard.press("Space")
    for box in boxes.all():
        expect(box).not_to_be_checked()
    stops += tab_to(page, f"Markera {first}")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=f"Markera {first}")).to_be_checked()
    expect(page.get_by_role("checkbox", name=f"Markera {second}")).not_to_be_checked()
    stops += tab_to(page, "Välj handledare för markerade")
    assert_focus_visible(stops)
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Välj handledare")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text([re.compile(rf"^{first} – Tove Tangent")])
    stops = tab_to(page, "Handledare")
    # A closed select takes the option's first letters from the keyboard.
    page.keyboard.type("Hanna")
    expect(page.get_by_label("Handledare").locator("option:checked")).to_have_text("Hanna Handledare")
    stops += tab_to(page, "Bekräfta")
    assert_focus_visible(stops)
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Nya deltagare")
    expect(page.get_by_text("Hanna Handledare är nu handledare för 1 ny deltagare.")).to_be_visible()
    expect(intake_row(page, first)).to_have_count(0)
    expect(intake_row(page, second)).to_contain_text("Tor Tabb")
    check_page(page, "Nya deltagare after assigning with the keyboard")


def test_showing_the_personnummer_with_the_keyboard_keeps_the_focus(new_context, phone, world, cast):
    placement = place(world.a11, given_name="Vera", surname="Visa")
    services.assign_supervisor(
        actor=Actor.for_staff_account(cast.coordinator), placements=[placement], supervisor=cast.supervisor
    )
    page = new_context().new_page()
    sign_in(page, phone, cast.supervisor.person)
    page.goto(f"/deltagare/{placement.pk}/")
    expect(h1(page)).to_have_text("Vera Visa")

    stops = tab_to(page, "Visa personnummer")
    assert_focus_visible(stops)
    page.keyboard.press("Enter")
    expect(page.get_by_text(format_personnummer(placement.participant.personnummer))).to_be_visible()
    check_page(page, "the participant page with the personnummer shown by keyboard")
    # The button pressed is gone (the number took its place): the focus must stay there, not fall back to the top
    # of the page where Tab starts over at the skip link.
    after = focused(page)
    assert after is not None, "after Visa personnummer the focus is on nothing (document.body)"
    assert page.evaluate("document.getElementById('personnummer').contains(document.activeElement)"), (
        f"after Visa personnummer the focus is outside the personnummer: {after}"
    )


# --- 4. Every field of the back office's placement page has a label of its own ------------------------------------


def test_every_back_office_field_has_a_label_of_its_own(new_context, phone, world, cast):
    reference = place(world.a11, given_name="Lena", surname="Label").genomforandereferens
    page = new_context().new_page()
    sign_in(page, phone, cast.officer.person)
    page.goto(f"/af/deltagare/{reference}/")
    expect(h1(page)).to_have_text(reference)
    # Period 2 and a provider change are both decided on a date: each form's field must be named by its own label.
    check_page(page, "the back office's placement page")
    # The change of provider shows its form (every provider's addresses) when asked for, and the focus goes to it.
    page.get_by_role("region", name="Byt leverantör").get_by_role("link", name="Välj ny leverantör").click()
    expect(page.get_by_label("Ny leverantör: verksamhet och adress")).to_be_focused()
    check_page(page, "the back office's placement page with the change of provider")
    for form in ("Besluta om period 2", "Byt leverantör"):
        region = page.get_by_role("region", name=form)
        expect(region.get_by_role("textbox", name="Beslutsdatum", exact=True)).to_be_visible()


def test_exporting_participants_to_excel(new_context, phone, world, cast, tmp_path):
    import openpyxl

    nils = place(world.a11, given_name="Nils", surname="Nyman")
    secret = place(world.a11, given_name="Hemlig", surname="Dold", protected=True)
    place(world.a21, given_name="Göte", surname="Annanstans")  # not at the supervisor's address
    services.assign_supervisor(
        actor=Actor.for_staff_account(cast.coordinator), placements=[nils], supervisor=cast.supervisor
    )
    page = new_context().new_page()
    sign_in(page, phone, cast.supervisor.person)
    menu(page, "Deltagare")
    page.get_by_role("link", name="Exportera deltagare").click()
    expect(h1(page)).to_have_text("Exportera deltagare")
    preview = page.get_by_role("region", name="Förhandsvisning")
    expect(preview).to_contain_text("Exporten innehåller 2 deltagare.")
    check_page(page, "the export page")

    page.get_by_label("Bara med handledare").check()  # the preview follows the choices as they change
    expect(preview).to_contain_text("Exporten innehåller 1 deltagare.")
    expect(preview.locator("tbody tr")).to_have_count(1)
    page.get_by_label("Med eller utan handledare").check()
    expect(preview).to_contain_text("Exporten innehåller 2 deltagare.")
    on_screen = [" ".join(row.split()) for row in preview.locator("tbody tr th").all_inner_texts()]
    assert sorted(on_screen) == sorted([nils.genomforandereferens, secret.genomforandereferens])

    page.get_by_role("button", name="Exportera", exact=True).click()
    expect(h1(page)).to_have_text("Din export")  # a confirmation, not a silent download
    expect(page.get_by_role("status")).to_contain_text("Filen är klar: 2 deltagare.")
    check_page(page, "the finished export")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Ladda ner ")).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == sorted(on_screen)
    assert {(row[1], row[4]) for row in rows[1:]} == {("Nils", "Nej"), (None, "Ja")}  # Förnamn; skyddade
    assert "Dold" not in str(rows)

    page.get_by_role("link", name="← Exportera deltagare").click()
    expect(preview).to_contain_text("Exporten innehåller 0 deltagare.")  # both are exported now
    history = page.get_by_role("table", name="Dina senaste exporter")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history).to_contain_text(download.value.suggested_filename)
    check_page(page, "the export page with its history")
