"""The integration API for Af's systems (SPEC S8.2) through real HTTP: decisions, idempotency, every problem at
once, authentication, and the placement's state afterwards."""

import datetime
import logging

import pytest
import time_machine
from django.test import Client

from faportal.access.models import Role
from faportal.api.tests.support import BASE, PNR, Api, decision_body, problems
from faportal.audit.models import AuditEvent, Outcome
from faportal.placements.models import Decision, Interruption, Participant, Placement
from faportal.testing import sign_in

pytestmark = pytest.mark.django_db


def decided(api, world, **changes):
    response = api.post("decisions", decision_body(world, **changes))
    assert response.status_code == 201, response.content
    return response.json()


# --- period-1 decisions ------------------------------------------------------------------------------------------


def test_a_decision_creates_a_placement_that_the_provider_sees_at_once(api, world):
    response = api.post("decisions", decision_body(world))

    assert response.status_code == 201
    body = response.json()
    placement = Placement.objects.get()
    assert body == {
        "genomforandereferens": placement.genomforandereferens,
        "status": "upcoming",
        "period": 1,
        "level": "B",
        "service_code": "rusta-och-matcha",
        "organisation": {"organisationsnummer": world.org_a.organisationsnummer, "name": "Alfa Rusta AB"},
        "address_ka_id": world.a11.ka_id,
        "decided_on": "2026-11-24",
        "starts_on": "2026-12-08",
        "ends_on": "2027-06-07",
        "interruption": None,
        "previous": None,
    }
    participant = Participant.objects.get()
    assert (participant.personnummer, participant.postcode, participant.language) == (PNR, "11122", "Somaliska")
    provider = Client()
    sign_in(provider, world.by_roles[frozenset({Role.RECEIVE})].person)
    assert placement.genomforandereferens in provider.get("/nya-deltagare/").content.decode()
    event = AuditEvent.objects.get(action="placements.decided")
    assert (event.actor_name, event.actor_kind, event.organisation_id) == ("API: Beslutsstöd", "system", world.org_a.pk)


def test_the_same_decision_sent_again_is_answered_200_with_the_same_body_and_creates_nothing(api, world):
    first = api.post("decisions", decision_body(world))
    again = api.post("decisions", decision_body(world))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Placement.objects.count() == 1
    assert Decision.objects.count() == 1


def test_the_same_key_with_other_content_is_a_conflict(api, world):
    first = decided(api, world)
    response = api.post("decisions", decision_body(world, level="C"))

    assert response.status_code == 409
    assert list(problems(response)) == [("key", "key_reused")]
    assert Placement.objects.get().level == first["level"] == "B"


def test_every_problem_is_answered_at_once_in_swedish_at_its_field(api, world):
    body = decision_body(world, level="D", address_ka_id=11, decided_on="2026-11-30", nivå="B")
    body["participant"] = {
        "personnummer": PNR[:-1] + str((int(PNR[-1]) + 1) % 10),  # the wrong check digit
        "given_name": "Petra",
        "surname": "  ",
        "email": "petra@",
        "needs_language_support": True,
    }

    response = api.post("decisions", body)

    assert response.status_code == 400
    assert problems(response) == {
        ("participant.personnummer", "checksum"): "Personnumret är inte giltigt: kontrollera den sista siffran.",
        ("participant.surname", "required"): "Detta fält måste fyllas i.",
        ("participant.email", "invalid"): "Fyll i en giltig e-postadress.",
        ("participant.language", "required"): "Ange vilket språk stödet ska vara på.",
        ("address_ka_id", "invalid"): "Ange text.",
        ("level", "invalid_choice"): problems(response)[("level", "invalid_choice")],
        ("decided_on", "decided_in_future"): "Beslutsdatumet kan inte ligga i framtiden.",
        ("nivå", "unknown_field"): problems(response)[("nivå", "unknown_field")],
    }
    assert "A, B, C" in problems(response)[("level", "invalid_choice")]
    assert not Placement.objects.exists()
    assert not Decision.objects.exists()


def test_a_start_too_early_is_reported_at_the_start_date(api, world):
    response = api.post("decisions", decision_body(world, starts_on="2026-12-07"))

    assert response.status_code == 400
    assert problems(response) == {
        ("starts_on", "start_too_early"): (
            "Tjänsten kan starta tidigast tio arbetsdagar efter beslutet: 2026-12-08 eller senare."
        )
    }


def test_rules_on_stored_data_are_answered_by_the_service_with_the_back_offices_wording(api, world):
    world.a12.retired_at = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    world.a12.save()

    response = api.post("decisions", decision_body(world, address_ka_id=world.a12.ka_id))

    assert response.status_code == 400
    assert problems(response) == {
        ("address_ka_id", "unknown_address"): "Välj en adress som är registrerad och inte avvecklad."
    }
    # Refused deliveries leave no trace of the key: the corrected decision can use it.
    assert decided(api, world)["address_ka_id"] == world.a11.ka_id


