"""Logg, the provider administrator's audit log (SPEC S9), through HTTP: its words, its filters and its pages."""

import datetime
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import html

from faportal.access.actor import Actor
from faportal.access.models import Role
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


def error(response, field):
    found = doc(response).xpath(f"//p[@id='id_{field}_error']")
    return " ".join(found[0].text_content().split()) if found else None


def selected(response, field):
    page = doc(response)
    return page.xpath(f"//select[@name='{field}']/option[@selected]/@value") or page.xpath(
        f"//input[@name='{field}']/@value"
    )


def options(response, field):
    return [" ".join(o.text_content().split()) for o in doc(response).xpath(f"//select[@name='{field}']/option")]


def english(client):
    """New words are English until they are translated: read the page in English to test them."""
    client.cookies["faportal_language"] = "en"
    return client


@dataclass
class Log:
    """A signed-in administrator of organisation A, and who acted in the log."""

    client: Client
    anna: Actor  # the administrator
    cecilia: Actor  # a coordinator in A
    bengt: Actor  # organisation B's administrator
    asa: Actor  # an Af officer, whose decisions land in A's log

    def get(self, query=None):
        return self.client.get("/logg/", query or {})


def write(actor, action, label, when, *, organisation, **data):
    with time_machine.travel(when, tick=False):
        record(actor, action, None, organisation_id=organisation.pk, label=label, **data)


@pytest.fixture
def log(client, world):
    """Five events in A's log across November 2026, and one in B's that A never sees."""
    cecilia_account = make_account(
        make_person("Cecilia", "Samordnare"), world.org_a, roles=[Role.RECEIVE, Role.REPORT], addresses=[world.a11]
    )
    anna = Actor.for_staff_account(world.admin_a)
    cecilia = Actor.for_staff_account(cecilia_account)
    bengt = Actor.for_staff_account(world.admin_b)
    asa = Actor.for_af_account(make_af_officer("Åsa", "Handläggare"))
    a = world.org_a
    write(anna, "access.role_granted", "Granted to Cecilia", at(2, 9), organisation=a, role="receive")
    write(asa, "placements.decided", "Decided for Petra", at(5, 10), organisation=a)
    write(cecilia, "placements.read", "Opened Petra", at(10, 14), organisation=a)
    write(cecilia, "placements.read", "Opened Pelle", at(20, 23, 59), organisation=a)  # 22:59 UTC, the 20th here
    write(cecilia, "placements.listed", "Listed on the 21st", at(21, 0, 1), organisation=a, shown=[1, 2], page="intake")
    write(bengt, "placements.read", "Beta's own participant", at(10, 15), organisation=world.org_b)
    sign_in(client, world.admin_a.person)
    return Log(client, anna, cecilia, bengt, asa)


EVERYTHING = ["Listed on the 21st", "Opened Pelle", "Opened Petra", "Decided for Petra", "Granted to Cecilia"]


def test_the_intro_says_the_log_holds_changes_and_every_look_at_participant_data(log):
    page = text(english(log.client).get("/logg/"))
    assert "Every change concerning your organisation, and every time someone looked at participant data" in page
    assert "5 events" in page


def test_without_filters_every_event_of_the_organisation_newest_first_and_none_of_another(log):
    response = log.get()
    assert concerns(response) == EVERYTHING
    assert "Beta's own participant" not in text(response)


def test_the_person_filter_offers_the_people_in_this_organisations_log_only(log):
    people = options(english(log.client).get("/logg/"), "person")
    assert people == ["Everyone", "Anna Admin", "Åsa Handläggare", "Cecilia Samordnare"]


def test_the_action_filter_offers_every_action_by_its_translated_name(log):
    actions = options(log.get(), "action")
    assert actions[0] == "Alla händelser"
    assert {"Öppnade en deltagare", "Listade deltagare", "Gav en behörighet"} <= set(actions)
    assert not [name for name in actions if "." in name]  # no raw codes like placements.read


def test_filtering_by_person(log):
    response = log.get({"person": log.cecilia.person_id})
    assert concerns(response) == ["Listed on the 21st", "Opened Pelle", "Opened Petra"]
    assert selected(response, "person") == [str(log.cecilia.person_id)]


def test_filtering_by_action(log):
    response = log.get({"action": "placements.read"})
    assert concerns(response) == ["Opened Pelle", "Opened Petra"]
    assert selected(response, "action") == ["placements.read"]


