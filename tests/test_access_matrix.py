"""The access matrix (SPEC S3.7): every URL, for every role combination, in two organisations.

Nobody sees or changes anything of another organisation, or outside their units and addresses; a person without
the right gets "not found". Every URL the portal has must be listed here: a new URL fails the first test until
someone decides who may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from faportal.access.actor import Actor
from faportal.access.models import AddressGrant, AfRole, AfRoleGrant, Invitation, Role, RoleGrant, StaffAccount
from faportal.access.services import invite_staff
from faportal.exports.models import ExportFormat
from faportal.exports.selectors import ExportChoices
from faportal.exports.services import start_export
from faportal.placements.services import interrupt
from faportal.testing import ROLE_COMBINATIONS, World, make_af_officer, place, sign_in

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """Who may open a URL: a provider role, an Af role, or anyone (``None``)."""

    role: Role | AfRole | None
    # The URL's arguments, from the world; objects of organisation A.
    kwargs: Callable[[World], dict[str, object]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, object]] = lambda world: {}
    # For objects only their maker may open (an export): the arguments of one made by the signed-in account.
    own: Callable[[World, StaffAccount], dict[str, object]] | None = None
    # What someone with the role gets: the page, or a redirect after a change (or to where to start).
    allowed: int = 200


def other_account(world: World) -> dict[str, object]:
    return {"account_id": world.by_roles[frozenset()].pk}


def pending_invitation(world: World) -> dict[str, object]:
    invite_staff(actor=Actor.for_staff_account(world.admin_a), emails=["ny@example.se"])
    return {"invitation_id": Invitation.objects.get(email="ny@example.se").pk}


def placement_a11(world: World) -> dict[str, object]:
    return {"placement_id": place(world.a11).pk}


def interrupted_placement_a11(world: World) -> dict[str, object]:
    placement = place(world.a11)
    interrupt(
        actor=Actor.system("test"),
        key=f"i-{placement.pk}",
        placement=placement,
        reason="work",
        interrupts_on=placement.starts_on,
    )
    return {"placement_id": placement.pk}


def _draft_a11(world: World):
    import datetime

    from faportal.testing import plan_draft, write_document

    placement = place(world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=30))  # started
    return write_document(
        placement, world.by_roles[frozenset({Role.REPORT})], "plan", placement.starts_on, plan_draft()
    )


def draft_a11(world: World) -> dict[str, object]:
    """A joint plan's draft for a placement at A11 (written by the reporting account there)."""
    return {"document_id": _draft_a11(world).pk}


def submitted_a11(world: World) -> dict[str, object]:
    from faportal.testing import submit_document

    document = _draft_a11(world)
    submit_document(document, world.by_roles[frozenset({Role.REPORT})])
    return {"document_id": document.pk}


def _result_draft_a11(world: World):
    import datetime

    from faportal.testing import result_draft, write_document

    placement = place(world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=30))  # started
    return write_document(
        placement, world.by_roles[frozenset({Role.REPORT})], "result_1", placement.starts_on, result_draft()
    )


def evidence_a11(world: World) -> dict[str, object]:
    """An evidence file attached to a result report's draft at A11."""
    from faportal.testing import attach_evidence, png_bytes

    document = _result_draft_a11(world)
    attached = attach_evidence(document, world.by_roles[frozenset({Role.REPORT})], ("lonespec.png", png_bytes()))
    return {"document_id": document.pk, "file_id": attached.added[0].pk}


def submitted_evidence_a11(world: World) -> dict[str, object]:
    """An evidence file of a submitted result report at A11 (what Af's reviewer downloads)."""
    from faportal.testing import attach_evidence, png_bytes, submit_document

    writer = world.by_roles[frozenset({Role.REPORT})]
    document = _result_draft_a11(world)
    attached = attach_evidence(document, writer, ("lonespec.png", png_bytes()))
    document.refresh_from_db()
    submit_document(document, writer)
    return {"document_id": document.pk, "file_id": attached.added[0].pk}


def an_information_topic(world: World) -> dict[str, object]:
    from faportal.documents.models import InformationTopic

    return {"topic_id": InformationTopic.objects.get(code="tolk").pk}


