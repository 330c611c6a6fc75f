"""Phones, tablets and desktops (issue 8). On a 390 px phone every list shows its main columns without scrolling
sideways (its rows become labelled cards, docs/ui-patterns.md) and nothing widens a page (WCAG 1.4.10 Reflow);
axe-core finds nothing on any page at 390 px or at 1280 px; on a desktop the lists fit their frame. Screenshots of
Deltagare and Nya deltagare at 390, 768 and 1440 px land in test-results/ for a person to look at.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from faportal.access.actor import Actor
from faportal.access.models import AfRole, AfStaffAccount, Role, StaffAccount
from faportal.access.services import invite_staff
from faportal.billing.models import Tariff
from faportal.core.dates import YearMonth
from faportal.exports.models import ExportFormat
from faportal.exports.selectors import ExportChoices
from faportal.exports.services import start_export
from faportal.placements import services
from faportal.placements.models import Placement, today
from faportal.placements.rules import InterruptionReason
from faportal.registry.services import start_ka_import
from faportal.testing import (
    World,
    approved_plan,
    attach_evidence,
    make_account,
    make_af_officer,
    make_person,
    pdf_bytes,
    place,
    plan_draft,
    png_bytes,
    result_draft,
    submit_document,
    write_document,
)
from tests.e2e.browser import check_accessibility, emails_to, link_in, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PHONE, TABLET, DESKTOP, WIDE = 390, 768, 1280, 1440

# What keeps a person from seeing a list on this screen: the page or a list wider than the window, or a cell of one
# of the first rows (its title, or a labelled value) cut off or outside the window.
SIDEWAYS = """() => {
    const width = window.innerWidth;
    const problems = [];
    if (document.documentElement.scrollWidth > width) {
        problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    }
    document.querySelectorAll("main .fa-table").forEach((box, n) => {
        if (box.scrollWidth > box.clientWidth + 1) {
            problems.push(`list ${n + 1} scrolls sideways: ${box.scrollWidth} px in ${box.clientWidth}`);
        }
        box.querySelectorAll("tbody tr:not([hidden])").forEach((row, r) => {
            if (r > 2) return;
            row.querySelectorAll("th[scope=row], td[data-label]").forEach((cell) => {
                const rect = cell.getBoundingClientRect();
                const name = cell.dataset.label || "title";
                if (rect.width < 1 || rect.height < 1) problems.push(`row ${r + 1}: ${name} is not shown`);
                else if (rect.left < 0 || rect.right > width + 0.5) {
                    problems.push(`row ${r + 1}: ${name} is at ${Math.round(rect.left)}–${Math.round(rect.right)} px`);
                }
            });
        });
    });
    return problems;
}"""


def assert_fits(page: Page, where: str) -> None:
    problems: list[str] = page.evaluate(SIDEWAYS)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert not problems, f"{where} at {width} px ({page.url}):\n  " + "\n  ".join(problems)


def labels_in_first_row(page: Page) -> list[str]:
    """The labels a phone shows beside the values of the first list's first row."""
    labels: list[str] = page.evaluate(
        """() => Array.from(document.querySelector("main .fa-table tbody tr:not([hidden])")
            .querySelectorAll("td[data-label]"))
            .filter((cell) => getComputedStyle(cell, "::before").content !== "none")
            .map((cell) => cell.dataset.label)"""
    )
    return labels


@dataclass
class Scene:
    """Organisation A with participants in every state the lists show, and Af's back office with its lists."""

    staff: StaffAccount  # all three roles at Drottninggatan 1
    leaving: StaffAccount  # supervises a participant: deleting the account is refused
    officer: AfStaffAccount  # every back-office role
    both: StaffAccount  # an account in each organisation: chooses which to act for
    placement: Placement
    waiting: Placement
    removable: Placement
    export_id: int
    import_id: int
    invitation_link: str
    plan_id: int  # an approved joint plan
    report_id: int  # last month's report, a draft: the calendar
    queued_id: int  # a joint plan waiting for Af's review
    result_id: int  # a submitted result report with evidence
    absence_id: int  # an absence report's draft
    final_id: int  # a final report's draft (its first step)
    order_id: int  # the approved plan's base order
    invoice_id: int  # an invoice for its first month
    tariff_id: int  # the base compensation's price at level B