def test_the_date_range_holds_whole_local_days_at_both_ends(log):
    assert concerns(log.get({"since": "2026-11-05", "until": "2026-11-20"})) == [
        "Opened Pelle",
        "Opened Petra",
        "Decided for Petra",
    ]
    assert concerns(log.get({"since": "2026-11-21"})) == ["Listed on the 21st"]
    assert concerns(log.get({"until": "2026-11-02"})) == ["Granted to Cecilia"]
    response = log.get({"since": "2026-11-20", "until": "2026-11-20"})
    assert concerns(response) == ["Opened Pelle"]
    assert selected(response, "since") == ["2026-11-20"]
    assert selected(response, "until") == ["2026-11-20"]


def test_filters_apply_together(log):
    response = log.get({"person": log.cecilia.person_id, "action": "placements.read", "since": "2026-11-15"})
    assert concerns(response) == ["Opened Pelle"]


def test_nothing_matching_says_so(log):
    response = english(log.client).get("/logg/", {"person": log.anna.person_id, "action": "placements.read"})
    assert concerns(response) == []
    assert "No events match the filters." in text(response)
    assert "0 events" in text(response)


def test_someone_from_another_organisation_cannot_be_chosen_and_their_events_stay_hidden(log):
    response = english(log.client).get("/logg/", {"person": log.bengt.person_id, "action": "placements.read"})
    assert error(response, "person") == "Choose a person from the list."
    assert concerns(response) == ["Opened Pelle", "Opened Petra"]  # the person filter is dropped, the action kept
    assert "Beta's own participant" not in text(response)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"person": "Cecilia"}, "person", "Choose a person from the list."),
        ({"action": "placements.deleted"}, "action", "Choose an event from the list."),
        ({"since": "2026-02-31"}, "since", "Enter a whole date, e.g. 2026-11-24."),
        ({"until": "24/11/2026"}, "until", "Enter a whole date, e.g. 2026-11-24."),
        ({"since": "0202-11-01"}, "since", "Ensure this value is greater than or equal to 2000-01-01."),
        ({"until": "20266-11-01"}, "until", "Enter a whole date, e.g. 2026-11-24."),
    ],
)
def test_an_invalid_value_is_explained_at_its_field_and_drops_only_its_own_filter(log, query, field, message):
    other = {"until": "2026-11-10"} if field != "until" else {"since": "2026-11-10"}
    response = english(log.client).get("/logg/", {**query, **other})
    assert error(response, field) == message
    assert doc(response).xpath(f"//*[@name='{field}']/@aria-invalid") == ["true"]
    expected = ["Opened Petra", "Decided for Petra", "Granted to Cecilia"] if "until" in other else EVERYTHING[:3]
    assert concerns(response) == expected


def test_an_end_before_the_start_is_explained_and_only_the_end_is_dropped(log):
    response = english(log.client).get("/logg/", {"since": "2026-11-20", "until": "2026-11-05"})
    assert error(response, "until") == "The end of the range cannot be before its start."
    assert error(response, "since") is None
    assert concerns(response) == ["Listed on the 21st", "Opened Pelle"]


def test_the_filters_are_kept_in_the_links_between_pages(log):
    for n in range(55):
        write(
            log.cecilia, "placements.read", f"Bulk {n:02}", at(12, 8, n), organisation=log.cecilia.account.organisation
        )
    query = {"person": log.cecilia.person_id, "action": "placements.read", "since": "2026-11-11"}
    first = log.get(query)
    assert len(concerns(first)) == 50
    assert "Opened Petra" not in concerns(first)  # the 10th, before the range
    next_link = doc(first).xpath("//nav[contains(@class,'ds-pagination')]//a/@href")
    assert len(next_link) == 1
    params = parse_qs(urlsplit(next_link[0]).query)
    # The next page continues after the last entry shown (an opaque position, "aldre"), and is numbered.
    assert params.pop("aldre")
    assert params == {
        "person": [str(log.cecilia.person_id)],
        "action": ["placements.read"],
        "since": ["2026-11-11"],
        "sida": ["2"],
    }
    second = log.client.get("/logg/" + next_link[0])
    # 56 in range: Opened Pelle and Bulk 54 … 00; the second page holds the last six.
    assert concerns(second) == [f"Bulk {n:02}" for n in range(5, -1, -1)]
    assert "Sida 2" in text(second)
    assert selected(second, "person") == [str(log.cecilia.person_id)]
    assert selected(second, "action") == ["placements.read"]
    assert selected(second, "since") == ["2026-11-11"]
    # And back: the first page again, the same fifty, with the filters kept.
    back = doc(second).xpath("//nav[contains(@class,'ds-pagination')]//a/@href")
    assert len(back) == 1
    assert parse_qs(urlsplit(back[0]).query)["sida"] == ["1"]
    assert concerns(log.client.get("/logg/" + back[0])) == concerns(first)