def an_activity(world: World) -> dict[str, object]:
    from faportal.documents.models import Activity

    return {"activity_id": Activity.objects.get(code="digital").pk}


def a_sensitive_term(world: World) -> dict[str, object]:
    from faportal.documents.models import SensitiveTerm

    return {"term_id": SensitiveTerm.objects.get(term="sjuk").pk}


def reference_a11(world: World) -> dict[str, object]:
    return {"genomforandereferens": place(world.a11).genomforandereferens}


def export_made_by(world: World, account: StaffAccount) -> dict[str, object]:
    day = place(world.a11).decided_on
    run = start_export(
        actor=Actor.for_staff_account(account),
        choices=ExportChoices(decided_from=day, decided_to=day),
        format=ExportFormat.CSV,
    )
    return {"export_id": run.pk}


def export_by_reporter(world: World) -> dict[str, object]:
    """An export made by the account with only the reporting role: nobody else may open it."""
    return export_made_by(world, world.by_roles[frozenset({Role.REPORT})])


def organisation_a(world: World) -> dict[str, object]:
    return {"organisation_id": world.org_a.pk}


def import_run(world: World) -> dict[str, object]:
    from faportal.registry.models import KaImportRun

    run = KaImportRun.objects.create(file_name="ka.csv", format="csv", content="")
    return {"run_id": run.pk}


def _order_a11(world: World):
    """A base order for a placement at A11 (its plan approved by Af) and last month's goods receipt."""
    import datetime

    from faportal.billing import services as billing
    from faportal.testing import review_document, submit_document, write_document

    placement = place(world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=75))
    writer = world.by_roles[frozenset({Role.REPORT})]
    reviewer = make_af_officer("Gun", "Granskare", [AfRole.REVIEWER])
    plan = write_document(placement, writer, "plan", placement.starts_on, _plan_draft())
    submit_document(plan, writer)
    review_document(plan, reviewer)
    order = billing.issue_order(document_id=plan.pk)
    assert order is not None
    return order


def _plan_draft():
    from faportal.testing import plan_draft

    return plan_draft()


def order_a11(world: World) -> dict[str, object]:
    return {"order_id": _order_a11(world).pk}


def order_line_a11(world: World) -> dict[str, object]:
    """A line not yet delivered: invoicing it is refused (and the page says so)."""
    return {"line_id": _order_a11(world).lines.order_by("pk").last().pk}


def invoice_a11(world: World) -> dict[str, object]:
    """An invoice of organisation A, made in the portal for a delivered line."""
    from faportal.billing import services as billing
    from faportal.billing.models import GoodsReceipt
    from faportal.billing.rules import VatChoice

    order = _order_a11(world)
    line = order.lines.order_by("pk").first()
    GoodsReceipt.objects.create(
        order_line=line,
        document=order.document,
        received_on=order.issue_date,
        days=line.period_end.day,
        quantity=line.quantity,
        amount=line.amount,
    )
    line.status = "invoiceable"
    line.save(update_fields=["status"])
    finance = Actor.for_staff_account(world.by_roles[frozenset({Role.FINANCE})])
    billing.save_profile(
        actor=finance,
        values=billing.ProfileValues(
            street="Drottninggatan 1",
            postcode="11151",
            town="Stockholm",
            vat=VatChoice.STANDARD,
            exemption_reason="",
            f_skatt=True,
            account_kind="SE:BANKGIRO",
            account_number="50501055",
        ),
    )
    return {"invoice_id": billing.invoice_line(actor=finance, line=line).pk}


def batch_made_by(world: World, account: StaffAccount) -> dict[str, object]:
    from faportal.billing.models import InvoiceBatch

    return {"batch_id": InvoiceBatch.objects.create(organisation=world.org_a, created_by=account, status="done").pk}


def batch_by_finance(world: World) -> dict[str, object]:
    """A batch started by the account with only the Ekonomi role: nobody else may open it."""
    return batch_made_by(world, world.by_roles[frozenset({Role.FINANCE})])


def a_tariff(world: World) -> dict[str, object]:
    from faportal.billing.models import Tariff

    return {"tariff_id": Tariff.objects.filter(article="base", level="B").first().pk}


