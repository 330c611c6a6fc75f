"""After signing in, a person with accounts in two organisations chooses one on purpose (Välj organisation, SPEC S3)."""

import pytest
from lxml import html

from faportal.testing import make_account, sign_in

pytestmark = pytest.mark.django_db

MESSAGE = "Choose which organisation you are working for now."


def page(response):
    return html.fromstring(response.content.decode())


def words(element):
    return " ".join(element.text_content().split())


@pytest.fixture
def two_organisations(client, world):
    person = world.admin_b.person  # Beta Matchning AB ...
    make_account(person, world.org_a)  # ... and Alfa Rusta AB
    sign_in(client, person)
    # The Swedish of the new message comes with the translators' next round; until then the tests read the English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_nothing_is_chosen_in_advance(two_organisations):
    client = two_organisations
    response = client.get("/personal/")
    assert response["Location"].startswith("/valj-organisation/")
    chooser = page(client.get(response["Location"]))
    radios = chooser.xpath("//main//fieldset//input[@type='radio']")
    assert len(radios) == 2
    assert [radio.get("checked") for radio in radios] == [None, None]
    assert not chooser.xpath("//*[contains(@class,'ds-error-summary')] | //*[@data-field='validation']")


def test_continuing_without_a_choice_says_so_at_the_field_and_in_the_summary(two_organisations):
    client = two_organisations
    response = client.post("/valj-organisation/", {"next": "/personal/"})
    assert response.status_code == 200
    chooser = page(response)
    summary = chooser.xpath("//*[contains(@class,'ds-error-summary')]")[0]
    assert summary.get("role") == "alert"
    assert [words(link) for link in summary.xpath(".//a")] == [f"Organisation: {MESSAGE}"]
    first_radio = summary.xpath(".//a/@href")[0]
    assert chooser.xpath(f"//input[@id='{first_radio[1:]}']/@type") == ["radio"]
    fieldset = chooser.xpath("//main//fieldset")[0]
    error = chooser.xpath(f"//*[@id='{fieldset.get('aria-describedby')}']")[0]
    assert words(error) == MESSAGE
    assert error.getparent() is fieldset
    radios = fieldset.xpath(".//input[@type='radio']")
    assert [radio.get("aria-invalid") for radio in radios] == ["true", "true"]
    assert [radio.get("checked") for radio in radios] == [None, None]
    assert chooser.xpath("//main//input[@name='next']/@value") == ["/personal/"]
    assert client.get("/personal/")["Location"].startswith("/valj-organisation/")  # still nothing chosen


def test_a_chosen_organisation_goes_on_to_the_page_asked_for(two_organisations):
    client = two_organisations
    chooser = page(client.get("/valj-organisation/?next=/"))
    label = chooser.xpath("//main//fieldset//label[normalize-space()='Alfa Rusta AB']")[0]
    value = chooser.xpath(f"//input[@id='{label.get('for')}']/@value")[0]
    response = client.post("/valj-organisation/", {"choice": value, "next": "/"})
    assert response["Location"] == "/"
    assert "You are acting for Alfa Rusta AB." in words(page(client.get("/")))


@pytest.mark.parametrize("hostile", ["abc", "-1", "😀", "home", "//evil.example/", "https://evil.example/", " /x"])
def test_a_next_that_is_not_a_path_on_this_site_leads_home(two_organisations, hostile):
    client = two_organisations
    chooser = page(client.get("/valj-organisation/"))
    value = chooser.xpath("//main//fieldset//input[@type='radio']/@value")[0]
    response = client.post("/valj-organisation/", {"choice": value, "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == "/"
