"""Af's decisions in the back office (SPEC S4.1, S4.4, S4.7, S4.8): the provider sees them at once."""

import datetime

import pytest
import time_machine
from lxml import html

from faportal.access.models import AfRole, Role
from faportal.audit.models import AuditEvent
from faportal.placements.models import Placement
from faportal.testing import make_af_officer, personnummer, place, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def officer(client, db):
    sign_in(client, make_af_officer("Åsa", "Handläggare", [AfRole.CASE_OFFICER]).person)
    return client


def doc(response):
    return html.fromstring(response.content.decode())


def text(response):
    return " ".join(doc(response).text_content().split())


def errors(response):
    return {
        p.get("id"): " ".join(p.text_content().split()) for p in doc(response).xpath("//p[@data-field='validation']")
    }


def form_data(officer, world, **changes):
    key = doc(officer.get("/af/deltagare/nytt-beslut/")).xpath("//input[@name='decision_id']/@value")[0]
    data = {
        "decision_id": key,
        "personnummer": personnummer(1985, 6, 15, serial=42),
        "given_name": "Petra",
        "surname": "Deltagare",
        "service": "rusta-och-matcha",
        "address": str(world.a11.pk),
        "level": "B",
        "decided_on": "2026-11-24",
        "starts_on": "",
        "needs_language_support": "on",
        "language": "Somaliska",
    }
    data.update(changes)
    return data


def test_a_decision_is_recorded_and_the_provider_sees_it_at_once(officer, world, client):
    response = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world), follow=True)
    placement = Placement.objects.get()
    assert f"Beslutet är registrerat: {placement.genomforandereferens} hos Alfa Rusta AB, start 2026-12-08." in text(
        response
    )
    from django.test import Client

    provider = Client()
    sign_in(provider, world.by_roles[frozenset({Role.RECEIVE})].person)
    assert placement.genomforandereferens in provider.get("/nya-deltagare/").content.decode()


def test_the_decision_form_sits_under_participants_in_the_menu(officer):
    page = doc(officer.get("/af/deltagare/nytt-beslut/"))
    assert page.xpath("//a[@aria-current='page']/text()") == ["Deltagare"]


def test_the_same_form_sent_twice_decides_once(officer, world):
    data = form_data(officer, world)
    officer.post("/af/deltagare/nytt-beslut/", data)
    officer.post("/af/deltagare/nytt-beslut/", data)
    assert Placement.objects.count() == 1


def test_bad_input_is_explained_at_each_field_and_nothing_typed_is_lost(officer, world):
    data = form_data(officer, world, personnummer="19850615-1234", starts_on="2026-12-07", language="", postcode="123")
    response = officer.post("/af/deltagare/nytt-beslut/", data)
    found = errors(response)
    assert found["id_personnummer_error"] == "Personnumret är inte giltigt: kontrollera den sista siffran."
    assert found["id_language_error"] == "Ange vilket språk stödet ska vara på."
    assert found["id_postcode_error"] == "Skriv fem siffror, till exempel 111 22."
    page = doc(response)
    assert page.xpath("//input[@name='personnummer']/@value") == ["19850615-1234"]
    assert page.xpath("//input[@name='given_name']/@value") == ["Petra"]
    assert not Placement.objects.exists()
    # The rules of the service are checked too, at their field.
    response = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world, starts_on="2026-12-07"))
    assert errors(response)["id_starts_on_error"] == (
        "Tjänsten kan starta tidigast tio arbetsdagar efter beslutet: 2026-12-08 eller senare."
    )


def test_every_problem_is_shown_in_one_round_with_words_for_each_field(officer, world):
    empty = errors(officer.post("/af/deltagare/nytt-beslut/", {"decision_id": "bo-empty"}))
    assert empty["id_service_error"] == "Välj tjänst."
    assert empty["id_address_error"] == "Välj verksamhet och adress."
    assert empty["id_level_error"] == "Välj nivå A, B eller C."
    assert empty["id_decided_on_error"] == "Fyll i beslutsdatum."
    data = form_data(officer, world, personnummer="19850615-1234", decided_on="2019-06-03", starts_on="2026-12-12")
    found = errors(officer.post("/af/deltagare/nytt-beslut/", data))
    assert found["id_personnummer_error"] == "Personnumret är inte giltigt: kontrollera den sista siffran."
    assert found["id_decided_on_error"] == (
        "Beslutsdatumet ligger mer än 30 dagar bakåt i tiden. Kontrollera det; stämmer det, kryssa i rutan nedanför."
    )
    assert found["id_starts_on_error"] == "Startdatumet måste vara en arbetsdag (inte lördag, söndag eller helgdag)."
    assert not Placement.objects.exists()


