"""Billing's services (SPEC S7.2–S7.6): from Af's approvals to orders and goods receipts, one-click invoices, credit
notes, ERP invoices, Af's matching and the manual queue, payment, and the outbox to the access point.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pikepdf
import pypdf
import pytest
from django.http import Http404

from faportal.access.actor import Actor
from faportal.billing import issuing, peppol, run, services
from faportal.billing.models import (
    FinalRowError,
    GoodsReceipt,
    Invoice,
    OrderLine,
    OutboxEntry,
    PurchaseOrder,
    Tariff,
)
from faportal.billing.peppol.values import UNIT_MONTH
from faportal.billing.rules import Article, Code, LineStatus, MatchStatus, Mismatch
from faportal.billing.tests.conftest import last_month
from faportal.core.problems import Refused
from faportal.placements.models import Interruption
from faportal.testing import attach_evidence, pdf_bytes, result_draft, submit_document, write_document


def invoice(billing, line, callbacks):
    with callbacks(execute=True):
        return services.invoice_line(actor=billing.finance_actor, line=line)


def erp_invoice(billing, line: OrderLine, *, number: str, quantity: Decimal | None = None) -> bytes:
    """What the provider's own ERP would send for ``line``: the whole month unless told otherwise."""
    order = line.order
    assert line.period_start is not None
    assert line.period_end is not None
    profile = billing.world.org_a.billing_profile
    value = issuing.invoice_document(
        number=number,
        day=datetime.date.today(),
        seller=issuing.seller_of(billing.world.org_a, profile),
        order_number=order.number,
        genomforandereferens=order.genomforandereferens,
        line=issuing.LineSpec(
            line.number, Article.BASE, line.period_start, line.period_end, line.quantity, UNIT_MONTH, line.unit_price
        ),
        delivered_quantity=quantity if quantity is not None else line.quantity,
        delivered_days=(line.period_end - line.period_start).days + 1,
        vat=issuing.vat_of(profile),
        account=issuing.account_of(profile),
    )
    return peppol.write_invoice(value)


# --- orders (S7.2) ----------------------------------------------------------------------------------------------


def test_the_approved_plan_issues_one_base_order_a_line_per_month_pro_rata(billing, validator):
    billing.plan()
    order = billing.order()
    placement = billing.placement
    lines = list(order.lines.order_by("pk"))
    assert order.genomforandereferens == placement.genomforandereferens
    assert (order.period_start, order.period_end) == (placement.starts_on, placement.ends_on)
    assert lines[0].period_start == placement.starts_on
    assert lines[-1].period_end == placement.ends_on
    price = Tariff.objects.get(article="base", level=placement.level).price
    assert all(line.unit_price == price for line in lines)
    assert order.total == sum(line.amount for line in lines)
    if placement.starts_on.day != 1:
        assert lines[0].quantity < 1  # a partial first month
    assert validator.validate(bytes(order.xml)).valid
    assert placement.genomforandereferens.encode() in bytes(order.xml)
    assert re.fullmatch(r"IO\d{4}-\d{6}", order.number)


def test_a_revised_plan_approved_again_issues_no_second_order(billing):
    from faportal.documents import services as document_services

    plan = billing.plan()
    correction = document_services.start_correction(actor=Actor.for_staff_account(billing.reporter), document=plan)
    from faportal.testing import plan_draft, submit_document

    document_services.save_draft(
        actor=Actor.for_staff_account(billing.reporter),
        document=correction,
        version=correction.version,
        data=plan_draft(notes=["Uppdaterad."]),
    )
    correction.refresh_from_db()
    submit_document(correction, billing.reporter)
    billing.approve(correction)
    assert PurchaseOrder.objects.filter(placement=billing.placement).count() == 1


