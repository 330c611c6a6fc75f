"""The demo data (`make run`) reads like real use: its events name people as the portal's own do (issue 8)."""

import io

import pytest
from django.core.management import call_command
from lxml import html

from faportal.audit.models import AuditEvent
from faportal.placements import timeline
from faportal.placements.models import Event, Placement
from faportal.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "faportal.demo.management.commands.load_demo_data.IDENTITIES_FILE", tmp_path / "bankid" / "identities.json"
    )
    call_command("load_demo_data", stdout=io.StringIO())


def test_af_decisions_in_the_demo_read_as_the_officers_like_live_ones(demo, client):
    decided = Event.objects.filter(kind=timeline.DECIDED.code)
    assert decided.exists()
    assert set(decided.values_list("actor_name", "actor_organisation")) == {("Åsa Öberg", "Arbetsförmedlingen")}
    placement = Placement.objects.filter(organisation__name="Rusta Framåt AB", supervisor__isnull=False).first()
    assert placement is not None
    sign_in(client, placement.supervisor.person)
    page = html.fromstring(client.get(f"/deltagare/{placement.pk}/handelser/").content.decode())
    lines = page.xpath("//ol[@class='fa-timeline']/li//*[@class='fa-muted']")
    who = [" ".join(line.text_content().split()) for line in lines]
    assert "Åsa Öberg, Arbetsförmedlingen" in who
    assert not [line for line in who if "(" in line]
    # The audit log names her as it names her when she works in the back office herself.
    logged = AuditEvent.objects.filter(action="placements.decided")
    assert set(logged.values_list("actor_name", "actor_kind")) == {("Åsa Öberg", "af")}


def test_the_demo_has_every_kind_of_document_in_several_states(demo, client):
    """Issue 10: the new kinds are there, through the services, some reviewed and some waiting; evidence is clean."""
    from faportal.documents import kinds
    from faportal.documents.models import Document, DocumentFile

    submitted = Document.objects.filter(submitted_at__isnull=False)
    for kind in kinds.all_kinds():
        assert submitted.filter(kind=kind.key).exists(), kind.key
    for kind in ("absence", "deviation", "result_1"):
        statuses = set(submitted.filter(kind=kind).values_list("review__status", flat=True))
        assert "approved" in statuses, (kind, statuses)
        assert len(statuses) >= 2, (kind, statuses)  # approved, and waiting or not approved
    evidence = DocumentFile.objects.filter(purpose=DocumentFile.Purpose.EVIDENCE)
    assert set(evidence.values_list("content_type", flat=True)) == {"application/pdf", "image/png"}
    result = submitted.filter(kind="result_1").select_related("placement__supervisor__person").first()
    supervisor = result.placement.supervisor
    # As their account at that organisation: a demo person working for two would first be asked which.
    sign_in(client, supervisor.person, acting_for=f"staff:{supervisor.pk}")
    response = client.get(f"/handlingar/{result.pk}/")
    assert response.status_code == 200
    assert "lonespecifikation.pdf" in response.content.decode()


def test_the_demo_has_orders_invoices_a_credited_one_and_erp_invoices_matched_and_in_the_queue(demo, client):
    from faportal.billing.models import Invoice, OrderLine, PurchaseOrder
    from faportal.billing.rules import LineStatus, MatchStatus

    assert PurchaseOrder.objects.exists()
    statuses = set(OrderLine.objects.values_list("status", flat=True))
    assert {LineStatus.INVOICEABLE, LineStatus.INVOICED, LineStatus.NOT_DELIVERED} <= statuses
    assert Invoice.objects.filter(document_type="credit_note", match_status=MatchStatus.MATCHED).exists()
    credited = Invoice.objects.filter(credited_at__isnull=False, source="portal")
    assert credited.exists()
    erp = Invoice.objects.filter(source="erp")
    assert erp.filter(match_status=MatchStatus.MATCHED).exists()
    assert erp.filter(match_status=MatchStatus.MANUAL).exists()
