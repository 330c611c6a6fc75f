"""Orders and invoices from Af's approvals to payment (SPEC S7; issue 11), in the browser.

Rut Rapport's placement started some weeks ago; her joint plan and last month's report are submitted. Åsa Öberg
approves the plan in the back office: Eko Nomi (Ekonomi at Alfa Rusta AB) finds the base order, a line per month.
Åsa approves the month's report: its line becomes invoiceable. Eko fills in the billing details, invoices the line with
one click and downloads the invoice (XML and PDF). Åsa sees it matched and approved for payment. The bankgiro on it
was wrong: Eko corrects the details and credits the invoice, and a new invoice is made at once. Every page is checked
with axe-core.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.billing.models import Invoice, PurchaseOrder
from faportal.core.dates import YearMonth
from faportal.placements import services
from faportal.testing import (
    World,
    make_account,
    make_af_officer,
    make_person,
    place,
    plan_draft,
    submit_document,
    write_document,
)
from tests.e2e.browser import screenshot, sign_in
from tests.e2e.test_participant_journey import check_page, h1, menu

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

REPORT = {"language_support": ["no"], "suggested_jobs": ["yes"], "other_info": [""]}


def approve(officer: Page, kind: str) -> None:
    menu(officer, "Granskning")
    officer.get_by_role("navigation", name="Typer av handlingar").get_by_role("link", name=re.compile(kind)).click()
    officer.get_by_role("table").get_by_role("link").first.click()
    officer.get_by_role("radio", name="Godkänn", exact=True).check()
    officer.get_by_role("button", name="Spara granskningen").click()
    expect(officer.get_by_text(re.compile(r"^Godkänd: "))).to_be_visible()


def test_from_an_approved_plan_to_an_invoice_matched_credited_and_made_anew(new_context, phone, world: World, tmp_path):
    officer_account = make_af_officer("Åsa", "Öberg")
    hanna = make_account(make_person("Hanna", "Handledare"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    eko = make_account(make_person("Eko", "Nomi"), world.org_a, roles=[Role.FINANCE])
    placement = place(
        world.a11, given_name="Rut", surname="Rapport", decided_on=datetime.date.today() - datetime.timedelta(days=75)
    )
    coordinator = world.by_roles[frozenset({Role.RECEIVE})]
    services.assign_supervisor(actor=Actor.for_staff_account(coordinator), placements=[placement], supervisor=hanna)
    plan = write_document(placement, hanna, "plan", placement.starts_on, plan_draft())
    submit_document(plan, hanna)
    month = YearMonth.of(datetime.date.today()).previous()

    # --- Åsa approves the plan: the base order appears in Ekonomi -------------------------------------------------
    officer = new_context().new_page()
    sign_in(officer, phone, officer_account.person)
    approve(officer, "Gemensamma planeringar")
    order = PurchaseOrder.objects.get(placement=placement)

    finance = new_context().new_page()
    sign_in(finance, phone, eko.person)
    menu(finance, "Ekonomi")
    expect(h1(finance)).to_have_text("Ekonomi")
    check_page(finance, "Ekonomi's order lines")
    rows = finance.locator("tbody tr").filter(has_text=order.number)
    expect(rows).to_have_count(order.lines.count())
    expect(rows.first).to_contain_text(placement.genomforandereferens)
    expect(finance.get_by_text("Fyll i era faktureringsuppgifter")).to_be_visible()
    finance.get_by_role("link", name=order.number).first.click()
    expect(h1(finance)).to_have_text(f"Order {order.number}")
    check_page(finance, "an order")
    with finance.expect_download() as download:
        finance.get_by_role("link", name="Ladda ner ordern (PEPPOL XML)").click()
    assert order.number in download.value.path().read_text()

    # --- the month's report is approved: its line is invoiceable -------------------------------------------------
    report = write_document(placement, hanna, "monthly_report", month.first_day, dict(REPORT))
    submit_document(report, hanna)
    line_row = finance.locator("tbody tr").filter(has_text=month.first_day.strftime("%Y-%m"))
    expect(line_row.first).to_contain_text("Ej levererad")
    approve(officer, "Periodiska redovisningar")
    finance.reload()
    expect(line_row.first).to_contain_text("Fakturerbar")

    # --- Eko enters the billing details, with an old bankgiro, and invoices with one click ----------------------
    finance.get_by_role("link", name="← Ekonomi").click()
    finance.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Faktureringsuppgifter").click()
    finance.get_by_label("Gatuadress").fill("Drottninggatan 1")
    finance.get_by_label("Postnummer").fill("111 51")
    finance.get_by_label("Ort").fill("Stockholm")
    finance.get_by_label("Kontonummer").fill("123")
    finance.get_by_role("button", name="Spara faktureringsuppgifterna").click()
    expect(finance.get_by_label("Kontonummer")).to_have_accessible_description(re.compile("bankgironummer med 7–8"))
    expect(finance.get_by_label("Gatuadress")).to_have_value("Drottninggatan 1")  # nothing typed is lost
    check_page(finance, "the billing details with a mistake")
    finance.get_by_label("Kontonummer").fill("5050-1030")
    finance.get_by_role("button", name="Spara faktureringsuppgifterna").click()
    expect(finance.get_by_text("Faktureringsuppgifterna är sparade.")).to_be_visible()
    finance.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Order och rader").click()
    screenshot(finance, "billing-lines")
    invoiceable = finance.locator("tbody tr").filter(has_text="Fakturerbar")
    invoiceable.get_by_role("button", name=re.compile(r"^Fakturera")).click()
    invoice = Invoice.objects.get(document_type="invoice")
    expect(h1(finance)).to_have_text(f"Faktura {invoice.number}")
    expect(finance.get_by_role("status").filter(has_text="Matchad")).to_contain_text("Matchad: godkänd för betalning")
    expect(finance.get_by_text(f"Betalas {invoice.due_date.isoformat()}").first).to_be_visible()
    check_page(finance, "an invoice")
    screenshot(finance, "billing-invoice")
    with finance.expect_download() as download:
        finance.get_by_role("link", name="Ladda ner XML").click()
    xml = download.value.path().read_text()
    assert order.number in xml
    assert "50501030" in xml
    with finance.expect_download() as download:
        finance.get_by_role("link", name="Ladda ner en PDF att läsa").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # --- Åsa sees it matched -------------------------------------------------------------------------------------
    menu(officer, "Ekonomi")
    expect(h1(officer)).to_have_text("Ekonomi")
    check_page(officer, "Af's finance page")
    received = officer.locator("tbody tr").filter(has_text=invoice.number)
    expect(received).to_contain_text("Matchad: godkänd för betalning")
    received.get_by_role("link", name=invoice.number).click()
    expect(h1(officer)).to_have_text(f"Faktura {invoice.number}")
    check_page(officer, "a received invoice in the back office")

    # --- the bankgiro was wrong: the details are corrected, the invoice credited and made anew -------------------
    menu(finance, "Ekonomi")
    finance.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Faktureringsuppgifter").click()
    finance.get_by_label("Kontonummer").fill("5050-1055")
    finance.get_by_role("button", name="Spara faktureringsuppgifterna").click()
    finance.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Fakturor").click()
    check_page(finance, "Ekonomi's invoices")
    finance.get_by_role("link", name=invoice.number).click()
    expect(finance.get_by_role("checkbox", name="Skapa en ny faktura för samma rader direkt")).to_be_checked()
    finance.get_by_role("button", name="Kreditera fakturan").click()
    dialog = finance.locator("#confirm-dialog")
    expect(dialog).to_contain_text(f"Kreditera faktura {invoice.number}?")
    dialog.get_by_role("button", name="Kreditera").click()
    new = Invoice.objects.filter(document_type="invoice").exclude(pk=invoice.pk).get()
    credit_note = Invoice.objects.get(document_type="credit_note")
    expect(h1(finance)).to_have_text(f"Faktura {new.number}")
    expect(finance.get_by_text(f"Kreditnota {credit_note.number} krediterar faktura {invoice.number}.")).to_be_visible()
    expect(finance.get_by_role("status").filter(has_text="Matchad").first).to_be_visible()
    with finance.expect_download() as download:
        finance.get_by_role("link", name="Ladda ner XML").click()
    assert "50501055" in download.value.path().read_text()
    menu(finance, "Ekonomi")
    finance.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Fakturor").click()
    expect(finance.locator("tbody tr").filter(has_text=invoice.number)).to_contain_text("Krediterad")
    expect(finance.locator("tbody tr").filter(has_text=credit_note.number)).to_contain_text("Kreditnota")
    screenshot(finance, "billing-invoices-credited")
    officer.reload()
    expect(officer.get_by_text("Betalas inte: krediterad")).to_be_visible()
