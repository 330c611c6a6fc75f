"""The Af back office (SPEC S3.1, S2.2, S6): registering organisations and importing from KA-webb."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html

from faportal.access.models import AfRole, Role, StaffAccount
from faportal.audit.models import AuditEvent
from faportal.registry.models import Address, Organisation, Unit
from faportal.testing import make_af_officer, personnummer, sign_in

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(html.fromstring(response.content.decode()).text_content().split())


@pytest.fixture
def officer_client(client, db):
    officer = make_af_officer("Åsa", "Handläggare", list(AfRole))
    sign_in(client, officer.person)
    return client


def test_an_af_officer_lands_in_the_back_office(officer_client):
    response = officer_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/af/"
    assert "Registrera leverantörer" in text(response)


def test_registering_an_organisation_with_bad_numbers_keeps_what_was_typed(officer_client):
    typed = {
        "organisationsnummer": "556036-0794",
        "name": "Gamma Jobb AB",
        "admin_given_name": "Rut",
        "admin_surname": "Ansvarig",
        "admin_personnummer": "19750303-1235",
        "admin_email": "rut@gamma",
    }
    response = officer_client.post("/af/organisationer/ny/", typed)
    page = html.fromstring(response.content.decode())
    errors = {p.get("id"): " ".join(p.text_content().split()) for p in page.xpath("//p[@data-field='validation']")}
    assert (
        errors["id_organisationsnummer_error"] == "Organisationsnumret är inte giltigt: kontrollera den sista siffran."
    )
    assert errors["id_admin_personnummer_error"] == "Personnumret är inte giltigt: kontrollera den sista siffran."
    assert errors["id_admin_email_error"] == "Skriv en giltig e-postadress, till exempel namn@exempel.se."
    for name, value in typed.items():
        assert page.xpath(f"//input[@name='{name}']/@value") == [value]
    assert page.xpath("//input[@name='organisationsnummer']/@aria-invalid") == ["true"]
    assert len(page.xpath("//*[contains(@class,'ds-error-summary')]//li")) == 3
    assert not Organisation.objects.exists()


def test_registering_an_organisation_and_its_responsible_administrator(
    officer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            "/af/organisationer/ny/",
            {
                "organisationsnummer": "5560360793",
                "name": "Gamma Jobb AB",
                "admin_given_name": "Rut",
                "admin_surname": "Ansvarig",
                "admin_personnummer": personnummer(1975, 3, 3),
                "admin_email": "rut@gamma.se",
            },
            follow=True,
        )
    content = text(response)
    assert "Gamma Jobb AB är registrerad" in content
    assert "556036-0793" in content
    assert "0007:5560360793" in content
    assert "Rut Ansvarig" in content
    account = StaffAccount.objects.get(email="rut@gamma.se")
    assert account.is_responsible_admin
    assert mail.outbox[0].to == ["rut@gamma.se"]
    again = officer_client.post("/af/organisationer/ny/", {"organisationsnummer": "556036-0793", "name": "X"})
    assert "redan registrerad" in text(again)


def test_naming_a_new_responsible_administrator(officer_client, world):
    response = officer_client.post(
        f"/af/organisationer/{world.org_a.pk}/",
        {
            "admin_given_name": "Nils",
            "admin_surname": "Ny",
            "admin_personnummer": personnummer(1970, 7, 7),
            "admin_email": "nils@alfa.se",
        },
        follow=True,
    )
    assert "Nils Ny är nu ansvarig behörighetsadministratör" in text(response)
    responsible = StaffAccount.objects.filter(organisation=world.org_a, is_responsible_admin=True)
    assert [a.person.full_name for a in responsible] == ["Nils Ny"]
    world.admin_a.refresh_from_db()
    assert world.admin_a.role_grants.current().filter(role=Role.ADMINISTER).exists()  # still an administrator


CSV_HEADER = "organisationsnummer;tjanst;enhet_id;enhet_namn;adress_id;gatuadress;postnummer;ort;kommunkod\n"


@pytest.fixture
def upload(officer_client, django_capture_on_commit_callbacks):
    """Upload a file and follow to the run's page once the worker (run immediately in tests) is done."""

    def send(content, name="ka.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = officer_client.post(
                "/af/register/import/", {"file": SimpleUploadedFile(name, content.encode(), "text/csv")}
            )
        return officer_client.get(response["Location"])

    return send


