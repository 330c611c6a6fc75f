"""Af finds the unit and address of a decision by typing, among every provider's addresses."""

import pytest
from django.test import Client
from django.utils import timezone

from faportal.access.models import AfRole, Role
from faportal.backoffice.tests.test_decisions import doc, errors, form_data, text
from faportal.placements.models import Placement
from faportal.testing import make_af_officer, sign_in

OPTIONS = "/af/deltagare/adresser/"


@pytest.fixture
def officer(client, db):
    sign_in(client, make_af_officer("Åsa", "Handläggare", [AfRole.CASE_OFFICER]).person)
    return client


def found(response):
    """The addresses offered: (value, label, checked), top to bottom."""
    assert response.status_code == 200
    return [
        (radio.get("value"), " ".join(radio.getparent().text_content().split()), radio.get("checked") is not None)
        for radio in doc(response).xpath("//input[@type='radio'][@name='address']")
    ]


def test_typing_finds_addresses_by_provider_unit_street_postcode_or_town(officer, world):
    for typed in ("beta", "Malmö", "stortorget", "211 22", "Beta Stortorget", "B11"):
        response = officer.get(OPTIONS, {"falt": "address", "id": "id_address", "address_sok": typed})
        assert [value for value, _label, _checked in found(response)] == [str(world.b11.pk)], typed
        assert "1 adress hittades." in text(response)
    label = found(officer.get(OPTIONS, {"falt": "address", "id": "id_address", "address_sok": "Malmö"}))[0][1]
    assert label == "Beta Matchning AB · Beta Malmö (Rusta och matcha) – Stortorget 4, 211 22 Malmö"
    nothing = officer.get(OPTIONS, {"falt": "address", "id": "id_address", "address_sok": "Kiruna"})
    assert found(nothing) == []
    assert "Ingen adress matchar." in text(nothing)


def test_the_chosen_address_stays_first_while_the_search_changes(officer, world):
    response = officer.get(
        OPTIONS, {"falt": "address", "id": "id_address", "address_sok": "Alfa", "address": str(world.a12.pk)}
    )
    offered = found(response)
    assert offered[0] == (str(world.a12.pk), offered[0][1], True)
    assert {value for value, _label, _checked in offered} == {str(world.a11.pk), str(world.a12.pk), str(world.a21.pk)}
    assert [checked for _value, _label, checked in offered].count(True) == 1


def test_many_matches_say_to_type_more(officer, world, monkeypatch):
    monkeypatch.setattr("faportal.backoffice.widgets.MATCHES", 2)
    response = officer.get(OPTIONS, {"falt": "address", "id": "id_address", "address_sok": "Alfa"})
    assert len(found(response)) == 2
    assert "De första 2 adresserna som hittades: skriv mer för att begränsa sökningen." in text(response)


@pytest.mark.parametrize(
    "query",
    [
        {"falt": "other", "id": "id_address"},
        {"falt": "address", "id": 'x" onmouseover="alert(1)'},
        {"falt": "address", "id": ""},
    ],
)
def test_anything_but_the_pickers_own_question_is_not_found(officer, world, query):
    assert officer.get(OPTIONS, query).status_code == 404


@pytest.mark.parametrize("chosen", ["9" * 40, "-1", "²", "abc", str(10**17)])
def test_a_hostile_choice_is_no_choice(officer, world, chosen):
    response = officer.get(OPTIONS, {"falt": "address", "id": "id_address", "address": chosen, "address_sok": "x"})
    assert not [checked for _value, _label, checked in found(response) if checked]


def test_provider_staff_do_not_find_the_picker(world):
    staff = Client()
    sign_in(staff, world.by_roles[frozenset({Role.RECEIVE})].person)
    assert staff.get(OPTIONS, {"falt": "address", "id": "id_address", "address_sok": "Beta"}).status_code == 404


def test_without_script_the_search_button_shows_the_matches_and_keeps_what_was_typed(officer, world):
    data = form_data(officer, world, address="", address_sok="Stortorget", address_sok_knapp="1")
    response = officer.post("/af/deltagare/nytt-beslut/", data)
    assert response.status_code == 200
    assert not Placement.objects.exists()
    assert errors(response) == {}  # nothing is judged yet
    page = doc(response)
    assert page.xpath("//input[@name='given_name']/@value") == ["Petra"]
    assert page.xpath("//input[@name='address_sok']/@value") == ["Stortorget"]
    assert [value for value, _label, _checked in found(response)] == [str(world.b11.pk)]
    chosen = form_data(officer, world, address=str(world.b11.pk), address_sok="Stortorget")
    officer.post("/af/deltagare/nytt-beslut/", chosen)
    assert Placement.objects.get().address_id == world.b11.pk


def test_no_address_or_a_retired_one_is_said_at_the_field(officer, world):
    for value in ("", "999999", "abc"):
        response = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world, address=value))
        assert errors(response).get("id_address_error") == "Välj verksamhet och adress.", value
    world.a12.retired_at = timezone.now()
    world.a12.save(update_fields=["retired_at"])
    response = officer.post("/af/deltagare/nytt-beslut/", form_data(officer, world, address=str(world.a12.pk)))
    assert errors(response).get("id_address_error") == "Välj verksamhet och adress."
    assert not Placement.objects.exists()
