"""Documents II in the browser (SPEC S5.2, S5.3, S5.5–S5.8; issue 10): every new kind written by a supervisor, one bad
input said in Swedish at its field, submitted, and decided by Af; the supervisor sees the outcome. A result report
gets its evidence uploaded (a scripted PDF and a photo with its GPS position) and its PDF copy downloaded and checked.
Every page is checked with axe-core, and every field has a label of its own.

Hanna Handledare (reporting at Drottninggatan 1) reports for Rut Rapport, whose placement started some weeks ago and
whose plan is approved, and for Filip Slut, whose placement Af interrupted from today; Åsa Öberg reviews.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pikepdf
import pypdf
import pytest
from playwright.sync_api import Page, expect

from faportal.access.actor import Actor
from faportal.access.models import AfStaffAccount, Role, StaffAccount
from faportal.placements import services
from faportal.placements.models import Placement
from faportal.testing import (
    World,
    approved_plan,
    make_account,
    make_af_officer,
    make_person,
    pdf_bytes,
    place,
    png_bytes,
)
from tests.e2e.browser import screenshot, sign_in
from tests.e2e.test_documents_journey import review
from tests.e2e.test_participant_journey import check_page, h1, menu

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@dataclass
class Cast:
    officer: AfStaffAccount
    hanna: StaffAccount
    rut: Placement  # running, with an approved plan
    filip: Placement  # interrupted from today, with an approved plan


def cast(world: World) -> Cast:
    officer = make_af_officer("Åsa", "Öberg")
    hanna = make_account(make_person("Hanna", "Handledare"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    coordinator = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    started = TODAY - datetime.timedelta(days=75)
    rut = place(world.a11, given_name="Rut", surname="Rapport", decided_on=started)
    filip = place(world.a11, given_name="Filip", surname="Slut", decided_on=started)
    services.assign_supervisor(actor=coordinator, placements=[rut, filip], supervisor=hanna)
    approved_plan(rut, hanna, officer)
    approved_plan(filip, hanna, officer)
    services.interrupt(actor=Actor.system("test"), key="e2e-filip", placement=filip, reason="work", interrupts_on=TODAY)
    return Cast(officer, hanna, rut, filip)


def reporting(page: Page, placement: Placement) -> None:
    page.goto(f"/deltagare/{placement.pk}/rapportering/")
    expect(page.get_by_role("heading", level=2, name="Rapportering")).to_be_visible()


def begin(page: Page, placement: Placement, button: str, heading: str) -> None:
    reporting(page, placement)
    page.get_by_role("region", name="Skriv en ny handling").get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile(rf"^{heading}"))


def preview_refused(page: Page, field_label: str, words: str) -> None:
    """Preview (its button saves what was typed): refused; the error summary names the problem, the field says it."""
    page.get_by_role("button", name="Förhandsgranska och skicka in").click()
    summary = page.get_by_role("alert").filter(has_text="Rätta följande innan du skickar in")
    expect(summary).to_contain_text(words)
    expect(page.get_by_label(field_label).first).to_have_accessible_description(re.compile(re.escape(words)))


def submit(page: Page, kind_label: str) -> None:
    page.get_by_role("button", name="Förhandsgranska och skicka in").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile(rf"^Förhandsvisning: {kind_label}"))
    check_page(page, f"the preview of {kind_label}")
    page.get_by_role("checkbox", name="Jag bekräftar att uppgifterna stämmer").check()
    page.get_by_role("button", name="Skicka in till Arbetsförmedlingen").click()
    expect(page.get_by_text(re.compile(rf"{kind_label}, .* är inskickad till Arbetsförmedlingen"))).to_be_visible()


def test_absence_deviation_information_and_a_signal_from_draft_to_decision(new_context, phone, world):
    people = cast(world)
    hanna = new_context().new_page()
    sign_in(hanna, phone, people.hanna.person)
    reporting(hanna, people.rut)
    check_page(hanna, "the Rapportering tab with every kind to start")
    screenshot(hanna, "documents-ii-reporting-tab")

    # --- Avvikelserapport – frånvaro: a future day is refused ------------------------------------------------------
    begin(hanna, people.rut, "Rapportera frånvaro", "Avvikelserapport – frånvaro")
    other = hanna.get_by_role("group", name="Vilken annan orsak")
    expect(other).to_be_hidden()  # only for another known reason
    hanna.get_by_label("Datum för frånvaron").fill((TODAY + datetime.timedelta(days=2)).isoformat())
    hanna.get_by_role("group", name="Orsak").get_by_label("Annan känd orsak").check()
    expect(other).to_be_visible()
    other.get_by_label("Läkar- eller tandläkarbesök").check()
    hanna.get_by_role("group", name="Frånvarande").get_by_label("Del av dagen").check()
    hanna.get_by_label("Planerad från").fill("09:00")
    hanna.get_by_label("Planerad till").fill("15:00")
    hanna.get_by_label("Frånvarande från").fill("09:00")
    hanna.get_by_label("Frånvarande till").fill("11:30")
    check_page(hanna, "an absence report")
    preview_refused(hanna, "Datum för frånvaron", "Datumet kan inte ligga framåt i tiden")
    check_page(hanna, "an absence report with its problem")
    screenshot(hanna, "documents-ii-absence-refused-day")
    expect(hanna.get_by_label("Frånvarande till")).to_have_value("11:30")  # nothing typed is lost
    hanna.get_by_label("Datum för frånvaron").fill(YESTERDAY.isoformat())
    submit(hanna, "Avvikelserapport – frånvaro")
    expect(hanna.get_by_text("Annan känd orsak: Läkar- eller tandläkarbesök")).to_be_visible()
    check_page(hanna, "a submitted absence report")

    # --- Avvikelserapport – avvikelse: what the reason needs said ---------------------------------------------------
    begin(hanna, people.rut, "Rapportera avvikelse", "Avvikelserapport – avvikelse")
    hanna.get_by_label("Datum för händelsen").fill(YESTERDAY.isoformat())
    hanna.get_by_role("group", name="Orsak").get_by_label("Misskötsamhet eller störde verksamheten").check()
    expect(hanna.get_by_label("Vilket arbete eller vilken aktivitet")).to_be_hidden()
    hanna.get_by_label("Hur deltagaren agerade").fill("Deltagaren lämnade gruppaktiviteten i förtid och höjde rösten.")
    check_page(hanna, "a deviation report")
    preview_refused(
        hanna, "Vad ni gjorde för att stötta deltagaren eller anpassa aktiviteten", "Fyll i det här: det krävs."
    )
    hanna.get_by_label("Vad ni gjorde för att stötta deltagaren eller anpassa aktiviteten").fill(
        "Samtal med deltagaren dagen efter; nästa aktivitet sker enskilt."
    )
    submit(hanna, "Avvikelserapport – avvikelse")

    # --- Informativ rapport: the contact details are hers, the phone number must be one ------------------------------
    begin(hanna, people.rut, "Ny informativ rapport", "Informativ rapport")
    expect(hanna.get_by_label("Ditt namn")).to_have_value("Hanna Handledare")
    hanna.get_by_role("group", name="Vad den gäller").get_by_label("Deltagaren behöver tolk").check()
    hanna.get_by_label("Information", exact=True).fill("Deltagaren vill ha tolk på arabiska vid trepartssamtalet.")
    hanna.get_by_label("Telefon").fill("ring mig")
    check_page(hanna, "an informative report")
    preview_refused(hanna, "Telefon", "Skriv ett telefonnummer med siffror")
    hanna.get_by_label("Telefon").fill("08-123 456 78")
    submit(hanna, "Informativ rapport")

    # --- Signal om arbete eller studier: part time needs its percent -------------------------------------------------
    begin(hanna, people.rut, "Ny signal om arbete eller studier", "Signal om arbete eller studier")
    hanna.get_by_role("group", name="Arbete eller studier").get_by_label("Studier").check()
    expect(hanna.get_by_label(re.compile("^Studierna börjar efter att tjänsten slutar"))).to_be_visible()
    hanna.get_by_role("group", name="Omfattning").get_by_label("Deltid").check()
    hanna.get_by_label("Procent av heltid").fill("150")
    hanna.get_by_label("Startdatum, eller datum för ansökan").fill((TODAY + datetime.timedelta(days=14)).isoformat())
    check_page(hanna, "a signal of work or studies")
    preview_refused(hanna, "Procent av heltid", "Ange omfattningen i procent av heltid")
    hanna.get_by_label("Procent av heltid").fill("50")
    submit(hanna, "Signal om arbete eller studier")

    # --- Åsa decides: the deviation is not approved, the rest are ---------------------------------------------------
    asa = new_context().new_page()
    sign_in(asa, phone, people.officer.person)
    review(asa, "^Avvikelserapporter – frånvaro\\s*:", approve=True)
    review(asa, "^Avvikelserapporter – avvikelse\\s*:", approve=False, reason="Beskriv vilken aktivitet det gällde.")
    review(asa, "^Informativa rapporter\\s*:", approve=True)
    review(asa, "^Signaler om arbete eller studier\\s*:", approve=True)
    menu(asa, "Granskning")
    check_page(asa, "the review queues of nine kinds")
    screenshot(asa, "documents-ii-review-queues")

    # --- Hanna sees the outcome -------------------------------------------------------------------------------------
    menu(hanna, "Deltagare")
    row = hanna.locator("tbody tr").filter(has_text=people.rut.genomforandereferens)
    expect(row).to_contain_text("Granskad")
    expect(row).to_contain_text("Ej godkänd")
    reporting(hanna, people.rut)
    documents = hanna.get_by_role("table", name="Handlingar")
    expect(documents.locator("tr").filter(has_text="Avvikelserapport – avvikelse")).to_contain_text("Ej godkänd")
    expect(documents.locator("tr").filter(has_text="Avvikelserapport – frånvaro")).to_contain_text("Godkänd")
    documents.get_by_role("link", name="Avvikelserapport – avvikelse").click()
    expect(hanna.get_by_text("Motivering: Beskriv vilken aktivitet det gällde.")).to_be_visible()
    check_page(hanna, "a deviation report not approved")


def test_a_result_report_with_evidence_its_pdf_copy_and_result_2(new_context, phone, world, tmp_path):
    people = cast(world)
    hanna = new_context().new_page()
    sign_in(hanna, phone, people.hanna.person)
    begin(hanna, people.rut, "Ny resultatredovisning 1", "Resultatredovisning 1")
    hanna.get_by_role("group", name="Arbete eller studier").get_by_label("Arbete").check()
    hanna.get_by_role("group", name="Omfattning").get_by_label("Deltid").check()
    hanna.get_by_label("Procent av heltid").fill("80")
    hanna.get_by_label(re.compile("^Deltiden är den deltagaren ville ha")).check()
    hanna.get_by_label("Arbetsgivare eller skola").fill("Lagerbolaget AB")
    hanna.get_by_label("Startdatum").fill(YESTERDAY.isoformat())
    hanna.get_by_label("Arbetsgivarens organisationsnummer").fill("556677-8890")
    hanna.get_by_label("Välj filer").set_input_files(
        [
            {
                "name": "lonespec.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes(javascript=True, attachment=True),
            },
            {"name": "avtal.png", "mimeType": "image/png", "buffer": png_bytes(gps=True)},
        ]
    )
    hanna.get_by_role("button", name="Ladda upp filerna").click()
    expect(hanna.get_by_text("Bifogat: lonespec.pdf, avtal.png.")).to_be_visible()
    evidence = hanna.get_by_role("group", name="Underlag")
    expect(evidence.get_by_role("link", name="lonespec.pdf")).to_be_visible()
    expect(hanna.get_by_label("Arbetsgivare eller skola")).to_have_value("Lagerbolaget AB")  # saved with the upload
    check_page(hanna, "a result report with its evidence")
    screenshot(hanna, "documents-ii-result-evidence")
    preview_refused(hanna, "Arbetsgivarens organisationsnummer", "Organisationsnumret är inte giltigt")
    hanna.get_by_label("Arbetsgivarens organisationsnummer").fill("556677-8899")
    submit(hanna, "Resultatredovisning 1")
    check_page(hanna, "a submitted result report")

    # The PDF copy (made by the worker right after) and the evidence download as files.
    with hanna.expect_download() as copy_download:
        hanna.get_by_role("link", name=re.compile("^Ladda ned som pdf")).click()
    copy = tmp_path / copy_download.value.suggested_filename
    copy_download.value.save_as(copy)
    assert copy.name.startswith("resultatredovisning-1-")
    with pikepdf.open(copy) as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "2"
        assert pdf.Root.MarkInfo.Marked is True
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(copy).pages)
    assert "Lagerbolaget AB" in text
    assert "lonespec.pdf" in text
    with hanna.expect_download() as evidence_download:
        hanna.get_by_role("link", name="lonespec.pdf").click()
    kept = tmp_path / "kept.pdf"
    evidence_download.value.save_as(kept)
    with pikepdf.open(kept) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert len(pdf.attachments) == 0

    # Åsa sees the evidence and approves; result 2 can follow, which she does not approve.
    asa = new_context().new_page()
    sign_in(asa, phone, people.officer.person)
    menu(asa, "Granskning")
    asa.get_by_role("navigation", name="Typer av handlingar").get_by_role(
        "link", name=re.compile("^Resultatredovisningar 1\\s*:")
    ).click()
    asa.get_by_role("table").get_by_role("link").first.click()
    expect(asa.get_by_role("link", name="avtal.png")).to_be_visible()
    check_page(asa, "reviewing a result report")
    asa.get_by_role("radio", name="Godkänn", exact=True).check()
    asa.get_by_role("button", name="Spara granskningen").click()
    expect(asa.get_by_text(re.compile(r"^Godkänd: Resultatredovisning 1"))).to_be_visible()

    hanna.reload()
    expect(hanna.get_by_text(re.compile(r"^Godkänd av Arbetsförmedlingen"))).to_be_visible()
    begin(hanna, people.rut, "Ny resultatredovisning 2", "Resultatredovisning 2")
    hanna.get_by_role("group", name="Arbete eller studier").get_by_label("Arbete").check()
    hanna.get_by_role("group", name="Omfattning").get_by_label("Heltid").check()
    hanna.get_by_label("Arbetsgivare eller skola").fill("Lagerbolaget AB")
    hanna.get_by_label("Startdatum").fill(YESTERDAY.isoformat())
    hanna.get_by_label("Arbetsgivarens organisationsnummer").fill("0000000000")
    check_page(hanna, "result report 2")
    preview_refused(hanna, "Välj filer", "Bifoga underlag för resultatet")
    hanna.get_by_label("Välj filer").set_input_files(
        [{"name": "lonespec-2.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    hanna.get_by_role("button", name="Ladda upp filerna").click()
    expect(hanna.get_by_text("Bifogat: lonespec-2.png.")).to_be_visible()
    submit(hanna, "Resultatredovisning 2")
    review(asa, "^Resultatredovisningar 2\\s*:", approve=False, reason="Lönespecifikationen gäller fel månad.")
    hanna.reload()
    expect(hanna.get_by_text("Motivering: Lönespecifikationen gäller fel månad.")).to_be_visible()


def test_the_final_report_in_two_steps(new_context, phone, world):
    people = cast(world)
    hanna = new_context().new_page()
    sign_in(hanna, phone, people.hanna.person)
    reporting(hanna, people.filip)
    expect(hanna.get_by_role("region", name="Att skicka in")).to_contain_text("Slutredovisning")
    begin(hanna, people.filip, "Ny slutredovisning", "Slutredovisning")
    expect(hanna.get_by_role("heading", name=re.compile("^Steg 1 av 2"))).to_be_visible()
    expect(hanna.get_by_role("heading", name=re.compile("^Steg 2 av 2"))).to_be_hidden()
    occupation = hanna.get_by_role("group", name="Huvudsaklig sysselsättning nu")
    occupation.get_by_label("Arbete").check()
    hanna.get_by_label("Yrkesområde").select_option(label="Yrken inom administration och kundtjänst")
    group = hanna.get_by_label("Yrkesgrupp")
    expect(group.locator("optgroup:not([hidden])")).to_have_count(4)  # the area's main groups only
    group.select_option(label="Lager- och terminalpersonal")
    hanna.get_by_label("Anställningsform").select_option(label="Tidsbegränsad anställning")
    hanna.get_by_role("group", name="Omfattning").get_by_label("Heltid").check()
    check_page(hanna, "the final report's first step")
    screenshot(hanna, "documents-ii-final-step-1")
    hanna.get_by_role("button", name="Nästa: vad som gjordes").click()
    expect(hanna.get_by_role("heading", name=re.compile("^Steg 2 av 2"))).to_be_visible()
    expect(hanna.get_by_role("heading", name=re.compile("^Steg 1 av 2"))).to_be_hidden()
    hanna.get_by_label("Matchning mot arbete").fill("Sökte tolv lagerjobb tillsammans med handledaren.")
    hanna.get_by_label("Stöd i jobbsökande").fill("Nytt cv och två intervjuträningar.")
    hanna.get_by_label("Digital kompetens").fill("Lärde sig söka jobb i Platsbanken.")
    hanna.get_by_label("Deltagarens progression").fill("Går nu på intervjuer på egen hand.")
    check_page(hanna, "the final report's second step")
    preview_refused(hanna, "Rekommenderat nästa steg", "Fyll i det här: det krävs.")
    expect(hanna.get_by_label("Yrkesgrupp")).to_have_value("4322")  # both steps shown, nothing lost
    check_page(hanna, "the final report with its problem")
    hanna.get_by_label("Rekommenderat nästa steg").fill("Arbete som lagerarbetare; truckkort vore ett plus.")
    submit(hanna, "Slutredovisning")
    expect(hanna.get_by_text("Lager- och terminalpersonal")).to_be_visible()

    asa = new_context().new_page()
    sign_in(asa, phone, people.officer.person)
    review(asa, "^Slutredovisningar\\s*:", approve=True)
    hanna.reload()
    expect(hanna.get_by_text(re.compile(r"^Godkänd av Arbetsförmedlingen"))).to_be_visible()
    expect(h1(hanna)).to_have_text("Filip Slut")
