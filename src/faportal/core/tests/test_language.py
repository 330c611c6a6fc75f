"""The portal speaks Swedish to everyone by default; English is chosen with the switch (SPEC S9)."""

import pytest


@pytest.mark.django_db
def test_swedish_even_for_an_english_browser_until_english_is_chosen(client):
    page = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="sv"' in page
    assert "Mobilt BankID" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/logga-in/"})
    page = client.get("/logga-in/").content.decode()
    assert 'lang="en"' in page
    assert "Mobile BankID" in page
    client.post("/i18n/setlang/", {"language": "sv", "next": "/logga-in/"})
    assert "Mobilt BankID" in client.get("/logga-in/").content.decode()
