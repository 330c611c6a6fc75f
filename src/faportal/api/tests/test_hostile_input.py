"""The integration API under hostile input (issue 8): whatever the body, its size or its dates, the answer is a
problem in the documented format, never a server error.
"""

import json

import pytest
from django.test import override_settings

from faportal.api.tests.support import PNR, decision_body, problems
from faportal.placements.models import Placement
from faportal.testing import place

pytestmark = pytest.mark.django_db

CHECK_THE_YEAR = "Kontrollera året: ange ett datum mellan 1900-01-01 och 2999-12-31."


def on_placement(world):
    """The paths of every POST about an existing placement, with a body that would otherwise be accepted."""
    reference = place(world.a11).genomforandereferens
    return {
        f"placements/{reference}/second-period": {"key": "k-2", "decided_on": "2026-11-24"},
        f"placements/{reference}/interruption": {"key": "k-i", "reason": "work", "interrupts_on": "2026-11-30"},
        f"placements/{reference}/interruption/change": {"key": "k-c", "interrupts_on": "2026-12-01"},
        f"placements/{reference}/provider-change": {
            "key": "k-p",
            "address_ka_id": world.b11.ka_id,
            "decided_on": "2026-11-24",
        },
    }


def every_post(world):
    return {"decisions": decision_body(world), **on_placement(world)}


def test_a_personnummer_born_in_the_future_is_refused_at_its_field(api, world):
    body = decision_body(world)
    body["participant"]["personnummer"] = "20300101-1232"  # a correct check digit
    response = api.post("decisions", body)
    assert response.status_code == 400
    assert problems(response) == {
        ("participant.personnummer", "future"): "Personnumret har ett födelsedatum i framtiden: kontrollera siffrorna."
    }
    assert not Placement.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-20", "0001-01-01", "3000-01-01"])
@pytest.mark.parametrize("field", ["decided_on", "starts_on"])
def test_a_decision_dated_near_the_end_of_the_calendar_is_a_problem_at_its_field(api, world, field, day):
    response = api.post("decisions", decision_body(world, **{field: day}))
    assert response.status_code == 400
    assert problems(response)[(field, "out_of_range")] == CHECK_THE_YEAR
    assert not Placement.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_every_date_of_a_decision_about_a_placement_is_kept_inside_the_calendar(api, world, day):
    for path, body in on_placement(world).items():
        field = "interrupts_on" if "interruption" in path else "decided_on"
        response = api.post(path, {**body, field: day})
        assert response.status_code == 400, (path, response.content)
        assert problems(response)[(field, "out_of_range")] == CHECK_THE_YEAR, path


def test_a_body_over_the_upload_limit_is_413_in_the_problem_format_on_every_post(api, world):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2_000):
        for path, body in every_post(world).items():
            response = api.post(path, {**body, "padding": "x" * 5_000})
            assert response.status_code == 413, (path, response.status_code)
            assert problems(response) == {("", "too_large"): "Anropet är för stort: högst 2,0\xa0kB får skickas."}, path
    assert not Placement.objects.filter(period=2).exists()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than any parser's stack
        '{"key": ' + "[" * 5_000 + "]" * 5_000 + "}",
        "[]",
        "null",
        '"text"',
        "1e999",
        '{"key": NaN}',
        "{",
        b"\xff\xfe not utf-8",
        "",
        '{"key": "k", "decided_on": {"$gt": ""}}',
        '{"key": "' + "k" * 10_000 + '"}',
    ],
)
def test_a_malformed_body_is_a_400_problem_on_every_post(api, world, body):
    for path in every_post(world):
        response = api.post(path, body)
        assert response.status_code == 400, (path, response.status_code, response.content[:200])
        assert response.json()["problems"], path


def test_a_malformed_body_sent_without_a_key_is_still_401(client, world):
    response = client.post("/api/integration/v1/decisions", "[" * 100_000, content_type="application/json")
    assert response.status_code == 401
    assert json.loads(response.content)["problems"][0]["code"] == "missing_key"


def test_a_valid_decision_still_goes_through(api, world):
    """The limits above refuse nothing an Af system sends (the same body, the right size, real dates)."""
    response = api.post("decisions", decision_body(world))
    assert response.status_code == 201
    assert Placement.objects.get().participant.personnummer == PNR
