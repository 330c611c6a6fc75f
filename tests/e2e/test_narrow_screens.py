"""On a phone-sized screen (390 px) the participant pages fit: wide tables scroll inside their box, and nothing
widens the page itself (WCAG 1.4.10 Reflow).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.placements import services
from faportal.testing import place
from tests.e2e.browser import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PHONE_WIDTH = 390


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_participant_pages_fit_a_phone(page, phone, world):
    coordinator = world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]
    placements = [place(world.a11, given_name="Maximiliana", surname="Långnamnsdotter-Efternamnsson") for _ in range(3)]
    receiver = Actor.for_staff_account(coordinator)
    services.assign_supervisor(actor=receiver, placements=placements[:2], supervisor=coordinator)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
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
        assert page_width(page) <= PHONE_WIDTH, url