def test_a_page_position_that_is_not_ours_shows_the_first_page(log):
    for position in ("nonsense", "MTIz", "x" * 500, "%00"):
        assert concerns(log.get({"aldre": position})) == EVERYTHING
        assert concerns(log.get({"nyare": position, "sida": "99999999999"})) == EVERYTHING


def test_a_log_too_long_to_count_says_more_than(log, monkeypatch):
    from faportal.access import views

    monkeypatch.setattr(views, "LOG_COUNT_CAP", 3)
    assert "Fler än 3 händelser" in text(log.get())
    assert "2 händelser" in text(log.get({"action": "placements.read"}))


def test_a_log_with_too_many_people_to_list_is_searched_by_name(log, monkeypatch):
    from faportal.access import selectors

    monkeypatch.setattr(selectors, "AUDIT_LOG_PEOPLE_LISTED", 2)
    response = log.get({"person": "cecil"})
    assert not doc(response).xpath("//select[@name='person']")
    assert selected(response, "person") == ["cecil"]
    assert concerns(response) == ["Listed on the 21st", "Opened Pelle", "Opened Petra"]
    # A person's id (from a link or a bookmark) still means that person.
    assert concerns(log.get({"person": log.cecilia.person_id})) == concerns(response)
    assert concerns(log.get({"person": "Nobody Here"})) == []


def test_show_all_appears_once_filtered_and_leads_back_to_everything(log):
    english(log.client)
    assert not doc(log.get()).xpath("//a[normalize-space()='Show all']")
    links = doc(log.get({"action": "placements.read"})).xpath("//a[normalize-space()='Show all']/@href")
    assert links == ["/logg/"]


def test_a_long_label_can_wrap_and_the_log_is_a_list_that_becomes_cards(log):
    write(log.anna, "access.role_granted", "x" * 300, at(22, 9), organisation=log.anna.account.organisation)
    page = doc(log.get())
    assert page.xpath("//div[contains(@class,'fa-table')]/table[contains(@class,'fa-audit')]")
    assert "x" * 300 in concerns(log.get())[0]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/logg/", "/logg/?action=placements.read&since=2026-11-01&until=2026-11-30", "/logg/?person=999999&sida=2"],
)
def test_the_log_costs_the_same_whatever_the_number_of_events_and_people(log, world, url):
    log.client.get("/")  # the first request of a session also writes the session

    def more(count):
        for n in range(count):
            account = make_account(make_person(f"Extra{n}", "Person"), world.org_a, roles=[Role.REPORT])
            write(
                Actor.for_staff_account(account), "placements.read", f"Extra {n}", at(15, 9), organisation=world.org_a
            )

    few = queries(log.client, url)
    more(60)
    assert queries(log.client, url) == few


def test_a_day_is_a_swedish_day_across_the_change_to_winter_time(client, world):
    """25 October 2026 has 25 hours in Stockholm: 00:30 summer time and 23:30 winter time are both that day."""
    anna = Actor.for_staff_account(world.admin_a)
    summer, winter = datetime.timezone(datetime.timedelta(hours=2)), datetime.timezone(datetime.timedelta(hours=1))
    for label, when in (
        ("Late on the 24th", datetime.datetime(2026, 10, 24, 23, 30, tzinfo=summer)),
        ("Early on the 25th", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=summer)),
        ("Late on the 25th", datetime.datetime(2026, 10, 25, 23, 30, tzinfo=winter)),
        ("Early on the 26th", datetime.datetime(2026, 10, 26, 0, 30, tzinfo=winter)),
    ):
        write(anna, "access.role_granted", label, when, organisation=world.org_a)
    sign_in(client, world.admin_a.person)
    response = client.get("/logg/", {"since": "2026-10-25", "until": "2026-10-25"})
    assert concerns(response) == ["Late on the 25th", "Early on the 25th"]
