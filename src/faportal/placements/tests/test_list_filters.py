"""The filters, sorting, paging and unread flags of Nya deltagare and Deltagarlista through HTTP (SPEC S4.2, S4.5)."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from lxml import html

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.placements import services
from faportal.placements.models import Placement
from faportal.registry.models import Municipality, Service
from faportal.registry.tests.factories import AddressFactory, ServiceFactory, UnitFactory
from faportal.testing import bulk_place, make_account, make_person, place, sign_in

pytestmark = pytest.mark.django_db

AF = Actor.system("Åsa på Af")
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


def doc(response):
    return html.fromstring(response.content.decode())


def text(response):
    return " ".join(doc(response).text_content().split())


def references(response):
    """The genomförandereferens of each row the user sees, top to bottom."""
    assert response.status_code == 200
    return [th.text_content().split()[0] for th in doc(response).xpath("//main//table/tbody/tr[not(@hidden)]/th[1]")]


def shown(response):
    return set(references(response))


def assign(world, placement, supervisor):
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    services.assign_supervisor(actor=receiver, placements=[placement], supervisor=supervisor)


# --- Nya deltagare ---------------------------------------------------------------------------------------------


@dataclass
class Intake:
    """A signed-in client, the genomförandereferens of the new participant at each place, and the other service."""

    client: Client
    refs: dict[str, str]
    other_service: Service

    def get(self, query=None):
        return self.client.get("/nya-deltagare/", query or {})

    def expect(self, *where):
        return {self.refs[name] for name in where}


@pytest.fixture
def intake(client, world):
    """A receiver at four addresses: three of Rusta och matcha in three municipalities, one of another service."""
    other_service = ServiceFactory.create(code="steg-till-arbete", name="Steg till arbete")
    steg = AddressFactory.create(
        unit=UnitFactory.create(organisation=world.org_a, service=other_service, name="Alfa Steg"),
        municipality=Municipality.objects.get(code="0180"),
    )
    receiver = make_account(
        make_person("Rut", "Mottagare"),
        world.org_a,
        roles=[Role.RECEIVE],
        addresses=[world.a11, world.a12, world.a21, steg],
    )
    sign_in(client, receiver.person)
    refs = {
        "stockholm": place(world.a11).genomforandereferens,  # Alfa Stockholm, 0180
        "uppsala": place(world.a12).genomforandereferens,  # Alfa Stockholm, 0380
        "goteborg": place(world.a21).genomforandereferens,  # Alfa Göteborg, 1480
        "steg": place(steg).genomforandereferens,  # Alfa Steg (the other service), 0180
    }
    return Intake(client, refs, other_service)


def test_the_intake_unfiltered_shows_everyone(intake):
    assert shown(intake.get()) == intake.expect("stockholm", "uppsala", "goteborg", "steg")


def test_intake_by_service(intake, world):
    page = intake.get({"tjanst": intake.other_service.pk})
    assert shown(page) == intake.expect("steg")
    boxes = doc(page).xpath("//input[@name='tjanst']")
    assert {box.get("value") for box in boxes} == {str(world.service.pk), str(intake.other_service.pk)}
    assert [box.get("value") for box in boxes if box.get("checked") is not None] == [str(intake.other_service.pk)]
    assert "(filter på)" in text(page)
    rusta = intake.get({"tjanst": world.service.pk})
    assert shown(rusta) == intake.expect("stockholm", "uppsala", "goteborg")


def test_intake_by_unit(intake, world):
    assert shown(intake.get({"enhet": world.unit_a2.pk})) == intake.expect("goteborg")
    assert shown(intake.get({"enhet": world.unit_a1.pk})) == intake.expect("stockholm", "uppsala")


def test_intake_by_municipality(intake):
    page = intake.get({"kommun": "0380"})
    assert shown(page) == intake.expect("uppsala")
    assert doc(page).xpath("//input[@name='kommun'][@checked]/@value") == ["0380"]


def test_intake_by_two_municipalities_shows_both(intake):
    page = intake.get({"kommun": ["0180", "0380"]})
    assert shown(page) == intake.expect("stockholm", "uppsala", "steg")
    assert intake.refs["goteborg"] not in text(page)
    assert sorted(doc(page).xpath("//input[@name='kommun'][@checked]/@value")) == ["0180", "0380"]


def test_intake_filters_narrow_across_kinds_and_widen_within_one(intake, world):
    service_and_places = {"tjanst": world.service.pk, "kommun": ["0180", "1480"]}
    assert shown(intake.get(service_and_places)) == intake.expect("stockholm", "goteborg")
    and_unit = {**service_and_places, "enhet": world.unit_a1.pk}
    assert shown(intake.get(and_unit)) == intake.expect("stockholm")
    two_units = {**service_and_places, "enhet": [world.unit_a1.pk, world.unit_a2.pk]}
    assert shown(intake.get(two_units)) == intake.expect("stockholm", "goteborg")
    nothing = intake.get({"enhet": world.unit_a2.pk, "kommun": "0380"})
    assert references(nothing) == []
    assert "Inga nya deltagare matchar filtret." in text(nothing)


@pytest.mark.parametrize(
    "query",
    [
        {"tjanst": "abc"},
        {"enhet": "-1"},
        {"enhet": "1.5"},
        {"kommun": "12"},
        {"kommun": "abcd"},
        {"kommun": "01800"},
        {"kommun": "٠١٨٠"},  # digits, but not ASCII ones
        {"tjanst": "²"},  # a digit to str.isdigit(), not to int()
        {"enhet": "99999999999999999999"},  # beyond a 64-bit id
        {"tjanst": "", "enhet": "", "kommun": ""},
    ],
)
def test_garbage_in_the_intake_filter_is_ignored(intake, query):
    page = intake.get(query)
    assert page.status_code == 200
    assert shown(page) == intake.expect("stockholm", "uppsala", "goteborg", "steg")


def test_an_unknown_id_or_code_in_the_intake_filter_matches_no_one(intake):
    for query in ({"tjanst": "999999"}, {"enhet": "999999"}, {"kommun": "9999"}):
        page = intake.get(query)
        assert page.status_code == 200
        assert references(page) == []
        assert "Inga nya deltagare matchar filtret." in text(page)


# --- Deltagarlista ---------------------------------------------------------------------------------------------


@pytest.fixture
def reporter(client, world):
    """The supervisor with the reporting role only, at A11."""
    sign_in(client, world.by_roles[frozenset({Role.REPORT})].person)
    return client


def test_the_list_by_supervisor(reporter, world):
    me = world.by_roles[frozenset({Role.REPORT})]
    colleague = world.by_roles[frozenset({Role.REPORT, Role.RECEIVE})]
    mine = [place(world.a11), place(world.a11)]
    theirs = place(world.a11)
    nobodys = place(world.a11)
    for placement in mine:
        assign(world, placement, me)
    assign(world, theirs, colleague)
    everyone = {p.genomforandereferens for p in [*mine, theirs, nobodys]}
    assert shown(reporter.get("/deltagare/")) == everyone
    page = reporter.get("/deltagare/", {"supervisor": colleague.pk})
    assert shown(page) == {theirs.genomforandereferens}
    assert doc(page).xpath("//select[@name='supervisor']/option[@selected]/text()") == [colleague.person.full_name]
    assert shown(reporter.get("/deltagare/", {"supervisor": me.pk})) == {p.genomforandereferens for p in mine}

    # The results alone (htmx, as the filter form asks for them) filter the same way, and a supervisor of nobody the
    # reporter sees (another organisation's, or none) drops that filter as the whole page does.
    def results(value):  # the rows of the results alone, as htmx swaps them into the page
        response = reporter.get("/deltagare/", {"supervisor": value}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert b"<main" not in response.content
        return {th.text_content().split()[0] for th in doc(response).xpath("//table/tbody/tr[not(@hidden)]/th[1]")}

    assert results(colleague.pk) == {theirs.genomforandereferens}
    stranger = make_account(make_person("Bea", "Annan"), world.org_b, roles={Role.REPORT}, addresses=[world.b11])
    bulk_place(world.b11, 1, supervisor=stranger)
    for value in (stranger.pk, "999999", "-1", "1e9", "9" * 40):
        assert results(value) == everyone, value


def test_the_list_sorted_by_supervisor_follows_a_new_name(reporter, world):
    """Sorted by the supervisor's surname, then given name; nobody's participants last on PostgreSQL (first on
    SQLite: each database's order for an empty name). A supervisor's new name (from BankID) moves their rows.
    """
    me = world.by_roles[frozenset({Role.REPORT})]  # "Rapportör"
    colleague = world.by_roles[frozenset({Role.REPORT, Role.RECEIVE})]
    colleague.person.surname, colleague.person.given_name = "Andersson", "Bo"
    colleague.person.save(update_fields=["surname", "given_name"])
    mine, theirs, nobodys = place(world.a11), place(world.a11), place(world.a11)
    assign(world, mine, me)
    assign(world, theirs, colleague)
    supervised = [theirs.genomforandereferens, mine.genomforandereferens]  # Andersson before the other
    ascending = references(reporter.get("/deltagare/", {"sort": "supervisor"}))
    descending = references(reporter.get("/deltagare/", {"sort": "-supervisor"}))
    assert [r for r in ascending if r != nobodys.genomforandereferens] == supervised
    assert [r for r in descending if r != nobodys.genomforandereferens] == supervised[::-1]
    assert nobodys.genomforandereferens in (ascending[0], ascending[-1])

    colleague.person.surname = "Öberg"  # after every other name
    colleague.person.save(update_fields=["surname"])
    response = reporter.get("/deltagare/", {"sort": "supervisor"})
    renamed = references(response)
    assert [r for r in renamed if r != nobodys.genomforandereferens] == supervised[::-1]
    # The rows show the supervisor's name as it is now (the list reads the placement's copy of it).
    row = doc(response).xpath(f"//main//tbody[.//a[normalize-space()='{theirs.genomforandereferens}']]/tr[1]")[0]
    assert "Bo Öberg" in " ".join(row.text_content().split())


def test_the_list_by_period(reporter, world):
    first = place(world.a11)
    other = place(world.a11)
    second = services.record_second_period(actor=AF, key="p2", first=first, decided_on=TODAY).placement
    both = {first.genomforandereferens, other.genomforandereferens, second.genomforandereferens}
    assert shown(reporter.get("/deltagare/")) == both
    period_2 = reporter.get("/deltagare/", {"period": "2"})
    assert shown(period_2) == {second.genomforandereferens}
    assert "Period 2, nivå B" in text(period_2)
    period_1 = reporter.get("/deltagare/", {"period": "1"})
    assert shown(period_1) == {first.genomforandereferens, other.genomforandereferens}
    assert "Period 2," not in text(period_1)


def test_the_list_by_status(reporter, world):
    upcoming = place(world.a11)  # starts 2026-12-08
    active = place(world.a11, decided_on=datetime.date(2026, 11, 2))  # started 2026-11-16
    ended = place(world.a11, decided_on=datetime.date(2025, 1, 2))  # ended in July 2025
    interrupted = place(world.a11)
    services.interrupt(actor=AF, key="i", placement=interrupted, reason="work", interrupts_on=TODAY)
    later = place(world.a11)  # interrupted from a later day: still not started today
    services.interrupt(actor=AF, key="j", placement=later, reason="work", interrupts_on=datetime.date(2026, 12, 1))
    expected = {
        "upcoming": ({upcoming, later}, "Inte startad"),
        "active": ({active}, "Pågående"),
        "ended": ({ended}, "Avslutad"),
        "interrupted": ({interrupted}, "Avbruten"),
    }
    for status, (placements, label) in expected.items():
        page = reporter.get("/deltagare/", {"status": status})
        assert shown(page) == {p.genomforandereferens for p in placements}, status
        assert doc(page).xpath("//select[@name='status']/option[@selected]/text()") == [label]
    assert len(references(reporter.get("/deltagare/", {"status": ""}))) == 5


def test_one_stale_value_does_not_drop_the_other_filters(reporter, world):
    place(world.a11)
    interrupted = place(world.a11)
    services.interrupt(actor=AF, key="i", placement=interrupted, reason="work", interrupts_on=TODAY)
    for stale in ({"supervisor": "999999"}, {"sort": "bogus"}):
        page = reporter.get("/deltagare/", {"status": "interrupted", **stale})
        assert doc(page).xpath("//select[@name='status']/option[@selected]/text()") == ["Avbruten"]
        assert shown(page) == {interrupted.genomforandereferens}, stale


def test_the_list_sorted_by_reference(reporter, world):
    refs = [place(world.a11).genomforandereferens for _ in range(4)]
    ascending = reporter.get("/deltagare/", {"sort": "reference"})
    assert references(ascending) == sorted(refs)
    body = ascending.content.decode()
    assert [body.index(ref) for ref in sorted(refs)] == sorted(body.index(ref) for ref in refs)
    header = doc(ascending).xpath("//th[@aria-sort='ascending']")[0]
    assert "Genomförandereferens" in header.text_content()
    assert header.xpath(".//a/@href") == ["?&sort=-reference"]
    descending = reporter.get("/deltagare/", {"sort": "-reference"})
    assert references(descending) == sorted(refs, reverse=True)
    assert doc(descending).xpath("//th[@aria-sort='descending']//a/@href") == ["?&sort=reference"]


def test_the_list_pages_by_50_and_keeps_the_filter(reporter, world):
    bulk_place(world.a11, 53)  # all upcoming
    active = place(world.a11, decided_on=datetime.date(2026, 11, 2))
    expected = sorted(Placement.objects.exclude(pk=active.pk).values_list("genomforandereferens", flat=True))
    query = {"status": "upcoming", "sort": "reference"}
    first = reporter.get("/deltagare/", query)
    assert references(first) == expected[:50]
    assert "53 deltagare" in text(first)
    assert "Sida 1 av 2" in text(first)
    assert doc(first).xpath("//nav[contains(@class, 'ds-pagination')]//a/@href") == [
        "?status=upcoming&sort=reference&sida=2"
    ]
    second = reporter.get("/deltagare/", {**query, "sida": "2"})
    assert references(second) == expected[50:]
    assert active.genomforandereferens not in text(second)
    assert "Sida 2 av 2" in text(second)
    assert doc(second).xpath("//nav[contains(@class, 'ds-pagination')]//a/@href") == [
        "?status=upcoming&sort=reference&sida=1"
    ]


def unread_badges(client, response):
    """The counts beside the unread links, as htmx loads them after the list (the page names where from)."""
    nav = doc(response).xpath("//nav[@class='fa-unread']")[0]
    assert "Nya beslut" in nav.text_content()
    assert not nav.xpath(".//span[@class='ds-badge']")
    counted = client.get(nav.get("hx-get"), headers={"HX-Request": "true"})
    assert counted.status_code == 200
    return " ".join(doc(counted).xpath("//nav[@class='fa-unread']")[0].text_content().split())


def test_a_new_decision_is_unread_until_the_participant_is_opened(reporter, world):
    first = place(world.a11)
    interrupted = place(world.a11)
    for placement in (first, interrupted):
        reporter.get(f"/deltagare/{placement.pk}/")  # seen: no unread flags
    assert references(reporter.get("/deltagare/", {"olast": "decision"})) == []
    assert "Nya beslut 0" in unread_badges(reporter, reporter.get("/deltagare/"))

    second = services.record_second_period(actor=AF, key="p2", first=first, decided_on=TODAY).placement
    services.interrupt(
        actor=AF, key="i", placement=interrupted, reason="work", interrupts_on=datetime.date(2026, 12, 20)
    )  # an interruption is not a new decision
    page = reporter.get("/deltagare/", {"olast": "decision"})
    assert references(page) == [first.genomforandereferens]
    assert "Nytt beslut" in text(page)
    assert "Nya beslut 1" in unread_badges(reporter, page)
    assert doc(page).xpath("//nav[@class='fa-unread']//a[@aria-current='true']/@href") == ["?&olast=decision"]
    everyone = reporter.get("/deltagare/")
    assert shown(everyone) == {
        first.genomforandereferens,
        interrupted.genomforandereferens,
        second.genomforandereferens,
    }

    reporter.get(f"/deltagare/{first.pk}/")
    after = reporter.get("/deltagare/", {"olast": "decision"})
    assert references(after) == []
    assert "Inga deltagare matchar." in text(after)
    assert "Nya beslut 0" in unread_badges(reporter, after)
    assert references(reporter.get("/deltagare/", {"olast": "interruption"})) == [interrupted.genomforandereferens]
