"""The log (SPEC S9): an administrator finds who looked at a participant, filtered by event and person; Af's
auditor reads every organisation's. Checked with axe-core, a bad date included.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from faportal.access.models import AfRole, Role
from faportal.testing import make_af_officer, place
from tests.e2e.browser import check_accessibility, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_finding_who_looked_at_a_participant(new_context, phone, world):
    reporter = world.by_roles[frozenset({Role.REPORT})]
    placement = place(world.a11)
    looker = new_context().new_page()
    sign_in(looker, phone, reporter.person)
    looker.goto(f"/deltagare/{placement.pk}/")
    expect(looker.get_by_role("heading", level=1)).to_be_visible()

    admin = new_context().new_page()
    sign_in(admin, phone, world.admin_a.person)
    admin.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Logg").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Logg")
    check_accessibility(admin, "the log")
    admin.get_by_label("Händelse").select_option(label="Öppnade en deltagare")
    admin.get_by_label("Person").select_option(label=reporter.person.full_name)
    admin.get_by_role("button", name="Filtrera").click()
    rows = admin.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(reporter.person.full_name)
    expect(rows.first).to_contain_text(placement.genomforandereferens)
    expect(admin.get_by_label("Händelse")).to_have_value("placements.read")  # the filter stays chosen
    check_accessibility(admin, "the log, filtered")

    admin.goto("/logg/?since=2026-13-40")
    expect(admin.get_by_text("Fyll i ett helt datum, t.ex. 2026-11-24.")).to_be_visible()
    check_accessibility(admin, "the log with a bad date")


def test_the_auditor_reads_every_organisation(page, phone, world):
    place(world.b11, given_name="Bea", surname="Beta")
    auditor = make_af_officer("Ulf", "Revisor", [AfRole.AUDITOR])
    sign_in(page, phone, auditor.person)
    page.goto("/af/logg/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Händelse").select_option(label="Beslutade om deltagande")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    check_accessibility(page, "Af's log, filtered")
