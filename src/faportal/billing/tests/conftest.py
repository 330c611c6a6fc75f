"""Fixtures for billing's tests: a placement that has run for a while, its plan and reports approved by Af (through
the document services, so the orders and goods receipts come the way they do in production), and the organisation's
Ekonomi staff with its billing details.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from faportal.access.actor import Actor
from faportal.access.models import AfRole, AfStaffAccount, Role, StaffAccount
from faportal.billing import services
from faportal.billing.models import BillingProfile, OrderLine, PurchaseOrder

# The shared validator (compiled once per test process) for the official artefacts.
from faportal.billing.peppol.tests.conftest import artifacts, samples, validator
from faportal.billing.rules import VatChoice
from faportal.core.dates import YearMonth
from faportal.documents.models import Document
from faportal.placements.models import Placement
from faportal.testing import (
    World,
    make_account,
    make_af_officer,
    make_person,
    place,
    plan_draft,
    review_document,
    submit_document,
    write_document,
)

REPORT_DRAFT = {"language_support": ["no"], "suggested_jobs": ["yes"], "other_info": [""]}


@dataclass
class Billing:
    world: World
    placement: Placement  # at A11, started about two months ago
    reporter: StaffAccount
    finance: StaffAccount  # Ekonomi only
    reviewer: AfStaffAccount  # Af: review and finance
    approve: Callable[[Document], None]

    @property
    def finance_actor(self) -> Actor:
        return Actor.for_staff_account(self.finance)

    @property
    def af_actor(self) -> Actor:
        return Actor.for_af_account(self.reviewer)

    def plan(self, placement: Placement | None = None) -> Document:
        """The placement's joint plan, written, submitted and approved: the base order follows."""
        placement = placement or self.placement
        document = write_document(placement, self.reporter, "plan", placement.starts_on, plan_draft())
        submit_document(document, self.reporter)
        self.approve(document)
        return document

    def report(self, month: YearMonth, placement: Placement | None = None, *, approve: bool = True) -> Document:
        """The month's report, written, submitted and (by default) approved: the goods receipt follows."""
        placement = placement or self.placement
        document = write_document(placement, self.reporter, "monthly_report", month.first_day, dict(REPORT_DRAFT))
        submit_document(document, self.reporter)
        if approve:
            self.approve(document)
        return document

    def order(self, placement: Placement | None = None) -> PurchaseOrder:
        return PurchaseOrder.objects.get(placement=placement or self.placement, kind="base")

    def line(self, month: YearMonth, placement: Placement | None = None) -> OrderLine:
        return OrderLine.objects.get(
            placement=placement or self.placement,
            order__kind="base",
            period_start__gte=month.first_day,
            period_start__lte=month.last_day,
        )


def last_month() -> YearMonth:
    return YearMonth.of(datetime.date.today()).previous()


def profile_values(**changes: Any) -> services.ProfileValues:
    values: dict[str, Any] = {
        "street": "Drottninggatan 1",
        "postcode": "11151",
        "town": "Stockholm",
        "vat": VatChoice.STANDARD,
        "exemption_reason": "",
        "f_skatt": True,
        "account_kind": "SE:BANKGIRO",
        "account_number": "5050-1055",
        "contact_name": "Ekonomi",
        "contact_email": "ekonomi@example.se",
        "contact_phone": "",
    }
    values.update(changes)
    return services.ProfileValues(**values)


@pytest.fixture
def billing(world: World, django_capture_on_commit_callbacks) -> Billing:
    def approve(document: Document) -> None:
        # The decision's reaction runs once it is committed (the worker, here at once): as in production.
        with django_capture_on_commit_callbacks(execute=True):
            review_document(document, reviewer)

    reviewer = make_af_officer("Gun", "Granskare", [AfRole.REVIEWER, AfRole.FINANCE])
    placement = place(
        world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=75), given_name="Rut", surname="Rapport"
    )
    finance = make_account(make_person("Eko", "Nomi"), world.org_a, roles=[Role.FINANCE])
    services.save_profile(actor=Actor.for_staff_account(finance), values=profile_values())
    return Billing(
        world=world,
        placement=placement,
        reporter=world.by_roles[frozenset({Role.REPORT})],
        finance=finance,
        reviewer=reviewer,
        approve=approve,
    )


__all__ = ["BillingProfile", "artifacts", "samples", "validator"]
