"""The administrator's pages as a person uses them, through real HTTP (SPEC S3)."""

import re

import pytest
from django.core import mail
from lxml import html

from faportal.access.models import Invitation, Role, RoleGrant
from faportal.identity.services import VERIFIED_KEY
from faportal.testing import make_account, make_person, personnummer, sign_in

pytestmark = pytest.mark.django_db


def page(response):
    return html.fromstring(response.content.decode())


def text(response):
    return " ".join(page(response).text_content().split())


@pytest.fixture
def admin_client(client, world):
    sign_in(client, world.admin_a.person)
    return client


def test_staff_list_shows_the_organisations_staff_only(admin_client, world):
    response = admin_client.get("/personal/")
    content = text(response)
    assert "Anna Admin" in content
    assert "Roll0 Kombination" in content
    assert "Bengt Beta" not in content


def test_staff_list_search_and_without_permissions_filter(admin_client, world):
    response = admin_client.get("/personal/", {"q": "roll0"})
    rows = page(response).xpath("//table//tbody/tr/th")
    assert [" ".join(r.text_content().split()) for r in rows] == ["Roll0 Kombination"]
    response = admin_client.get("/personal/", {"without_permissions": "on"})
    names = [" ".join(r.text_content().split()) for r in page(response).xpath("//table//tbody/tr/th")]
    assert names == []  # every account in the world has at least an address
    bare = make_account(make_person("Utan", "Behörighet"), world.org_a)
    response = admin_client.get("/personal/", {"without_permissions": "on"})
    names = [" ".join(r.text_content().split()) for r in page(response).xpath("//table//tbody/tr/th")]
    assert names == [bare.person.full_name]


def test_the_list_is_swedish_by_default_and_english_on_request(admin_client):
    assert "Personal" in text(admin_client.get("/personal/"))
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/personal/"})
    assert "Staff accounts" in text(admin_client.get("/personal/"))


def test_invalid_email_addresses_are_named_and_the_typed_text_kept(admin_client):
    typed = "ida@example.se, inte-en-adress, jon@"
    response = admin_client.post("/personal/bjud-in/", {"emails": typed})
    assert response.status_code == 200
    doc = page(response)
    message = " ".join(doc.xpath("//p[@id='id_emails_error']")[0].text_content().split())
    assert "”inte-en-adress”" in message
    assert "”jon@”" in message
    assert "ida@example.se" not in message
    assert doc.xpath("//textarea[@name='emails']")[0].text.strip() == typed
    assert doc.xpath("//textarea[@name='emails']/@aria-invalid") == ["true"]
    assert doc.xpath("//*[contains(@class,'ds-error-summary')]//a/@href") == ["#id_emails"]
    assert not Invitation.objects.exists()