def test_the_same_person_cannot_be_placed_twice_at_once(officer, world):
    officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world))
    again = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world))
    assert errors(again)["id_personnummer_error"] == (
        "Den arbetssökande har redan ett deltagande under den tiden. "
        "Besluta i stället om period 2 eller byte av leverantör för det pågående deltagandet."
    )
    assert Placement.objects.count() == 1


def test_interrupting_moving_and_withdrawing(officer, world):
    placement = place(world.a11)
    url = f"/af/deltagare/{placement.genomforandereferens}/"
    key = doc(officer.get(url)).xpath("//form[contains(@action,'avbrott/')]//input[@name='decision_id']/@value")[0]
    past = officer.post(url + "avbrott/", {"decision_id": key, "reason": "work", "interrupts_on": "2026-11-23"})
    assert (
        errors(past)["interrupt_interrupts_on_error"]
        == "Avbrottsdatumet kan inte ligga bakåt i tiden: i dag eller senare."
    )
    done = officer.post(
        url + "avbrott/", {"decision_id": key, "reason": "work", "interrupts_on": "2026-12-01"}, follow=True
    )
    assert "Avbrottet är registrerat." in text(done)
    key = doc(done).xpath("//form[contains(@action,'andra/')]//input[@name='decision_id']/@value")[0]
    moved = officer.post(url + "avbrott/andra/", {"decision_id": key, "interrupts_on": "2026-12-03"}, follow=True)
    assert "Avbrottet är flyttat." in text(moved)
    key = doc(moved).xpath("//form[contains(@action,'andra/')]//input[@name='decision_id']/@value")[0]
    withdrawn = officer.post(url + "avbrott/andra/", {"decision_id": key, "withdraw": "on"}, follow=True)
    assert "Avbrottet är återkallat." in text(withdrawn)
    assert "Avbrottet från 2026-12-03 är återkallat" in text(withdrawn)


def test_period_two_and_provider_change(officer, world):
    first = place(world.a11)
    url = f"/af/deltagare/{first.genomforandereferens}/"
    key = doc(officer.get(url)).xpath("//form[contains(@action,'period-2/')]//input[@name='decision_id']/@value")[0]
    response = officer.post(url + "period-2/", {"decision_id": key, "decided_on": "2026-11-24"}, follow=True)
    second = Placement.objects.get(period=2)
    assert f"Period 2 är beslutad: {second.genomforandereferens}." in text(response)
    other = place(world.a12)
    url = f"/af/deltagare/{other.genomforandereferens}/"
    # The form, with every provider's addresses, is shown when asked for.
    assert not doc(officer.get(url)).xpath("//form[contains(@action,'byte-av')]")
    asked = doc(officer.get(url, {"byt": "leverantor"}))
    key = asked.xpath("//form[contains(@action,'byte-av')]//input[@name='decision_id']/@value")[0]
    assert asked.xpath("//form[contains(@action,'byte-av')]//input[@type='search'][@name='address_sok']")
    response = officer.post(
        url + "byte-av-leverantor/",
        {"decision_id": key, "address": str(world.b11.pk), "decided_on": "2026-11-24", "starts_on": ""},
        follow=True,
    )
    new = Placement.objects.get(organisation=world.org_b)
    assert f"den nya är {new.genomforandereferens}" in text(response)


def test_finding_a_placement_by_personnummer(officer, world):
    placement = place(world.a11)
    response = officer.post("/af/deltagare/", {"q": placement.participant.personnummer_display})
    assert placement.genomforandereferens in text(response)
    assert "Träffar" in text(response)
    searched = AuditEvent.objects.get(action="placements.searched")
    assert searched.data == {"hits": 1}
    shown = AuditEvent.objects.get(action="placements.listed")
    assert shown.data == {"shown": [placement.pk], "page": "af_placements"}


