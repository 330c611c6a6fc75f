"""Provider portal pages for staff accounts and permissions (SPEC S3), the start page and the organisation choice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access import selectors, services
from faportal.access.forms import (
    AuditLogForm,
    ChooseOrganisationForm,
    ConfirmationCodeForm,
    InviteForm,
    PermissionsForm,
    StaffSearchForm,
)
from faportal.access.middleware import ACTING_KEY, actor_of
from faportal.access.models import Invitation, Role
from faportal.access.rules import Code
from faportal.access.scoping import get_visible_or_404, require_role
from faportal.core.http import posted, safe_next_url
from faportal.core.paging import IdsFirstPaginator, KeysetPage, capped_count
from faportal.core.problems import Refused, message, message_for
from faportal.identity.services import (
    forget_verified_identity,
    registration_login_url,
    sign_in,
    verified_identity,
)

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Start page: what this person can do, by role."""
    actor = actor_of(request)
    if not actor.is_signed_in:
        return redirect("identity:login")
    if actor.is_af:
        return redirect("backoffice:home")
    return render(request, "access/home.html", {"roles": actor.roles})


@require_http_methods(["GET", "POST"])
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """Välj organisation: a person with accounts in several organisations picks which one to act for."""
    actor = actor_of(request)
    if not actor.is_signed_in:
        return redirect("identity:login")
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"), reverse("home"))
    form = ChooseOrganisationForm(posted(request), choices=list(actor.choices))
    if request.method == "POST" and form.is_valid():
        request.session[ACTING_KEY] = form.cleaned_data["choice"]
        return redirect(next_url if next_url != request.path else reverse("home"))
    return render(request, "access/choose_organisation.html", {"next": next_url, "form": form})


def staff_list(request: HttpRequest) -> HttpResponse:
    """Personallista with search and "only accounts without permissions" (SPEC S3.2)."""
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTER)
    form = StaffSearchForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.staff_list(
        actor=actor, search=filters.get("q", ""), only_without_permissions=filters.get("without_permissions", False)
    )
    page = IdsFirstPaginator(accounts, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "sida"})
    context = {"form": form, "page": page, "query": query}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "access/staff_list.html#results", context)
    return render(request, "access/staff_list.html", context)