def test_a_start_on_a_weekend_is_refused_at_the_start_date(api, world):
    response = api.post("decisions", decision_body(world, starts_on="2026-12-12"))  # a Saturday
    assert response.status_code == 400
    assert problems(response) == {
        (
            "starts_on",
            "start_not_working_day",
        ): "Startdatumet måste vara en arbetsdag (inte lördag, söndag eller helgdag)."
    }


def test_a_second_placement_at_the_same_time_is_refused_at_the_personnummer(api, world):
    decided(api, world)
    response = api.post("decisions", decision_body(world, key="af-beslut-1002"))
    assert response.status_code == 400
    assert problems(response) == {
        ("participant.personnummer", "participant_already_placed"): (
            "Den arbetssökande har redan ett deltagande under den tiden. "
            "Besluta i stället om period 2 eller byte av leverantör för det pågående deltagandet."
        )
    }


@pytest.mark.parametrize(
    ("content", "field", "code"),
    [
        ("{not json", "", "invalid_json"),
        ("", "", "invalid_json"),
        ('["a list"]', "", "invalid_json"),
        ('{"key": 12}', "key", "invalid"),
        ('{"decided_on": 20261124}', "decided_on", "invalid"),
        ('{"decided_on": "24/11/2026"}', "decided_on", "invalid"),
        ('{"participant": {"personnummer": "19850615"}}', "participant.personnummer", "format"),
        ('{"participant": {"has_car": "yes"}}', "participant.has_car", "invalid"),
    ],
)
def test_malformed_bodies_are_answered_400(api, world, content, field, code):
    response = api.post("decisions", content)

    assert response.status_code == 400
    assert (field, code) in problems(response)


# --- authentication ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "missing_key"),
        ("Bearer fap_not-a-real-key-at-all", "invalid_key"),
        ("Bearer ", "invalid_key"),
        ("Token fap_whatever", "invalid_key"),
    ],
)
def test_without_a_good_key_the_answer_is_401(client, world, api_key, authorization, code):
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = client.post(BASE + "decisions", decision_body(world), content_type="application/json", headers=headers)

    assert response.status_code == 401
    assert list(problems(response)) == [("", code)]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Placement.objects.exists()


def test_a_key_of_a_switched_off_client_is_refused(client, world, api_key):
    from django.core.management import call_command

    call_command("deactivate_api_client", "Beslutsstöd")

    response = Api(client, api_key).post("decisions", decision_body(world))

    assert response.status_code == 401
    assert list(problems(response)) == [("", "invalid_key")]


def test_a_provider_session_without_a_key_gets_401_from_the_api(client, world, api):
    reference = decided(api, world)["genomforandereferens"]  # at A11, where the provider below works
    sign_in(client, world.by_roles[frozenset(Role)].person)
    session_only = Api(client, None)

    assert session_only.get(f"placements/{reference}").status_code == 401
    assert session_only.post("decisions", decision_body(world, key="af-beslut-2")).status_code == 401
    assert session_only.post(f"placements/{reference}/interruption", {}).status_code == 401
    assert Placement.objects.count() == 1


def test_an_api_key_opens_nothing_outside_the_api(client, world, api, api_key):
    placement = decided(api, world)
    back_office = f"/af/placeringar/{placement['genomforandereferens']}/"
    bearer = {"Authorization": f"Bearer {api_key}"}

    # Without a session the key is just a header: sign in first.
    anonymous = Client().get(back_office, headers=bearer)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/logga-in/")
    # A provider's session with the key is still the provider: no back office, no other organisation's placement.
    sign_in(client, world.admin_b.person)
    assert client.get(back_office, headers=bearer).status_code == 404
    assert client.get("/deltagare/", headers=bearer).status_code == 200
    assert placement["genomforandereferens"] not in client.get("/deltagare/", headers=bearer).content.decode()


def test_a_call_with_a_key_acts_as_the_client_even_beside_a_session(client, world, api_key):
    sign_in(client, world.admin_b.person)

    response = Api(client, api_key).post("decisions", decision_body(world))

    assert response.status_code == 201
    assert AuditEvent.objects.get(action="placements.decided").actor_name == "API: Beslutsstöd"


def test_bearer_calls_need_no_csrf_token_and_start_no_session(world, api_key):
    strict = Client(enforce_csrf_checks=True)

    response = Api(strict, api_key).post("decisions", decision_body(world))

    assert response.status_code == 201
    assert "faportal_session" not in response.cookies
    assert "csrftoken" not in response.cookies
    assert "Location" not in response


# --- one placement -----------------------------------------------------------------------------------------------