def test_a_mistyped_personnummer_is_said_to_be_wrong(officer, world):
    response = officer.post("/af/deltagare/", {"q": "19900101-1234"})
    assert errors(response)["id_q_error"] == "Personnumret är inte giltigt: kontrollera den sista siffran."
    assert doc(response).xpath("//input[@name='q']/@value") == ["19900101-1234"]


def test_a_personnummer_is_never_searched_for_in_the_address(officer, world):
    """A GET carries its query string into browser history and access logs: the search form posts."""
    placement = place(world.a11)
    response = officer.get("/af/deltagare/", {"q": placement.participant.personnummer_display})
    assert "Träffar" not in text(response)
    assert doc(response).xpath("//form[@role='search']/@method") == ["post"]
    assert not AuditEvent.objects.filter(action="placements.searched").exists()


def test_only_the_decisions_the_rules_allow_are_offered(officer, world):
    from faportal.access.actor import Actor
    from faportal.placements import services

    def offered(placement):
        page = doc(officer.get(f"/af/deltagare/{placement.genomforandereferens}/"))
        return [" ".join(h.text_content().split()) for h in page.xpath("//main//section//h2")], text_of(page)

    def text_of(page):
        return " ".join(page.text_content().split())

    running = place(world.a11)
    assert offered(running)[0] == ["Avbrott", "Besluta om period 2", "Byt leverantör"]
    ahead = place(world.a11)
    services.interrupt(
        actor=Actor.system("Af"),
        key="i-ahead",
        placement=ahead,
        reason="work",
        interrupts_on=datetime.date(2026, 12, 1),
    )
    assert offered(ahead)[0] == ["Flytta eller återkalla avbrottet"]
    today = place(world.a11)
    services.interrupt(
        actor=Actor.system("Af"),
        key="i-today",
        placement=today,
        reason="work",
        interrupts_on=datetime.date(2026, 11, 24),
    )
    headings, words = offered(today)
    assert headings == []
    assert "Avbrottet har börjat gälla: det kan inte längre flyttas eller återkallas." in words
    ended = place(world.a11, decided_on=datetime.date(2026, 4, 1))
    headings, words = offered(ended)
    assert headings == []
    assert "Deltagandet har avslutats: det finns inga fler beslut att fatta om det." in words
    with_second = place(world.a11, decided_on=datetime.date(2026, 6, 1))
    services.record_second_period(
        actor=Actor.system("Af"), key="p2", first=with_second, decided_on=datetime.date(2026, 11, 24)
    )
    assert offered(with_second)[0] == ["Avbrott", "Byt leverantör"]  # period 2 once only


def test_period_two_is_still_offered_the_day_after_period_one(officer, world):
    first = place(world.a11, decided_on=datetime.date(2026, 5, 4))
    Placement.objects.filter(pk=first.pk).update(ends_on=datetime.date(2026, 11, 23))  # ended yesterday
    page = doc(officer.get(f"/af/deltagare/{first.genomforandereferens}/"))
    headings = [" ".join(h.text_content().split()) for h in page.xpath("//main//section//h2")]
    assert headings == ["Besluta om period 2"]  # it can still follow without a gap
    assert "Deltagandet har avslutats" not in " ".join(page.text_content().split())


def test_a_decision_date_far_back_goes_through_once_confirmed(officer, world):
    data = form_data(officer, world, decided_on="2026-09-01")
    asked = officer.post("/af/deltagare/nytt-beslut/", data)
    assert doc(asked).xpath("//input[@name='decided_on_checked']/@type") == ["checkbox"]
    assert doc(asked).xpath("//label[@for='id_decided_on_checked']/text()") == ["Beslutsdatumet stämmer"]
    assert not Placement.objects.exists()
    officer.post("/af/deltagare/nytt-beslut/", {**data, "decided_on_checked": "on"})
    assert Placement.objects.get().decided_on == datetime.date(2026, 9, 1)


