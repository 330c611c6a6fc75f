"""Demo orders and invoices (issue 11): what a year of Rusta och matcha looks like in Ekonomi and at Af's finance.

Every approval the demo documents made issues its order or goods receipt on the day Af approved it. Each demo
organisation's Ekonomi person enters the billing details and invoices most delivered months with one click a few days
after delivery (some are left invoiceable); one invoice went out with an old bankgiro and is credited and re-issued;
two invoices come from the organisation's own ERP, one matched and one that differs and waits in Af's manual queue;
invoices whose due date has come are paid. Everything goes through the billing services on its day (the clock is
moved there), so the timeline, the audit log and the outbox look like real use.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import Role, RoleGrant, StaffAccount
from faportal.billing import issuing, peppol, services
from faportal.billing.models import BillingProfile, OrderLine, PurchaseOrder
from faportal.billing.peppol.values import UNIT_MONTH
from faportal.billing.rules import Article, LineStatus, VatChoice
from faportal.core.dates import add_working_days
from faportal.demo.documents import at, on
from faportal.documents.models import Review, ReviewStatus

PROFILES = {
    "5590123450": ("Drottninggatan 45", "11151", "Stockholm", "5050-1055"),
    "5591234561": ("Stortorget 4", "21122", "Malmö", "5544-3322"),
}
OLD_BANKGIRO = "5050-1030"


def load(*, organisation_ids: list[int]) -> int:
    """Orders, goods receipts and invoices for these organisations, unless there are some already."""
    if PurchaseOrder.objects.filter(organisation_id__in=organisation_ids).exists():
        return 0
    today = timezone.localdate()
    approvals = (
        Review.objects.filter(
            document__placement__organisation_id__in=organisation_ids,
            status=ReviewStatus.APPROVED,
            kind__in=["plan", "monthly_report"],
            decided_at__isnull=False,
        )
        .order_by("decided_at", "pk")
        .values_list("document_id", "kind", "decided_at")
    )
    for document_id, kind, decided_at in approvals:
        assert decided_at is not None
        with on(decided_at + datetime.timedelta(minutes=2)):
            services.react_to_decision(document_id=document_id, kind=kind, approved=True)
    for organisation_id in organisation_ids:
        _invoices_of(organisation_id, today)
    services.pay_due_invoices(day=today)
    return PurchaseOrder.objects.filter(organisation_id__in=organisation_ids).count()


def _finance_actor(organisation_id: int) -> Actor | None:
    account_ids = RoleGrant.objects.current().filter(role=Role.FINANCE).values("account_id")
    account = (
        StaffAccount.objects.active()
        .filter(organisation_id=organisation_id, pk__in=account_ids)
        .select_related("person", "organisation")
        .first()
    )
    return Actor.for_staff_account(account) if account is not None else None


def _profile(actor: Actor, bankgiro: str) -> None:
    assert actor.account is not None
    street, postcode, town, _current = PROFILES.get(
        actor.account.organisation.organisationsnummer, ("Storgatan 1", "11122", "Stockholm", "")
    )
    services.save_profile(
        actor=actor,
        values=services.ProfileValues(
            street=street,
            postcode=postcode,
            town=town,
            vat=VatChoice.STANDARD,
            exemption_reason="",
            f_skatt=True,
            account_kind="SE:BANKGIRO",
            account_number=bankgiro,
            contact_name=actor.label,
            contact_email=actor.account.email,
        ),
    )


def _invoices_of(organisation_id: int, today: datetime.date) -> None:
    actor = _finance_actor(organisation_id)
    if actor is None:
        return
    assert actor.account is not None
    lines = list(
        OrderLine.objects.filter(organisation_id=organisation_id, status=LineStatus.INVOICEABLE)
        .select_related("receipt", "order")
        .order_by("receipt__received_on", "pk")
    )
    if not lines:
        return
    first_day = lines[0].receipt.received_on
    current_bankgiro = PROFILES.get(actor.account.organisation.organisationsnummer, ("", "", "", "5050-1055"))[3]
    with on(at(first_day, 8, 0)):
        _profile(actor, OLD_BANKGIRO)  # the account the first invoice went out with, changed later
    corrected = False
    for index, line in enumerate(lines):
        day = add_working_days(line.receipt.received_on, 2 + index % 3)
        if day > today or index % 7 == 6:
            continue  # delivered lately, or left for the provider to invoice: invoiceable in the list
        if index % 11 == 4:
            with on(at(day, 13, 10)):
                _erp_invoice(actor, line, wrong=index % 22 == 4)
            continue
        with on(at(day, 10, 30)):
            created = services.invoice_line(actor=actor, line=line)
        if not corrected:
            # The bankgiro on the first invoice was the old one: the details are corrected, and the invoice is
            # credited and made anew with one action.
            with on(at(day, 15, 0)):
                _profile(actor, current_bankgiro)
                services.credit_invoice(actor=actor, invoice=created, reissue=True)
            corrected = True


def _erp_invoice(actor: Actor, line: OrderLine, *, wrong: bool) -> None:
    """An invoice from the organisation's own ERP: the delivered month, or (``wrong``) the whole month."""
    assert actor.account is not None
    organisation = actor.account.organisation
    profile = BillingProfile.objects.get(organisation=organisation)
    receipt = line.receipt
    quantity = line.quantity + Decimal("0.1000") if wrong else receipt.quantity
    value = issuing.invoice_document(
        number=f"ERP-{timezone.localdate().year}-{line.pk:05d}",
        day=timezone.localdate(),
        seller=issuing.seller_of(organisation, profile),
        order_number=line.order.number,
        genomforandereferens=line.order.genomforandereferens,
        line=issuing.LineSpec(
            line.number, Article.BASE, line.period_start, line.period_end, line.quantity, UNIT_MONTH, line.unit_price
        ),
        delivered_quantity=quantity,
        delivered_days=receipt.days,
        vat=issuing.vat_of(profile),
        account=issuing.account_of(profile),
    )
    services.receive_document(actor=actor, data=peppol.write_invoice(value))