def test_a_ka_webb_file_with_bad_rows_imports_nothing_and_lists_every_problem(upload, world):
    nr = world.org_a.organisationsnummer
    content = (
        CSV_HEADER
        + f"{nr};rusta-och-matcha;A9;Alfa Ny;A91;Ny gatan 1;11122;Stockholm;0180\n"
        + f"{nr};rusta-och-matcha;A9;Alfa Ny;A92;Ny gatan 2;1112;Stockholm;0180\n"
        + f"{nr};rusta-och-matcha;A9;Alfa Ny;A93;Ny gatan 3;11122;Stockholm;9999\n"
    )
    response = upload(content)
    page = html.fromstring(response.content.decode())
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in page.xpath("//tbody/tr")]
    assert ["3", "postnummer", "1112 är inget postnummer (fem siffror)."] in rows
    assert ["4", "kommunkod", "Okänd kommunkod 9999."] in rows
    assert "Ingenting importerades" in text(response)
    assert not Unit.objects.filter(ka_id="A9").exists()


def test_a_good_ka_webb_file_reports_what_it_added_and_retired(upload, world):
    nr = world.org_a.organisationsnummer
    content = (
        CSV_HEADER
        + f"{nr};rusta-och-matcha;A1;Alfa Stockholm;A11;Drottninggatan 1;11151;Stockholm;0180\n"
        + f"{nr};rusta-och-matcha;A1;Alfa Stockholm;A13;Vasagatan 9;11120;Stockholm;0180\n"
    )
    response = upload(content)
    content_text = text(response)
    assert "Importen är klar." in content_text
    assert "Vasagatan 9" in content_text
    assert Address.objects.get(ka_id="A13").unit == world.unit_a1
    assert Address.objects.get(ka_id="A12").retired_at is not None  # no longer in the file
    assert Unit.objects.get(ka_id="A2").retired_at is not None
    assert Address.objects.get(ka_id="B11").retired_at is None  # another organisation: untouched
    assert AuditEvent.objects.filter(action="registry.ka_import", organisation=world.org_a).exists()
    again = upload(content)
    assert "Ingenting hade ändrats sedan förra importen" in text(again)


def test_only_csv_and_json_files(officer_client):
    response = officer_client.post(
        "/af/register/import/", {"file": SimpleUploadedFile("ka.xlsx", b"x", "application/octet-stream")}
    )
    assert "Välj en .csv- eller .json-fil." in text(response)


def test_the_import_page_polls_while_the_worker_runs(officer_client):
    from faportal.registry.models import KaImportRun

    run = KaImportRun.objects.create(
        file_name="stor.csv",
        format="csv",
        content="",
        total_rows=20000,
        processed_rows=4000,
        status="running",
        phase="checking",
    )
    page = html.fromstring(officer_client.get(f"/af/register/import/{run.pk}/").content.decode())
    assert page.xpath("//*[@id='import-report']/@hx-trigger") == ["every 1s"]
    assert page.xpath("//progress/@value") == ["4000"]
    assert "Kontrollerar rader: 4000 av 20000" in " ".join(page.text_content().split())


def test_the_footer_does_not_send_af_staff_to_a_providers_permission_administrator(officer_client, world):
    def footer(url):
        page = html.fromstring(officer_client.get(url).content.decode())
        return " ".join(page.xpath("//footer")[0].text_content().split())

    af = footer("/af/")
    assert "Frågor om dina roller i handläggarstödet: kontakta FA-portalens förvaltning på Arbetsförmedlingen." in af
    assert "behörighetsadministratör" not in af
    sign_in(officer_client, world.admin_a.person)  # a provider's staff are still sent to their own administrator
    assert "kontakta din organisations behörighetsadministratör" in footer("/")
