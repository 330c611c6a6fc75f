"""Deleting a staff member who still supervises participants (SPEC S3.5): refused, the participants are moved
address by address, then the account goes. The administrator sees genomförandereferens and address, never names.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.placements import services
from faportal.testing import make_account, make_person, place
from tests.e2e.browser import check_accessibility, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_deleting_a_supervisor_moves_their_participants_first(page, phone, world):
    leaving = make_account(
        make_person("Sara", "Slutar"), world.org_a, roles=[Role.REPORT], addresses=[world.a11, world.a12]
    )
    stockholm = make_account(make_person("Stig", "Stockholm"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    uppsala = make_account(make_person("Ulla", "Uppsala"), world.org_a, roles=[Role.REPORT], addresses=[world.a12])
    receiver = make_account(
        make_person("Rut", "Tar"), world.org_a, roles=[Role.RECEIVE], addresses=[world.a11, world.a12]
    )
    first = place(world.a11, given_name="Zelda", surname="Hemligsson")
    second = place(world.a12, given_name="Zelda", surname="Hemligsson")
    services.assign_supervisor(actor=Actor.for_staff_account(receiver), placements=[first, second], supervisor=leaving)

    sign_in(page, phone, world.admin_a.person)
    page.goto(f"/personal/{leaving.pk}/")
    page.get_by_role("link", name="Ta bort konto").click()
    expect(page.get_by_text("Sara Slutar handleder fortfarande 2 deltagare.")).to_be_visible()
    expect(page.get_by_text(f"{first.genomforandereferens} – Drottninggatan 1, 111 51 Stockholm")).to_be_visible()
    expect(page.get_by_text("Zelda")).to_have_count(0)
    check_accessibility(page, "deleting a supervisor")

    page.get_by_role("link", name="Flytta deltagarna till en annan handledare").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        ["Drottninggatan 1, 111 51 Stockholm", "Kungsgatan 2, 753 21 Uppsala"]
    )
    expect(page.get_by_text("Zelda")).to_have_count(0)
    check_accessibility(page, "moving participants, address by address")
    in_stockholm = page.get_by_role("region", name="Drottninggatan 1, 111 51 Stockholm")
    in_stockholm.get_by_label("Handledare").select_option(label="Stig Stockholm")
    in_stockholm.get_by_role("button", name="Flytta").click()
    expect(page.get_by_text("1 deltagare flyttad till Stig Stockholm.")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text(["Kungsgatan 2, 753 21 Uppsala"])
    in_uppsala = page.get_by_role("region", name="Kungsgatan 2, 753 21 Uppsala")
    in_uppsala.get_by_role("button", name="Flytta").click()  # nobody chosen
    expect(in_uppsala.get_by_text("Välj en handledare.", exact=True)).to_be_visible()
    check_accessibility(page, "moving participants, with an error")
    in_uppsala.get_by_label("Handledare").select_option(label="Ulla Uppsala")
    in_uppsala.get_by_role("button", name="Flytta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort personalkontot för Sara Slutar?")
    check_accessibility(page, "deleting a supervisor with nobody left to move")
    page.get_by_role("button", name="Ja, ta bort kontot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal")
    leaving.refresh_from_db()
    assert leaving.deleted_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.supervisor, second.supervisor) == (stockholm, uppsala)