def test_get_answers_the_placement_as_it_is_and_audits_the_read(api, world):
    created = decided(api, world)

    response = api.get(f"placements/{created['genomforandereferens']}")

    assert response.status_code == 200
    assert response.json() == created
    read = AuditEvent.objects.get(action="placements.read")
    assert (read.actor_name, read.outcome) == ("API: Beslutsstöd", Outcome.OK)


def test_an_unknown_genomforandereferens_is_404_and_the_attempt_is_audited(api, world):
    response = api.get("placements/GFR-0000000000")

    assert response.status_code == 404
    assert list(problems(response)) == [("genomforandereferens", "not_found")]
    assert AuditEvent.objects.filter(action="placements.read", outcome=Outcome.DENIED).exists()
    body = {"key": "k", "reason": "work", "interrupts_on": "2026-12-01"}
    missing = api.post("placements/GFR-0000000000/interruption", body)
    assert missing.status_code == 404


# --- interruptions -----------------------------------------------------------------------------------------------


def test_an_interruption_cannot_be_back_dated(api, world):
    reference = decided(api, world)["genomforandereferens"]

    response = api.post(
        f"placements/{reference}/interruption", {"key": "af-avbrott-1", "reason": "work", "interrupts_on": "2026-11-23"}
    )

    assert response.status_code == 400
    assert problems(response) == {
        ("interrupts_on", "interruption_in_past"): "Avbrottsdatumet kan inte ligga bakåt i tiden: i dag eller senare."
    }
    assert not Interruption.objects.exists()


def test_an_interruption_is_recorded_once_and_shown_on_the_placement(api, world):
    reference = decided(api, world)["genomforandereferens"]
    body = {"key": "af-avbrott-1", "reason": "work", "interrupts_on": "2026-12-15"}

    first = api.post(f"placements/{reference}/interruption", body)
    again = api.post(f"placements/{reference}/interruption", body)
    other = api.post(f"placements/{reference}/interruption", {**body, "reason": "studies"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["interruption"] == {"reason": "work", "interrupts_on": "2026-12-15"}
    assert first.json()["status"] == "upcoming"  # interrupted only once the date has come
    assert again.json() == first.json()
    assert Interruption.objects.count() == 1
    with time_machine.travel(datetime.datetime(2026, 12, 16, 10, 0, tzinfo=datetime.UTC)):
        assert api.get(f"placements/{reference}").json()["status"] == "interrupted"


def test_an_unknown_reason_is_a_problem_of_the_shape(api, world):
    reference = decided(api, world)["genomforandereferens"]

    response = api.post(
        f"placements/{reference}/interruption", {"key": "af-avbrott-1", "reason": "bored", "interrupts_on": "x"}
    )

    assert response.status_code == 400
    assert set(problems(response)) == {("reason", "invalid_choice"), ("interrupts_on", "invalid")}


def test_an_interruption_is_moved_and_then_withdrawn(api, world):
    reference = decided(api, world)["genomforandereferens"]
    api.post(f"placements/{reference}/interruption", {"key": "a-1", "reason": "work", "interrupts_on": "2026-12-15"})

    moved = api.post(f"placements/{reference}/interruption/change", {"key": "a-2", "interrupts_on": "2026-12-20"})
    withdrawn = api.post(f"placements/{reference}/interruption/change", {"key": "a-3", "withdraw": True})
    repeated = api.post(f"placements/{reference}/interruption/change", {"key": "a-3", "withdraw": True})
    nothing = api.post(f"placements/{reference}/interruption/change", {"key": "a-4", "withdraw": True})

    assert moved.status_code == 201
    assert moved.json()["interruption"] == {"reason": "work", "interrupts_on": "2026-12-20"}
    assert (withdrawn.status_code, repeated.status_code) == (201, 200)
    assert withdrawn.json()["interruption"] is None
    assert nothing.status_code == 400
    assert problems(nothing) == {("", "not_interrupted"): "Deltagandet har inget avbrott att ändra."}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"key": "a-2"}, "Ange ett nytt datum eller återkalla avbrottet."),
        ({"key": "a-2", "withdraw": False}, "Ange ett nytt datum eller återkalla avbrottet."),
        ({"key": "a-2", "withdraw": True, "interrupts_on": "2026-12-20"}, None),
    ],
)
def test_a_change_is_either_a_new_date_or_a_withdrawal(api, world, body, message):
    reference = decided(api, world)["genomforandereferens"]

    response = api.post(f"placements/{reference}/interruption/change", body)

    assert response.status_code == 400
    assert list(problems(response)) == [("", "date_or_withdraw")]
    if message:
        assert problems(response)[("", "date_or_withdraw")] == message