# Every named URL. Public ones are reachable without any role (their own checks are tested elsewhere).
PUBLIC = {
    "set_language",
    "home",
    "choose_organisation",
    "dev_outbox",
    "favicon",
    "identity:login",
    "identity:bankid_start",
    "identity:bankid_status",
    "identity:bankid_open",
    "identity:bankid_cancel",
    "identity:logout",
    "identity:session_status",
    "identity:session_extend",
    "invitation",
    "invitation_confirm",
    # The integration API: no session, a bearer key on every call (tested in faportal/api/tests).
    "api:integration-v1:api-root",
    "api:integration-v1:openapi-json",
    "api:integration-v1:decisions",
    "api:integration-v1:decisions_batch",
    "api:integration-v1:placement",
    "api:integration-v1:second_period",
    "api:integration-v1:interruption",
    "api:integration-v1:interruption_change",
    "api:integration-v1:provider_change",
}
PROTECTED: dict[str, Case] = {
    "staff_list": Case(Role.ADMINISTER),
    "staff_overview": Case(Role.ADMINISTER),
    "invite": Case(Role.ADMINISTER),
    "invitations": Case(Role.ADMINISTER),
    "audit_log": Case(Role.ADMINISTER),
    "staff_detail": Case(Role.ADMINISTER, other_account),
    "staff_permissions": Case(Role.ADMINISTER, other_account),
    "staff_delete": Case(Role.ADMINISTER, other_account),
    "invitation_revoke": Case(Role.ADMINISTER, pending_invitation, method="post", allowed=302),
    "placements:intake": Case(Role.RECEIVE),
    "placements:intake_assign": Case(Role.RECEIVE, allowed=302),  # nobody chosen: back to Nya deltagare
    "placements:intake_remove": Case(Role.RECEIVE, interrupted_placement_a11, method="post", allowed=302),
    "placements:list": Case(Role.REPORT),
    "placements:unread_counts": Case(Role.REPORT),
    "placements:participant": Case(Role.REPORT, placement_a11),
    "placements:experience": Case(Role.REPORT, placement_a11),
    "documents:reporting": Case(Role.REPORT, placement_a11),
    "documents:start": Case(Role.REPORT, placement_a11, method="post", allowed=302),  # back with a message
    "documents:document": Case(Role.REPORT, draft_a11),
    "documents:save": Case(Role.REPORT, draft_a11, method="post", allowed=409),  # no version: not saved
    "documents:preview": Case(Role.REPORT, draft_a11),
    "documents:submit": Case(Role.REPORT, draft_a11, method="post", allowed=302),  # back to the preview
    "documents:correct": Case(Role.REPORT, submitted_a11, method="post", allowed=302),  # back: not rejected
    "documents:delete": Case(Role.REPORT, draft_a11),
    "documents:file": Case(Role.REPORT, evidence_a11),
    "placements:events": Case(Role.REPORT, placement_a11),
    "placements:recent_events": Case(Role.REPORT, placement_a11),
    "placements:reveal_personnummer": Case(Role.REPORT, placement_a11, method="post"),
    "placements:change_supervisor": Case(Role.REPORT, placement_a11),
    "placements:move_supervised": Case(Role.ADMINISTER, other_account),
    "exports:export": Case(Role.REPORT),
    "exports:run": Case(Role.REPORT, export_by_reporter, own=export_made_by),
    "exports:download": Case(Role.REPORT, export_by_reporter, own=export_made_by),
    "billing:lines": Case(Role.FINANCE),
    "billing:order": Case(Role.FINANCE, order_a11),
    "billing:order_xml": Case(Role.FINANCE, order_a11),
    "billing:invoice_line": Case(Role.FINANCE, order_line_a11, method="post", allowed=302),  # back: not delivered
    "billing:batch": Case(Role.FINANCE, method="post", allowed=302),  # nothing chosen: back to the lines
    "billing:batch_status": Case(Role.FINANCE, batch_by_finance, own=batch_made_by),
    "billing:invoices": Case(Role.FINANCE),
    "billing:invoice": Case(Role.FINANCE, invoice_a11),
    "billing:invoice_xml": Case(Role.FINANCE, invoice_a11),
    "billing:invoice_pdf": Case(Role.FINANCE, invoice_a11),
    "billing:credit": Case(Role.FINANCE, invoice_a11, method="post", allowed=302),
    "billing:upload": Case(Role.FINANCE),
    "billing:profile": Case(Role.FINANCE),
    "backoffice:finance": Case(AfRole.FINANCE),
    "backoffice:finance_run": Case(AfRole.FINANCE, method="post", allowed=302),
    "backoffice:finance_invoice": Case(AfRole.FINANCE, invoice_a11),
    "backoffice:finance_invoice_xml": Case(AfRole.FINANCE, invoice_a11),
    "backoffice:finance_order": Case(AfRole.FINANCE, order_a11),
    "backoffice:tariffs": Case(AfRole.FINANCE),
    "backoffice:tariff": Case(AfRole.FINANCE, a_tariff),
    "backoffice:home": Case(AfRole.PROVIDER_ADMIN),  # any Af role opens the start page; see the Af test
    "backoffice:organisations": Case(AfRole.PROVIDER_ADMIN),
    "backoffice:organisation_new": Case(AfRole.PROVIDER_ADMIN),
    "backoffice:organisation": Case(AfRole.PROVIDER_ADMIN, organisation_a),
    "backoffice:ka_import": Case(AfRole.PROVIDER_ADMIN),
    "backoffice:ka_import_run": Case(AfRole.PROVIDER_ADMIN, import_run),
    "backoffice:audit_log": Case(AfRole.AUDITOR),
    "backoffice:review_queue": Case(AfRole.REVIEWER),
    "backoffice:review": Case(AfRole.REVIEWER, submitted_a11),
    "backoffice:review_file": Case(AfRole.REVIEWER, submitted_evidence_a11),
    "backoffice:information_topics": Case(AfRole.REVIEWER),
    "backoffice:information_topic_toggle": Case(AfRole.REVIEWER, an_information_topic, method="post", allowed=302),
    "backoffice:activities": Case(AfRole.REVIEWER),
    "backoffice:activity_new": Case(AfRole.REVIEWER),
    "backoffice:activity": Case(AfRole.REVIEWER, an_activity),
    "backoffice:sensitive_terms": Case(AfRole.REVIEWER),
    "backoffice:sensitive_term_toggle": Case(AfRole.REVIEWER, a_sensitive_term, method="post", allowed=302),
    "backoffice:decision_new": Case(AfRole.CASE_OFFICER),
    "backoffice:address_options": Case(
        AfRole.CASE_OFFICER, data=lambda world: {"falt": "address", "id": "id_address", "address_sok": "Alfa"}
    ),
    "backoffice:placements": Case(AfRole.CASE_OFFICER),
    "backoffice:placement": Case(AfRole.CASE_OFFICER, reference_a11),
    "backoffice:interrupt": Case(AfRole.CASE_OFFICER, reference_a11, method="post"),
    "backoffice:change_interruption": Case(AfRole.CASE_OFFICER, reference_a11, method="post"),
    "backoffice:second_period": Case(AfRole.CASE_OFFICER, reference_a11, method="post"),
    "backoffice:provider_change": Case(AfRole.CASE_OFFICER, reference_a11, method="post"),
}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_in_the_matrix():
    assert all_url_names() == PUBLIC | set(PROTECTED), "classify new URLs in PUBLIC or PROTECTED"