def test_an_order_never_changes(billing):
    billing.plan()
    order = billing.order()
    with pytest.raises(FinalRowError):
        PurchaseOrder.objects.filter(pk=order.pk).update(total=Decimal(1))
    line = order.lines.first()
    line.amount = Decimal(1)
    with pytest.raises(FinalRowError):
        line.save(update_fields=["amount"])
    with pytest.raises(FinalRowError):
        order.delete()


def test_an_approved_result_report_issues_its_result_order(billing, validator):
    """A result report (Documents II) written with its evidence, submitted and approved: the worker issues the
    result compensation's order, already delivered, by the document kind's key alone."""
    placement = billing.placement
    document = write_document(placement, billing.reporter, "result_1", placement.starts_on, result_draft())
    attach_evidence(document, billing.reporter, ("lonespecifikation.pdf", pdf_bytes()))
    document.refresh_from_db()
    submit_document(document, billing.reporter)
    assert not PurchaseOrder.objects.filter(placement=placement, kind="result_1").exists()
    billing.approve(document)
    order = PurchaseOrder.objects.get(placement=placement, kind="result_1")
    (line,) = order.lines.all()
    assert (line.article, line.quantity, line.unit_code) == ("result_1", Decimal(1), "C62")
    assert line.amount == Tariff.objects.get(article="result_1").price
    assert line.status == LineStatus.INVOICEABLE  # delivered when Af approves it
    assert validator.validate(bytes(order.xml)).valid


def test_without_a_tariff_no_order_is_issued_and_the_monthly_run_issues_it_later(billing, settings):
    Tariff.objects.filter(article="base").delete()
    billing.plan()  # approved: the worker finds no price and leaves the order to the monthly run
    assert not PurchaseOrder.objects.exists()
    Tariff.objects.create(
        service=billing.placement.service,
        article="base",
        level=billing.placement.level,
        price=Decimal("10000.00"),
        valid_from=datetime.date(2020, 1, 1),
    )
    billing_run = run.execute(run_id=run.BillingRun.objects.create(started_by="test").pk)
    assert billing_run.counts["orders"] == 1
    assert billing.order().lines.first().unit_price == Decimal("10000.00")


# --- goods receipts (S7.3) --------------------------------------------------------------------------------------


def test_an_approved_monthly_report_makes_its_months_line_invoiceable(billing):
    billing.plan()
    month = last_month()
    line = billing.line(month)
    assert line.status == LineStatus.NOT_DELIVERED
    report = billing.report(month, approve=False)
    assert billing.line(month).status == LineStatus.NOT_DELIVERED
    billing.approve(report)
    line = billing.line(month)
    assert line.status == LineStatus.INVOICEABLE
    assert line.receipt.amount == line.amount
    assert line.receipt.document == report


def test_a_report_approved_before_the_plan_is_received_when_the_order_comes(billing):
    from faportal.testing import plan_draft, submit_document, write_document

    plan = write_document(billing.placement, billing.reporter, "plan", billing.placement.starts_on, plan_draft())
    submit_document(plan, billing.reporter)
    # The plan is approved without its reaction (the worker was down): the report comes first.
    from faportal.testing import review_document

    review_document(plan, billing.reviewer)
    billing.report(last_month())
    assert not PurchaseOrder.objects.exists()
    services.issue_order(document_id=plan.pk)
    assert billing.line(last_month()).status == LineStatus.INVOICEABLE


def interrupted(billing, interrupts_on: datetime.date) -> None:
    """Af interrupted the placement on that day (registered back then: a row, as the service wrote it that day)."""
    Interruption.objects.create(placement=billing.placement, reason="work", interrupts_on=interrupts_on)


