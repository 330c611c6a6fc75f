"""The back office's audit log (SPEC S9): Af's auditors read every organisation's events, with the same filters."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role
from faportal.audit.services import record
from faportal.testing import make_account, make_af_officer, make_person, sign_in

pytestmark = pytest.mark.django_db

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))  # November: no summer time


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=STOCKHOLM)


def doc(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def text(response):
    return " ".join(doc(response).text_content().split())


def concerns(response):
    """The "Gäller" cell of each row of the log, top to bottom."""
    return [" ".join(td.text_content().split()) for td in doc(response).xpath("//main//table/tbody/tr/td[4]")]


def options(response, field):
    return [" ".join(o.text_content().split()) for o in doc(response).xpath(f"//select[@name='{field}']/option")]


def write(actor, action, label, when, *, organisation=None, **data):
    with time_machine.travel(when, tick=False):
        record(actor, action, None, organisation_id=organisation.pk if organisation else None, label=label, **data)


@pytest.fixture
def people(world):
    return {
        "anna": Actor.for_staff_account(world.admin_a),
        "bengt": Actor.for_staff_account(world.admin_b),
        "asa": Actor.for_af_account(make_af_officer("Åsa", "Handläggare", [AfRole.CASE_OFFICER])),
    }


@pytest.fixture
def auditor(client, world, people):
    """An Af auditor, signed in, and events of both organisations and of Af itself."""
    write(people["anna"], "placements.read", "Alfa's participant", at(3, 9), organisation=world.org_a)
    write(people["bengt"], "placements.read", "Beta's participant", at(12, 9), organisation=world.org_b)
    write(people["bengt"], "access.role_granted", "Beta's new coordinator", at(13, 9), organisation=world.org_b)
    write(people["asa"], "placements.decided", "Decided at Beta", at(14, 9), organisation=world.org_b)
    write(people["asa"], "placements.searched", "Searched by Af", at(15, 9), hits=2)
    sign_in(client, make_af_officer("Olle", "Granskare", [AfRole.AUDITOR]).person)
    client.cookies["faportal_language"] = "en"  # the filters' new words are English until they are translated
    return client


def test_an_auditor_sees_every_organisations_events(auditor):
    response = auditor.get("/af/logg/")
    assert concerns(response) == [
        "Searched by Af",
        "Decided at Beta",
        "Beta's new coordinator",
        "Beta's participant",
        "Alfa's participant",
    ]
    assert "5 events" in text(response)


def test_the_person_filter_offers_everyone_in_the_whole_log(auditor):
    assert options(auditor.get("/af/logg/"), "person") == ["Everyone", "Anna Admin", "Bengt Beta", "Åsa Handläggare"]


def test_the_filters_apply_together_across_organisations(auditor, people):
    response = auditor.get("/af/logg/", {"person": people["bengt"].person_id, "since": "2026-11-13"})
    assert concerns(response) == ["Beta's new coordinator"]
    response = auditor.get("/af/logg/", {"action": "placements.read", "until": "2026-11-12"})
    assert concerns(response) == ["Beta's participant", "Alfa's participant"]


def test_an_invalid_value_is_explained_and_drops_only_its_own_filter(auditor):
    response = auditor.get("/af/logg/", {"action": "nonsense", "until": "2026-11-12"})
    page = doc(response)
    assert " ".join(page.xpath("//p[@id='id_action_error']")[0].text_content().split()) == (
        "Choose an event from the list."
    )
    assert concerns(response) == ["Beta's participant", "Alfa's participant"]


def test_the_filters_are_kept_in_the_links_between_pages(auditor, world, people):
    for n in range(50):
        write(people["bengt"], "placements.read", f"Bulk {n:02}", at(20, 8, n), organisation=world.org_b)
    first = auditor.get("/af/logg/", {"action": "placements.read", "person": people["bengt"].person_id})
    links = doc(first).xpath("//nav[contains(@class,'ds-pagination')]//a/@href")
    params = parse_qs(urlsplit(links[0]).query)
    assert params.pop("aldre")  # where the next page continues
    assert params == {
        "action": ["placements.read"],
        "person": [str(people["bengt"].person_id)],
        "sida": ["2"],
    }
    assert concerns(auditor.get("/af/logg/" + links[0])) == ["Beta's participant"]


def test_a_provider_administrator_cannot_read_the_back_office_log(client, world):
    sign_in(client, world.admin_a.person)
    assert client.get("/af/logg/").status_code == 404


@pytest.mark.parametrize("url", ["/af/logg/", "/af/logg/?action=placements.read&since=2026-11-01&person=1"])
def test_the_log_costs_the_same_whatever_the_number_of_events_and_people(auditor, world, url):
    auditor.get("/af/")  # the first request of a session also writes the session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert auditor.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(60):
        account = make_account(make_person(f"Extra{n}", "Person"), world.org_b, roles=[Role.REPORT])
        write(Actor.for_staff_account(account), "placements.read", f"Extra {n}", at(16, 9), organisation=world.org_b)
    assert queries() == few
