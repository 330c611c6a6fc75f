"""API clients (SPEC S8.2): created with a key shown once, stored only as a hash, switched off by name."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.management import CommandError, call_command

from faportal.access.actor import Actor
from faportal.api import services
from faportal.api.auth import client_actor
from faportal.api.models import ApiClient
from faportal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_key_once_and_stores_only_its_hash_and_prefix(capsys):
    call_command("create_api_client", "Beslutsstöd")

    output = capsys.readouterr().out
    key = next(line for line in output.splitlines() if line.startswith("fap_"))
    client = ApiClient.objects.get()
    assert client.name == "Beslutsstöd"
    assert client.active
    assert client.key_prefix == key[:12]
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiClient.objects.values()))
    assert services.client_for_key(key) == client
    assert AuditEvent.objects.filter(action="api.client_created", subject_id=str(client.pk)).exists()


def test_a_name_is_used_once():
    call_command("create_api_client", "Beslutsstöd")

    with pytest.raises(CommandError, match="exists already"):
        call_command("create_api_client", "Beslutsstöd")


def test_deactivating_an_unknown_client_says_so():
    with pytest.raises(CommandError, match="no API client named"):
        call_command("deactivate_api_client", "Okänd")


@pytest.mark.parametrize(
    "wrong",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # the same prefix, another secret
        lambda key: key[:12],
        lambda key: key.upper(),
        lambda key: key.removeprefix("fap_"),
        lambda key: key + "x" * 200,
        lambda key: "",
    ],
)
def test_only_the_exact_key_is_recognised(wrong):
    client, key = services.create_api_client(actor=Actor.system("test"), name="Beslutsstöd")

    assert services.client_for_key(key) == client
    assert services.client_for_key(wrong(key)) is None


def test_a_switched_off_client_is_not_recognised():
    client, key = services.create_api_client(actor=Actor.system("test"), name="Beslutsstöd")

    services.deactivate_api_client(actor=Actor.system("test"), name="Beslutsstöd")

    assert services.client_for_key(key) is None
    assert AuditEvent.objects.filter(action="api.client_deactivated", subject_id=str(client.pk)).exists()


def test_last_used_is_noted_at_most_once_a_minute():
    _client, key = services.create_api_client(actor=Actor.system("test"), name="Beslutsstöd")
    start = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)

    with time_machine.travel(start, tick=False):
        services.client_for_key(key)
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        services.client_for_key(key)
    assert ApiClient.objects.get().last_used_at == start
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        services.client_for_key(key)
    assert ApiClient.objects.get().last_used_at == start + datetime.timedelta(minutes=2)


def test_a_client_acts_as_af_case_officer_under_its_own_name():
    client, _key = services.create_api_client(actor=Actor.system("test"), name="Beslutsstöd")

    actor = client_actor(client, ip_address="10.0.0.1")

    assert actor.label == "API: Beslutsstöd"
    assert actor.kind == "system"
    assert actor.person is None
    assert actor.account is None
    assert actor.ip_address == "10.0.0.1"


def test_only_af_may_create_clients(world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.create_api_client(actor=Actor.for_staff_account(world.admin_a), name="Smuggel")
    assert not ApiClient.objects.exists()