def test_inviting_sends_and_lists_the_invitations(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/personal/bjud-in/", {"emails": "ida@example.se,jon@example.se"}, follow=True)
    assert "ida@example.se" in text(response)
    assert len(mail.outbox) == 2
    rows = page(admin_client.get("/personal/inbjudningar/")).xpath("//tbody/tr/th")
    assert sorted(r.text_content().strip() for r in rows) == ["ida@example.se", "jon@example.se"]


def test_granting_roles_and_addresses(admin_client, world):
    account = world.by_roles[frozenset()]
    form = page(admin_client.get(f"/personal/{account.pk}/behorigheter/"))
    labels = [" ".join(label.text_content().split()) for label in form.xpath("//label")]
    assert "Drottninggatan 1, 111 51 Stockholm" in labels
    assert "Kungsgatan 2, 753 21 Uppsala" in labels
    assert not any("Stortorget" in label for label in labels)  # organisation B's address
    response = admin_client.post(
        f"/personal/{account.pk}/behorigheter/",
        {"roles": ["report", "receive"], "addresses": [str(world.a11.pk), str(world.a21.pk)]},
        follow=True,
    )
    content = text(response)
    assert "sparade" in content
    assert "Rapportering, planering och information om deltagare" in content
    assert "Avenyn 3" in content


def test_roles_for_participants_need_an_address_and_the_choices_stay(admin_client, world):
    account = world.by_roles[frozenset()]
    account.address_grants.all().delete()
    response = admin_client.post(f"/personal/{account.pk}/behorigheter/", {"roles": ["report"]})
    doc = page(response)
    assert "minst en adress" in doc.xpath("string(//p[@id='id_addresses_error'])")
    assert doc.xpath("//input[@name='roles' and @value='report']/@checked")
    assert not RoleGrant.objects.filter(account=account).exists()


def test_the_last_administrator_is_told_why(admin_client, world):
    world.admin_a.is_responsible_admin = False
    world.admin_a.save()
    for combo, account in world.by_roles.items():
        if Role.ADMINISTER in combo:
            RoleGrant.objects.filter(account=account).delete()
    response = admin_client.post(
        f"/personal/{world.admin_a.pk}/behorigheter/", {"roles": ["report"], "addresses": [world.a11.pk]}
    )
    assert "minst en behörighetsadministratör" in text(response)


def test_delete_asks_first_then_deletes(admin_client, world):
    account = world.by_roles[frozenset({Role.REPORT})]
    confirm = admin_client.get(f"/personal/{account.pk}/ta-bort/")
    assert "Ta bort personalkontot" in text(confirm) or "Ja, ta bort kontot" in text(confirm)
    account.refresh_from_db()
    assert account.deleted_at is None
    admin_client.post(f"/personal/{account.pk}/ta-bort/")
    account.refresh_from_db()
    assert account.deleted_at is not None
    assert admin_client.get(f"/personal/{account.pk}/").status_code == 404


def test_the_overview_shows_everyones_units_addresses_and_roles(admin_client, world):
    content = text(admin_client.get("/personal/oversikt/"))
    assert "Alfa Stockholm" in content
    assert "Drottninggatan 1" in content
    assert "Administrera behörigheter" in content


def test_a_person_with_two_organisations_chooses_and_switches(client, world):
    person = world.admin_b.person
    make_account(person, world.org_a, roles=[Role.ADMINISTER])
    sign_in(client, person)
    response = client.get("/personal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/valj-organisation/")
    choose = page(client.get(response["Location"]))
    choices = {label.text_content().strip(): label.get("for") for label in choose.xpath("//main//form//label")}
    assert set(choices) == {"Alfa Rusta AB", "Beta Matchning AB"}
    value = choose.xpath(f"//input[@id='{choices['Alfa Rusta AB']}']/@value")[0]
    response = client.post("/valj-organisation/", {"choice": value, "next": "/personal/"})
    assert response["Location"] == "/personal/"
    assert "Anna Admin" in text(client.get("/personal/"))
    beta = choose.xpath(f"//input[@id='{choices['Beta Matchning AB']}']/@value")[0]
    client.post("/valj-organisation/", {"choice": beta})
    content = text(client.get("/personal/"))
    assert "Anna Admin" not in content
    assert "Bengt Beta" in content


def test_the_invitee_confirms_the_code_and_is_signed_in(client, world, django_capture_on_commit_callbacks):
    from faportal.access import services
    from faportal.access.actor import Actor

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_staff(actor=Actor.for_staff_account(world.admin_a), emails=["ida@example.se"])
    token = re.search(r"/inbjudan/([\w-]+)/", mail.outbox[0].body).group(1)
    landing = client.get(f"/inbjudan/{token}/")
    assert "Alfa Rusta AB" in text(landing)
    response = client.post(f"/inbjudan/{token}/")
    assert response["Location"].startswith("/logga-in/?registrering=")
    # What the BankID step leaves behind (the BankID flow itself is tested in identity):
    session = client.session
    session[VERIFIED_KEY] = {
        "personnummer": personnummer(1990, 5, 17),
        "given_name": "Ida",
        "surname": "Inbjuden",
        "method": "bankid",
        "reference": "r1",
        "details": {},
        "at": __import__("time").time(),
    }
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        form = client.get(f"/inbjudan/{token}/bekrafta/")
    assert "ida@example.se" in text(form)
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)
    wrong = client.post(f"/inbjudan/{token}/bekrafta/", {"code": "12ab"})
    assert "sex siffror" in text(wrong)
    response = client.post(f"/inbjudan/{token}/bekrafta/", {"code": code}, follow=True)
    content = text(response)
    assert "Välkommen" in content
    assert "Du har inga behörigheter ännu" in content
    assert client.get(f"/inbjudan/{token}/").status_code == 404


def test_rule_messages_follow_the_chosen_language(admin_client, world):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = admin_client.post(f"/personal/{world.admin_a.pk}/behorigheter/", {"roles": [], "addresses": []})
    content = text(response)
    assert "Ask Arbetsförmedlingen to name a new responsible administrator first." in content
    assert "Be Arbetsförmedlingen" not in content


def test_the_responsible_administrator_cannot_be_deleted_here(admin_client, world):
    other = make_account(make_person("Olle", "Admin"), world.org_a, roles=[Role.ADMINISTER])
    from faportal.testing import sign_in as sign_in_as

    sign_in_as(admin_client, other.person)
    page = admin_client.get(f"/personal/{world.admin_a.pk}/ta-bort/")
    assert "ansvarig behörighetsadministratör" in text(page)
    assert not html.fromstring(page.content.decode()).xpath("//main//form//button")
    admin_client.post(f"/personal/{world.admin_a.pk}/ta-bort/")
    world.admin_a.refresh_from_db()
    assert world.admin_a.deleted_at is None


def test_signed_in_pages_are_never_kept_by_the_browser(admin_client):
    response = admin_client.get("/personal/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