def test_an_interruption_makes_its_month_pro_rata_and_later_months_not_invoiceable(
    billing, django_capture_on_commit_callbacks
):
    billing.plan()
    month = last_month()
    interrupted(billing, month.first_day + datetime.timedelta(days=10))
    billing.report(month)
    line = billing.line(month)
    receipt = line.receipt
    assert receipt.interrupted
    assert receipt.days == 10
    assert receipt.amount == peppol.line_net_amount(
        (Decimal(10) / Decimal((month.last_day - month.first_day).days + 1)).quantize(Decimal("0.0001")),
        line.unit_price,
    )
    later = OrderLine.objects.filter(placement=billing.placement, period_start__gt=month.last_day)
    assert later.exists()
    assert set(later.values_list("status", flat=True)) == {LineStatus.NOT_DELIVERED}
    billing_run = run.execute(run_id=run.BillingRun.objects.create(started_by="test").pk)
    assert set(later.values_list("status", flat=True)) == {LineStatus.NOT_INVOICEABLE}
    assert billing_run.counts["not_invoiceable"] == later.count()
    created = invoice(billing, line, django_capture_on_commit_callbacks)
    assert created.line_extension == receipt.amount
    assert created.match_status == MatchStatus.MATCHED


def test_the_monthly_run_finds_every_newly_invoiceable_line(billing):
    billing.plan()
    report = billing.report(last_month(), approve=False)
    from faportal.testing import review_document

    review_document(report, billing.reviewer)  # approved, but its reaction never ran
    assert billing.line(last_month()).status == LineStatus.NOT_DELIVERED
    first = run.execute(run_id=run.BillingRun.objects.create(started_by="test").pk)
    assert first.counts["invoiceable"] == 1
    assert billing.line(last_month()).status == LineStatus.INVOICEABLE
    again = run.execute(run_id=run.BillingRun.objects.create(started_by="test").pk)
    assert again.counts["invoiceable"] == 0
    assert GoodsReceipt.objects.count() == 1


# --- invoices (S7.4) --------------------------------------------------------------------------------------------


def test_one_click_makes_a_valid_invoice_that_af_matches_and_pays_on_its_due_date(
    billing, validator, django_capture_on_commit_callbacks
):
    billing.plan()
    billing.report(last_month())
    line = billing.line(last_month())
    created = invoice(billing, line, django_capture_on_commit_callbacks)
    report = validator.validate(bytes(created.xml))
    assert report.valid
    xml = bytes(created.xml).decode()
    order = billing.order()
    assert f"<cbc:BuyerReference>{order.genomforandereferens}</cbc:BuyerReference>" in xml
    assert f"<cac:OrderReference>\n    <cbc:ID>{order.number}</cbc:ID>" in xml
    assert '<cbc:EndpointID schemeID="0007">2021002114</cbc:EndpointID>' in xml
    assert "Godkänd för F-skatt" in xml
    assert created.due_date == created.issue_date + datetime.timedelta(days=30)
    assert created.payable == (line.amount * Decimal("1.25")).quantize(Decimal("0.01"))
    assert (created.match_status, created.approved_on) == (MatchStatus.MATCHED, created.due_date)
    with pikepdf.open(io.BytesIO(bytes(created.pdf))) as pdf:  # the copy to file: PDF/A-2, tagged, Swedish
        assert pdf.open_metadata().get("pdfaid:part") == "2"
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "sv"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(bytes(created.pdf))).pages)
    for words in ("Faktura", created.number, order.number, order.genomforandereferens, "Att betala", "Bankgiro"):
        assert words in text, words
    assert services.pay_due_invoices(day=created.due_date - datetime.timedelta(days=1)) == 0
    assert services.pay_due_invoices(day=created.due_date) == 1
    assert Invoice.objects.get(pk=created.pk).paid_on == created.due_date
    assert OrderLine.objects.get(pk=line.pk).status == LineStatus.PAID


def test_nothing_is_invoiced_twice(billing, django_capture_on_commit_callbacks):
    billing.plan()
    billing.report(last_month())
    line = billing.line(last_month())
    invoice(billing, line, django_capture_on_commit_callbacks)
    with pytest.raises(Refused) as refused:
        invoice(billing, line, django_capture_on_commit_callbacks)
    assert refused.value.has(Code.ALREADY_INVOICED)
    with pytest.raises(Refused) as refused:
        invoice(billing, billing.order().lines.order_by("pk").last(), django_capture_on_commit_callbacks)
    assert refused.value.has(Code.NOT_INVOICEABLE)
    assert Invoice.objects.count() == 1