def staff_overview(request: HttpRequest) -> HttpResponse:
    """Översikt: everyone's units, addresses and roles in one table (SPEC S3.5)."""
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTER)
    # A page at a time: a big provider has hundreds of staff, each with their units and addresses.
    page = IdsFirstPaginator(selectors.staff_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = selectors.staff_overview(actor=actor, accounts=page.object_list)
    return render(request, "access/staff_overview.html", {"rows": rows, "page": page})


def staff_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    """One staff account: its permissions now and their history."""
    actor = actor_of(request)
    account = selectors.staff_account(actor=actor, account_id=account_id)
    return render(
        request,
        "access/staff_detail.html",
        {"account": account, "history": selectors.grant_history(account=account)},
    )


@require_http_methods(["GET", "POST"])
def staff_permissions(request: HttpRequest, account_id: int) -> HttpResponse:
    """Ändra behörigheter: service → units → addresses, and roles (SPEC S3.3–S3.4)."""
    actor = actor_of(request)
    account = selectors.staff_account(actor=actor, account_id=account_id)
    services_ = selectors.grantable_units(actor=actor)
    initial = {
        "roles": [grant.role for grant in account.current_role_grants],  # type: ignore[attr-defined]
        "addresses": [grant.address_id for grant in account.current_address_grants],  # type: ignore[attr-defined]
    }
    form = PermissionsForm(posted(request), services=services_, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.update_permissions(
                actor=actor,
                account=account,
                roles={Role(role) for role in form.cleaned_data["roles"]},
                address_ids=set(form.cleaned_data["addresses"]),
            )
        except Refused as refused:
            form.add_problems(refused)
        else:
            if change.changed:
                messages.success(request, _("The permissions of %(name)s are saved.") % {"name": account.person})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff_detail", account_id=account.pk)
    return render(
        request,
        "access/staff_permissions.html",
        {
            "account": account,
            "form": form,
            "services": services_,
            "selected_addresses": form.selected_addresses(),
            "selected_roles": form.selected_roles(),
            "role_choices": Role.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def staff_delete(request: HttpRequest, account_id: int) -> HttpResponse:
    """Ta bort personalkonto, after a confirmation (SPEC S3.5)."""
    actor = actor_of(request)
    account = selectors.staff_account(actor=actor, account_id=account_id)
    error = message_for(Code.RESPONSIBLE_ADMINISTRATOR) if account.is_responsible_admin else None
    blockers = services.deletion_blockers(actor=actor, account=account)
    if request.method == "POST" and not blockers:
        try:
            services.delete_staff_account(actor=actor, account=account)
        except Refused as refused:
            error = " ".join(message(problem) for problem in refused.problems)
        else:
            messages.success(request, _("The staff account of %(name)s is deleted.") % {"name": account.person})
            return redirect("staff_list")
    return render(request, "access/staff_delete.html", {"account": account, "error": error, "blockers": blockers})


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Bjud in personal: several e-mail addresses, comma separated (SPEC S3.2)."""
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTER)
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        result = services.invite_staff(actor=actor, emails=form.cleaned_data["emails"])
        if result.sent:
            messages.success(request, _("Invitations sent to: %(emails)s.") % {"emails": ", ".join(result.sent)})
        if result.already_staff:
            messages.info(
                request,
                _("Already staff here, so not invited: %(emails)s.") % {"emails": ", ".join(result.already_staff)},
            )
        return redirect("invitations")
    return render(request, "access/invite.html", {"form": form})


def invitations(request: HttpRequest) -> HttpResponse:
    """Invitations waiting to be accepted."""
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTER)
    return render(request, "access/invitations.html", {"invitations": selectors.pending_invitations(actor=actor)})


@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Återkalla inbjudan."""
    actor = actor_of(request)
    invitation = get_visible_or_404(actor, Role.ADMINISTER, Invitation.objects.pending(), pk=invitation_id)
    services.revoke_invitation(actor=actor, invitation=invitation)
    messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    return redirect("invitations")


def audit_log(request: HttpRequest) -> HttpResponse:
    """Logg: who did what in the organisation, and when; filtered by person, action and dates."""
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTER)
    return render(request, "access/audit_log.html", audit_log_context(request))


# The log says how many entries match up to this many, and "more than" beyond: counting a hundred million would
# cost more than the page (ADR "scale").
LOG_COUNT_CAP = 10_000


def audit_log_context(request: HttpRequest) -> dict[str, Any]:
    """The filter form and one page of the log the actor may read (also the back office's log).

    Pages continue from the last entry shown (``aldre``, older) or the first (``nyare``, newer), so any page is as
    quick as the first; ``sida`` only numbers them.
    """
    actor = actor_of(request)
    form = AuditLogForm(request.GET, people=selectors.audit_log_people(actor=actor), for_provider=not actor.is_af)
    filters = form.filters()
    events = selectors.audit_log(actor=actor, filters=filters)
    number = request.GET.get("sida", "")
    page = KeysetPage.of(
        events,
        field="at",
        per_page=PAGE_SIZE,
        older_than=request.GET.get("aldre", ""),
        newer_than=request.GET.get("nyare", ""),
        number=int(number) if number.isdigit() and len(number) < 7 else 1,
    )
    # The filters as asked for, kept in the pagination links (an invalid one too, so its message stays in view).
    query = {name: request.GET[name] for name in form.fields if request.GET.get(name)}
    return {
        "form": form,
        "page": page,
        "count": capped_count(events, LOG_COUNT_CAP),
        "count_cap": LOG_COUNT_CAP,
        "count_cap_text": number_format(LOG_COUNT_CAP, force_grouping=True),
        "query": urlencode(query),
        "filtered": bool(query),
    }


# --- The invitee's side: open the link, identify with BankID, confirm the e-mail code ------------------------


def _pending_invitation(token: str) -> Invitation:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return invitation


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: who invites, then identification with BankID."""
    found = services.invitation_for_token(token)
    if found is None:
        return render(request, "access/invitation_invalid.html", status=404)
    if request.method == "POST":
        return redirect(registration_login_url(reverse("invitation_confirm", args=[token])))
    return render(request, "access/invitation.html", {"invitation": found})


@require_http_methods(["GET", "POST"])
def invitation_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """After BankID: the code sent to the invited address confirms it; then the account exists."""
    invitation = _pending_invitation(token)
    identity = verified_identity(request)
    if identity is None:
        return redirect("invitation", token=token)
    form = ConfirmationCodeForm(posted(request))
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.send_confirmation_code(invitation=invitation)
        except Refused as refused:
            messages.error(request, " ".join(message(problem) for problem in refused.problems))
        else:
            messages.info(request, _("A new code has been sent to %(email)s.") % {"email": invitation.email})
        return redirect("invitation_confirm", token=token)
    if request.method == "GET" and not invitation.code_hash and not invitation.codes_sent:
        services.send_confirmation_code(invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.accept_invitation(
                invitation=invitation, identity=identity, code=form.cleaned_data["code"]
            )
        except Refused as refused:
            form.add_problems(problem.at("code") for problem in refused.problems)
        else:
            forget_verified_identity(request)
            sign_in(request, account.person, identity)
            request.session[ACTING_KEY] = f"staff:{account.pk}"
            messages.success(
                request,
                _(
                    "Welcome! Your staff account at %(organisation)s is ready. Your permission administrator "
                    "will now give you your permissions."
                )
                % {"organisation": invitation.organisation.name},
            )
            return redirect("home")
    return render(request, "access/invitation_confirm.html", {"invitation": invitation, "form": form})
