"""Af's finance pages (SPEC S6, S7.1, S7.6): the tariffs, the received invoices and how they matched, the manual
queue (accept, or reject and ask for a credit note), the orders, and the monthly run.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.billing import forms as billing_forms
from faportal.billing import run as billing_run
from faportal.billing import selectors as billing_selectors
from faportal.billing import services as billing_services
from faportal.billing.rules import Article, MatchStatus
from faportal.core.http import posted
from faportal.core.problems import Refused, message


def finance(request: HttpRequest) -> HttpResponse:
    """Ekonomi: the manual queue first, then every received invoice with its matching, and the monthly runs."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    form = billing_forms.InvoiceFilterForm(request.GET or None)
    filters = billing_selectors.InvoiceFilters()
    if form.is_bound and form.is_valid():
        filters = billing_selectors.InvoiceFilters(
            statuses=tuple(MatchStatus(status) for status in form.cleaned_data["match"]), q=form.cleaned_data["q"]
        )
    number = request.GET.get("sida", "1")
    page = Paginator(billing_selectors.invoices(actor=actor, filters=filters), billing_selectors.PAGE_SIZE).get_page(
        number if number.isascii() and number.isdigit() else 1
    )
    return render(
        request,
        "backoffice/finance.html",
        {
            "queue": billing_selectors.manual_queue(actor=actor)[:50],
            "form": form,
            "page": page,
            "runs": billing_selectors.latest_runs(actor=actor),
        },
    )


@require_http_methods(["GET", "POST"])
def invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """A received invoice: what it says, how it matched, and (in the manual queue) accept or reject."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    found = billing_selectors.invoice(actor=actor, invoice_id=invoice_id)
    form = billing_forms.DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "accept":
                billing_services.accept(actor=actor, invoice=found, note=form.cleaned_data["reason"])
                messages.success(request, _("The invoice is approved for payment."))
            else:
                billing_services.reject(actor=actor, invoice=found, reason=form.cleaned_data["reason"])
                messages.success(request, _("The invoice is rejected: the provider is asked for a credit note."))
        except Refused as refused:
            if any(problem.field == "reason" for problem in refused.problems):
                form.add_problems(refused)
            else:
                for problem in refused.problems:
                    messages.error(request, message(problem))
        else:
            return redirect("backoffice:finance_invoice", invoice_id=found.pk)
    return render(
        request,
        "backoffice/finance_invoice.html",
        {
            "invoice": found,
            "lines": found.lines.select_related("order_line"),
            "credit_notes": billing_selectors.credit_notes_of(actor=actor, invoice=found),
            "reissued": billing_selectors.invoices_after_credit(actor=actor, invoice=found),
            "outbox": billing_selectors.outbox_entry(actor=actor, invoice=found),
            "decision_form": form,
            "base_template": "backoffice/_base.html",
        },
    )


def invoice_xml(request: HttpRequest, invoice_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    found = billing_selectors.invoice(actor=actor, invoice_id=invoice_id)
    billing_services.record_download(actor=actor, subject=found, what="xml")
    response = HttpResponse(bytes(found.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.file_stem}.xml"'
    response["Cache-Control"] = "no-store"
    return response


def order(request: HttpRequest, order_id: int) -> HttpResponse:
    """An order as Af issued it, with its lines' state and invoices."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    found = billing_selectors.order(actor=actor, order_id=order_id)
    return render(
        request,
        "billing/order.html",
        {
            "order": found,
            "lines": billing_selectors.order_page_lines(actor=actor, order=found),
            "invoices": billing_selectors.invoices_of_order(actor=actor, order=found),
            "base_template": "backoffice/_base.html",
        },
    )


@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    """Start the monthly run now (it also runs from cron: ``manage.py billing_run``)."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    billing_run.start(started_by=actor.label)
    messages.success(request, _("The monthly run is started: its result shows below when it is done."))
    return redirect("backoffice:finance")


@require_http_methods(["GET", "POST"])
def tariffs(request: HttpRequest) -> HttpResponse:
    """Ersättningsnivåer (SPEC S7.1): the dated prices, and a new one."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    form = billing_forms.TariffForm(posted(request))
    if request.method == "POST" and form.is_valid() and _save_tariff(request, form, None):
        return redirect("backoffice:tariffs")
    rows = list(billing_selectors.tariffs(actor=actor))
    return render(
        request,
        "backoffice/tariffs.html",
        {
            "form": form,
            "tariffs": rows,
            "in_use": billing_selectors.tariffs_in_use(actor=actor),
            "examples": any(row.example for row in rows),
        },
    )


@require_http_methods(["GET", "POST"])
def tariff(request: HttpRequest, tariff_id: int) -> HttpResponse:
    """One price: change it while no order uses it, or set its last day."""
    actor = actor_of(request)
    require_role(actor, AfRole.FINANCE)
    found = billing_selectors.tariff(actor=actor, tariff_id=tariff_id)
    initial = {
        "article": found.article,
        "level": found.level,
        "price": str(found.price).replace(".", ","),
        "valid_from": found.valid_from,
        "valid_to": found.valid_to,
        "example": found.example,
    }
    form = billing_forms.TariffForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid() and _save_tariff(request, form, found):
        return redirect("backoffice:tariffs")
    return render(request, "backoffice/tariff.html", {"form": form, "tariff": found})


def _save_tariff(request: HttpRequest, form: billing_forms.TariffForm, found: object) -> bool:
    data = form.cleaned_data
    try:
        billing_services.save_tariff(
            actor=actor_of(request),
            values=billing_services.TariffValues(
                service_id=billing_selectors.tariff_service().pk,
                article=Article(data["article"]),
                level=data["level"],
                price=data["price"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                example=data["example"],
            ),
            tariff=found,  # type: ignore[arg-type]
        )
    except Refused as refused:
        form.add_problems(refused)
        return False
    messages.success(request, _("The price is saved."))
    return True
