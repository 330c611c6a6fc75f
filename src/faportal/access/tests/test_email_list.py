"""The invitation form's list of e-mail addresses (SPEC S3.2): what the administrator is told about each address."""

import pytest
from lxml import html

from faportal.access.models import Invitation
from faportal.testing import sign_in

pytestmark = pytest.mark.django_db

# RFC 5321: at most 64 characters before the @, at most 254 in all. The domain's labels stay within 63 characters.
LOCAL_64 = "a" * 64
DOMAIN_189 = f"{'b' * 63}.{'c' * 63}.{'d' * 58}.se"
LONGEST = f"{LOCAL_64}@{DOMAIN_189}"
TOO_LONG_LOCAL_80 = f"{'e' * 80}@example.se"
TOO_LONG_LOCAL_300 = f"{'f' * 300}@example.se"
TOO_LONG_255 = f"{LOCAL_64}@{'b' * 63}.{'c' * 63}.{'d' * 59}.se"


def page(response):
    return html.fromstring(response.content.decode())


def words(element):
    return " ".join(element.text_content().split())


@pytest.fixture
def admin_client(client, world):
    sign_in(client, world.admin_a.person)
    # The Swedish of the new messages comes with the translators' next round; until then the tests read the English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def field_error(response):
    return words(page(response).xpath("//p[@id='id_emails_error']")[0])


def test_the_longest_addresses_the_rfc_allows_are_invited(admin_client, django_capture_on_commit_callbacks):
    assert (len(LOCAL_64), len(LONGEST)) == (64, 254)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/personal/bjud-in/", {"emails": f"{LONGEST}, ida@example.se"}, follow=True)
    banner = words(page(response).xpath("//*[contains(@class,'fa-messages')]//*[contains(@class,'ds-alert')]")[0])
    assert banner == f"Invitations sent to: {LONGEST}, ida@example.se."
    assert set(Invitation.objects.values_list("email", flat=True)) == {LONGEST, "ida@example.se"}


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        (TOO_LONG_LOCAL_80, f"{'e' * 29}…{'e' * 18}@example.se"),
        (TOO_LONG_LOCAL_300, f"{'f' * 29}…{'f' * 18}@example.se"),
        (TOO_LONG_255, f"{'a' * 29}…{'d' * 26}.se"),
    ],
)
def test_a_too_long_address_is_refused_and_named(admin_client, address, shown):
    response = admin_client.post("/personal/bjud-in/", {"emails": f"ida@example.se, {address}"})
    assert response.status_code == 200
    assert field_error(response) == (
        f"This e-mail address is too long: “{shown}”. The part before the @ can have at most 64 characters and the "
        "whole address at most 254."
    )
    doc = page(response)
    assert doc.xpath("//textarea[@name='emails']/@aria-invalid") == ["true"]
    assert doc.xpath("//*[contains(@class,'ds-error-summary')]//a/@href") == ["#id_emails"]
    assert not Invitation.objects.exists()


def test_too_long_and_invalid_addresses_are_each_named_with_their_reason(admin_client):
    typed = f"{TOO_LONG_LOCAL_80}; nope, ida@example.se, ok@example, {TOO_LONG_LOCAL_300}"
    response = admin_client.post("/personal/bjud-in/", {"emails": typed})
    assert field_error(response) == (
        f"These e-mail addresses are too long: “{'e' * 29}…{'e' * 18}@example.se”, “{'f' * 29}…{'f' * 18}@example.se”. "
        "The part before the @ can have at most 64 characters and the whole address at most 254. "
        "These are not valid e-mail addresses: “nope”, “ok@example”. Correct them and send again."
    )
    summary = [words(item) for item in page(response).xpath("//*[contains(@class,'ds-error-summary')]//li")]
    assert len(summary) == 2
    assert summary[0].startswith("E-mail addresses: These e-mail addresses are too long:")
    assert summary[1] == (
        "E-mail addresses: These are not valid e-mail addresses: “nope”, “ok@example”. Correct them and send again."
    )
    assert page(response).xpath("//textarea[@name='emails']")[0].text.strip() == typed
    assert not Invitation.objects.exists()