@pytest.fixture
def scene(world: World) -> Scene:
    staff = world.by_roles[frozenset(Role)]
    receiver = Actor.for_staff_account(staff)
    af = Actor.system("test")
    longest = place(world.a11, given_name="Maximiliana", surname="Långnamnsdotter-Efternamnsson")
    running = [place(world.a11, given_name=name, surname="Deltagare") for name in ("Petra", "Olle", "Sara")]
    services.assign_supervisor(actor=receiver, placements=[longest, *running[:2]], supervisor=staff)
    services.interrupt(
        actor=af,
        key="screens-planned",
        placement=running[1],
        reason=InterruptionReason.WORK,
        interrupts_on=today() + datetime.timedelta(days=3),
    )
    waiting = [  # still without a supervisor
        place(world.a11, given_name=given, surname=surname)
        for given, surname in (("Nina", "Nyström"), ("Hugo", "Holm"), ("Ines", "Ibrahim"))
    ]
    removable = place(world.a11, given_name="Rut", surname="Flyttad")
    services.interrupt(
        actor=af,
        key="screens-before-start",
        placement=removable,
        reason=InterruptionReason.MOVED,
        interrupts_on=today(),
    )
    leaving = make_account(make_person("Sara", "Slutar"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    services.change_supervisor(actor=receiver, placement=running[2], supervisor=leaving)
    export = start_export(
        actor=receiver,
        choices=ExportChoices(decided_from=today() - datetime.timedelta(days=30), decided_to=today()),
        format=ExportFormat.XLSX,
    )
    officer = make_af_officer("Åsa", "Öberg", list(AfRole))
    failed = start_ka_import(
        actor=Actor.for_af_account(officer), file_name="fel.csv", content=b"organisationsnummer;ort\n1;Kiruna\n"
    )
    invite_staff(actor=Actor.for_staff_account(world.admin_a), emails=["ny.kollega@example.se"])
    both = make_account(make_person("Karin", "Två"), world.org_b, roles=[Role.REPORT], addresses=[world.b11])
    make_account(both.person, world.org_a)
    started, queued = (
        place(world.a11, given_name=given, surname="Startad", decided_on=today() - datetime.timedelta(days=60))
        for given in ("Stina", "Sixten")
    )
    services.assign_supervisor(actor=receiver, placements=[started, queued], supervisor=staff)
    plan = approved_plan(started, staff, officer)
    last_month = YearMonth.of(today()).previous()
    report = write_document(started, staff, "monthly_report", last_month.first_day, {"other_info": ["Sökte jobb."]})
    waiting_plan = write_document(queued, staff, "plan", queued.starts_on, plan_draft())
    submit_document(waiting_plan, staff)
    result = write_document(started, staff, "result_1", started.starts_on, result_draft())
    attach_evidence(result, staff, ("lonespecifikation-mars.pdf", pdf_bytes()), ("anstallningsavtal.png", png_bytes()))
    result.refresh_from_db()
    submit_document(result, staff)
    absence = write_document(started, staff, "absence", today(), {"reason": ["other_known"], "extent": ["part"]})
    services.interrupt(
        actor=af, key="screens-ended", placement=queued, reason=InterruptionReason.WORK, interrupts_on=today()
    )
    final = write_document(queued, staff, "final_report", queued.starts_on, {"occupation": ["work"]})
    order_id, invoice_id = _invoiced(started, receiver)
    return Scene(
        staff=staff,
        leaving=leaving,
        officer=officer,
        both=both,
        placement=longest,
        waiting=waiting[0],
        removable=removable,
        export_id=export.pk,
        import_id=failed.pk,
        invitation_link=link_in(emails_to("ny.kollega@example.se")[0]),
        plan_id=plan.pk,
        report_id=report.pk,
        queued_id=waiting_plan.pk,
        result_id=result.pk,
        absence_id=absence.pk,
        final_id=final.pk,
        order_id=order_id,
        invoice_id=invoice_id,
        tariff_id=Tariff.objects.get(article="base", level="B").pk,
    )


def _invoiced(placement: Placement, finance: Actor) -> tuple[int, int]:
    """The base order the approved plan issued, its first month delivered and invoiced."""
    from faportal.billing import services as billing
    from faportal.billing.models import GoodsReceipt, PurchaseOrder
    from faportal.billing.rules import VatChoice

    order = PurchaseOrder.objects.get(placement=placement)
    line = order.lines.order_by("pk").first()
    GoodsReceipt.objects.create(
        order_line=line,
        document=order.document,
        received_on=today(),
        days=1,
        quantity=line.quantity,
        amount=line.amount,
    )
    line.status = "invoiceable"
    line.save(update_fields=["status"])
    billing.save_profile(
        actor=finance,
        values=billing.ProfileValues(
            street="Drottninggatan 1",
            postcode="11151",
            town="Stockholm",
            vat=VatChoice.STANDARD,
            exemption_reason="",
            f_skatt=True,
            account_kind="SE:BANKGIRO",
            account_number="50501055",
        ),
    )
    return order.pk, billing.invoice_line(actor=finance, line=line).pk


def provider_lists(scene: Scene) -> dict[str, str]:
    return {
        "/deltagare/": "Deltagare",
        "/deltagare/?sort=-name": "Deltagare sorted by name",
        "/nya-deltagare/": "Nya deltagare",
        "/deltagare/exportera/": "the export's preview and history",
        "/personal/": "Personal",
        f"/personal/{scene.staff.pk}/": "a staff account and its history",
        "/personal/oversikt/": "Behörighetsöversikt",
        "/personal/inbjudningar/": "Inbjudningar",
        "/logg/": "Logg",
        f"/deltagare/{scene.placement.pk}/rapportering/": "the participant's reporting",
        f"/handlingar/{scene.plan_id}/": "a joint plan",
        "/ekonomi/": "Ekonomi's order lines",
        "/ekonomi/fakturor/": "Ekonomi's invoices",
        f"/ekonomi/ordrar/{scene.order_id}/": "an order and its lines",
        f"/ekonomi/fakturor/{scene.invoice_id}/": "an invoice and its lines",
    }


def back_office_lists(scene: Scene) -> dict[str, str]:
    return {
        "/af/deltagare/": "the back office's participants",
        "/af/organisationer/": "Organisationer",
        "/af/register/import/": "the registry imports",
        f"/af/register/import/{scene.import_id}/": "a failed import's problems",
        "/af/logg/": "the back office's log",
        "/af/granskning/": "the review queue",
        "/af/granskning/aktiviteter/": "the activity catalogue",
        "/af/granskning/kansliga-ord/": "the sensitive words",
        "/af/granskning/amnen/": "the topics of informative reports",
        "/af/ekonomi/": "the back office's invoices and manual queue",
        "/af/ekonomi/ersattningar/": "the tariffs",
        f"/af/ekonomi/ordrar/{scene.order_id}/": "an order in the back office",
    }


def provider_pages(scene: Scene) -> dict[str, str]:
    placement = scene.placement.pk
    return {
        "/": "the start page",
        f"/nya-deltagare/tilldela/?p={scene.waiting.pk}": "choosing a supervisor",
        f"/deltagare/{placement}/": "the participant page",
        f"/deltagare/{placement}/erfarenheter/": "the participant's experience",
        f"/deltagare/{placement}/handelser/": "the participant's events",
        f"/deltagare/{placement}/handledare/": "changing the supervisor",
        f"/deltagare/exportera/{scene.export_id}/": "an export",
        "/personal/bjud-in/": "inviting staff",
        f"/personal/{scene.staff.pk}/behorigheter/": "editing permissions",
        f"/personal/{scene.leaving.pk}/ta-bort/": "a refused deletion",
        f"/personal/{scene.leaving.pk}/flytta-deltagare/": "moving a supervisor's participants",
        "/logg/?since=2026-13-40&until=x": "the log with bad dates",
        "/deltagare/999999/": "a page that does not exist",
        f"/handlingar/{scene.report_id}/": "a monthly report's calendar",
        f"/handlingar/{scene.report_id}/?kontroll=1": "a monthly report with its problems",
        f"/handlingar/{scene.result_id}/": "a result report with its evidence",
        f"/handlingar/{scene.absence_id}/?kontroll=1": "an absence report with its problems",
        f"/handlingar/{scene.final_id}/": "a final report's first step",
        "/ekonomi/skicka-faktura/": "sending an invoice from one's own system",
        "/ekonomi/faktureringsuppgifter/": "the billing details",
        **provider_lists(scene),
    }


def back_office_pages(scene: Scene) -> dict[str, str]:
    return {
        "/af/": "the back office's start page",
        "/af/deltagare/nytt-beslut/": "a new placement decision",
        f"/af/deltagare/{scene.placement.genomforandereferens}/": "a placement in the back office",
        "/af/organisationer/ny/": "registering an organisation",
        f"/af/organisationer/{scene.placement.organisation_id}/": "an organisation",
        f"/af/granskning/{scene.queued_id}/": "reviewing a joint plan",
        f"/af/granskning/{scene.result_id}/": "reviewing a result report with its evidence",
        "/af/granskning/aktiviteter/ny/": "a new activity",
        f"/af/ekonomi/fakturor/{scene.invoice_id}/": "an invoice in the back office",
        f"/af/ekonomi/ersattningar/{scene.tariff_id}/": "a tariff",
        **back_office_lists(scene),
    }


def test_every_list_shows_its_main_columns_on_a_phone(new_context, phone, scene):
    page = new_context().new_page()
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in(page, phone, scene.staff.person)
    for url, where in provider_lists(scene).items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(page, where)
    page.goto("/deltagare/")
    # A card names each value: name, period, status and supervisor are there to read, beside their labels.
    assert labels_in_first_row(page) == ["Namn", "Period", "Status", "Handledare", "Rapportering"]
    page.goto("/nya-deltagare/")
    assert labels_in_first_row(page) == ["Namn", "Verksamhet och adress", "Beslut", "Start", "Handledare behövs inom"]
    expect(page.get_by_role("checkbox", name="Markera alla")).to_be_visible()  # "select all" stays, with words
    # The sort links stay too, above the cards, with the order shown.
    page.goto("/deltagare/?sort=-name")
    sort = page.get_by_role("columnheader", name="Namn")
    expect(sort).to_be_visible()
    expect(sort).to_have_attribute("aria-sort", "descending")

    af = new_context().new_page()
    af.set_viewport_size({"width": PHONE, "height": 800})
    sign_in(af, phone, scene.officer.person)
    for url, where in back_office_lists(scene).items():
        af.goto(url)
        expect(af.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(af, where)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_axe_finds_nothing_on_any_page_on_a_phone_or_a_desktop(new_context, phone, scene, width):
    pages = [
        (scene.staff.person, provider_pages(scene)),
        (scene.officer.person, back_office_pages(scene)),
    ]
    for person, urls in pages:
        page = new_context().new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, phone, person)
        for url, where in urls.items():
            page.goto(url)
            expect(page.locator("main")).to_be_visible()
            check_accessibility(page, f"{where} at {width} px")
            assert_fits(page, where)
        if person == scene.staff.person:
            # An unfolded row, and the dialog that asks before a participant is removed from Nya deltagare.
            page.goto("/deltagare/")
            page.get_by_role("button", name=f"Visa händelser {scene.placement.genomforandereferens}").click()
            expect(page.get_by_role("link", name="Alla händelser")).to_be_visible()
            check_accessibility(page, f"Deltagare with a row's events unfolded at {width} px")
            assert_fits(page, "Deltagare with a row's events unfolded")
            page.goto("/nya-deltagare/")
            page.get_by_role("button", name=f"Ta bort {scene.removable.genomforandereferens}").click()
            expect(page.get_by_role("dialog")).to_be_visible()
            check_accessibility(page, f"the removal dialog at {width} px")
    # Someone with accounts in two organisations, and someone following an invitation.
    chooser = new_context().new_page()
    chooser.set_viewport_size({"width": width, "height": 900})
    sign_in(chooser, phone, scene.both.person)
    expect(chooser.get_by_role("heading", level=1)).to_have_text("Vilken organisation arbetar du för nu?")
    check_accessibility(chooser, f"choosing an organisation at {width} px")
    invited = new_context().new_page()
    invited.set_viewport_size({"width": width, "height": 900})
    invited.goto(scene.invitation_link)
    expect(invited.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(invited, f"an invitation at {width} px")
    assert_fits(invited, "an invitation")


def test_removing_from_nya_deltagare_asks_in_the_design_systems_dialog(page, phone, scene):
    sign_in(page, phone, scene.staff.person)
    page.goto("/nya-deltagare/")
    reference = scene.removable.genomforandereferens
    remove = page.get_by_role("button", name=f"Ta bort {reference}")
    remove.click()
    dialog = page.get_by_role("dialog", name=f"Ta bort {reference} från nya deltagare?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Ta bort")).to_be_visible()
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()  # back where the person was
    row_header = page.get_by_role("rowheader").filter(has_text=reference)
    expect(row_header).to_be_visible()  # cancelled: still there
    remove.click()
    dialog.get_by_role("button", name="Ta bort").click()
    expect(page.get_by_text(f"{reference} är borttagen från nya deltagare.")).to_be_visible()
    expect(row_header).to_have_count(0)


def test_the_participant_lists_at_a_phone_a_tablet_and_a_wide_screen(page, phone, scene):
    sign_in(page, phone, scene.staff.person)
    for width in (PHONE, TABLET, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        for url, name in (("/deltagare/", "deltagare"), ("/nya-deltagare/", "nya-deltagare")):
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_fits(page, f"{name} at {width} px")
            screenshot(page, f"{name}-{width}")
        if width == WIDE:
            # A desktop shows the lists as tables, in a frame wider than before (72rem = 1152 px).
            page.goto("/deltagare/")
            assert page.evaluate("getComputedStyle(document.querySelector('main table')).display") == "table"
            assert page.evaluate("document.querySelector('main .fa-table').clientWidth") > 1152


def test_the_participant_pages_fit_a_phone(page, phone, world):
    coordinator = world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]
    placements = [place(world.a11, given_name="Maximiliana", surname="Långnamnsdotter-Efternamnsson") for _ in range(3)]
    receiver = Actor.for_staff_account(coordinator)
    services.assign_supervisor(actor=receiver, placements=placements[:2], supervisor=coordinator)
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in(page, phone, coordinator.person)
    for url in (
        "/nya-deltagare/",
        "/deltagare/",
        "/deltagare/?sort=name",
        f"/deltagare/{placements[0].pk}/",
        f"/deltagare/{placements[0].pk}/handelser/",
        "/deltagare/exportera/",
    ):
        page.goto(url)
        assert_fits(page, url)


def test_the_participant_pages_two_blocks_line_up_and_a_list_that_must_scroll_can_be_reached(page, phone, scene):
    sign_in(page, phone, scene.staff.person)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(f"/deltagare/{scene.placement.pk}/")
    # "Deltagare" and "Tjänst": their values start at the same place, whatever the labels' lengths.
    starts = page.evaluate(
        "() => Array.from(document.querySelectorAll('main dl.fa-dl')).map((dl) => dl.querySelector('dd')"
        ".getBoundingClientRect().left)"
    )
    assert len(starts) == 2
    assert starts[0] == starts[1]
    # A list wider than its box (say a long unbroken value) scrolls there, and the keyboard can reach it.
    page.goto("/logg/")
    box = page.locator("main .fa-table")
    expect(box).not_to_have_attribute("tabindex", "0")  # it fits: no extra stop for the keyboard
    page.evaluate(
        "() => { const cell = document.querySelector('main .fa-table td[data-label]');"
        " cell.style.whiteSpace = 'nowrap'; cell.textContent = 'x'.repeat(400); }"
    )
    page.set_viewport_size({"width": DESKTOP - 1, "height": 900})  # the portal looks again when the window changes
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_accessible_name("Logg, nyaste först")
    check_accessibility(page, "the log with a list that scrolls sideways")