def test_a_refused_decision_reads_the_placement_once(officer, world):
    placement = place(world.a11)
    response = officer.post(
        f"/af/deltagare/{placement.genomforandereferens}/avbrott/",
        {"decision_id": "bo-past", "reason": "work", "interrupts_on": "2026-11-23"},
    )
    assert errors(response)["interrupt_interrupts_on_error"] == (
        "Avbrottsdatumet kan inte ligga bakåt i tiden: i dag eller senare."
    )
    assert AuditEvent.objects.filter(action="placements.read", subject_id=str(placement.pk)).count() == 1


# --- issue 8: what a new user's walk through the portal found ---------------------------------------------------

CHECK_THE_YEAR = "Kontrollera året: ange ett datum mellan 1900-01-01 och 2999-12-31."


def test_a_personnummer_born_in_the_future_is_refused_at_its_field(officer, world):
    data = form_data(officer, world, personnummer="20300101-1232")  # a correct check digit
    response = officer.post("/af/deltagare/nytt-beslut/", data)
    assert errors(response)["id_personnummer_error"] == (
        "Personnumret har ett födelsedatum i framtiden: kontrollera siffrorna."
    )
    assert doc(response).xpath("//input[@name='personnummer']/@value") == ["20300101-1232"]
    assert not Placement.objects.exists()


def test_moving_and_withdrawing_an_interruption_at_once_is_refused_and_changes_nothing(officer, world):
    placement = place(world.a11)
    url = f"/af/deltagare/{placement.genomforandereferens}/"
    key = doc(officer.get(url)).xpath("//form[contains(@action,'avbrott/')]//input[@name='decision_id']/@value")[0]
    officer.post(url + "avbrott/", {"decision_id": key, "reason": "work", "interrupts_on": "2026-12-01"})
    key = doc(officer.get(url)).xpath("//form[contains(@action,'andra/')]//input[@name='decision_id']/@value")[0]
    both = officer.post(url + "avbrott/andra/", {"decision_id": key, "interrupts_on": "2026-12-03", "withdraw": "on"})
    assert both.status_code == 200
    summary = " ".join(doc(both).xpath("//*[contains(@class,'ds-error-summary')]")[0].text_content().split())
    assert "Ange ett nytt datum eller återkalla avbrottet, inte båda." in summary
    page = doc(both)  # what was typed and ticked is still there, to correct
    assert page.xpath("//input[@name='interrupts_on' and @id='change_interrupts_on']/@value") == ["2026-12-03"]
    assert page.xpath("//input[@name='withdraw']/@checked")
    interruption = placement.interruptions.get()
    assert (interruption.interrupts_on, interruption.withdrawn_at) == (datetime.date(2026, 12, 1), None)


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-24", "0001-01-01", "3000-01-01"])
@pytest.mark.parametrize("field", ["decided_on", "starts_on"])
def test_a_decision_dated_near_the_end_of_the_calendar_is_a_message_not_a_server_error(officer, world, field, day):
    response = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world, **{field: day}))
    assert response.status_code == 200
    assert errors(response)[f"id_{field}_error"] == CHECK_THE_YEAR
    assert not Placement.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_every_back_office_date_is_kept_inside_the_calendar(officer, world, day):
    placement = place(world.a11)
    url = f"/af/deltagare/{placement.genomforandereferens}/"
    forms = {
        "period-2/": ("period2_decided_on", {"decided_on": day}),
        "byte-av-leverantor/": ("provider_decided_on", {"decided_on": day, "address": str(world.b11.pk)}),
        "byte-av-leverantor/#start": ("provider_starts_on", {"decided_on": "2026-11-24", "starts_on": day}),
        "avbrott/": ("interrupt_interrupts_on", {"reason": "work", "interrupts_on": day}),
    }
    for action, (field_id, data) in forms.items():
        response = officer.post(url + action.split("#")[0], {"decision_id": f"bo-{action}", **data})
        assert response.status_code == 200, action
        assert errors(response)[f"{field_id}_error"] == CHECK_THE_YEAR, action
    officer.post(url + "avbrott/", {"decision_id": "bo-i", "reason": "work", "interrupts_on": "2026-12-01"})
    moved = officer.post(url + "avbrott/andra/", {"decision_id": "bo-c", "interrupts_on": day})
    assert errors(moved)["change_interrupts_on_error"] == CHECK_THE_YEAR
    assert Placement.objects.count() == 1
    assert placement.interruptions.get().interrupts_on == datetime.date(2026, 12, 1)