def request(client, world, name, case: Case, kwargs=None):
    url = reverse(name, kwargs=case.kwargs(world) if kwargs is None else kwargs)
    return getattr(client, case.method)(url, case.data(world))


PROVIDER_CASES = [(name, case) for name, case in PROTECTED.items() if isinstance(case.role, Role)]
AF_CASES = [(name, case) for name, case in PROTECTED.items() if isinstance(case.role, AfRole)]


@pytest.mark.parametrize("combo", ROLE_COMBINATIONS, ids=lambda c: "+".join(sorted(c)) or "none")
@pytest.mark.parametrize(("name", "case"), PROVIDER_CASES, ids=[name for name, _ in PROVIDER_CASES])
def test_provider_urls_open_exactly_for_their_role(client, world, combo, name, case):
    account = world.by_roles[combo]
    sign_in(client, account.person)
    own = case.own is not None and case.role in combo
    response = request(client, world, name, case, case.own(world, account) if own and case.own else None)
    if case.role in combo:
        assert response.status_code == case.allowed
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("name", "case"), PROVIDER_CASES, ids=[name for name, _ in PROVIDER_CASES])
def test_another_organisations_administrator_finds_nothing(client, world, name, case):
    # Organisation A has an invitation out and log entries about it; B must see none of it.
    invite_staff(actor=Actor.for_staff_account(world.admin_a), emails=["hemlig@example.se"])
    secret_placement = place(world.a11, given_name="Hemliga", surname="Deltagaren")
    sign_in(client, world.admin_b.person)  # every role, in organisation B
    kwargs = case.kwargs(world)
    response = request(client, world, name, case, kwargs)
    if kwargs:  # an object of organisation A
        assert response.status_code == 404
    else:
        assert response.status_code == case.allowed
        body = response.content.decode()
        for secret in (
            "Anna Admin",
            "Roll0",
            "Alfa Stockholm",
            "Drottninggatan",
            "hemlig@example.se",
            "Hemliga",
            secret_placement.genomforandereferens,
        ):
            assert secret not in body


