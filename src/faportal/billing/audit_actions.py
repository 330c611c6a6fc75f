"""What the billing app writes to the audit log, in words (``faportal.audit.actions``)."""

from django.utils.translation import gettext_lazy

from faportal.audit.actions import Action, register_actions

register_actions(
    Action("billing.tariff_saved", gettext_lazy("Changed a tariff"), af_only=True),
    Action("billing.run", gettext_lazy("Ran the monthly billing run"), af_only=True),
    Action("billing.order_issued", gettext_lazy("Issued a purchase order")),
    Action("billing.goods_received", gettext_lazy("Registered a goods receipt")),
    Action("billing.profile_saved", gettext_lazy("Changed the billing details")),
    Action("billing.invoice_issued", gettext_lazy("Issued an invoice")),
    Action("billing.credit_note_issued", gettext_lazy("Issued a credit note")),
    Action("billing.batch_started", gettext_lazy("Invoiced several lines")),
    Action("billing.document_received", gettext_lazy("Sent an invoice from the organisation's own system")),
    Action("billing.document_refused", gettext_lazy("Sent an invoice that was refused")),
    Action("billing.matched", gettext_lazy("Matched an invoice")),
    Action("billing.accepted", gettext_lazy("Accepted an invoice from the manual queue")),
    Action("billing.rejected", gettext_lazy("Rejected an invoice")),
    Action("billing.paid", gettext_lazy("Paid an invoice")),
    Action("billing.downloaded", gettext_lazy("Downloaded an order or invoice")),
    Action("billing.handed_on", gettext_lazy("Handed a document to the access point")),
)
