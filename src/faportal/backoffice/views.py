"""The Af back office (SPEC S6): organisations and their responsible administrators, the registry import, the log."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from faportal.access import services as access_services
from faportal.access.middleware import actor_of
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.access.views import audit_log_context
from faportal.backoffice import selectors
from faportal.backoffice.forms import KaImportForm, OrganisationForm, ResponsibleAdminForm
from faportal.core.http import posted
from faportal.core.paging import IdsFirstPaginator
from faportal.core.problems import Refused
from faportal.registry.ka_import import problem_message
from faportal.registry.services import start_ka_import

# Two thousand organisations at ten times today's number of providers: a page at a time.
PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Back-office start page."""
    if not actor_of(request).is_af:
        raise Http404
    return render(request, "backoffice/home.html")


def organisations(request: HttpRequest) -> HttpResponse:
    """Registered organisations (leverantörer)."""
    actor = actor_of(request)
    require_role(actor, AfRole.PROVIDER_ADMIN)
    page = IdsFirstPaginator(selectors.organisations(actor=actor), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "backoffice/organisations.html", {"organisations": page.object_list, "page": page})


def _admin(form: ResponsibleAdminForm) -> access_services.ResponsibleAdmin:
    return access_services.ResponsibleAdmin(
        personnummer=form.cleaned_data["admin_personnummer"],
        given_name=form.cleaned_data["admin_given_name"],
        surname=form.cleaned_data["admin_surname"],
        email=form.cleaned_data["admin_email"],
    )


@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Registrera leverantör and its responsible permission administrator (SPEC S3.1)."""
    actor = actor_of(request)
    require_role(actor, AfRole.PROVIDER_ADMIN)
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            account = access_services.register_organisation(
                actor=actor,
                organisationsnummer=form.cleaned_data["organisationsnummer"],
                name=form.cleaned_data["name"],
                admin=_admin(form),
            )
        except Refused:  # registered by someone else a moment ago
            form.add_error("organisationsnummer", form.fields["organisationsnummer"].error_messages["exists"])
            return render(request, "backoffice/organisation_new.html", {"form": form})
        messages.success(
            request,
            _("%(organisation)s is registered. %(name)s has been sent a link to the portal.")
            % {"organisation": account.organisation.name, "name": account.person},
        )
        return redirect("backoffice:organisation", organisation_id=account.organisation_id)
    return render(request, "backoffice/organisation_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """One organisation: its units and addresses, administrators, and a new responsible administrator."""
    actor = actor_of(request)
    organisation = selectors.organisation(actor=actor, organisation_id=organisation_id)
    form = ResponsibleAdminForm(posted(request))
    if request.method == "POST" and form.is_valid():
        account = access_services.replace_responsible_admin(actor=actor, organisation=organisation, admin=_admin(form))
        messages.success(
            request, _("%(name)s is now the responsible permission administrator.") % {"name": account.person}
        )
        return redirect("backoffice:organisation", organisation_id=organisation.pk)
    return render(
        request,
        "backoffice/organisation_detail.html",
        {
            "organisation": organisation,
            "units": selectors.units_of(actor=actor, organisation=organisation),
            "administrators": selectors.administrators_of(actor=actor, organisation=organisation),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def ka_import(request: HttpRequest) -> HttpResponse:
    """Import units and addresses from a KA-webb file (SPEC S2.2); runs in the worker."""
    actor = actor_of(request)
    require_role(actor, AfRole.PROVIDER_ADMIN)
    form = KaImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = start_ka_import(actor=actor, file_name=upload.name, content=upload.read())
        return redirect("backoffice:ka_import_run", run_id=run.pk)
    return render(
        request, "backoffice/ka_import.html", {"form": form, "runs": selectors.recent_import_runs(actor=actor)}
    )


def ka_import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Progress, then the report, of one import (polled while it runs)."""
    actor = actor_of(request)
    run = selectors.import_run(actor=actor, run_id=run_id)
    problems = [(problem, problem_message(problem)) for problem in run.problem_list()]
    context = {"run": run, "problems": problems, "summary": run.summary_data()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "backoffice/ka_import_run.html#report", context)
    return render(request, "backoffice/ka_import_run.html", context)


def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole audit log, for Af's auditors."""
    actor = actor_of(request)
    require_role(actor, AfRole.AUDITOR)
    return render(request, "backoffice/audit_log.html", audit_log_context(request))