def test_exempt_vat_and_no_details(billing, validator, django_capture_on_commit_callbacks):
    from faportal.billing.tests.conftest import profile_values

    billing.plan()
    billing.report(last_month())
    services.save_profile(
        actor=billing.finance_actor,
        values=profile_values(vat="exempt", exemption_reason="Undantag enligt 10 kap. 2 § mervärdesskattelagen"),
    )
    created = invoice(billing, billing.line(last_month()), django_capture_on_commit_callbacks)
    assert created.vat_amount == 0
    assert created.payable == created.line_extension
    assert validator.validate(bytes(created.xml)).valid
    assert b"<cbc:ID>E</cbc:ID>" in bytes(created.xml)


def test_a_credit_note_names_the_invoice_and_the_line_is_invoiced_anew(
    billing, validator, django_capture_on_commit_callbacks
):
    billing.plan()
    billing.report(last_month())
    line = billing.line(last_month())
    wrong = invoice(billing, line, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        credit_note, (new,) = services.credit_invoice(actor=billing.finance_actor, invoice=wrong, reissue=True)
    xml = bytes(credit_note.xml)
    assert validator.validate(xml).valid
    assert f"<cbc:ID>{wrong.number}</cbc:ID>".encode() in xml  # BT-25
    assert credit_note.payable == wrong.payable
    assert credit_note.match_status == MatchStatus.MATCHED
    assert Invoice.objects.get(pk=wrong.pk).credited_at is not None
    assert OrderLine.objects.get(pk=line.pk).invoice == new
    assert new.match_status == MatchStatus.MATCHED
    with pytest.raises(Refused) as refused:
        services.credit_invoice(actor=billing.finance_actor, invoice=wrong)
    assert refused.value.has(Code.ALREADY_CREDITED)
    assert services.pay_due_invoices(day=new.due_date) == 1  # the credited one is never paid
    assert Invoice.objects.get(pk=wrong.pk).paid_on is None


def test_only_the_finance_role_invoices(billing, django_capture_on_commit_callbacks):
    billing.plan()
    billing.report(last_month())
    with pytest.raises(Http404):
        services.invoice_line(actor=Actor.for_staff_account(billing.reporter), line=billing.line(last_month()))


# --- the provider's ERP and Af's matching (S7.4, S7.6) ----------------------------------------------------------


def test_the_official_samples_are_accepted_by_the_upload(samples, world, django_capture_on_commit_callbacks):
    from faportal.registry.models import Organisation
    from faportal.testing import make_account, make_person

    seller = Organisation.objects.create(organisationsnummer="5566778899", name="Exempel Rusta AB")
    account = make_account(make_person("Sara", "Säljare"), seller, roles=[services.Role.FINANCE])
    actor = Actor.for_staff_account(account)
    received = services.receive_document(actor=actor, data=(samples / "invoice-se-af.xml").read_bytes())
    assert (received.number, received.payable) == ("F2026-000123", Decimal("6250.00"))
    assert received.match_status == MatchStatus.MANUAL  # no such order here: Af looks at it
    assert received.match_reasons == [Mismatch.UNKNOWN_ORDER]
    credit = services.receive_document(actor=actor, data=(samples / "creditnote-se-af.xml").read_bytes())
    assert credit.corrects == received
    assert credit.match_status == MatchStatus.MATCHED
    assert Invoice.objects.get(pk=received.pk).credited_at is not None


def test_an_invoice_with_a_wrong_total_is_refused_with_the_rule_and_swedish_words(samples, world):
    from faportal.registry.models import Organisation
    from faportal.testing import make_account, make_person

    seller = Organisation.objects.create(organisationsnummer="5566778899", name="Exempel Rusta AB")
    actor = Actor.for_staff_account(make_account(make_person("Sara", "Säljare"), seller, roles=[services.Role.FINANCE]))
    data = (
        (samples / "invoice-se-af.xml")
        .read_bytes()
        .replace(
            b'<cbc:TaxInclusiveAmount currencyID="SEK">6250.00', b'<cbc:TaxInclusiveAmount currencyID="SEK">6350.00'
        )
    )
    with pytest.raises(services.DocumentRefused) as refused:
        services.receive_document(actor=actor, data=data)
    found = {rule_id: text for rule_id, text, _where in refused.value.rules_failed}
    assert "BR-CO-15" in found
    assert "moms" in found["BR-CO-15"].lower()
    assert not Invoice.objects.exists()


def test_an_erp_invoice_for_a_whole_interrupted_month_goes_to_the_manual_queue_and_is_corrected(
    billing, django_capture_on_commit_callbacks
):
    billing.plan()
    month = last_month()
    interrupted(billing, month.first_day + datetime.timedelta(days=14))
    billing.report(month)
    line = billing.line(month)
    with django_capture_on_commit_callbacks(execute=True):
        wrong = services.receive_document(actor=billing.finance_actor, data=erp_invoice(billing, line, number="E-1"))
    assert (wrong.match_status, wrong.match_reasons) == (MatchStatus.MANUAL, [Mismatch.AMOUNT_DIFFERS])
    with pytest.raises(Refused):
        services.invoice_line(actor=billing.finance_actor, line=line)  # the ERP invoice holds the line
    services.reject(actor=billing.af_actor, invoice=wrong, reason="Avbrott den 15:e: fakturera till och med den 14:e.")
    assert Invoice.objects.get(pk=wrong.pk).match_status == MatchStatus.REJECTED
    with django_capture_on_commit_callbacks(execute=True):
        credit_note, (fixed,) = services.credit_invoice(actor=billing.finance_actor, invoice=wrong, reissue=True)
    assert credit_note.match_status == MatchStatus.MATCHED
    assert fixed.match_status == MatchStatus.MATCHED
    assert fixed.line_extension == GoodsReceipt.objects.get(order_line=line).amount


def test_a_second_invoice_for_the_same_month_is_already_invoiced_and_cannot_be_accepted(
    billing, django_capture_on_commit_callbacks
):
    billing.plan()
    billing.report(last_month())
    line = billing.line(last_month())
    invoice(billing, line, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.receive_document(actor=billing.finance_actor, data=erp_invoice(billing, line, number="E-2"))
    assert Mismatch.ALREADY_INVOICED in second.match_reasons
    with pytest.raises(Refused) as refused:
        services.accept(actor=billing.af_actor, invoice=second)
    assert refused.value.has(Code.EXCEEDS_ORDER)


def test_af_accepts_an_erp_invoice_of_a_month_not_yet_received(billing, django_capture_on_commit_callbacks):
    billing.plan()
    line = billing.line(last_month())
    with django_capture_on_commit_callbacks(execute=True):
        early = services.receive_document(actor=billing.finance_actor, data=erp_invoice(billing, line, number="E-3"))
    assert early.match_reasons == [Mismatch.NOT_DELIVERED]
    accepted = services.accept(actor=billing.af_actor, invoice=early, note="Rapporten är godkänd i KA-webb.")
    assert accepted.match_status == MatchStatus.ACCEPTED
    assert accepted.approved_on is not None
    assert OrderLine.objects.get(pk=line.pk).invoice == accepted


def test_an_upload_from_another_seller_is_refused(billing, world, samples):
    with pytest.raises(Refused) as refused:
        services.receive_document(actor=billing.finance_actor, data=(samples / "invoice-se-af.xml").read_bytes())
    assert refused.value.has(Code.NOT_OUR_SELLER)


# --- tariffs (S7.1) ---------------------------------------------------------------------------------------------


def test_a_new_price_ends_the_open_one_and_a_used_price_never_changes(billing):
    af = billing.af_actor
    service_id = billing.placement.service_id
    old = Tariff.objects.get(article="base", level="B")
    new = services.save_tariff(
        actor=af,
        values=services.TariffValues(
            service_id, Article.BASE, "B", Decimal("13000.00"), datetime.date(2030, 1, 1), None
        ),
    )
    old.refresh_from_db()
    assert old.valid_to == datetime.date(2029, 12, 31)
    assert (
        services.tariff_for(service_id=service_id, article=Article.BASE, level="B", day=datetime.date(2030, 2, 1))
        == new
    )
    with pytest.raises(Refused) as refused:
        services.save_tariff(
            actor=af,
            values=services.TariffValues(
                service_id, Article.BASE, "B", Decimal("1.00"), datetime.date(2030, 6, 1), datetime.date(2030, 7, 1)
            ),
        )
    assert refused.value.has(Code.TARIFF_OVERLAPS)
    billing.plan()
    used = billing.order().lines.first().tariff
    with pytest.raises(Refused) as refused:
        services.save_tariff(
            actor=af,
            values=services.TariffValues(
                service_id, Article(used.article), used.level, used.price + 1, used.valid_from, used.valid_to
            ),
            tariff=used,
        )
    assert refused.value.has(Code.TARIFF_IN_USE)
    with pytest.raises(Http404):
        services.save_tariff(
            actor=billing.finance_actor,
            values=services.TariffValues(service_id, Article.RESULT_1, "", Decimal(1), datetime.date(2031, 1, 1), None),
        )


# --- the outbox (docs/peppol-outbox.md) -------------------------------------------------------------------------


def test_every_issued_document_is_written_to_the_outbox_and_posted_when_configured(
    billing, settings, tmp_path, django_capture_on_commit_callbacks
):
    import http.server
    import threading

    received: list[tuple[dict[str, str], bytes]] = []

    class AccessPoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), AccessPoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BILLING_OUTBOX_DIR = tmp_path
    settings.BILLING_ACCESS_POINT_URL = f"http://127.0.0.1:{server.server_port}/documents"
    try:
        billing.plan()
        billing.report(last_month())
        created = invoice(billing, billing.line(last_month()), django_capture_on_commit_callbacks)
    finally:
        server.shutdown()
    files = sorted(path.name for path in Path(tmp_path).rglob("*.xml"))
    assert files == sorted([f"Order-{billing.order().number}.xml", f"Invoice-{created.number}.xml"])
    metadata = json.loads(next(Path(tmp_path).rglob(f"Invoice-{created.number}.json")).read_text())
    assert metadata["receiver"] == "iso6523-actorid-upis::0007:2021002114"
    assert next(Path(tmp_path).rglob(f"Invoice-{created.number}.xml")).read_bytes() == bytes(created.xml)
    assert [headers["X-Document-Number"] for headers, _body in received] == [billing.order().number, created.number]
    assert received[1][1] == bytes(created.xml)
    assert all(entry.posted_at is not None for entry in OutboxEntry.objects.all())
    from faportal.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="billing.handed_on").count() == 2


def test_without_an_access_point_nothing_is_posted(billing, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.BILLING_OUTBOX_DIR = tmp_path
    settings.BILLING_ACCESS_POINT_URL = ""
    billing.plan()
    entry = OutboxEntry.objects.get(document="Order")
    assert entry.written_at is not None
    assert entry.posted_at is None
    assert entry.attempts == 0


def test_the_portals_series_goes_past_a_number_the_erp_already_used(billing, django_capture_on_commit_callbacks):
    billing.plan()
    billing.report(last_month())
    first = billing.order().lines.order_by("pk").first()  # the month the placement started: not last month
    year = datetime.date.today().year
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_document(
            actor=billing.finance_actor, data=erp_invoice(billing, first, number=f"FA{year}-00001")
        )
    made = invoice(billing, billing.line(last_month()), django_capture_on_commit_callbacks)
    assert made.number == f"FA{year}-00002"
