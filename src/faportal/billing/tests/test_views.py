"""Ekonomi's pages and Af's finance pages through HTTP, asserting what a person sees."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faportal.billing import services
from faportal.billing.models import Invoice, OrderLine
from faportal.billing.tests.conftest import last_month
from faportal.testing import sign_in


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def invoiced(billing, django_capture_on_commit_callbacks):
    billing.plan()
    billing.report(last_month())
    return billing


def test_the_finance_role_sees_the_lines_invoices_one_and_downloads_it(
    client, invoiced, django_capture_on_commit_callbacks
):
    billing = invoiced
    sign_in(client, billing.finance.person)
    page = text(client.get(reverse("billing:lines")))
    order = billing.order()
    assert order.number in page
    assert "Fakturerbar" in page
    # Above the future months' lines: how many can be invoiced, and a link to them.
    assert '1 rad kan faktureras nu. <a class="ds-link" href="?status=invoiceable">Visa raderna att fakturera' in page
    assert "1 rad kan faktureras nu." not in text(client.get(reverse("billing:lines"), {"status": "invoiceable"}))
    line = billing.line(last_month())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:invoice_line", args=[line.pk]))
    invoice = Invoice.objects.get()
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])
    page = text(client.get(response["Location"]))
    assert f"Faktura {invoice.number}" in re.sub(r"<[^>]+>", "", page)  # the noun, not the button's verb
    assert order.number in page
    xml = client.get(reverse("billing:invoice_xml", args=[invoice.pk]))
    assert xml["Content-Type"] == "application/xml"
    assert order.number.encode() in xml.content
    pdf = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert OrderLine.objects.get(pk=line.pk).status == "invoiced"


def test_every_finance_page_opens(client, invoiced, django_capture_on_commit_callbacks):
    billing = invoiced
    sign_in(client, billing.finance.person)
    for name in ("billing:lines", "billing:invoices", "billing:upload", "billing:profile"):
        assert client.get(reverse(name)).status_code == 200, name
    order_page = text(client.get(reverse("billing:order", args=[billing.order().pk])))
    assert "Priserna är exempelpriser, inte Arbetsförmedlingens verkliga priser." in order_page
    sign_in(client, billing.reviewer.person)
    for name in ("backoffice:finance", "backoffice:tariffs"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("backoffice:finance_order", args=[billing.order().pk])).status_code == 200


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def more_orders(billing, count, callbacks):
    """More placements with their orders, each with a month delivered and invoiced: every list grows."""
    from faportal.billing.models import GoodsReceipt
    from faportal.testing import place

    for _ in range(count):
        placement = place(billing.world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=75))
        billing.plan(placement)
        line = billing.order(placement).lines.order_by("pk").first()
        GoodsReceipt.objects.create(
            order_line=line,
            document=line.order.document,
            received_on=datetime.date.today(),
            days=1,
            quantity=line.quantity,
            amount=line.amount,
        )
        line.status = "invoiceable"
        line.save(update_fields=["status"])
        with callbacks(execute=True):
            services.invoice_line(actor=billing.finance_actor, line=line)


@pytest.mark.parametrize("url", ["/ekonomi/", "/ekonomi/fakturor/", "/af/ekonomi/"])
def test_the_lists_cost_the_same_whatever_their_length(client, invoiced, url, django_capture_on_commit_callbacks):
    billing = invoiced
    line = billing.line(last_month())
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_line(actor=billing.finance_actor, line=line)
    person = billing.reviewer.person if url.startswith("/af/") else billing.finance.person
    sign_in(client, person)
    client.get("/")
    few = queries(client, url)
    more_orders(billing, 3, django_capture_on_commit_callbacks)
    assert Invoice.objects.count() == 4
    many = queries(client, url)
    assert many == few


def test_an_erp_upload_with_a_wrong_total_shows_each_rule_in_swedish_beside_its_id(client, invoiced, samples):
    billing = invoiced
    sign_in(client, billing.finance.person)
    data = (
        (samples / "invoice-se-af.xml")
        .read_bytes()
        .replace(b'<cbc:PayableAmount currencyID="SEK">6250.00', b'<cbc:PayableAmount currencyID="SEK">6000.00')
    )
    response = client.post(reverse("billing:upload"), {"text": data.decode()})
    assert response.status_code == 422
    page = text(response)
    assert "BR-CO-16" in page
    assert "Dokumentet följer inte reglerna och togs inte emot" in page
    assert "6000.00" in page  # the pasted text is still there to correct
    assert not Invoice.objects.exists()


def test_an_erp_invoice_is_received_and_its_matching_shown(client, invoiced, django_capture_on_commit_callbacks):
    from faportal.billing.tests.test_services import erp_invoice

    billing = invoiced
    sign_in(client, billing.finance.person)
    line = billing.line(last_month())
    upload = SimpleUploadedFile("faktura.xml", erp_invoice(billing, line, number="ERP-7"), "application/xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:upload"), {"file": upload})
    invoice = Invoice.objects.get(number="ERP-7")
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])
    page = text(client.get(response["Location"]))
    assert "Matchad: godkänd för betalning" in page
    assert "Från organisationens eget system" in page


@pytest.mark.parametrize(
    "query",
    ["?month=2026-13", "?month=%00", "?status=nonsense", "?sida=-1", "?sida=99999999999999999999999", "?article=x"],
)
def test_hostile_filters_get_an_answer_not_an_error(client, invoiced, query):
    sign_in(client, invoiced.finance.person)
    assert client.get(reverse("billing:lines") + query).status_code == 200
    assert client.get(reverse("billing:invoices") + query.replace("status", "match")).status_code == 200


def test_af_rejects_from_the_manual_queue_and_the_provider_reads_why(
    client, invoiced, django_capture_on_commit_callbacks
):
    from faportal.billing.tests.test_services import erp_invoice

    billing = invoiced
    line = billing.line(last_month())
    with django_capture_on_commit_callbacks(execute=True):
        wrong = services.receive_document(
            actor=billing.finance_actor, data=erp_invoice(billing, line, number="ERP-8", quantity=line.quantity * 2)
        )
    sign_in(client, billing.reviewer.person)
    queue = text(client.get(reverse("backoffice:finance")))
    assert "ERP-8" in queue
    assert "Beloppet skiljer sig från det som levererats." in queue
    url = reverse("backoffice:finance_invoice", args=[wrong.pk])
    refused = client.post(url, {"action": "reject", "reason": ""})
    assert "Skriv vad leverantören ska rätta" in text(refused)
    client.post(url, {"action": "reject", "reason": "Fakturera det levererade beloppet."})
    sign_in(client, billing.finance.person)
    page = text(client.get(reverse("billing:invoice", args=[wrong.pk])))
    assert "Avvisad: skicka en kreditnota och en ny faktura" in page
    assert "Fakturera det levererade beloppet." in page


def test_the_billing_details_keep_what_was_typed_and_say_what_is_wrong(client, invoiced):
    sign_in(client, invoiced.finance.person)
    response = client.post(
        reverse("billing:profile"),
        {
            "street": "Storgatan 9",
            "postcode": "1234",
            "town": "Ort",
            "vat": "exempt",
            "account_kind": "SE:BANKGIRO",
            "account_number": "12",
        },
    )
    page = text(response)
    assert "Ange ett postnummer med fem siffror" in page
    assert "Ange ett bankgironummer med 7–8 siffror" in page
    assert "Storgatan 9" in page


def test_af_edits_a_price_and_sees_the_examples_marked(client, invoiced):
    sign_in(client, invoiced.reviewer.person)
    page = text(client.get(reverse("backoffice:tariffs")))
    assert "Exempel" in page
    assert "inte Arbetsförmedlingens verkliga priser" in page
    response = client.post(
        reverse("backoffice:tariffs"),
        {"article": "result_1", "level": "", "price": "13 500,50", "valid_from": "2031-01-01", "valid_to": ""},
    )
    assert response.status_code == 302
    assert "13 500,50 kr" in text(client.get(reverse("backoffice:tariffs")))
    bad = client.post(
        reverse("backoffice:tariffs"),
        {"article": "base", "level": "", "price": "tolv", "valid_from": "2031-01-01", "valid_to": ""},
    )
    assert "Ange ett belopp i kronor" in text(bad)


def test_the_administrator_grants_ekonomi_without_addresses_and_the_menu_shows_it(client, world):
    from faportal.access.models import Role, RoleGrant

    target = world.by_roles[frozenset()]
    sign_in(client, world.admin_a.person)
    form = text(client.get(reverse("staff_permissions", args=[target.pk])))
    assert "Ekonomi: order och fakturor" in form
    response = client.post(reverse("staff_permissions", args=[target.pk]), {"roles": ["finance"]})
    assert response.status_code == 302
    assert set(RoleGrant.objects.current().filter(account=target).values_list("role", flat=True)) == {Role.FINANCE}
    sign_in(client, target.person)
    menu = text(client.get("/"))
    assert 'href="/ekonomi/"' in menu
    assert "Ekonomi" in menu
    assert client.get(reverse("billing:lines")).status_code == 200
    assert client.get(reverse("placements:list")).status_code == 404  # no participants: Ekonomi alone