@pytest.mark.parametrize(("name", "case"), AF_CASES, ids=[name for name, _ in AF_CASES])
def test_provider_staff_never_reach_the_back_office(client, world, name, case):
    sign_in(client, world.admin_a.person)
    assert request(client, world, name, case).status_code == 404


@pytest.mark.parametrize(("name", "case"), AF_CASES, ids=[name for name, _ in AF_CASES])
def test_the_back_office_opens_for_its_af_roles_only(client, world, name, case):
    officer = make_af_officer("Åsa", "Handläggare", [role for role in AfRole if role != case.role])
    sign_in(client, officer.person)
    denied = request(client, world, name, case)
    assert denied.status_code == (200 if name == "backoffice:home" else 404)
    AfRoleGrant.objects.create(account=officer, role=case.role)
    assert request(client, world, name, case).status_code == case.allowed


@pytest.mark.parametrize(("name", "case"), PROVIDER_CASES, ids=[name for name, _ in PROVIDER_CASES])
def test_af_staff_do_not_use_provider_pages(client, world, name, case):
    officer = make_af_officer("Åsa", "Handläggare")
    sign_in(client, officer.person)
    assert request(client, world, name, case).status_code == 404


@pytest.mark.parametrize(("name", "case"), list(PROTECTED.items()), ids=list(PROTECTED))
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name, case):
    response = request(client, world, name, case)
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/?next=")


def test_changes_to_another_organisation_are_refused_and_nothing_changes(client, world):
    target = world.by_roles[frozenset()]
    before = (RoleGrant.objects.count(), AddressGrant.objects.count())
    sign_in(client, world.admin_b.person)
    response = client.post(
        f"/personal/{target.pk}/behorigheter/", {"roles": ["administer"], "addresses": [world.b11.pk]}
    )
    assert response.status_code == 404
    assert client.post(f"/personal/{target.pk}/ta-bort/").status_code == 404
    assert (RoleGrant.objects.count(), AddressGrant.objects.count()) == before
    assert StaffAccount.objects.get(pk=target.pk).deleted_at is None


def test_an_administrator_cannot_grant_another_organisations_address(client, world):
    target = world.by_roles[frozenset()]
    sign_in(client, world.admin_a.person)
    response = client.post(f"/personal/{target.pk}/behorigheter/", {"roles": ["report"], "addresses": [world.b11.pk]})
    assert response.status_code == 200  # the form says the choice is not valid
    assert not AddressGrant.objects.filter(account=target, address=world.b11).exists()


PLACEMENT_CASES = [(name, case) for name, case in PROVIDER_CASES if case.kwargs in (placement_a11,)]
DOCUMENT_CASES = [(name, case) for name, case in PROVIDER_CASES if case.kwargs in (draft_a11, submitted_a11)]