def test_an_interruption_repeated_after_its_date_is_still_a_repeat(api, world):
    reference = decided(api, world)["genomforandereferens"]
    body = {"key": "af-avbrott-1", "reason": "work", "interrupts_on": "2026-11-24"}
    assert api.post(f"placements/{reference}/interruption", body).status_code == 201

    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC)):
        assert api.post(f"placements/{reference}/interruption", body).status_code == 200


# --- period 2 and provider change --------------------------------------------------------------------------------


def test_period_2_follows_period_1_without_a_gap(api, world):
    first = decided(api, world)
    reference = first["genomforandereferens"]

    response = api.post(f"placements/{reference}/second-period", {"key": "af-p2-1", "decided_on": "2026-11-24"})
    again = api.post(f"placements/{reference}/second-period", {"key": "af-p2-1", "decided_on": "2026-11-24"})
    another = api.post(f"placements/{reference}/second-period", {"key": "af-p2-2", "decided_on": "2026-11-24"})

    assert (response.status_code, again.status_code) == (201, 200)
    second = response.json()
    assert second["period"] == 2
    assert second["previous"] == reference
    assert second["genomforandereferens"] != reference
    assert (second["starts_on"], second["level"]) == ("2027-06-08", first["level"])
    assert again.json() == second
    assert another.status_code == 400
    assert problems(another) == {("", "second_period_exists"): "Period 2 är redan beslutad."}


def test_a_provider_change_interrupts_the_old_placement_and_starts_a_new_one(api, world):
    old = decided(api, world)["genomforandereferens"]
    body = {"key": "af-byte-1", "address_ka_id": world.b11.ka_id, "decided_on": "2026-11-24"}

    response = api.post(f"placements/{old}/provider-change", body)
    again = api.post(f"placements/{old}/provider-change", body)

    assert (response.status_code, again.status_code) == (201, 200)
    new = response.json()
    assert new["organisation"]["name"] == "Beta Matchning AB"
    assert new["genomforandereferens"] != old
    assert (new["starts_on"], new["status"]) == ("2026-12-08", "upcoming")
    assert again.json() == new
    assert api.get(f"placements/{old}").json()["interruption"] == {
        "reason": "changed_provider",
        "interrupts_on": "2026-12-08",  # from the new start: the old one runs until the day before
    }
    assert Placement.objects.count() == 2


def test_a_provider_change_to_the_same_provider_is_refused(api, world):
    old = decided(api, world)["genomforandereferens"]

    body = {"key": "af-byte-1", "address_ka_id": world.a21.ka_id, "decided_on": "2026-11-24"}
    response = api.post(f"placements/{old}/provider-change", body)

    assert response.status_code == 400
    assert problems(response) == {("address_ka_id", "same_provider"): "Välj en adress hos en annan leverantör."}


# --- the document and the qualities ------------------------------------------------------------------------------


def test_the_openapi_document_lists_every_operation_and_the_bearer_scheme(client, db):
    response = client.get(BASE + "openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {
        "/api/integration/v1/decisions",
        "/api/integration/v1/decisions/batch",
        "/api/integration/v1/placements/{genomforandereferens}",
        "/api/integration/v1/placements/{genomforandereferens}/second-period",
        "/api/integration/v1/placements/{genomforandereferens}/interruption",
        "/api/integration/v1/placements/{genomforandereferens}/interruption/change",
        "/api/integration/v1/placements/{genomforandereferens}/provider-change",
    }
    decision = document["paths"]["/api/integration/v1/decisions"]["post"]
    assert {"200", "201", "400", "401", "409"} <= set(decision["responses"])
    assert {scheme["scheme"] for scheme in document["components"]["securitySchemes"].values()} == {"bearer"}


def test_the_personnummer_is_never_logged_nor_echoed(api, world, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    body = decision_body(world)
    body["participant"] = {**body["participant"], "personnummer": wrong}

    refused = api.post("decisions", body)
    created = api.post("decisions", decision_body(world))

    assert (refused.status_code, created.status_code) == (400, 201)
    for secret in (wrong, PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}"):
        assert secret not in refused.content.decode()
        assert secret not in created.content.decode()
        assert secret not in caplog.text
    for event in AuditEvent.objects.all():
        assert PNR not in f"{event.subject_label} {event.data}"


def test_an_unexpected_error_is_answered_500_with_an_error_id(api, world, monkeypatch, caplog):
    from faportal.placements import services

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "record_decision", broken)

    response = api.post("decisions", decision_body(world))

    assert response.status_code == 500
    assert list(problems(response)) == [("", "server_error")]
    assert response["X-Error-Id"] in response.json()["problems"][0]["message"]
    assert response["X-Error-Id"] in caplog.text


def test_answers_are_utf8_text_with_swedish_letters_as_themselves(api, world):
    response = api.post("decisions", decision_body(world, level="D"))
    assert response["Content-Type"].startswith("application/json")
    assert "Välj något av: A, B, C." in response.content.decode("utf-8")
