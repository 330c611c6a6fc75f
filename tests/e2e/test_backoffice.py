"""Arbetsförmedlingen's back office (SPEC S3.1, S2.2, S6): register an organisation and import its units from KA-webb.

The officer makes mistakes first: an organisationsnummer and a personnummer with the wrong check digit (Swedish
messages at the fields, nothing typed lost), then a KA-webb file with bad rows (every problem with its line,
nothing imported). The import runs as a task; in tests tasks run at once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from faportal.registry.ka_import import COLUMNS
from faportal.testing import make_af_officer, organisationsnummer, personnummer
from tests.e2e.browser import check_accessibility, emails_to, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

ORGNR = organisationsnummer("55600009")
PNR = personnummer(1985, 3, 3)


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def dashed(number: str) -> str:
    return f"{number[:-4]}-{number[-4:]}"


def ka_file(*rows: tuple[str, ...]) -> bytes:
    lines = [";".join(COLUMNS), *(";".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def unit_address(unit_id: str, unit: str, address_id: str, street: str, postcode: str, town: str, municipality: str):
    return (dashed(ORGNR), "rusta-och-matcha", unit_id, unit, address_id, street, postcode, town, municipality)


GOOD_ROWS = [
    unit_address("E-9001", "Gamma Stockholm", "A-9001", "Drottninggatan 10", "111 51", "Stockholm", "0180"),
    unit_address("E-9001", "Gamma Stockholm", "A-9002", "Sveavägen 20", "111 57", "Stockholm", "0180"),
    unit_address("E-9002", "Gamma Kiruna", "A-9003", "Lombololeden 2", "981 31", "Kiruna", "2584"),
]


def upload(page: Page, name: str, content: bytes) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Registerimport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importera utförande verksamheter och adresser från KA-webb"
    )
    check_accessibility(page, "the registry import page")
    page.get_by_label("Fil från KA-webb").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Import av {name}")


def open_organisation(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organisationer").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_registering_an_organisation_and_importing_its_units(page, phone):
    officer = make_af_officer("Åsa", "Öberg")
    sign_in(page, phone, officer.person)
    expect(page).to_have_url(re.compile(r"/af/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Åsa")
    check_accessibility(page, "the back office's start page")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organisationer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationer")
    check_accessibility(page, "the organisations")
    page.get_by_role("link", name="Registrera organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera organisation")
    check_accessibility(page, "the registration form")

    # Both numbers with the wrong check digit: each is named at its field; everything typed stays.
    typed = {
        "Organisationsnummer": dashed(wrong_check_digit(ORGNR)),
        "Organisationens namn": "Gamma Stöd AB",
        "Administratörens förnamn": "Greta",
        "Administratörens efternamn": "Gamma",
        "Administratörens personnummer": dashed(wrong_check_digit(PNR)),
        "Administratörens e-postadress": "greta@gamma.example.se",
    }
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera organisation")
    orgnr_message = "Organisationsnumret är inte giltigt: kontrollera den sista siffran."
    pnr_message = "Personnumret är inte giltigt: kontrollera den sista siffran."
    expect(page.locator("#id_organisationsnummer_error")).to_have_text(orgnr_message)
    expect(page.locator("#id_admin_personnummer_error")).to_have_text(pnr_message)
    expect(page.get_by_label("Organisationsnummer", exact=True)).to_have_accessible_description(
        re.compile(re.escape(orgnr_message))
    )
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [f"Organisationsnummer: {orgnr_message}", f"Administratörens personnummer: {pnr_message}"]
    )
    check_accessibility(page, "the registration form with errors")

    page.get_by_label("Organisationsnummer", exact=True).fill(dashed(ORGNR))
    page.get_by_label("Administratörens personnummer", exact=True).fill(dashed(PNR))
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gamma Stöd AB")
    expect(
        page.get_by_text("Gamma Stöd AB är registrerad. Greta Gamma har fått en länk till portalen.")
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Greta Gamma")).to_contain_text("Ansvarig")
    expect(page.get_by_text("Inga verksamheter importerade ännu.")).to_be_visible()
    check_accessibility(page, "the new organisation")
    (welcome,) = emails_to("greta@gamma.example.se")
    assert "Gamma Stöd AB" in welcome.subject

    # A file with two bad rows: both are listed with their lines, and nothing is imported.
    bad = list(GOOD_ROWS)
    bad[1] = unit_address("E-9001", "Gamma Stockholm", "A-9002", "Sveavägen 20", "1115", "Stockholm", "0180")
    bad[2] = unit_address("E-9002", "Gamma Kiruna", "A-9003", "Lombololeden 2", "981 31", "Kiruna", "9999")
    upload(page, "ka-webb-fel.csv", ka_file(*bad))
    expect(page.get_by_role("alert")).to_contain_text("Ingenting importerades")
    problems = page.get_by_role("table", name="Problem i filen").locator("tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_have_text(
        re.compile(r"^\s*3\s*postnummer\s*1115 är inget postnummer \(fem siffror\)\.\s*$")
    )
    expect(problems.nth(1)).to_have_text(re.compile(r"^\s*4\s*kommunkod\s*Okänd kommunkod 9999\.\s*$"))
    check_accessibility(page, "the failed import")
    open_organisation(page, "Gamma Stöd AB")
    expect(page.get_by_text("Inga verksamheter importerade ännu.")).to_be_visible()

    # The corrected file: two units and three addresses added.
    upload(page, "ka-webb.csv", ka_file(*GOOD_ROWS))
    expect(page.get_by_text("Importen är klar.", exact=True)).to_be_visible()
    counts = page.get_by_role("table", name="Sammanfattning")
    expect(counts.get_by_role("row", name=re.compile("^Verksamheter"))).to_have_text(
        re.compile(r"Verksamheter\s*2\s*0\s*0\s*0\s*0")
    )
    expect(counts.get_by_role("row", name=re.compile("^Adresser"))).to_have_text(
        re.compile(r"Adresser\s*3\s*0\s*0\s*0\s*0")
    )
    page.get_by_text("Tillagda verksamheter (2)").click()
    expect(page.get_by_text(re.compile("Gamma Kiruna"))).to_be_visible()
    check_accessibility(page, "the finished import")
    open_organisation(page, "Gamma Stöd AB")
    expect(page.get_by_role("heading", name="Rusta och matcha · Gamma Kiruna")).to_be_visible()
    expect(page.get_by_role("heading", name="Rusta och matcha · Gamma Stockholm")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Sveavägen 20, 111 57 Stockholm"))).to_be_visible()
    check_accessibility(page, "the organisation with its imported units")
