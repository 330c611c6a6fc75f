"""Nya deltagare a page at a time, and "every new participant" chosen at once without a row each (issue 9)."""

import datetime

import pytest
import time_machine
from lxml import html

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.audit.models import AuditEvent
from faportal.placements import services
from faportal.placements.models import Placement
from faportal.testing import bulk_place, place, sign_in

pytestmark = pytest.mark.django_db

AF = Actor.system("Åsa på Af")


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


def doc(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def text(response):
    return " ".join(doc(response).text_content().split())


def rows(response):
    return doc(response).xpath("//main//table/tbody/tr")


@pytest.fixture
def many(client, world):
    """62 new participants at A11 (one interrupted before its start), and a coordinator there."""
    bulk_place(world.a11, 61)
    interrupted = place(world.a11, given_name="Avbruten")
    services.interrupt(
        actor=AF, key="i", placement=interrupted, reason="moved", interrupts_on=datetime.date(2026, 12, 1)
    )
    sign_in(client, world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})].person)
    return client


def test_the_list_shows_a_page_and_counts_them_all(many):
    first = many.get("/nya-deltagare/")
    assert len(rows(first)) == 50
    assert "62 nya deltagare" in text(first)
    assert "Sida 1 av 2" in text(first)
    second = many.get("/nya-deltagare/", {"sida": 2})
    assert len(rows(second)) == 12
    # Only the rows shown are logged as shown.
    listed = AuditEvent.objects.filter(action="placements.listed").order_by("-at", "-id").first()
    assert len(listed.data["shown"]) == 12


def test_every_new_participant_can_be_chosen_at_once(many, world):
    page = doc(many.get("/nya-deltagare/"))
    every = page.xpath("//input[@name='alla']")
    assert len(every) == 1
    assert " ".join(page.xpath("//label[@for='select-every']")[0].text_content().split()) == (
        "Välj alla 62 nya deltagare, på alla sidor"
    )
    up_to = every[0].get("value")
    late = place(world.a11, given_name="Sen")  # decided after the page was made: not chosen unseen
    choose = many.get("/nya-deltagare/tilldela/", {"alla": up_to})
    chosen = doc(choose)
    # The one interrupted before its start gets no supervisor; the page names twenty and says how many more.
    assert "Handledaren tilldelas de här 61 deltagarna" in text(choose)
    assert len(chosen.xpath("//main//ul[contains(@class,'ds-list')]/li")) == 20
    assert "… och 41 till." in text(choose)
    assert chosen.xpath("//form//input[@name='alla']/@value") == [up_to]
    assert not chosen.xpath("//form//input[@name='p']")
    supervisor = world.by_roles[frozenset({Role.REPORT})]
    done = many.post("/nya-deltagare/tilldela/", {"alla": up_to, "supervisor": supervisor.pk}, follow=True)
    assert "är nu handledare för 61 nya deltagare" in text(done)
    assert Placement.objects.filter(supervisor=supervisor).count() == 61
    left = Placement.objects.filter(supervisor__isnull=True)
    assert {p.participant.given_name for p in left} == {"Avbruten", "Sen"}
    assert late in left


def test_a_short_list_offers_no_choice_of_every_page(client, world):
    bulk_place(world.a11, 3)
    sign_in(client, world.by_roles[frozenset({Role.RECEIVE})].person)
    page = doc(client.get("/nya-deltagare/"))
    assert not page.xpath("//input[@name='alla']")
    assert not page.xpath("//nav[contains(@class,'ds-pagination')]")


def test_every_new_participant_keeps_the_filter(client, world):
    """Chosen "all" under a filter means all that the filter finds, and the way back keeps the filter."""
    receiver = world.admin_a  # administers; give them the intake at two addresses
    from faportal.access.services import update_permissions

    update_permissions(
        actor=Actor.for_staff_account(world.admin_a),
        account=receiver,
        roles={Role.ADMINISTER, Role.RECEIVE},
        address_ids={world.a11.pk, world.a12.pk},
    )
    bulk_place(world.a11, 55)
    bulk_place(world.a12, 4)
    sign_in(client, receiver.person)
    up_to = doc(client.get("/nya-deltagare/", {"kommun": "0180"})).xpath("//input[@name='alla']/@value")[0]
    choose = client.get("/nya-deltagare/tilldela/", {"alla": up_to, "kommun": "0180"})
    assert "Handledaren tilldelas de här 55 deltagarna" in text(choose)
    assert doc(choose).xpath("//a[text()='Avbryt']/@href") == ["/nya-deltagare/?kommun=0180"]
    assert client.get("/nya-deltagare/tilldela/", {"alla": "x" * 30}, follow=True).redirect_chain
