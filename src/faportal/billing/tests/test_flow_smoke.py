from faportal.billing import services
from faportal.billing.models import Invoice
from faportal.billing.tests.conftest import last_month


def test_smoke(billing, validator, django_capture_on_commit_callbacks):
    billing.plan()
    order = billing.order()
    assert order.lines.count() >= 6
    assert validator.validate(bytes(order.xml)).valid
    billing.report(last_month())
    line = billing.line(last_month())
    assert line.status == "invoiceable"
    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_line(actor=billing.finance_actor, line=line)
    assert validator.validate(bytes(invoice.xml)).valid, validator.validate(bytes(invoice.xml)).rule_ids
    assert invoice.match_status == "matched"
    with django_capture_on_commit_callbacks(execute=True):
        credit, again = services.credit_invoice(actor=billing.finance_actor, invoice=invoice)
    assert validator.validate(bytes(credit.xml)).valid
    assert credit.match_status == "matched"
    assert len(again) == 1
    assert Invoice.objects.get(pk=invoice.pk).credited_at is not None
