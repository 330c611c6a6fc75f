"""The joint plan and the monthly report, written by a supervisor and reviewed by Af (SPEC S5.1, S5.4, S6; issue 7).

Hanna Handledare (reporting at Drottninggatan 1) writes the plan for Rut Rapport, whose placement started some weeks
ago; Åsa Öberg approves it in the back office. Hanna fills in last month's calendar with the keyboard, a nine-hour
day is refused at its day, she submits; Åsa does not approve it and says why; Hanna reads the reason and submits a
correction, which Åsa approves. Along the way the browser is closed in the middle of a draft: what was typed a few
seconds before is there when she comes back. Every page is checked with axe-core.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.core.dates import YearMonth
from faportal.documents.models import Document
from faportal.documents.rules import closed_days
from faportal.placements import services
from faportal.testing import World, make_account, make_af_officer, make_person, place
from tests.e2e.browser import check_accessibility, screenshot, sign_in
from tests.e2e.test_participant_journey import check_page, h1, menu

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def iso(day: datetime.date) -> str:
    return day.isoformat()


def open_days(placement, month: YearMonth) -> list[datetime.date]:
    closed = closed_days(month=month, starts_on=placement.starts_on, ends_on=placement.ends_on, interrupts_on=None)
    return [day for day in month.days() if day not in closed]


def open_reporting(page: Page, name: str) -> None:
    menu(page, "Deltagare")
    page.get_by_role("link", name=re.compile(r"^GFR-")).first.click()
    expect(h1(page)).to_have_text(name)
    page.get_by_role("navigation", name="Om deltagaren").get_by_role("link", name="Rapportering").click()
    expect(page.get_by_role("heading", level=2, name="Rapportering")).to_be_visible()


def wait_until_saved(page: Page) -> None:
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"^Sparat \d\d\.\d\d$"), timeout=8_000)


def review(page: Page, kind: str, *, approve: bool, reason: str = "") -> None:
    """Åsa opens the oldest document of a kind in the review queue and decides."""
    menu(page, "Granskning")
    expect(h1(page)).to_have_text("Granskning av handlingar")
    page.get_by_role("navigation", name="Typer av handlingar").get_by_role("link", name=re.compile(kind)).click()
    check_page(page, f"the review queue of {kind}")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_text("Mottagen av Af")).to_be_visible()
    check_page(page, f"reviewing a document ({kind})")
    if approve:
        page.get_by_role("radio", name="Godkänn", exact=True).check()
    else:
        page.get_by_role("radio", name="Godkänn inte").check()
        page.get_by_label("Motivering").fill(reason)
    page.get_by_role("button", name="Spara granskningen").click()


def test_a_plan_and_a_monthly_report_from_draft_to_approval(new_context, phone, world: World, playwright):
    officer_account = make_af_officer("Åsa", "Öberg")
    hanna = make_account(make_person("Hanna", "Handledare"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    coordinator = world.by_roles[frozenset({Role.RECEIVE})]
    placement = place(
        world.a11, given_name="Rut", surname="Rapport", decided_on=datetime.date.today() - datetime.timedelta(days=75)
    )
    services.assign_supervisor(actor=Actor.for_staff_account(coordinator), placements=[placement], supervisor=hanna)
    month = YearMonth.of(datetime.date.today()).previous()
    days = open_days(placement, month)

    # --- Hanna writes the joint plan; the browser is closed in the middle of it --------------------------------
    context = new_context()
    supervisor = context.new_page()
    sign_in(supervisor, phone, hanna.person)
    open_reporting(supervisor, "Rut Rapport")
    check_page(supervisor, "the Rapportering tab with nothing yet")
    expect(supervisor.get_by_role("region", name="Att skicka in")).to_contain_text("Gemensam planering")
    supervisor.get_by_role("button", name="Ny gemensam planering").click()
    expect(supervisor.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Gemensam planering, "))
    check_page(supervisor, "a new joint plan")
    expect(supervisor.get_by_role("checkbox", name=re.compile("^Matchning mot arbete"))).to_be_checked()
    supervisor.get_by_role("radio", name="Nej").check()
    supervisor.get_by_role("checkbox", name="Digital kompetens").check()
    supervisor.get_by_label("Schemat gäller").select_option(label="de närmaste 2 veckorna")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    supervisor.get_by_label("Aktivitet (aktivitet 1)").select_option(label="Digital kompetens")
    supervisor.get_by_label("Datum (aktivitet 1)").fill(iso(tomorrow))
    supervisor.get_by_label("Från (aktivitet 1)").fill("09:00")
    supervisor.get_by_label("Till (frivilligt) (aktivitet 1)").fill("11:00")
    supervisor.get_by_label("Plats (aktivitet 1)").fill("Kontoret, Drottninggatan 1")
    notes = supervisor.get_by_label("Övriga upplysningar")
    notes.press_sequentially("Fokus på lager och logistik.")
    wait_until_saved(supervisor)
    notes.press_sequentially(" Deltagaren vill arbeta heltid.")
    supervisor.wait_for_timeout(3_000)  # a few seconds, then the browser is gone
    plan = Document.objects.get(kind="plan")
    assert plan.draft["notes"] == ["Fokus på lager och logistik. Deltagaren vill arbeta heltid."]  # saved as typed
    context.close()

    supervisor = new_context().new_page()
    sign_in(supervisor, phone, hanna.person)
    supervisor.goto(f"/handlingar/{plan.pk}/")
    expect(supervisor.get_by_label("Övriga upplysningar")).to_have_value(
        "Fokus på lager och logistik. Deltagaren vill arbeta heltid."
    )
    expect(supervisor.get_by_label("Plats (aktivitet 1)")).to_have_value("Kontoret, Drottninggatan 1")
    supervisor.get_by_role("checkbox", name="Planeringen är gjord tillsammans med deltagaren").check()
    wait_until_saved(supervisor)
    supervisor.get_by_role("button", name="Förhandsgranska och skicka in").click()
    expect(supervisor.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Förhandsvisning: Gemensam planering"))
    check_page(supervisor, "the preview of a joint plan")
    supervisor.get_by_role("button", name="Skicka in till Arbetsförmedlingen").click()
    expect(supervisor.get_by_label("Jag bekräftar att uppgifterna stämmer")).to_have_accessible_description(
        "Bekräfta att uppgifterna stämmer."
    )
    supervisor.get_by_role("checkbox", name="Jag bekräftar att uppgifterna stämmer").check()
    supervisor.get_by_role("button", name="Skicka in till Arbetsförmedlingen").click()
    expect(
        supervisor.get_by_text(re.compile(r"Gemensam planering, .* är inskickad till Arbetsförmedlingen"))
    ).to_be_visible()
    check_page(supervisor, "a submitted joint plan")

    # --- Åsa approves the plan ----------------------------------------------------------------------------------
    officer = new_context().new_page()
    sign_in(officer, phone, officer_account.person)
    review(officer, "Gemensamma planeringar", approve=True)
    expect(officer.get_by_text(re.compile(r"^Godkänd: Gemensam planering"))).to_be_visible()

    # --- Hanna fills in last month with the keyboard; a nine-hour day is refused at its day ---------------------
    open_reporting(supervisor, "Rut Rapport")
    due = supervisor.get_by_role("region", name="Att skicka in")
    label = f"Periodisk redovisning, {month.first_day.strftime('%B')}".lower()
    expect(due).to_contain_text(re.compile(label, re.I))
    item = due.get_by_role("listitem").filter(has_text=re.compile(label, re.I))
    item.get_by_role("button", name=re.compile(r"^Påbörja")).click()
    expect(supervisor.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Periodisk redovisning, "))
    check_page(supervisor, "a new monthly report's calendar")
    first, second = days[0], days[1]
    matchning = supervisor.locator(f"#f-hours-matchning-{iso(first)}")
    matchning.focus()
    supervisor.keyboard.type("6")
    supervisor.keyboard.press("ArrowDown")  # the next activity, the same day
    expect(supervisor.locator(f"#f-hours-jobbsokning-{iso(first)}")).to_be_focused()
    supervisor.keyboard.press("ArrowDown")
    expect(supervisor.locator(f"#f-hours-digital-{iso(first)}")).to_be_focused()
    supervisor.keyboard.type("3")
    total = supervisor.locator(f"#f-day-{iso(first)}")
    expect(total).to_contain_text("9")
    expect(total).to_contain_text("9 timmar: högst 8 per dag")  # as one types
    supervisor.keyboard.press("ArrowRight")  # the next open day
    expect(supervisor.locator(f"#f-hours-digital-{iso(second)}")).to_be_focused()
    supervisor.keyboard.type("1,5")
    supervisor.get_by_role("group", name="Fick deltagaren språkstöd den här månaden?").get_by_label("Nej").check()
    supervisor.get_by_role("group", name="Föreslog ni jobb för deltagaren att söka den här månaden?").get_by_label(
        "Ja"
    ).check()
    wait_until_saved(supervisor)
    supervisor.set_viewport_size({"width": 390, "height": 800})
    check_accessibility(supervisor, "the monthly report's calendar on a phone")
    screenshot(supervisor, "documents-calendar-390")
    supervisor.set_viewport_size({"width": 1280, "height": 900})
    supervisor.get_by_role("button", name="Förhandsgranska och skicka in").click()
    summary = supervisor.get_by_role("alert").filter(has_text="Rätta följande innan du skickar in")
    expect(summary).to_contain_text("9 timmar totalt: högst 8 timmar per dag.")
    expect(supervisor.locator(f"#f-day-{iso(first)}")).to_contain_text("9 timmar totalt: högst 8 timmar per dag.")
    expect(supervisor.locator(f"#f-hours-matchning-{iso(first)}")).to_have_value("6")  # nothing typed is lost
    check_page(supervisor, "the monthly report with a nine-hour day")
    screenshot(supervisor, "documents-calendar-refused-day")
    summary.get_by_role("link").first.click()
    supervisor.locator(f"#f-hours-digital-{iso(first)}").fill("2")
    expect(supervisor.locator(f"#f-day-{iso(first)}")).not_to_contain_text("högst")
    wait_until_saved(supervisor)
    supervisor.get_by_role("button", name="Förhandsgranska och skicka in").click()
    expect(supervisor.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Förhandsvisning: Periodisk"))
    expect(supervisor.get_by_text("9,5", exact=True)).to_be_visible()  # 6 + 2 + 1,5 hours in all
    check_page(supervisor, "the preview of a monthly report")
    supervisor.get_by_role("checkbox", name="Jag bekräftar att uppgifterna stämmer").check()
    supervisor.get_by_role("button", name="Skicka in till Arbetsförmedlingen").click()
    expect(supervisor.get_by_text(re.compile(r"Periodisk redovisning, .* är inskickad"))).to_be_visible()

    # --- Åsa does not approve it, and says why --------------------------------------------------------------------
    review(officer, "Periodiska redovisningar", approve=False, reason="")
    expect(officer.get_by_label("Motivering")).to_have_accessible_description(
        re.compile("Skriv varför handlingen inte godkänns")
    )
    officer.get_by_label("Motivering").fill(f"Timmarna den {iso(first)} stämmer inte med schemat.")
    officer.get_by_role("button", name="Spara granskningen").click()
    expect(officer.get_by_text(re.compile(r"^Ej godkänd: Periodisk redovisning"))).to_be_visible()

    # --- Hanna sees the reason, and submits a correction ------------------------------------------------------------
    menu(supervisor, "Deltagare")
    row = supervisor.locator("tbody tr").filter(has_text=placement.genomforandereferens)
    expect(row).to_contain_text("Granskad")  # unread since she last looked
    expect(row).to_contain_text("Ej godkänd")
    check_page(supervisor, "the participant list with a document not approved")
    row.get_by_role("link", name=placement.genomforandereferens).click()
    supervisor.get_by_role("navigation", name="Om deltagaren").get_by_role("link", name="Rapportering").click()
    supervisor.get_by_role("link", name="Periodisk redovisning").first.click()
    expect(supervisor.get_by_text(f"Motivering: Timmarna den {iso(first)} stämmer inte med schemat.")).to_be_visible()
    check_page(supervisor, "a monthly report not approved")
    supervisor.get_by_role("button", name="Rätta och skicka in igen").click()
    expect(supervisor.get_by_role("heading", level=2)).to_have_text(re.compile(r"\(rättelse\)$"))
    expect(supervisor.locator(f"#f-hours-matchning-{iso(first)}")).to_have_value("6")  # from the rejected version
    supervisor.locator(f"#f-hours-matchning-{iso(first)}").fill("4")
    wait_until_saved(supervisor)
    supervisor.get_by_role("button", name="Förhandsgranska och skicka in").click()
    supervisor.get_by_role("checkbox", name="Jag bekräftar att uppgifterna stämmer").check()
    supervisor.get_by_role("button", name="Skicka in till Arbetsförmedlingen").click()
    expect(supervisor.get_by_text(re.compile(r"är inskickad till Arbetsförmedlingen"))).to_be_visible()
    expect(supervisor.get_by_role("region", name="Versioner")).to_contain_text("Ersatt")

    review(officer, "Periodiska redovisningar", approve=True)
    supervisor.reload()
    expect(supervisor.get_by_text(re.compile(r"^Godkänd av Arbetsförmedlingen"))).to_be_visible()
    check_page(supervisor, "an approved correction")