@pytest.mark.parametrize(("name", "case"), PLACEMENT_CASES, ids=[name for name, _ in PLACEMENT_CASES])
def test_a_participant_at_an_address_one_does_not_work_at_is_not_found(client, world, name, case):
    at_a21 = place(world.a21)  # Alfa Göteborg: organisation A, but not the accounts' address
    sign_in(client, world.by_roles[frozenset(Role)].person)  # every role, at A11 only
    response = getattr(client, case.method)(reverse(name, kwargs={"placement_id": at_a21.pk}))
    assert response.status_code == 404


def test_lists_and_exports_leave_out_addresses_one_does_not_work_at(client, world):
    at_a21 = place(world.a21, given_name="Göta", surname="Långtbort")  # organisation A, not the accounts' address
    interrupt(actor=Actor.system("test"), key="i-a21", placement=at_a21, reason="work", interrupts_on=at_a21.starts_on)
    at_a11 = place(world.a11)
    account = world.by_roles[frozenset(Role)]  # every role, at A11 only
    sign_in(client, account.person)
    day = at_a21.decided_on.isoformat()
    pages = [
        client.get(reverse("placements:intake")),
        client.get(reverse("placements:list")),
        client.get(reverse("placements:list"), {"q": "Långtbort"}),
        client.post(
            reverse("exports:export"),
            {"decided_from": day, "decided_to": day, "supervisor_filter": "all", "format": "csv"},
        ),
    ]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert at_a21.genomforandereferens not in body
        assert "Göta Långtbort" not in body
    for listing in (pages[0], pages[1], pages[3]):  # the lists and the preview do show what is at A11
        assert at_a11.genomforandereferens in listing.content.decode()
    assert client.post(reverse("placements:intake_remove", args=[at_a21.pk])).status_code == 404
    run = start_export(
        actor=Actor.for_staff_account(account),
        choices=ExportChoices(decided_from=at_a21.decided_on, decided_to=at_a21.decided_on),
        format=ExportFormat.CSV,
    )
    content = bytes(run.content).decode("utf-8-sig")
    assert at_a11.genomforandereferens in content
    assert at_a21.genomforandereferens not in content


@pytest.mark.parametrize(("name", "case"), DOCUMENT_CASES, ids=[name for name, _ in DOCUMENT_CASES])
def test_a_document_at_an_address_one_does_not_work_at_is_not_found(client, world, name, case):
    from faportal.testing import make_account, make_person, plan_draft, write_document

    at_a21 = place(world.a21)
    writer = make_account(make_person("Göta", "Skrivare"), world.org_a, roles=[Role.REPORT], addresses=[world.a21])
    document = write_document(at_a21, writer, "plan", at_a21.starts_on, plan_draft())
    sign_in(client, world.by_roles[frozenset(Role)].person)  # every role, at A11 only
    response = getattr(client, case.method)(reverse(name, kwargs={"document_id": document.pk}))
    assert response.status_code == 404


def test_a_documents_file_is_not_found_outside_its_scope_for_every_role(client, world):
    """Evidence and PDF copies (issue 10): another organisation's, whatever one's roles, and organisation A's at an
    address one does not work at, are "not found"; so are they for Af staff without the reviewer's role, and through
    the back office while the document is a draft.
    """
    from faportal.testing import make_account, make_person

    kwargs = evidence_a11(world)
    url = reverse("documents:file", kwargs=kwargs)
    for index, combo in enumerate(ROLE_COMBINATIONS):
        in_b = make_account(make_person(f"Beta{index}", "Konto"), world.org_b, roles=combo, addresses=[world.b11])
        sign_in(client, in_b.person)
        assert client.get(url).status_code == 404, combo
    at_a21 = make_account(make_person("Göta", "Långtbort"), world.org_a, roles=list(Role), addresses=[world.a21])
    sign_in(client, at_a21.person)
    assert client.get(url).status_code == 404
    sign_in(client, world.by_roles[frozenset({Role.REPORT})].person)
    assert client.get(url).status_code == 200
    for role in AfRole:
        officer = make_af_officer("Åsa", f"Utan{role}", [other for other in AfRole if other != role])
        sign_in(client, officer.person)
        assert client.get(url).status_code == 404
        assert client.get(reverse("backoffice:review_file", kwargs=kwargs)).status_code == 404  # a draft's
